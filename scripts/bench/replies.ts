/**
 * The replies benchmark, end to end: inbound signed webhook → reply received by the loopback Graph API.
 * (a) increasing offered rates, (b) latency at the half rate, (c) memory over a longer run
 * (`replies-soak.ts`). Usage and the process layout in `scripts/bench-replies.ts`.
 */
import os from 'node:os';
import { numberFlag, parseFlags } from './args.js';
import { Teardown } from './bench-bot.js';
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { formatRate, stderrLog } from './format.js';
import { startRepliesHelper } from './open-loop.js';
import { TARGET_P99_MS, TARGET_REPLIES_PER_SEC, render, renderSummary } from './replies-report.js';
import { runSoak } from './replies-soak.js';
import type { SoakResult } from './replies-soak.js';
import { formatOffset, measureOffset, roundRate, runStep, startTarget } from './replies-step.js';
import type { LatencyRun, Rig, StepResult } from './replies-step.js';

export type { LatencyRun, StepResult } from './replies-step.js';
export type { SoakResult, SoakSample } from './replies-soak.js';
export { TARGET_P99_MS, TARGET_REPLIES_PER_SEC } from './replies-report.js';

/** Where the embedded database runs during the replies benchmark. */
export type RepliesDb = DbPlacement;

/** What the replies section measures and for how long (every field has a default). */
export interface RepliesBenchOptions {
  /** Measured seconds per offered rate in (a). Default 5. */
  seconds?: number;
  /** Unmeasured seconds at the first rate before (a), and at the soak rate before (c). Default 3. */
  warmupSeconds?: number;
  /** Offered rates for (a), messages per second, ascending. Default 100, then 200…1200 in steps of 200. */
  rates?: number[];
  /**
   * Skip the remaining rates once two in a row have fallen behind (each overloaded rate leaves a backlog
   * that takes a while to drain). Default false: every rate runs.
   */
  stopEarly?: boolean;
  /** Measured seconds per latency run in (b); 0 skips it. Default 10. */
  latencySeconds?: number;
  /** Length of the memory run (c); 0 skips it. Default 60. */
  soakSeconds?: number;
  /** Offered rate for (c). Default 70% of the maximum sustained rate. */
  soakRate?: number;
  /** Heap sampling interval in (c). Default 5 s. */
  sampleSeconds?: number;
  /** Keep-alive connections the load generator may use; a message waits only if all are busy. Default 100. */
  connections?: number;
  /**
   * Where the embedded database runs. Default `separate`: its own process, as a real MongoDB would be, so
   * the bot's heap in (c) is the bot's own (the embedded database keeps every document in memory; in-process,
   * the stored messages are part of the bot's heap, which then grows with them by design).
   */
  db?: RepliesDb;
  /** The bot's log level (logs go to a null sink either way). Default 'warn'. */
  logLevel?: BenchLogLevel;
  /** Progress output; defaults to stderr so stdout carries only the report. */
  log?: (line: string) => void;
}

/** Everything the replies section found, and its Markdown. */
export interface RepliesBenchResult {
  steps: StepResult[];
  /** Rates of (a) not run because two lower ones in a row fell behind. */
  skippedRates: number[];
  /** The highest offered rate whose replies kept up; undefined if none did. */
  maxSustained: number | undefined;
  latency: LatencyRun[];
  soak: SoakResult | undefined;
  targets: { throughput: boolean; latency: boolean; memory: boolean | undefined };
  markdown: string;
  summary: string;
}

const TARGET_LATENCY_RATE = TARGET_REPLIES_PER_SEC / 2;
/** The soak runs at this share of the maximum sustained rate. */
const SOAK_FRACTION = 0.7;

