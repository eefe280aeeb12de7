import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { startEmbeddedServer } from './embedded/index.js';
import type { EmbeddedServer } from './embedded/index.js';

export interface Database {
  readonly connection: Connection;
  /** Set when the embedded development database is running in this process. */
  readonly embedded: EmbeddedServer | undefined;
  close(): Promise<void>;
}

/**
 * Connects mongoose to MongoDB: the real one from MONGODB_URI, or, when that is unset, the embedded
 * MongoDB-compatible server started here with its journal in DATA_DIR.
 */
export async function connectDatabase(
  config: Config['mongo'],
  logger: Logger,
  options: { dbName?: string } = {},
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
  const connection = mongoose.createConnection(uri, {
    dbName: options.dbName ?? (config.uri ? undefined : 'polus'),
    serverSelectionTimeoutMS: 10_000,
  });
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
