/**
 * Benchmarks the embedded MongoDB-compatible server through mongoose.
 *
 *   npx tsx scripts/bench-db.ts [--journal] [--sizes=1000,100000] [--ops=3000] [--concurrency=16]
 *
 * Memory-only by default; --journal puts the server on a temporary data directory so the durable path
 * (journal append before each reply) is measured too. For each collection size the collection is
 * pre-filled, then each operation runs a fixed number of times sequentially and with N in flight.
 * Prints a Markdown table for the README and whether per-operation cost stayed flat as the collection
 * grew (rate at the largest size / rate at the smallest).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { startEmbeddedServer } from '../src/db/embedded/index.js';
import { errorText, formatRate, percentile, stderrLog } from './bench/format.js';

export interface DbBenchOptions {
  /** Use a temporary data directory (journal) instead of a memory-only server. Default false. */
  journal?: boolean;
  /** Collection sizes to pre-fill before measuring. Default [1000, 100000]. */
  sizes?: number[];
  /** Operations per measurement. Default 3000. */
  ops?: number;
  /** Operations in flight for the concurrent variant. Default 16. */
  concurrency?: number;
  /** Documents per insertMany while pre-filling. Default 1000. */
  batchSize?: number;
  /** Progress output; defaults to stderr so stdout carries only the report. */
  log?: (line: string) => void;
}

export type BenchOperation =
  'insertOne' | 'findOne (lean, unique key)' | 'findOneAndUpdate $inc (unique key)';

