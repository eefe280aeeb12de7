/**
 * Child process for test/e2e/engine-crash.test.ts: the whole bot (`startBot`) in its own process, so the
 * test can SIGKILL it mid-work and start another on the same data.
 *
 *   node --import tsx test/helpers/engine-child.ts --data-dir <dir> --graph <url> [--lease-ms <n>] [--db-name <name>]
 *     [--grace-ms <n>]
 *
 * The database is the embedded server with its journal in <dir> (state survives the kill), or the real
 * MongoDB named by MONGODB_URI when that is set. The bot listens on a random port with the test secrets of
 * test/helpers/bot.ts and sends to the Graph API at <url>. When it is ready it prints one line on stdout:
 *
 *   ready <bot url> <database uri>
 *
 * Logs (pino JSON) go to stderr. SIGTERM closes the bot cleanly; the end of stdin (the parent died) or
 * 60 s without being stopped ends the process.
 */
import { parseArgs } from 'node:util';
import { startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import {
  TEST_ACCESS_TOKEN,
  TEST_ADMIN_TOKEN,
  TEST_APP_SECRET,
  TEST_DATA_KEY,
  TEST_PEPPER,
  TEST_VERIFY_TOKEN,
} from './bot.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      graph: { type: 'string' },
      'lease-ms': { type: 'string', default: '1000' },
      'db-name': { type: 'string', default: 'engine_crash' },
      'grace-ms': { type: 'string', default: '1000' },
    },
  });
  const dataDir = values['data-dir'];
  const graph = values.graph;
  if (!dataDir || !graph) throw new Error('usage: engine-child.ts --data-dir <dir> --graph <url>');

  setTimeout(() => process.exit(3), 60_000).unref();
  process.stdin.on('end', () => process.exit(4));
  process.stdin.resume();

  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'info',
    MONGODB_URI: process.env.MONGODB_URI ?? '',
    DATA_DIR: dataDir,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    WHATSAPP_API_BASE_URL: graph,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PRIVACY_PEPPER: TEST_PEPPER,
    DATA_ENCRYPTION_KEY: TEST_DATA_KEY,
  });
  const logger = createLogger({ level: config.logLevel }, process.stderr);
  const bot = await startBot(config, logger, {
    dbName: values['db-name'],
    leaseMs: Number(values['lease-ms']),
    sweepIntervalMs: 200,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    // A reply left `sending` by the killed process waits this long for a status webhook before a re-send.
    outboxRetry: { graceMs: Number(values['grace-ms']), baseMs: 50, maxMs: 500 },
  });
  const databaseUri = bot.database.embedded?.uri ?? config.mongo.uri ?? '';
  process.stdout.write(`ready ${bot.url} ${databaseUri}\n`);
  process.once('SIGTERM', () => {
    bot.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `engine-child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(2);
});
