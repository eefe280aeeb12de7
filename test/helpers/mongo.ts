import { randomBytes } from 'node:crypto';
import { startEmbeddedServer } from '../../src/db/embedded/index.js';
import type { EmbeddedServer } from '../../src/db/embedded/index.js';

export interface TestDatabase {
  /** Connection string without a database name: pass `dbName` to the client or to mongoose. */
  readonly uri: string;
  /** A database name unique to this test file run, so files can run in parallel against one server. */
  readonly dbName: string;
  /** 'real' when MONGODB_URI points at a real MongoDB, 'embedded' otherwise. */
  readonly kind: 'embedded' | 'real';
  close(): Promise<void>;
}

/**
 * Gives a test file a database: the real MongoDB named by MONGODB_URI when it is set, otherwise a fresh
 * memory-only embedded server on a random loopback port. Prints which one, so a run's output says what
 * it was checked against.
 */
export async function useTestDatabase(
  label: string,
  options: { ttlSweepIntervalMs?: number } = {},
): Promise<TestDatabase> {
  const dbName = `test_${label.replace(/[^a-zA-Z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const realUri = process.env.MONGODB_URI;
  if (realUri) {
    console.info(`[db] ${label}: running against real MongoDB (MONGODB_URI), database ${dbName}`);
    return { uri: realUri, dbName, kind: 'real', close: () => Promise.resolve() };
  }
  const server: EmbeddedServer = await startEmbeddedServer({ port: 0, ...options });
  console.info(`[db] ${label}: running against the embedded server at ${server.uri}`);
  return { uri: server.uri, dbName, kind: 'embedded', close: () => server.close() };
}
