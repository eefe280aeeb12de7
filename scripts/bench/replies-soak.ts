/**
 * The replies benchmark's memory run (c): a longer open-loop run on a fresh bot, with the bot's heap (and
 * the database process's) read after a full GC every few seconds, and whether it stayed flat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PlacedBot, Teardown } from './bench-bot.js';
import { BOUND_FRACTION, BOUND_MIN_BYTES } from './fixture.js';
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { formatMb, formatRate, slope } from './format.js';
import { exposeGc } from './helper.js';
import { clock } from './open-loop.js';
import { runStep, startTarget } from './replies-step.js';
import type { Rig, StepResult } from './replies-step.js';

/** One reading of the memory run. */
export interface SoakSample {
  /** Seconds since the measured run started. */
  t: number;
  heapAfterGc: number;
  rss: number;
  dbHeapAfterGc: number | undefined;
  /** Replies sent since the run started (the bot's counter) and messages offered by then. */
  replies: number;
  offered: number;
  backlogInMemory: number;
}

/** What the memory run found: the samples, heap start → mid → end, slope, and whether it stayed flat. */
export interface SoakResult {
  rate: number;
  rateReason: string;
  db: DbPlacement;
  /** On a fresh bot (false: on the bot of the offered-rate sweep, quick mode). */
  fresh: boolean;
  step: StepResult;
  samples: SoakSample[];
  gc: boolean;
  heap: { start: number; mid: number; end: number };
  dbHeap: { start: number; mid: number; end: number } | undefined;
  /** Least-squares slope of the heap after GC over the run, MB per minute. */
  slopeMbPerMin: number;
  flat: boolean;
  flatReason: string;
}

/** Runs (c) on a fresh bot: warm-up, then the measured run with heap samples alongside. */
export async function runSoak(context: {
  rig: Rig;
  rate: number;
  rateReason: string;
  seconds: number;
  sampleSeconds: number;
  warmupSeconds: number;
  db: DbPlacement;
  logLevel: BenchLogLevel;
  teardown: Teardown;
  /** A bot already running to soak (quick mode: the sweep's bot); default a fresh one, closed afterwards. */
  bot?: PlacedBot;
}): Promise<SoakResult> {
  const { rig, rate, seconds, sampleSeconds, db, log } = { ...context, log: context.rig.log };
  const collect = exposeGc();
  const soak = context.bot ?? (await startTarget(rig, db, 'soak', context.logLevel, context.teardown));
  if (!context.bot) context.teardown.cleanups.push(soak.close);
  const { target, dbProcess } = soak;
  log(
    `(c) memory: ${seconds} s at ${formatRate(rate)} msgs/s (${context.rateReason}), database ${db}, ` +
      (context.bot ? 'the same bot as (a), no warm-up' : `a fresh bot; warm-up ${context.warmupSeconds} s`),
  );
  if (!context.bot && context.warmupSeconds > 0) {
    await runStep(rig, soak, 'soak warm-up', rate, context.warmupSeconds);
  }

  const sentBefore = target.bot.counters.get('outbox.sent');
  const sample = async (t: number): Promise<SoakSample> => {
    collect?.();
    const { heapUsed, rss } = process.memoryUsage();
    const dbHeapAfterGc = dbProcess ? (await dbProcess.memory(true)).heapUsed : undefined;
    return {
      t,
      heapAfterGc: heapUsed,
      rss,
      dbHeapAfterGc,
      replies: target.bot.counters.get('outbox.sent') - sentBefore,
      offered: Math.min(Math.round(rate * seconds), Math.floor(rate * t)),
      backlogInMemory: target.bot.engine.backlog,
    };
  };
  const samples: SoakSample[] = [await sample(0)];
  const step = await runStep(rig, soak, 'soak', rate, seconds, async (startLocal) => {
    for (let k = 1; k * sampleSeconds <= seconds; k += 1) {
      await sleep(Math.max(0, startLocal + k * sampleSeconds * 1000 - clock()));
      samples.push(await sample(k * sampleSeconds));
      log(
        `  soak t=${k * sampleSeconds} s: heap after GC ${formatMb(samples[samples.length - 1]?.heapAfterGc ?? 0)} MB`,
      );
    }
  });
  if (!context.bot) await soak.close();

  const at = (t: number): SoakSample | undefined =>
    samples.reduce<SoakSample | undefined>(
      (best, s) => (best === undefined || Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best),
      undefined,
    );
  const first = samples[0];
  const mid = at(seconds / 2);
  const last = samples[samples.length - 1];
  const heap = { start: first?.heapAfterGc ?? 0, mid: mid?.heapAfterGc ?? 0, end: last?.heapAfterGc ?? 0 };
  const dbHeap =
    first?.dbHeapAfterGc !== undefined &&
    mid?.dbHeapAfterGc !== undefined &&
    last?.dbHeapAfterGc !== undefined
      ? { start: first.dbHeapAfterGc, mid: mid.dbHeapAfterGc, end: last.dbHeapAfterGc }
      : undefined;
  const slopeMbPerMin = slope(samples.map((s) => [s.t / 60, s.heapAfterGc / (1024 * 1024)]));
  const bound = Math.max(BOUND_MIN_BYTES, BOUND_FRACTION * heap.start);
  const whole = heap.end - heap.start;
  const secondHalf = heap.end - heap.mid;
  const flat = collect !== undefined && whole <= bound && secondHalf <= bound;
  const flatReason = collect
    ? `the bot's heap after a full GC went ${formatMb(heap.start)} → ${formatMb(heap.mid)} → ` +
      `${formatMb(heap.end)} MB (start → mid → end: ${formatMb(whole, true)} MB over the run, ` +
      `${formatMb(secondHalf, true)} MB over the second half; bound ${formatMb(bound)} MB = ` +
      `max(${formatMb(BOUND_MIN_BYTES)} MB, ${BOUND_FRACTION * 100}% of the starting heap); least-squares ` +
      `slope ${slopeMbPerMin >= 0 ? '+' : ''}${slopeMbPerMin.toFixed(2)} MB/min)`
    : 'no GC access, so no heap figure after a full GC';
  log(`  soak: ${flat ? 'flat' : 'NOT flat'}: ${flatReason}`);
  return {
    rate,
    rateReason: context.rateReason,
    db,
    fresh: !context.bot,
    step,
    samples,
    gc: collect !== undefined,
    heap,
    dbHeap,
    slopeMbPerMin,
    flat,
    flatReason,
  };
}
