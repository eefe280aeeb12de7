import mongoose from 'mongoose';
import { Writable } from 'node:stream';
import { startBot } from '../../src/bot.js';
import type { BotOptions, RunningBot } from '../../src/bot.js';
import { decodeKey, loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { createSealer } from '../../src/core/sealing.js';
import type { Sealer } from '../../src/core/sealing.js';
import { createLogger } from '../../src/log.js';
import { signBody } from '../../src/webhook/signature.js';
import { startGraphStub } from './graph-stub.js';
import type { EchoOptions, GraphStub } from './graph-stub.js';
import { useTestDatabase } from './mongo.js';
import type { TestDatabase } from './mongo.js';

export const TEST_APP_SECRET = 'test_app_secret_0123456789abcdef';
export const TEST_VERIFY_TOKEN = 'test-verify-token';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_ACCESS_TOKEN = 'test-access-token-EAAG0000';
export const TEST_PEPPER = 'test-pepper-0123456789abcdef0123456789';
/** 32 bytes, base64: the test AES-256 key for data at rest. */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

/** The sealer the test bot uses: tests open sealed fields (conversation state, queued replies) with it. */
export function testSealer(): Sealer {
  const key = decodeKey(TEST_DATA_KEY);
  if (!key) throw new Error('TEST_DATA_KEY is not a 32-byte key');
  return createSealer(key);
}

/** The decrypted flow snapshot of a stored conversation document, or undefined when it has none. */
export function openSnapshot(
  doc: { _id: string; sealedSnapshot?: string } | null,
): Record<string, unknown> | undefined {
  if (!doc?.sealedSnapshot) return undefined;
  return testSealer().open<Record<string, unknown>>(doc.sealedSnapshot, `conversation:${doc._id}`);
}

export interface TestBot {
  readonly bot: RunningBot;
  readonly graph: GraphStub;
  readonly db: TestDatabase;
  readonly config: Config;
  /** Every log line the bot wrote, as raw JSON text (level trace: everything). */
  readonly logs: string[];
  /** POSTs a webhook body; signed with the test app secret unless `signature` says otherwise. */
  postWebhook(
    body: string | Buffer | object,
    options?: { signature?: string | null; contentType?: string },
  ): Promise<Response>;
  /** Calls the admin API with the operator token (or the given one; `null` for none). */
  admin(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>;
  /** Resolves once the inbox has nothing pending or processing, or throws after `timeoutMs`. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A connection string with driver options added to those it has. */
function withUriOptions(uri: string, extra: string): string {
  if (uri.includes('?')) return `${uri}&${extra}`;
  return `${uri}${uri.replace(/^mongodb(\+srv)?:\/\//, '').includes('/') ? '' : '/'}?${extra}`;
}

/**
 * Starts the whole bot as production runs it (real HTTP on a random port, the embedded database or
 * MONGODB_URI, the real WhatsApp client) against a loopback Graph API stub, with logs captured.
 */
export async function startTestBot(
  label: string,
  options: {
    env?: Record<string, string>;
    bot?: BotOptions;
    /**
     * The Graph stub posts `sent`/`delivered` status webhooks echoing each send's callback data, as Meta;
     * with `retryMs`, a post the bot refused is posted again, as Meta retries.
     */
    graphEcho?: boolean | Pick<EchoOptions, 'delayMs' | 'retryMs'>;
    /** Driver options added to the connection string (e.g. `monitorCommands=true` for command events). */
    uriOptions?: string;
  } = {},
): Promise<TestBot> {
  const db = await useTestDatabase(label);
  let botUrl = '';
  const graph = await startGraphStub(
    options.graphEcho
      ? {
          readsApart: true,
          echo: {
            webhookUrl: () => `${botUrl}/webhook`,
            appSecret: TEST_APP_SECRET,
            ...(options.graphEcho === true ? {} : options.graphEcho),
          },
        }
      : { readsApart: true },
  );
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'trace',
    MONGODB_URI: options.uriOptions ? withUriOptions(db.uri, options.uriOptions) : db.uri,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    WHATSAPP_API_BASE_URL: graph.url,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PRIVACY_PEPPER: TEST_PEPPER,
    DATA_ENCRYPTION_KEY: TEST_DATA_KEY,
    ...options.env,
  });
  const logger = createLogger({ level: config.logLevel }, stream);
  const bot = await startBot(config, logger, {
    dbName: db.dbName,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sweepIntervalMs: 200,
    ...options.bot,
  });
  botUrl = bot.url;

  const postWebhook: TestBot['postWebhook'] = (body, opts = {}) => {
    const bytes = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    const signature = opts.signature === undefined ? signBody(bytes, TEST_APP_SECRET) : opts.signature;
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return fetch(`${bot.url}/webhook`, { method: 'POST', headers, body: bytes });
  };

  const admin: TestBot['admin'] = (method, path, body, token = TEST_ADMIN_TOKEN) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${bot.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  };

  const settled: TestBot['settled'] = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await bot.models.Inbox.countDocuments({
        status: { $in: ['pending', 'processing'] },
      }).exec();
      if (open === 0 && bot.engine.backlog === 0) return;
      if (Date.now() > deadline) throw new Error(`inbox not settled after ${timeoutMs} ms (${open} open)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return {
    bot,
    graph,
    db,
    config,
    logs,
    postWebhook,
    admin,
    settled,
    close: async () => {
      // A bot a test already closed has no connection to drop with (mongoose would buffer the call for 10 s).
      if (bot.database.connection.readyState === mongoose.ConnectionStates.connected) {
        await bot.database.connection.dropDatabase().catch(() => undefined);
      }
      await bot.close();
      await graph.close();
      await db.close();
    },
  };
}