/** Runs (a), (b) and (c) with one set of helpers; figures and Markdown. */
export async function runRepliesBench(options: RepliesBenchOptions = {}): Promise<RepliesBenchResult> {
  const seconds = options.seconds ?? 5;
  const warmupSeconds = options.warmupSeconds ?? 3;
  const rates = [...(options.rates ?? [100, 200, 400, 600, 800, 1000, 1200])].sort((a, b) => a - b);
  const latencySeconds = options.latencySeconds ?? 10;
  const soakSeconds = options.soakSeconds ?? 60;
  const sampleSeconds = options.sampleSeconds ?? 5;
  const connections = options.connections ?? 100;
  const db = options.db ?? 'separate';
  const logLevel = options.logLevel ?? 'warn';
  const log = options.log ?? stderrLog;
  if (rates.length === 0) throw new Error('at least one rate is needed');
  const loadBefore = os.loadavg();

  const teardown = new Teardown();
  try {
    const { helper: client } = await startRepliesHelper('replies-client');
    teardown.helpers.push(client);
    const { helper: graph, address: graphUrl } = await startRepliesHelper('replies-graph');
    teardown.helpers.push(graph);
    const rig: Rig = {
      client,
      graph,
      graphUrl,
      clientClock: await measureOffset(client),
      graphClock: await measureOffset(graph),
      connections,
      runTag: Math.random().toString(36).slice(2, 8).toUpperCase(),
      nextStep: 0,
      log,
    };
    log(
      `clock offsets vs this process: load generator ${formatOffset(rig.clientClock)}, ` +
        `Graph stand-in ${formatOffset(rig.graphClock)}`,
    );

    // (a) and (b): one bot, warmed up once.
    const main = await startTarget(rig, db, 'main', logLevel, teardown);
    teardown.cleanups.push(main.close);
    log(`(a) offered rates, database ${db}; warm-up ${warmupSeconds} s at ${rates[0]} msgs/s`);
    if (warmupSeconds > 0) await runStep(rig, main, 'warm-up', rates[0] ?? 100, warmupSeconds);
    const steps: StepResult[] = [];
    const skipped: number[] = [];
    for (const rate of rates) {
      const [last, beforeLast] = [steps[steps.length - 1], steps[steps.length - 2]];
      if (options.stopEarly && last && beforeLast && !last.keepsUp && !beforeLast.keepsUp) {
        skipped.push(rate);
        continue;
      }
      steps.push(await runStep(rig, main, `${rate}/s`, rate, seconds));
    }
    if (skipped.length > 0) log(`  not run (two rates in a row fell behind): ${skipped.join(', ')} msgs/s`);
    const sustained = steps.filter((s) => s.keepsUp).map((s) => s.rate);
    const maxSustained = sustained.length > 0 ? Math.max(...sustained) : undefined;
    // Without a sustained rate, what the bot managed at best stands in for its capacity.
    const capacity = maxSustained ?? Math.max(...steps.map((s) => s.repliesPerSec));

    const latency: LatencyRun[] = [];
    const half = roundRate(capacity / 2);
    if (latencySeconds > 0) {
      log('(b) latency');
      latency.push({
        reason: `half the ${formatRate(TARGET_REPLIES_PER_SEC)}/s target`,
        step: await runStep(rig, main, 'latency', TARGET_LATENCY_RATE, latencySeconds),
      });
    }
    if (latencySeconds > 0 && half < TARGET_LATENCY_RATE) {
      latency.push({
        reason:
          maxSustained !== undefined
            ? `half the maximum sustained rate (${formatRate(maxSustained)}/s)`
            : `half the best reply rate reached (${formatRate(capacity)}/s; no rate was sustained)`,
        step: await runStep(rig, main, 'latency-half', half, latencySeconds),
      });
    }
    await main.close();

    // (c) memory over a longer run, on a fresh bot.
    let soak: SoakResult | undefined;
    if (soakSeconds > 0) {
      const rate = options.soakRate ?? roundRate(SOAK_FRACTION * capacity);
      const rateReason =
        options.soakRate !== undefined
          ? 'given'
          : maxSustained !== undefined
            ? `${SOAK_FRACTION * 100}% of the maximum sustained rate`
            : `${SOAK_FRACTION * 100}% of the best reply rate reached (no rate was sustained)`;
      soak = await runSoak({
        rig,
        rate,
        rateReason,
        seconds: soakSeconds,
        sampleSeconds,
        warmupSeconds,
        db,
        logLevel,
        teardown,
      });
    }

    const loadAfter = os.loadavg();
    const at500 = latency[0]?.step;
    const targets = {
      throughput: maxSustained !== undefined && maxSustained >= TARGET_REPLIES_PER_SEC,
      latency: at500 !== undefined && at500.p99Ms < TARGET_P99_MS && at500.missing === 0,
      memory: soak?.flat,
    };
    const context = {
      seconds,
      warmupSeconds,
      latencySeconds,
      connections,
      db,
      logLevel,
      loadBefore,
      loadAfter,
      clientClock: rig.clientClock,
      graphClock: rig.graphClock,
    };
    const markdown = render({ steps, skipped, maxSustained, latency, soak, context });
    const summary = renderSummary({ steps, maxSustained, latency, soak, targets });
    return { steps, skippedRates: skipped, maxSustained, latency, soak, targets, markdown, summary };
  } finally {
    await teardown.run();
  }
}

/** The command line of the replies section. */
export const REPLIES_USAGE =
  'usage: npx tsx scripts/bench-replies.ts [--seconds=5] [--warmup-seconds=3] ' +
  '[--rates=100,200,400,600,800,1000,1200] [--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N] ' +
  '[--sample-seconds=5] [--connections=100] [--db=separate|in-process] [--stop-early] ' +
  '[--log-level=warn|silent]\n';

/** Reads the replies section's options from the command line (`--help` prints the usage and exits). */
export function parseRepliesArgs(argv: string[]): RepliesBenchOptions {
  const options: RepliesBenchOptions = {};
  const dbValue = (flag: string, value: string | undefined): RepliesDb => {
    if (value === 'in-process' || value === 'separate') return value;
    throw new Error(`${flag} is in-process or separate`);
  };
  parseFlags(argv, REPLIES_USAGE, (flag, value) => {
    if (flag === '--seconds') options.seconds = numberFlag(flag, value, 1);
    else if (flag === '--warmup-seconds') options.warmupSeconds = numberFlag(flag, value, 0);
    else if (flag === '--rates') {
      options.rates = (value ?? '').split(',').map((part) => numberFlag(flag, part.trim(), 1));
    } else if (flag === '--latency-seconds') options.latencySeconds = numberFlag(flag, value, 0);
    else if (flag === '--soak-seconds') options.soakSeconds = numberFlag(flag, value, 0);
    else if (flag === '--soak-rate') options.soakRate = numberFlag(flag, value, 1);
    else if (flag === '--sample-seconds') options.sampleSeconds = numberFlag(flag, value, 1);
    else if (flag === '--connections') options.connections = Math.round(numberFlag(flag, value, 1));
    else if (flag === '--db') options.db = dbValue(flag, value);
    else if (flag === '--stop-early' && value === undefined) options.stopEarly = true;
    else if (flag === '--log-level' && (value === 'warn' || value === 'silent')) options.logLevel = value;
    else return false;
    return true;
  });
  return options;
}

/** The section as `npm run bench` prints it: heading, the report, the summary. */
export function repliesSection(result: RepliesBenchResult): string {
  return ['### End-to-end replies', '', result.markdown, '', result.summary].join('\n');
}
