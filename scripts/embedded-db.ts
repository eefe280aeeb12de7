/**
 * Runs the embedded MongoDB-compatible server on its own, for any MongoDB client (mongosh, Compass,
 * the driver): `npm run db`. Port from EMBEDDED_DB_PORT (default 27017), journal in DATA_DIR (default .data).
 */
import 'dotenv/config';
import { startEmbeddedServer } from '../src/db/embedded/index.js';
import { createLogger } from '../src/log.js';

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
const port = Number(process.env.EMBEDDED_DB_PORT || 27017);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  logger.fatal({ value: process.env.EMBEDDED_DB_PORT }, 'EMBEDDED_DB_PORT must be a port number');
  process.exit(1);
}
const dataDir = process.env.DATA_DIR || '.data';

const server = await startEmbeddedServer({ port, dataDir, logger });
logger.info(
  { uri: server.uri, dataDir },
  'embedded MongoDB-compatible server listening (loopback only, no authentication)',
);

const stop = (signal: string) => {
  logger.info({ signal }, 'stopping embedded server');
  server
    .close()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      logger.error({ err }, 'error while stopping');
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
