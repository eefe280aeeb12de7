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
import { render, stepTable } from './replies-report.js';
import { measureIntake, measureOverload, measureTwoBots, renderRatios, twoBotRates } from './ratios.js';
import type { IntakeResult, IntakeStats, TwoBotsResult } from './ratios.js';
import { runSoak } from './replies-soak.js';
import type { SoakResult } from './replies-soak.js';
import { formatOffset, measureOffset, roundRate, runStep, startTarget } from './replies-step.js';
import type { LatencyRun, Rig, StepResult } from './replies-step.js';

export type { LatencyRun, StepResult } from './replies-step.js';
export type { SoakResult, SoakSample } from './replies-soak.js';
export { TARGETS } from './ratios.js';
export type { IntakeResult, TwoBotsResult } from './ratios.js';

/** Where the embedded database runs during the replies benchmark. */
export type RepliesDb = DbPlacement;

/** What the replies section measures and for how long (every field has a default). */
export interface RepliesBenchOptions {
  /**
   * Everything in under two minutes: 3 s per rate, rates from 25/s stopping early, 4 s latency, 15 s soak,
   * 3 s intake runs, 4 s overload, 3 s per two-bot rate (each still overridable by its own flag).
   */
  quick?: boolean;
  /** Measured seconds per closed-loop intake run (bare Express, engine replying, engine apart); 0 skips. Default 5. */
  intakeSeconds?: number;
  /** Closed-loop connections for the intake runs. Default 50 (as the webhook benchmark). */
  intakeConnections?: number;
  /**
   * `INBOX_BACKLOG_LIMIT` for the bots of (a)–(c) and the overload run (the webhook answers 503 above it).
   * Default: the bot's own (5,000), which a short overload window may never reach; a few seconds of the
   * maximum sustained rate shows the 503 path within the window.
   */
  backlogLimit?: number;
  /** Measured seconds of the overload run; 0 skips it. Default 10. */
  overloadSeconds?: number;
  /** The overload run offers this many times the maximum sustained rate. Default 10. */
  overloadFactor?: number;
  /** Measured seconds per offered rate with two bot processes on one database; 0 skips. Default 5. */
  twoBotSeconds?: number;
  /** Extra rates tried between the highest that kept up and the next that did not. Default 2 (quick 1). */
  refineSteps?: number;
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
  intake: IntakeResult | undefined;
  overload: StepResult | undefined;
  twoBots: TwoBotsResult | undefined;
  /** Each target of the summary table: met, not met, or not measured (undefined). */
  targets: Record<string, boolean | undefined>;
  markdown: string;
  summary: string;
}

/** The soak runs at this share of the maximum sustained rate. */
const SOAK_FRACTION = 0.7;

