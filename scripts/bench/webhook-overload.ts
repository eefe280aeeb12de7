/**
 * The webhook benchmark's overload run: the Graph stand-in answers slowly, so the conversation engine falls
 * far behind intake; memory is sampled every second and the run reports whether the bot's heap stayed
 * bounded while the backlog grew in the database.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pendingInDb, startPlacedBot } from './bench-bot.js';
import type { Teardown } from './bench-bot.js';
import { measureTarget } from './closed-loop.js';
import type { LoadClient, LoadSpec, LoadStats } from './closed-loop.js';
import { BOUND_FRACTION, BOUND_MIN_BYTES } from './fixture.js';
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { formatMb } from './format.js';
import { Helper, exposeGc } from './helper.js';

/** Where the embedded database runs during the overload run. */
export type OverloadDb = DbPlacement;

/** One second of the overload run: the bot's memory, backlog and acks (database figures every 5 s). */
export interface MemorySample {
  /** Seconds since the load started (warm-up included). */
  t: number;
  phase: 'before load' | 'warm-up' | 'building requests' | 'measuring' | 'after load';
  rss: number;
  heapUsed: number;
  backlogInMemory: number;
  /** 200s received by the load generator so far in the measured window. */
  acks: number;
  pendingInDb?: number;
  dbHeapUsed?: number;
}

/** What the overload run found: samples, peaks, heap after GC at three checkpoints, and the verdict. */
export interface OverloadResult {
  seconds: number;
  graphDelayMs: number;
  db: OverloadDb;
  stats: LoadStats;
  samples: MemorySample[];
  rss: { start: number; peak: number; end: number };
  heapUsed: { start: number; peak: number; end: number };
  /**
   * Heap after a forced full GC: before the load, halfway through the window, after the load; undefined
   * without GC access.
   */
  heapAfterGc: { start: number; mid: number; end: number } | undefined;
  /** The database process's heap after GC at the same points (separate database only). */
  dbHeapAfterGc: { start: number; mid: number; end: number } | undefined;
  backlogInMemoryPeak: number;
  pendingInDbMid: number;
  pendingInDbAtEnd: number;
  processed: number;
  /** Retained bot-heap growth from mid-window to the end, per inbox entry that became pending meanwhile. */
  bytesPerNewPendingEntry: number | undefined;
  bounded: boolean;
  boundedReason: string;
}

