import mongoose from 'mongoose';
import type { ConnectOptions, Connection } from 'mongoose';
import type { Logger } from 'pino';
import { startEmbeddedServer } from './embedded/index.js';
import type { EmbeddedServer } from './embedded/index.js';

/**
 * How long a request that must answer now (the webhook's durable write, readiness, metrics) waits for a
 * database the driver reports unreachable. Past it the request answers 503: Meta retries the webhook, a load
 * balancer takes the instance out. Far below the driver's server selection timeout, which is what an
 * unreachable database otherwise costs every request.
 */
export const DATABASE_WAIT_MS = 1_500;

/**
 * The same wait while the driver reports the database reachable: a write that is only slow (a burst, a busy
 * machine) is not refused early, one that hangs (a network cut nobody noticed yet) still ends in a 503.
 */
export const SLOW_DATABASE_WAIT_MS = 8_000;

/** The wait for a request on `connection` now: short when the driver reports it unreachable. */
export function databaseWaitMs(connection: Connection): number {
  return connection.readyState === mongoose.ConnectionStates.connected
    ? SLOW_DATABASE_WAIT_MS
    : DATABASE_WAIT_MS;
}

/** The database did not answer within the wait given to `withinDatabaseWait`. */
export class DatabaseWaitError extends Error {
  override name = 'DatabaseWaitError';
}

/**
 * Settles like `operation`, or rejects with `DatabaseWaitError` after `ms`. The operation itself is not
 * cancelled: a write may still land after the caller gave up, so callers must be safe under that (the
 * webhook is: a stored message is picked up by the engine's sweep, and Meta's redelivery is a duplicate).
 */
export async function withinDatabaseWait<T>(operation: Promise<T>, ms = DATABASE_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseWaitError(`no answer from the database within ${ms} ms`)),
      ms,
    );
  });
  // A late failure of an operation already given up on must not become an unhandled rejection.
  operation.catch(() => undefined);
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long an operation waits for a reachable server before it fails (the driver's server selection, and
 * mongoose's buffering while it reconnects). Covers a replica set election on Atlas (usually seconds); the
 * engine retries what failed, and requests that must answer now wait only `DATABASE_WAIT_MS`.
 */
export const SERVER_SELECTION_TIMEOUT_MS = 10_000;

/**
 * How often the driver checks an unreachable server. Its default (10 s) adds up to that much to every
 * outage: mongoose holds operations back while disconnected, so nothing else makes the driver look sooner.
 * One small `hello` every 2 s is nothing for a real MongoDB.
 */
const HEARTBEAT_FREQUENCY_MS = 2_000;

export interface Database {
  readonly connection: Connection;
  /** Set when the embedded development database is running in this process. */
  readonly embedded: EmbeddedServer | undefined;
  close(): Promise<void>;
}

/**
 * Where the database is (Config['mongo'] fits it): the edge takes its settings, not the configuration, so
 * it depends on nothing above it.
 */
export interface DatabaseSettings {
  readonly uri: string | undefined;
  readonly dataDir: string;
  readonly embeddedPort: number;
}

/**
 * Connects mongoose to MongoDB: the real one from MONGODB_URI, or, when that is unset, the embedded
 * MongoDB-compatible server started here with its journal in DATA_DIR.
 */
export async function connectDatabase(
  config: DatabaseSettings,
  logger: Logger,
  options: { dbName?: string; serverSelectionTimeoutMs?: number } = {},
): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let uri = config.uri;
  if (!uri) {
    embedded = await startEmbeddedServer({ port: config.embeddedPort, dataDir: config.dataDir, logger });
    uri = embedded.uri;
    logger.warn(
      { uri: embedded.uri, dataDir: config.dataDir },
      'using the EMBEDDED development database (MongoDB-compatible, loopback only, no authentication); set MONGODB_URI to use a real MongoDB, which production requires',
    );
  }
  const selectionTimeoutMs = options.serverSelectionTimeoutMs ?? SERVER_SELECTION_TIMEOUT_MS;
  // `bufferTimeoutMS` is a connection option at runtime (mongoose's connection.js), missing from its types.
  const connectOptions: ConnectOptions & { bufferTimeoutMS: number } = {
    dbName: options.dbName ?? (config.uri ? undefined : 'polus'),
    serverSelectionTimeoutMS: selectionTimeoutMs,
    heartbeatFrequencyMS: HEARTBEAT_FREQUENCY_MS,
    bufferTimeoutMS: selectionTimeoutMs,
  };
  const connection = mongoose.createConnection(uri, connectOptions);
  try {
    await connection.asPromise();
  } catch (err) {
    await embedded?.close();
    throw err;
  }
  logger.info({ embedded: embedded !== undefined, db: connection.name }, 'database connected');
  return {
    connection,
    embedded,
    close: async () => {
      await connection.close();
      await embedded?.close();
    },
  };
}
