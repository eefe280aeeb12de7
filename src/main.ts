import 'dotenv/config';
import { startBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import type { Config } from './config.js';
import { loadOrCreateDevSecrets } from './dev-secrets.js';
import { createLogger } from './log.js';

/** Whether a listening host is reachable only from this machine. */
function isLoopback(host: string | undefined): boolean {
  return host === 'localhost' || host === '::1' || (host?.startsWith('127.') ?? false);
}

/** Composition root: configuration → logger → bot; process signals end it cleanly. */
async function main(): Promise<void> {
  let config: Config;
  let secretsFile: string | undefined;
  try {
    const production = process.env.NODE_ENV === 'production';
    const dev = production ? undefined : loadOrCreateDevSecrets(process.env.DATA_DIR || '.data');
    secretsFile = dev?.file;
    config = loadConfig(process.env, dev?.secrets);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`polus-bot cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });
  if (config.generatedSecrets.length > 0) {
    logger.warn(
      { generated: config.generatedSecrets, file: secretsFile },
      'development secrets generated for unset variables (never in production); their values are in the file named here',
    );
  }

  const bot = await startBot(config, logger, { seedDemo: config.env === 'development' });
  logger.info(
    { url: bot.url, host: config.host ?? 'all interfaces', env: config.env },
    'polus-bot listening',
  );
  if (config.simulator.enabled && !isLoopback(config.host)) {
    logger.warn(
      { host: config.host ?? 'all interfaces' },
      'the simulator has no sign-in and this server listens beyond loopback: anyone who reaches it can use it',
    );
  }
  if (config.simulator.enabled) {
    // Plain stdout, above the JSON log lines: the one thing a new user needs after `npm run dev`.
    console.log(`\nSimulator: ${bot.url}/   (terminal: npm run chat)\n`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing messages in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    bot
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
