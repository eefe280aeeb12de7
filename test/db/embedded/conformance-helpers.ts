/**
 * Small helpers shared by the conformance suites (test/db/embedded/conformance-*.test.ts). They only
 * look at what the official driver hands back, so the suites run unchanged against a real MongoDB.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { useTestDatabase } from '../../helpers/mongo.js';
import type { TestDatabase } from '../../helpers/mongo.js';

/** Resolves with whatever `promise` rejected with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to be rejected, but it succeeded');
}

/** The server error `promise` rejected with; fails the test unless it is a MongoServerError from the driver. */
export async function serverErrorOf(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

/**
 * Asserts the duplicate-key shape a real mongod returns for a single write:
 * `code 11000`, `keyPattern`, `keyValue`, and an errmsg like
 * `E11000 duplicate key error collection: <db>.<coll> index: <name> dup key: { ... }`.
 */
export function expectDuplicateKey(
  error: MongoServerError,
  expected: {
    namespace: string;
    indexName: string;
    keyPattern: Record<string, number>;
    keyValue: Record<string, unknown>;
  },
): void {
  expect(error.code).toBe(11000);
  expect(error.codeName ?? 'DuplicateKey').toBe('DuplicateKey');
  expect(error.errmsg).toMatch(/^E11000 duplicate key error/);
  expect(error.errmsg).toContain(`collection: ${expected.namespace} `);
  expect(error.errmsg).toContain(`index: ${expected.indexName} `);
  expect(error.errmsg).toContain('dup key:');
  expect(error.keyPattern).toEqual(expected.keyPattern);
  expect(error.keyValue).toEqual(expected.keyValue);
}

/** Polls `check` until it resolves true; throws with `what` when `timeoutMs` passes first. */
export async function waitUntil(
  check: () => Promise<boolean>,
  { timeoutMs, intervalMs = 100, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** 0, 1, …, n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A deterministic shuffle (so a failure reproduces), to insert documents out of their sort order. */
export function shuffled<T>(items: readonly T[], seed = 12345): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** A conformance suite's database: its own name, one driver client, dropped and closed after the file. */
export interface ConformanceDatabase {
  readonly testDb: TestDatabase;
  readonly client: MongoClient;
  readonly db: Db;
}

/**
 * Registers the suite's `beforeAll`/`afterAll`: a test database (the embedded server, or MONGODB_URI) and a
 * connected client. Read the fields inside tests and hooks only, once `beforeAll` has run.
 */
export function conformanceDatabase(
  label: string,
  options: { ttlSweepIntervalMs?: number } = {},
): ConformanceDatabase {
  let state: { testDb: TestDatabase; client: MongoClient; db: Db } | undefined;
  const ready = () => {
    if (!state) throw new Error(`${label}: the database is used before beforeAll ran`);
    return state;
  };
  beforeAll(async () => {
    const testDb = await useTestDatabase(label, options);
    const client = new MongoClient(testDb.uri);
    await client.connect();
    state = { testDb, client, db: client.db(testDb.dbName) };
  });
  afterAll(async () => {
    if (!state) return;
    await state.db.dropDatabase();
    await state.client.close();
    await state.testDb.close();
  });
  return {
    get testDb() {
      return ready().testDb;
    },
    get client() {
      return ready().client;
    },
    get db() {
      return ready().db;
    },
  };
}
