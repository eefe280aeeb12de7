import 'dotenv/config';
import { startBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import type { Config } from './config.js';
import { loadOrCreateDevSecrets } from './dev-secrets.js';
import { createLogger } from './log.js';
import type { LogFormat } from './log.js';
import { startupBanner } from './banner.js';

/** Whether a listening host is reachable only from this machine. */
function isLoopback(host: string | undefined): boolean {
  return host === 'localhost' || host === '::1' || (host?.startsWith('127.') ?? false);
}

/**
 * JSON in production, always (log collectors read it). Elsewhere readable lines through pino-pretty unless
 * LOG_PRETTY is `0`/`false` (to pipe JSON into a tool); tests pass their own destination and keep JSON.
 */
function logFormat(production: boolean, setting: string | undefined): LogFormat {
  if (production) return 'json';
  return /^(0|false|off|no)$/i.test(setting ?? '') ? 'json' : 'pretty';
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
  const format = logFormat(config.env === 'production', process.env.LOG_PRETTY);
  const logger = createLogger({ level: config.logLevel, format });
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
  if (config.env !== 'production') {
    // Plain stdout, among the log lines: what a new user needs after `npm run dev`. Names the secrets file
    // and `npm run token`, never a secret; never printed in production.
    const port = new URL(bot.url).port;
    // Every interface includes loopback: `localhost` is the address a browser on this machine opens.
    const local =
      config.host === undefined ||
      config.host === '0.0.0.0' ||
      config.host === '::' ||
      isLoopback(config.host);
    const banner = startupBanner({
      url: local ? `http://localhost:${port}` : bot.url,
      simulator: config.simulator.enabled,
      secretsFile,
      adminTokenGenerated: config.generatedSecrets.includes('ADMIN_TOKEN'),
      cwd: process.cwd(),
    });
    // After the start-up lines have reached the terminal (pretty logs are written by a worker thread);
    // on stderr when stdout carries JSON lines, so a tool reading them meets no plain text.
    logger.flush(() => (format === 'pretty' ? console.log : console.error)(banner));
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
