/**
 * The bot under test: the real `startBot` with a business configured and its logs going nowhere, its
 * database in-process or in a helper process, and the teardown every benchmark runs at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot } from '../../src/bot.js';
import type { BotOptions, RunningBot } from '../../src/bot.js';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { ACCESS_TOKEN, ADMIN_TOKEN, APP_SECRET, PEPPER, PHONE_NUMBER_ID, VERIFY_TOKEN } from './fixture.js';
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { Helper } from './helper.js';

/** The embedded database in its own process, journal in `dataDir`: the helper and the URI to connect to. */
export async function startDatabaseProcess(dataDir: string): Promise<{ helper: Helper; uri: string }> {
  const { helper, address } = await Helper.start('db', [`--data-dir=${dataDir}`]);
  return { helper, uri: address };
}

/** The bot under test and how to stop it. */
export interface BenchBot {
  bot: RunningBot;
  close(): Promise<void>;
}

/** The real bot with a business configured; the database is in-process on `dataDir` or at `mongoUri`. */
export async function startBenchBot(options: {
  graphUrl: string;
  logLevel: BenchLogLevel;
  dataDir?: string;
  mongoUri?: string;
  dbName: string;
  /** Extra `startBot` options (a worker's shorter sweep, for one). */
  botOptions?: BotOptions;
  /** Extra environment for `loadConfig` (`INBOX_BACKLOG_LIMIT`, for one). */
  env?: Record<string, string>;
}): Promise<BenchBot> {
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: options.logLevel,
    DATA_DIR: options.dataDir,
    MONGODB_URI: options.mongoUri,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_API_BASE_URL: options.graphUrl,
    ADMIN_TOKEN: ADMIN_TOKEN,
    PRIVACY_PEPPER: PEPPER,
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    ...options.env,
  });
  // A null sink: what is measured is the bot, not a terminal or a log shipper.
  const logger = createLogger({ level: config.logLevel }, { write: () => undefined });
  const bot = await startBot(config, logger, { ...options.botOptions, dbName: options.dbName });
  try {
    await new BusinessDirectory(bot.models.Business).put(
      toBusinessData(
        PHONE_NUMBER_ID,
        businessInput.parse({
          name: 'Bench Pizzeria',
          currency: 'EUR',
          catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
        }),
      ),
    );
  } catch (err) {
    await bot.close();
    throw err;
  }
  return { bot, close: () => bot.close() };
}

/** Inbox entries (messages and system events) stored but not yet handled. */
export async function pendingInDb(bot: RunningBot): Promise<number> {
  return bot.models.Inbox.countDocuments({ status: 'pending' }).exec();
}

/** A fresh temporary directory for a database journal; the caller removes it. */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `polus-bench-${label}-`));
}

/** The bot with its database placed in-process or in a helper process; `close` stops both, once. */
export interface PlacedBot {
  target: BenchBot;
  dbProcess: Helper | undefined;
  close: () => Promise<void>;
}

/** Starts the bot with its database `db` (journal in `dataDir` either way). */
export async function startPlacedBot(options: {
  graphUrl: string;
  logLevel: BenchLogLevel;
  db: DbPlacement;
  dataDir: string;
  dbName: string;
  env?: Record<string, string>;
}): Promise<PlacedBot> {
  const { dataDir } = options;
  let dbProcess: Helper | undefined;
  let mongoUri: string | undefined;
  if (options.db === 'separate') {
    const started = await startDatabaseProcess(dataDir);
    dbProcess = started.helper;
    mongoUri = started.uri;
  }
  let target: BenchBot;
  try {
    target = await startBenchBot({
      graphUrl: options.graphUrl,
      logLevel: options.logLevel,
      ...(mongoUri ? { mongoUri } : { dataDir }),
      dbName: options.dbName,
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (err) {
    await dbProcess?.close();
    throw err;
  }
  let closed = false;
  return {
    target,
    dbProcess,
    close: async () => {
      if (closed) return;
      closed = true;
      await target.close();
      await dbProcess?.close();
    },
  };
}

/**
 * What a benchmark started and must stop whatever happens: cleanups (last first), then helper processes,
 * then temporary directories.
 */
export class Teardown {
  readonly helpers: Array<{ close(): Promise<void> }> = [];
  readonly cleanups: Array<() => Promise<void>> = [];
  private readonly dirs: string[] = [];

  /** A temporary directory removed at the end. */
  tempDir(label: string): string {
    const dir = tempDir(label);
    this.dirs.push(dir);
    return dir;
  }

  async run(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const helper of this.helpers) await helper.close().catch(() => undefined);
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