export interface DbBenchRow {
  size: number;
  operation: BenchOperation;
  mode: 'sequential' | 'concurrent';
  /** In-flight operations: 1 for sequential. */
  concurrency: number;
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DbBenchResult {
  journal: boolean;
  rows: DbBenchRow[];
  /** rate at the largest size / rate at the smallest size, per operation and mode. */
  ratios: Array<{ operation: BenchOperation; mode: DbBenchRow['mode']; ratio: number }>;
  /** True when every ratio is at least FLAT_THRESHOLD. */
  flat: boolean;
  markdown: string;
  summary: string;
}

/** A rate that drops by less than half from the smallest to the largest size counts as flat. */
export const FLAT_THRESHOLD = 0.5;

interface BenchDoc {
  key: string;
  n: number;
  name: string;
  tags: string[];
}

const benchSchema = new mongoose.Schema<BenchDoc>(
  {
    key: { type: String, required: true, unique: true },
    n: { type: Number, required: true },
    name: { type: String, required: true },
    tags: { type: [String], default: [] },
  },
  { versionKey: false },
);

/** Runs `op(i)` for i in [0, total) with `concurrency` in flight; returns ops/s and latency percentiles. */
async function measure(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ opsPerSec: number; p50Ms: number; p99Ms: number }> {
  const latencies = new Array<number>(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const t0 = process.hrtime.bigint();
      await op(i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    opsPerSec: total / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

function makeDoc(key: string, n: number): BenchDoc {
  return { key, n, name: `customer ${n}`, tags: ['bench', n % 2 === 0 ? 'even' : 'odd'] };
}

async function prefill(
  model: Model<BenchDoc>,
  size: number,
  batchSize: number,
  log: (l: string) => void,
): Promise<void> {
  const started = Date.now();
  let lastReport = 0;
  for (let done = 0; done < size;) {
    const count = Math.min(batchSize, size - done);
    const docs = Array.from({ length: count }, (_, i) => makeDoc(`k${done + i}`, done + i));
    await model.collection.insertMany(docs, { ordered: true });
    done += count;
    if (done === size || Date.now() - lastReport > 1000) {
      lastReport = Date.now();
      log(`  pre-fill ${size}: ${done}/${size} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
}

/** Two decimals at any size (unlike `formatMs` of the other sections): database latencies are small. */
function formatMs(n: number): string {
  return n < 1 ? n.toFixed(3) : n.toFixed(2);
}

async function freshModel(
  connection: Connection,
  name: string,
  collection: string,
): Promise<Model<BenchDoc>> {
  const model = connection.model<BenchDoc>(name, benchSchema, collection);
  await model.collection.drop().catch(() => undefined);
  await model.createCollection();
  await model.syncIndexes();
  return model;
}

interface BenchStep {
  operation: BenchOperation;
  run: (i: number) => Promise<unknown>;
}

/** The measured operations against a collection pre-filled with keys k0..k(size-1). */
function benchOperations(model: Model<BenchDoc>, size: number, tag: string): BenchStep[] {
  // Keys for reads/updates are spread over the pre-filled range with a fixed stride, so both small and
  // large collections are touched across their whole extent.
  const existingKey = (i: number): string => `k${(i * 7919) % size}`;
  let insertSerial = 0;
  return [
    {
      operation: 'insertOne',
      run: () => {
        insertSerial += 1;
        return model.create(makeDoc(`new-${tag}-${insertSerial}`, insertSerial));
      },
    },
    {
      operation: 'findOne (lean, unique key)',
      run: async (i) => {
        const doc = await model.findOne({ key: existingKey(i) }).lean();
        if (!doc) throw new Error(`findOne: ${existingKey(i)} not found`);
      },
    },
    {
      operation: 'findOneAndUpdate $inc (unique key)',
      run: async (i) => {
        const doc = await model
          .findOneAndUpdate({ key: existingKey(i) }, { $inc: { n: 1 } }, { returnDocument: 'after' })
          .lean();
        if (!doc) throw new Error(`findOneAndUpdate: ${existingKey(i)} not found`);
      },
    },
  ];
}

export async function runDbBench(options: DbBenchOptions = {}): Promise<DbBenchResult> {
  const journal = options.journal ?? false;
  const sizes = options.sizes ?? [1000, 100_000];
  const ops = options.ops ?? 3000;
  const concurrency = options.concurrency ?? 16;
  const batchSize = options.batchSize ?? 1000;
  const log = options.log ?? stderrLog;

  const dataDir = journal ? fs.mkdtempSync(path.join(os.tmpdir(), 'polus-bench-')) : undefined;
  const server = await startEmbeddedServer({ host: '127.0.0.1', port: 0, ...(dataDir ? { dataDir } : {}) });
  let connection: Connection | undefined;
  const rows: DbBenchRow[] = [];
  try {
    log(`embedded server at ${server.uri} (${journal ? `journal in ${dataDir}` : 'memory only'})`);
    connection = await mongoose
      .createConnection(server.uri, { dbName: 'bench', autoIndex: false })
      .asPromise();

    // Warm-up on a throwaway collection: JIT, connection-pool growth and the server's first allocations
    // are not billed to the first measured size.
    const warmModel = await freshModel(connection, 'BenchWarmup', 'bench_warmup');
    await prefill(warmModel, 1000, batchSize, () => undefined);
    for (const { run } of benchOperations(warmModel, 1000, 'warm')) {
      await measure(Math.min(1000, ops), 1, run);
      await measure(Math.min(1000, ops), concurrency, run);
    }
    await warmModel.collection.drop();
    log('warm-up done');

    for (const size of sizes) {
      const model = await freshModel(connection, `Bench${size}`, `bench_${size}`);
      log(`size ${size.toLocaleString('en-US')}:`);
      await prefill(model, size, batchSize, log);
      const operations = benchOperations(model, size, String(size));

      for (const { operation, run } of operations) {
        for (const mode of ['sequential', 'concurrent'] as const) {
          const inFlight = mode === 'sequential' ? 1 : concurrency;
          await measure(Math.min(100, ops), inFlight, run);
          const m = await measure(ops, inFlight, run);
          rows.push({ size, operation, mode, concurrency: inFlight, ops, ...m });
          log(
            `  ${operation} ${mode}${mode === 'concurrent' ? ` x${inFlight}` : ''}: ${formatRate(m.opsPerSec)} ops/s, ` +
              `p50 ${formatMs(m.p50Ms)} ms, p99 ${formatMs(m.p99Ms)} ms`,
          );
        }
      }
      const count = await model.estimatedDocumentCount();
      log(`  collection now holds ${count.toLocaleString('en-US')} documents`);
    }
  } finally {
    await connection?.close();
    await server.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  const ratios: DbBenchResult['ratios'] = [];
  for (const row of rows.filter((r) => r.size === largest)) {
    const base = rows.find(
      (r) => r.size === smallest && r.operation === row.operation && r.mode === row.mode,
    );
    if (base && smallest !== largest) {
      ratios.push({ operation: row.operation, mode: row.mode, ratio: row.opsPerSec / base.opsPerSec });
    }
  }
  const flat = ratios.every((r) => r.ratio >= FLAT_THRESHOLD);

  const lines = [
    `Embedded server, ${journal ? 'journal on (durable path)' : 'memory only'}, mongoose ${mongoose.version}, ` +
      `Node ${process.version}, ${ops.toLocaleString('en-US')} ops per row, concurrent = ${concurrency} in flight`,
    '',
    '| size | operation | ops/s | p50 ms | p99 ms |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.size.toLocaleString('en-US')} | ${r.operation}${r.mode === 'concurrent' ? ` (${r.concurrency} in flight)` : ''} ` +
        `| ${formatRate(r.opsPerSec)} | ${formatMs(r.p50Ms)} | ${formatMs(r.p99Ms)} |`,
    ),
  ];
  const markdown = lines.join('\n');
  const summary =
    ratios.length === 0
      ? 'Cost flatness: needs at least two sizes.'
      : `Cost stayed flat from ${smallest.toLocaleString('en-US')} to ${largest.toLocaleString('en-US')} documents: ` +
        `${flat ? 'yes' : 'no'} (ops/s ratio ${largest.toLocaleString('en-US')}/${smallest.toLocaleString('en-US')}, ` +
        `flat means ≥ ${FLAT_THRESHOLD}: ` +
        ratios
          .map((r) => `${r.operation}${r.mode === 'concurrent' ? ' concurrent' : ''} ${r.ratio.toFixed(2)}`)
          .join(', ') +
        ')';
  return { journal, rows, ratios, flat, markdown, summary };
}

function parseArgs(argv: string[]): DbBenchOptions {
  const options: DbBenchOptions = {};
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--journal') options.journal = true;
    else if (flag === '--sizes' && value)
      options.sizes = value.split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (flag === '--ops' && value) options.ops = Number(value);
    else if (flag === '--concurrency' && value) options.concurrency = Number(value);
    else if (flag === '--batch' && value) options.batchSize = Number(value);
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(
        'usage: npx tsx scripts/bench-db.ts [--journal] [--sizes=1000,100000] [--ops=3000] [--concurrency=16] [--batch=1000]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  for (const n of [...(options.sizes ?? []), options.ops, options.concurrency, options.batchSize]) {
    if (n !== undefined && (!Number.isInteger(n) || n <= 0)) throw new Error(`not a positive integer: ${n}`);
  }
  return options;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runDbBench(parseArgs(process.argv.slice(2)))
    .then((result) => {
      process.stdout.write(`${result.markdown}\n\n${result.summary}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench-db failed: ${errorText(err)}\n`);
      process.exitCode = 1;
    });
}