/** Runs (a), (b) and (c) with one set of helpers; figures and Markdown. */
export async function runRepliesBench(options: RepliesBenchOptions = {}): Promise<RepliesBenchResult> {
  const quick = options.quick ?? false;
  const seconds = options.seconds ?? (quick ? 3 : 5);
  const warmupSeconds = options.warmupSeconds ?? (quick ? 2 : 3);
  const rates = [
    ...(options.rates ??
      (quick ? [25, 50, 100, 200, 400, 800] : [25, 50, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000])),
  ].sort((a, b) => a - b);
  const latencySeconds = options.latencySeconds ?? (quick ? 4 : 10);
  const soakSeconds = options.soakSeconds ?? (quick ? 10 : 60);
  const sampleSeconds = options.sampleSeconds ?? (quick ? 2 : 5);
  const intakeSeconds = options.intakeSeconds ?? (quick ? 3 : 5);
  const overloadSeconds = options.overloadSeconds ?? (quick ? 4 : 10);
  const overloadFactor = options.overloadFactor ?? 10;
  const twoBotSeconds = options.twoBotSeconds ?? (quick ? 3 : 5);
  const stopEarly = options.stopEarly ?? true;
  const connections = options.connections ?? 100;
  const db = options.db ?? 'separate';
  const logLevel = options.logLevel ?? 'warn';
  const began = Date.now();
  const out = options.log ?? stderrLog;
  // Progress lines carry the seconds since the start, so a slow part of a quick run shows.
  const log = (line: string): void =>
    out(`[${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const refine = options.refineSteps ?? (quick ? 1 : 2);
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
      ...(options.backlogLimit !== undefined
        ? { botEnv: { INBOX_BACKLOG_LIMIT: String(options.backlogLimit) } }
        : {}),
      nextStep: 0,
      log,
    };
    log(
      `clock offsets vs this process: load generator ${formatOffset(rig.clientClock)}, ` +
        `Graph stand-in ${formatOffset(rig.graphClock)}`,
    );

    // Bare Express 5 and intake first: every figure below is a ratio to this run's bare acks/s.
    let intake: IntakeResult | undefined;
    if (intakeSeconds > 0) {
      intake = await measureIntake({
        graphUrl,
        seconds: intakeSeconds,
        warmupSeconds: quick ? 1 : 2,
        connections: options.intakeConnections ?? 50,
        logLevel,
        apart: true,
        runTag: rig.runTag,
        log,
        teardown,
      });
    }

    // (a) and (b): one bot, warmed up once.
    const main = await startTarget(rig, db, 'main', logLevel, teardown);
    teardown.cleanups.push(main.close);
    log(`(a) offered rates, database ${db}; warm-up ${warmupSeconds} s at ${rates[0]} msgs/s`);
    if (warmupSeconds > 0) await runStep(rig, main, 'warm-up', rates[0] ?? 100, warmupSeconds);
    const steps: StepResult[] = [];
    const skipped: number[] = [];
    for (const rate of rates) {
      const [last, beforeLast] = [steps[steps.length - 1], steps[steps.length - 2]];
      if (stopEarly && last && beforeLast && !last.keepsUp && !beforeLast.keepsUp) {
        skipped.push(rate);
        continue;
      }
      steps.push(await runStep(rig, main, `${rate}/s`, rate, seconds));
    }
    if (skipped.length > 0) log(`  not run (two rates in a row fell behind): ${skipped.join(', ')} msgs/s`);
    // Between the highest rate that kept up and the lowest above it that did not: halve the gap.
    for (let k = 0; k < refine; k += 1) {
      const ok = steps.filter((s) => s.keepsUp).map((s) => s.rate);
      const low = ok.length > 0 ? Math.max(...ok) : 0;
      const high = Math.min(...steps.filter((s) => !s.keepsUp && s.rate > low).map((s) => s.rate));
      const mid = roundRate((low + high) / 2);
      if (!Number.isFinite(high) || mid <= low || mid >= high || steps.some((s) => s.rate === mid)) break;
      steps.push(await runStep(rig, main, `${mid}/s (refining)`, mid, seconds));
    }
    steps.sort((a, b) => a.rate - b.rate);
    const sustained = steps.filter((s) => s.keepsUp).map((s) => s.rate);
    const maxSustained = sustained.length > 0 ? Math.max(...sustained) : undefined;
    // Without a sustained rate, what the bot managed at best stands in for its capacity.
    const capacity = maxSustained ?? Math.max(...steps.map((s) => s.repliesPerSec));

    const latency: LatencyRun[] = [];
    const half = roundRate(capacity / 2);
    if (latencySeconds > 0) {
      log('(b) latency');
      latency.push({
        reason:
          maxSustained !== undefined
            ? `half the maximum sustained rate (${formatRate(maxSustained)}/s)`
            : `half the best reply rate reached (${formatRate(capacity)}/s; no rate was sustained)`,
        step: await runStep(rig, main, 'latency-half', half, latencySeconds),
      });
    }
    // Quick mode soaks and overloads the sweep's bot (no fresh bot to start and warm); otherwise fresh ones.
    const reuse = quick;
    if (!reuse) await main.close();

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
        ...(reuse ? { bot: main } : {}),
      });
    }

    // Overload: about ten times the maximum sustained rate, on a fresh bot (quick: the sweep's bot, after the soak).
    let overload: StepResult | undefined;
    if (overloadSeconds > 0) {
      overload = await measureOverload({
        rig,
        rate: roundRate(overloadFactor * capacity),
        seconds: overloadSeconds,
        warmupSeconds: Math.min(warmupSeconds, 2),
        warmupRate: half,
        logLevel,
        teardown,
        ...(reuse ? { bot: main } : {}),
      });
    }

    if (reuse) await main.close();

    // Two bot processes on one database.
    let twoBots: TwoBotsResult | undefined;
    if (twoBotSeconds > 0) {
      twoBots = await measureTwoBots({
        rig,
        rates: twoBotRates(capacity, quick),
        seconds: twoBotSeconds,
        warmupSeconds: Math.min(warmupSeconds, 2),
        logLevel,
        teardown,
      });
    }

    const loadAfter = os.loadavg();
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
    const ratios = renderRatios({
      intake,
      steps,
      maxSustained,
      halfRate: latency[0]?.step,
      overload,
      soak,
      twoBots,
    });
    const extra: string[] = [];
    if (intake) {
      const us = (n: number | undefined): string => (n === undefined ? '' : formatRate(n));
      const row = (name: string, s: IntakeStats): string =>
        `| ${name} | ${formatRate(s.acksPerSec)} | ${s.p50Ms.toFixed(2)} | ${s.p99Ms.toFixed(2)} | ` +
        `${s.non200 + s.errors} | ${us(s.cpuPerAck.here)} | ${us(s.cpuPerAck.db)} | ${us(s.cpuPerAck.worker)} |`;
      extra.push(
        '#### Intake (closed loop)',
        '',
        `${options.intakeConnections ?? 50} keep-alive connections, one request in flight each, ${intakeSeconds} s ` +
          'measured per target; senders rotate over 1,000 customers; database in its own process. "Engine ' +
          'apart": the web part here with its engine stopped, the engine in a second bot process sweeping the ' +
          'inbox every 50 ms (the benchmark builds the split itself; `src/` has no process-type switch).',
        '',
        '| target | acks/s | p50 ms | p99 ms | non-200 + errors | server CPU µs/ack | database CPU µs/ack | worker CPU µs/ack |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        row('bare Express 5 (`express.json()` + 200)', intake.bare),
        row('bot, engine replying in the same process', intake.engineReplying),
        ...(intake.webAlone
          ? [row('bot web part alone, no engine running anywhere (reference)', intake.webAlone)]
          : []),
        ...(intake.engineApart ? [row('bot web part, engine in its own process', intake.engineApart)] : []),
      );
    }
    if (overload) {
      extra.push(
        '',
        '#### Overload',
        '',
        `${overload.seconds} s at ${formatRate(overload.rate)} msgs/s (${overloadFactor}× the maximum sustained ` +
          `rate) on ${reuse ? 'the bot of (a)–(c), straight after them' : 'a fresh bot after a short warm-up'}; no drain, so "missing" counts what was still waiting ` +
          `or refused (503) when the window ended. ${formatRate(overload.status503)} answers were 503 ` +
          `(inbox backlog limit ${options.backlogLimit !== undefined ? formatRate(options.backlogLimit) : "the bot's default, 5,000"}).`,
        '',
        ...stepTable([overload], true),
      );
    }
    if (twoBots) {
      extra.push(
        '',
        '#### Two bot processes on one database',
        '',
        'This process and a helper process each run the whole bot on the same database process; the load ' +
          'generator spreads its connections over both. Every step drains, and replies are counted per ' +
          'recipient at the Graph stand-in: "failed/missing" and the duplicates below check that every ' +
          `message is answered exactly once (duplicates: ${twoBots.steps.reduce((n, s) => n + s.extra, 0)}). ` +
          'On two shared cores the two bots, the database and the helpers compete for the same CPU, so this ' +
          'shows the guarantees and the database cost per message more than scaling.',
        '',
        ...stepTable(twoBots.steps, true),
      );
    }
    const markdown = [render({ steps, skipped, maxSustained, latency, soak, context }), '', ...extra].join(
      '\n',
    );
    return {
      steps,
      skippedRates: skipped,
      maxSustained,
      latency,
      soak,
      intake,
      overload,
      twoBots,
      targets: ratios.met,
      markdown,
      summary: ratios.markdown,
    };
  } finally {
    await teardown.run();
  }
}

/** The command line of the replies section. */
export const REPLIES_USAGE =
  'usage: npx tsx scripts/bench-replies.ts [--quick] [--seconds=5] [--warmup-seconds=3] ' +
  '[--rates=25,50,100,200,400,600,800,1000,1200,1600,2000] [--refine-steps=2] [--all-rates] ' +
  '[--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N] [--sample-seconds=5] [--connections=100] ' +
  '[--intake-seconds=5] [--intake-connections=50] [--overload-seconds=10] [--overload-factor=10] ' +
  '[--backlog-limit=N] ' +
  '[--two-bot-seconds=5] [--db=separate|in-process] [--log-level=warn|silent]\n' +
  '  --quick: everything in about two minutes (3 s steps, 10 s soak); any flag given still wins.\n' +
  '  A step lasting 0 s skips that part (--intake-seconds=0 also skips bare Express and the ratios).\n';

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
    else if (flag === '--all-rates' && value === undefined) options.stopEarly = false;
    else if (flag === '--quick' && value === undefined) options.quick = true;
    else if (flag === '--refine-steps') options.refineSteps = Math.round(numberFlag(flag, value, 0));
    else if (flag === '--intake-seconds') options.intakeSeconds = numberFlag(flag, value, 0);
    else if (flag === '--intake-connections')
      options.intakeConnections = Math.round(numberFlag(flag, value, 1));
    else if (flag === '--overload-seconds') options.overloadSeconds = numberFlag(flag, value, 0);
    else if (flag === '--backlog-limit') options.backlogLimit = Math.round(numberFlag(flag, value, 1));
    else if (flag === '--overload-factor') options.overloadFactor = numberFlag(flag, value, 1);
    else if (flag === '--two-bot-seconds') options.twoBotSeconds = numberFlag(flag, value, 0);
    else if (flag === '--log-level' && (value === 'warn' || value === 'silent')) options.logLevel = value;
    else return false;
    return true;
  });
  return options;
}

/** The section as `npm run bench` prints it: heading, the report, the summary. */
export function repliesSection(result: RepliesBenchResult): string {
  return ['### End-to-end replies', '', result.summary, '', result.markdown].join('\n');
}