/** Runs the overload: a slow Graph stand-in, a fresh bot, memory sampled every second. */
export async function runOverload(context: {
  client: LoadClient;
  spec: LoadSpec;
  graphDelayMs: number;
  logLevel: BenchLogLevel;
  db: OverloadDb;
  log: (line: string) => void;
  teardown: Teardown;
}): Promise<OverloadResult> {
  const { client, graphDelayMs, logLevel, db, log, teardown } = context;
  const collect = exposeGc();
  const { helper: slowGraph, address: slowGraphUrl } = await Helper.start('graph', [
    `--delay-ms=${graphDelayMs}`,
  ]);
  teardown.helpers.push(slowGraph);
  const placed = await startPlacedBot({
    graphUrl: slowGraphUrl,
    logLevel,
    db,
    dataDir: teardown.tempDir('overload'),
    dbName: 'polus_overload',
  });
  teardown.cleanups.push(placed.close);
  const { bot } = placed.target;
  const dbHelper = placed.dbProcess;

  const afterGc = async (): Promise<{ bot: number; db: number | undefined }> => {
    collect?.();
    const botHeap = process.memoryUsage().heapUsed;
    const dbHeap = dbHelper ? (await dbHelper.memory(true)).heapUsed : undefined;
    return { bot: botHeap, db: dbHeap };
  };

  log(
    `overload: ${context.spec.durationMs / 1000} s, Graph stand-in answering in ${graphDelayMs} ms, ` +
      `database ${db === 'separate' ? 'in its own process' : 'in-process'}`,
  );
  const gcStart = await afterGc();
  const samples: MemorySample[] = [];
  let phase: MemorySample['phase'] = 'before load';
  let acks = 0;
  let backlogPeak = bot.engine.backlog;
  let loadStarted = performance.now();
  let measureStarted = 0;
  let gcMid: { bot: number; db: number | undefined } | undefined;
  let pendingMid = 0;
  const sentAtStart = bot.counters.get('outbox.sent');

  const sample = async (): Promise<void> => {
    const { rss, heapUsed } = process.memoryUsage();
    const t = Math.round((performance.now() - loadStarted) / 1000);
    const detailed = samples.length % 5 === 0 || phase !== 'measuring';
    const entry: MemorySample = {
      t,
      phase,
      rss,
      heapUsed,
      backlogInMemory: bot.engine.backlog,
      acks,
    };
    if (detailed) {
      entry.pendingInDb = await pendingInDb(bot);
      if (dbHelper) entry.dbHeapUsed = (await dbHelper.memory(false)).heapUsed;
    }
    samples.push(entry);
  };
  await sample();

  const backlogTimer = setInterval(() => {
    backlogPeak = Math.max(backlogPeak, bot.engine.backlog);
  }, 100);
  let sampling = true;
  const sampler = (async () => {
    let tick = 1;
    while (sampling) {
      await sleep(Math.max(0, loadStarted + tick * 1000 - performance.now()));
      if (!sampling) break;
      await sample();
      tick += 1;
      if (!gcMid && measureStarted > 0 && performance.now() - measureStarted >= context.spec.durationMs / 2) {
        pendingMid = await pendingInDb(bot);
        gcMid = await afterGc();
      }
    }
  })();
  let stats: LoadStats;
  try {
    loadStarted = performance.now();
    phase = 'warm-up';
    stats = await measureTarget(client, { ...context.spec, port: bot.port }, log, {
      onPhase: (p) => {
        if (p === 'building') phase = 'building requests';
        if (p === 'measuring') {
          phase = 'measuring';
          measureStarted = performance.now();
        }
        if (p === 'draining') phase = 'after load';
      },
      onProgress: (ok) => {
        acks = ok;
      },
    });
  } finally {
    sampling = false;
    clearInterval(backlogTimer);
  }
  await sampler;
  acks = stats.ok;
  phase = 'after load';
  await sample();
  const pendingEnd = await pendingInDb(bot);
  const gcEnd = await afterGc();
  const processed = bot.counters.get('outbox.sent') - sentAtStart;
  await placed.close();
  await slowGraph.close();

  const heapAfterGc = collect && gcMid ? { start: gcStart.bot, mid: gcMid.bot, end: gcEnd.bot } : undefined;
  const dbHeapAfterGc =
    collect && gcMid && gcStart.db !== undefined && gcMid.db !== undefined && gcEnd.db !== undefined
      ? { start: gcStart.db, mid: gcMid.db, end: gcEnd.db }
      : undefined;
  const peak = (pick: (s: MemorySample) => number): number => Math.max(...samples.map(pick));
  const first = samples[0];
  const last = samples[samples.length - 1];
  const newPending = pendingEnd - pendingMid;
  const bytesPerNewPendingEntry =
    heapAfterGc && newPending > 0 ? (heapAfterGc.end - heapAfterGc.mid) / newPending : undefined;

  let bounded: boolean;
  let boundedReason: string;
  if (heapAfterGc) {
    const growth = heapAfterGc.end - heapAfterGc.mid;
    const allowed = Math.max(BOUND_MIN_BYTES, BOUND_FRACTION * heapAfterGc.mid);
    bounded = growth <= allowed;
    boundedReason =
      `heap after GC grew ${formatMb(growth, true)} MB over the second half of the window ` +
      `(bound ${formatMb(allowed)} MB = max(${formatMb(BOUND_MIN_BYTES)} MB, ${BOUND_FRACTION * 100}% of the mid-window heap)) ` +
      `while ${newPending.toLocaleString('en-US')} more entries became pending`;
  } else {
    const measured = samples.filter((s) => s.phase === 'measuring');
    const half = Math.floor(measured.length / 2);
    const firstHalf = Math.max(...measured.slice(0, half).map((s) => s.heapUsed));
    const secondHalf = Math.max(...measured.slice(half).map((s) => s.heapUsed));
    bounded = secondHalf <= firstHalf * (1 + BOUND_FRACTION) + BOUND_MIN_BYTES;
    boundedReason = `no GC access; peak heapUsed ${formatMb(firstHalf)} MB in the first half, ${formatMb(secondHalf)} MB in the second`;
  }
  log(`  overload: ${bounded ? 'bounded' : 'NOT bounded'}: ${boundedReason}`);

  return {
    seconds: context.spec.durationMs / 1000,
    graphDelayMs,
    db,
    stats,
    samples,
    rss: { start: first?.rss ?? 0, peak: peak((s) => s.rss), end: last?.rss ?? 0 },
    heapUsed: { start: first?.heapUsed ?? 0, peak: peak((s) => s.heapUsed), end: last?.heapUsed ?? 0 },
    heapAfterGc,
    dbHeapAfterGc,
    backlogInMemoryPeak: backlogPeak,
    pendingInDbMid: pendingMid,
    pendingInDbAtEnd: pendingEnd,
    processed,
    bytesPerNewPendingEntry,
    bounded,
    boundedReason,
  };
}
