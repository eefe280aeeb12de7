/**
 * Issue 17's measurements besides the offered-rate sweep, each as a ratio to bare Express 5 measured in the
 * same run: intake (closed loop) with the engine replying and with the engine in its own process, overload at
 * about ten times the maximum sustained rate, and two bot processes on one database. Then the summary table
 * (target | measured | ratio | met?) with a line for every target not met.
 */
import { startBenchBot, startDatabaseProcess } from './bench-bot.js';
import type { BenchBot, PlacedBot, Teardown } from './bench-bot.js';
import { startBotProcess } from './bot-role.js';
import type { BotHelper } from './bot-role.js';
import { CUSTOMERS, measureTarget, startLoadClient } from './closed-loop.js';
import type { LoadClient, LoadSpec, LoadStats } from './closed-loop.js';
import { performance } from 'node:perf_hooks';
import { APP_SECRET, PHONE_NUMBER_ID } from './fixture.js';
import type { BenchLogLevel } from './fixture.js';
import { formatMb, formatMs, formatRate } from './format.js';
import { roundRate, runStep, startTarget } from './replies-step.js';
import type { Rig, StepBots, StepResult } from './replies-step.js';
import type { SoakResult } from './replies-soak.js';
import { startBareExpress } from './webhook.js';

/** The issue's targets, as ratios to bare Express 5 acks/s (or to the bot's own figures) in the same run. */
export const TARGETS = {
  /** Sustained replies/s ÷ bare acks/s. */
  replies: 0.25,
  /** p99 webhook → reply at half the maximum sustained rate, ms. */
  p99Ms: 100,
  /** Intake acks/s ÷ bare, engine replying in the same process. */
  intake: 0.5,
  /** Intake acks/s ÷ bare, engine in its own process. */
  intakeApart: 1.0,
  /** Replies/s under ~10× overload ÷ maximum sustained. */
  overload: 0.9,
  /** Webhook p99 under overload, ms. */
  overloadAckP99Ms: 2000,
  /** Two processes' throughput ÷ one process's. */
  twoBots: 1.0,
} as const;

/** The closed-loop intake runs: bare Express, the bot with its engine, the web part with the engine apart. */
export interface IntakeResult {
  bare: IntakeStats;
  engineReplying: IntakeStats;
  engineApart: IntakeStats | undefined;
  /** The web part with no engine anywhere: what intake costs by itself (a reference, not a target). */
  webAlone: IntakeStats | undefined;
}

/** A closed-loop window's figures, with CPU µs per acknowledgement of each process involved. */
export interface IntakeStats extends LoadStats {
  /** This process (bare Express, or the bot / its web part), the database process, the worker process. */
  cpuPerAck: { here: number; db: number | undefined; worker: number | undefined };
}

interface CpuSnap {
  at: number;
  here: number;
  db: number | undefined;
  worker: number | undefined;
}

/** Any helper process: its CPU time so far. */
interface CpuReadable {
  memory(gc: boolean): Promise<{ cpuMicros: number }>;
}

function cpuSnap(db: CpuReadable | undefined, worker: CpuReadable | undefined): Promise<CpuSnap> {
  const at = performance.now();
  const own = process.cpuUsage();
  return Promise.all([db?.memory(false), worker?.memory(false)]).then(([d, w]) => ({
    at,
    here: own.user + own.system,
    db: d?.cpuMicros,
    worker: w?.cpuMicros,
  }));
}

/** `measureTarget` with the CPU of this process, the database and the worker read when the window opens and closes. */
async function measureWithCpu(
  client: LoadClient,
  spec: LoadSpec,
  log: (line: string) => void,
  db?: CpuReadable,
  worker?: CpuReadable,
): Promise<IntakeStats> {
  let start: Promise<CpuSnap> | undefined;
  let end: Promise<CpuSnap> | undefined;
  const stats = await measureTarget(client, spec, log, {
    onPhase: (phase) => {
      if (phase === 'measuring') start = cpuSnap(db, worker);
      if (phase === 'draining') end = cpuSnap(db, worker);
    },
  });
  const [a, b] = await Promise.all([start, end]);
  const per = (x: number | undefined, y: number | undefined): number | undefined =>
    x === undefined || y === undefined || stats.ok === 0 ? undefined : (y - x) / stats.ok;
  const cpuPerAck = {
    here: per(a?.here, b?.here) ?? 0,
    db: per(a?.db, b?.db),
    worker: per(a?.worker, b?.worker),
  };
  log(
    `  ${spec.label}: CPU per ack: here ${formatRate(cpuPerAck.here)} µs` +
      (cpuPerAck.db !== undefined ? `, database ${formatRate(cpuPerAck.db)} µs` : '') +
      (cpuPerAck.worker !== undefined ? `, worker ${formatRate(cpuPerAck.worker)} µs` : ''),
  );
  return { ...stats, cpuPerAck };
}

/**
 * The intake runs measure acknowledgements, not the backlog bound: the web part alone stores faster than
 * anything answers, and `INBOX_BACKLOG_LIMIT` (default 5,000) would turn most of a run into 503s. The bound is
 * lifted here; the overload run measures it.
 */
const INTAKE_ENV = { INBOX_BACKLOG_LIMIT: '10000000' } as const;

/** Intake: one load generator, one database process, three targets one after another. */
export async function measureIntake(c: {
  graphUrl: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  logLevel: BenchLogLevel;
  apart: boolean;
  runTag: string;
  log: (line: string) => void;
  teardown: Teardown;
}): Promise<IntakeResult> {
  const { log, teardown } = c;
  const client = await startLoadClient();
  teardown.helpers.push(client);
  const spec = (label: string, port: number): LoadSpec => ({
    label,
    port,
    connections: c.connections,
    warmupMs: c.warmupSeconds * 1000,
    durationMs: c.seconds * 1000,
    appSecret: APP_SECRET,
    phoneNumberId: PHONE_NUMBER_ID,
    customers: CUSTOMERS,
    tag: `${c.runTag}I${label.replace(/[^a-z]/gi, '').toUpperCase()}`,
  });
  log(`intake (closed loop, ${c.connections} connections, ${c.seconds} s): bare Express 5`);
  const bareServer = await startBareExpress();
  let bare: IntakeStats;
  try {
    bare = await measureWithCpu(client, spec('bare', bareServer.port), log);
  } finally {
    await bareServer.close();
  }

  const { helper: db, uri: mongoUri } = await startDatabaseProcess(teardown.tempDir('intake'));
  teardown.helpers.push(db);
  log('intake: the bot, engine replying in the same process');
  const full = await startBenchBot({
    graphUrl: c.graphUrl,
    logLevel: c.logLevel,
    mongoUri,
    dbName: 'intake_full',
    env: INTAKE_ENV,
  });
  let engineReplying: IntakeStats;
  try {
    engineReplying = await measureWithCpu(client, spec('engine', full.bot.port), log, db);
  } finally {
    await full.close();
  }

  let engineApart: IntakeStats | undefined;
  let webAlone: IntakeStats | undefined;
  if (c.apart) {
    log(
      'intake: web part here (PROCESS_TYPE=web), the engine in a worker process (PROCESS_TYPE=worker, polling every 50 ms)',
    );
    const dbName = 'intake_apart';
    const web = await startBenchBot({
      graphUrl: c.graphUrl,
      logLevel: c.logLevel,
      mongoUri,
      dbName,
      env: { ...INTAKE_ENV, PROCESS_TYPE: 'web' },
    });
    let worker: BotHelper | undefined;
    try {
      log('intake: web part alone first (no engine anywhere), for reference');
      webAlone = await measureWithCpu(client, spec('alone', web.bot.port), log, db);
      worker = (
        await startBotProcess({
          mongoUri,
          graphUrl: c.graphUrl,
          dbName,
          engine: 'on',
          sweepMs: 50,
          logLevel: c.logLevel,
        })
      ).helper;
      engineApart = await measureWithCpu(client, spec('apart', web.bot.port), log, db, worker);
    } finally {
      await worker?.close();
      await web.close();
    }
  }
  await db.close();
  await client.close();
  return { bare, engineReplying, engineApart, webAlone };
}

/** Overload: a fresh bot, a short warm-up, then ~10× the maximum sustained rate with no drain. */
export async function measureOverload(c: {
  rig: Rig;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  warmupRate: number;
  logLevel: BenchLogLevel;
  teardown: Teardown;
  /** A bot already running and warm (quick mode); default a fresh one. Closed afterwards either way. */
  bot?: PlacedBot;
}): Promise<StepResult> {
  const bot = c.bot ?? (await startTarget(c.rig, 'separate', 'overload', c.logLevel, c.teardown));
  c.teardown.cleanups.push(bot.close);
  c.rig.log(
    `overload: ${formatRate(c.rate)} msgs/s for ${c.seconds} s on ${c.bot ? 'the same bot' : 'a fresh bot'} ` +
      '(no drain afterwards)',
  );
  if (!c.bot && c.warmupSeconds > 0) {
    await runStep(c.rig, bot, 'overload warm-up', c.warmupRate, c.warmupSeconds);
  }
  const step = await runStep(c.rig, bot, 'overload', c.rate, c.seconds, undefined, { drain: false });
  await bot.close();
  return step;
}

/** Two bots on one database: offered rates from `rates`, load split over both; every message answered once? */
export interface TwoBotsResult {
  steps: StepResult[];
  maxSustained: number | undefined;
  best: number;
}

export async function measureTwoBots(c: {
  rig: Rig;
  rates: number[];
  seconds: number;
  warmupSeconds: number;
  logLevel: BenchLogLevel;
  teardown: Teardown;
}): Promise<TwoBotsResult> {
  const { rig, teardown } = c;
  const { helper: db, uri: mongoUri } = await startDatabaseProcess(teardown.tempDir('two'));
  teardown.helpers.push(db);
  const dbName = 'polus_two';
  let local: BenchBot | undefined;
  let remote: BotHelper | undefined;
  try {
    local = await startBenchBot({ graphUrl: rig.graphUrl, logLevel: c.logLevel, mongoUri, dbName });
    const started = await startBotProcess({
      mongoUri,
      graphUrl: rig.graphUrl,
      dbName,
      engine: 'on',
      logLevel: c.logLevel,
    });
    remote = started.helper;
    const bots: StepBots = {
      target: local,
      dbProcess: db,
      close: () => Promise.resolve(),
      remotes: [remote],
      ports: [local.bot.port, started.port],
    };
    rig.log(`two bots on one database (this process and a helper), load split over both`);
    if (c.warmupSeconds > 0) await runStep(rig, bots, 'two warm-up', c.rates[0] ?? 50, c.warmupSeconds);
    const steps: StepResult[] = [];
    for (const rate of c.rates) {
      const [last, beforeLast] = [steps[steps.length - 1], steps[steps.length - 2]];
      if (last && beforeLast && !last.keepsUp && !beforeLast.keepsUp) break;
      steps.push(await runStep(rig, bots, `two ${rate}/s`, rate, c.seconds));
    }
    const sustained = steps.filter((s) => s.keepsUp).map((s) => s.rate);
    return {
      steps,
      maxSustained: sustained.length > 0 ? Math.max(...sustained) : undefined,
      best: Math.max(0, ...steps.map((s) => s.repliesPerSec)),
    };
  } finally {
    await remote?.close();
    await local?.close();
    await db.close();
  }
}

/** The rates the two-bot sweep tries: around and above one process's capacity. */
export function twoBotRates(capacity: number, quick: boolean): number[] {
  const factors = quick ? [1, 1.5, 2] : [0.5, 0.75, 1, 1.25, 1.5, 2];
  return [...new Set(factors.map((f) => roundRate(f * capacity)))];
}

/** CPU µs per replied message from a step's CPU share (% of one core) and its reply rate. */
export function microsPerReply(pct: number | undefined, repliesPerSec: number): number | undefined {
  if (pct === undefined || repliesPerSec <= 0) return undefined;
  return ((pct / 100) * 1e6) / repliesPerSec;
}

/** Everything the summary table needs. */
export interface RatioInputs {
  intake: IntakeResult | undefined;
  steps: StepResult[];
  maxSustained: number | undefined;
  halfRate: StepResult | undefined;
  overload: StepResult | undefined;
  soak: SoakResult | undefined;
  twoBots: TwoBotsResult | undefined;
}

interface Row {
  target: string;
  measured: string;
  ratio: string;
  met: boolean | undefined;
  /** Why not, when not met. */
  honest?: string;
}

const us = (n: number | undefined): string => (n === undefined ? '–' : `${formatRate(n)} µs`);
const x = (n: number): string => `${n < 0.1 ? n.toFixed(3) : n.toFixed(2)}×`;

/** The summary section: the table, the CPU figures beside it, and the honest lines. */
export function renderRatios(r: RatioInputs): { markdown: string; met: Record<string, boolean | undefined> } {
  const bare = r.intake?.bare.acksPerSec;
  const rows: Row[] = [];
  const capacityStep = r.steps.find((s) => s.rate === r.maxSustained);
  const best = Math.max(0, ...r.steps.map((s) => s.repliesPerSec));
  const sustained = r.maxSustained ?? 0;
  const bareText =
    bare !== undefined ? `bare Express 5 ${formatRate(bare)} acks/s` : 'bare Express not measured';

  // 1. End to end.
  if (bare !== undefined) {
    const ratio = sustained / bare;
    rows.push({
      target: `end to end: sustained replies/s ≥ ${TARGETS.replies}× bare`,
      measured:
        r.maxSustained !== undefined
          ? `${formatRate(sustained)} replies/s sustained (${bareText})`
          : `no offered rate sustained; best ${formatRate(best)} replies/s (${bareText})`,
      ratio: x(ratio),
      met: ratio >= TARGETS.replies,
      honest: `sustained ${formatRate(sustained)} replies/s is ${x(ratio)} bare Express; ${formatRate(TARGETS.replies * bare)}/s was needed`,
    });
  }
  // 2. Latency at half.
  if (r.halfRate) {
    const h = r.halfRate;
    const ok = h.p99Ms < TARGETS.p99Ms && h.missing === 0;
    rows.push({
      target: `p99 webhook → reply at half the max sustained rate < ${TARGETS.p99Ms} ms`,
      measured: `p99 ${formatMs(h.p99Ms)} ms (p50 ${formatMs(h.p50Ms)}) at ${formatRate(h.rate)} msgs/s`,
      ratio: x(h.p99Ms / TARGETS.p99Ms),
      met: ok,
      honest: `p99 ${formatMs(h.p99Ms)} ms at ${formatRate(h.rate)} msgs/s${h.missing > 0 ? `, ${h.missing} unanswered` : ''}`,
    });
  }
  // 3–4. Intake.
  if (r.intake && bare !== undefined) {
    const e = r.intake.engineReplying;
    const ratio = e.acksPerSec / bare;
    rows.push({
      target: `intake acks/s, engine replying ≥ ${TARGETS.intake}× bare`,
      measured: `${formatRate(e.acksPerSec)} acks/s, p99 ${formatMs(e.p99Ms)} ms, ${e.non200 + e.errors} non-200/errors`,
      ratio: x(ratio),
      met: ratio >= TARGETS.intake,
      honest: `the bot acknowledged ${formatRate(e.acksPerSec)}/s against bare Express's ${formatRate(bare)}/s (${x(ratio)})`,
    });
    const a = r.intake.engineApart;
    if (a) {
      const ratioA = a.acksPerSec / bare;
      rows.push({
        target: `intake acks/s, engine in its own process ≥ ${TARGETS.intakeApart}× bare`,
        measured: `${formatRate(a.acksPerSec)} acks/s, p99 ${formatMs(a.p99Ms)} ms, ${a.non200 + a.errors} non-200/errors`,
        ratio: x(ratioA),
        met: ratioA >= TARGETS.intakeApart,
        honest:
          `the web process (verify, parse, durable insert) acknowledged ${formatRate(a.acksPerSec)}/s (${x(ratioA)} bare) ` +
          `with the engine in a worker` +
          (r.intake.webAlone
            ? `; with no engine anywhere ${formatRate(r.intake.webAlone.acksPerSec)}/s (${x(r.intake.webAlone.acksPerSec / bare)})`
            : ''),
      });
    }
  }
  // 5–6. Overload.
  if (r.overload && r.maxSustained !== undefined) {
    const o = r.overload;
    const ratio = o.repliesPerSec / r.maxSustained;
    rows.push({
      target: `overload (~10× max sustained): replies/s ≥ ${TARGETS.overload}× max sustained`,
      measured: `${formatRate(o.repliesPerSec)} replies/s at ${formatRate(o.rate)} msgs/s offered`,
      ratio: x(ratio),
      met: ratio >= TARGETS.overload,
      honest: `under ${formatRate(o.rate)} msgs/s the reply rate fell to ${formatRate(o.repliesPerSec)}/s (${x(ratio)} of ${formatRate(r.maxSustained)})`,
    });
  }
  if (r.overload) {
    const o = r.overload;
    rows.push({
      target: `webhook p99 under overload < ${TARGETS.overloadAckP99Ms} ms`,
      measured:
        `p99 ${formatMs(o.ackP99Ms)} ms (from write; generator lag p99 ${formatMs(o.writeLagP99Ms)} ms), ` +
        `${formatRate(o.status503)} × 503 of ${formatRate(o.sent)}`,
      ratio: x(o.ackP99Ms / TARGETS.overloadAckP99Ms),
      met: o.ackP99Ms < TARGETS.overloadAckP99Ms,
      honest: `webhook p99 ${formatMs(o.ackP99Ms)} ms under overload`,
    });
  }
  // 7. Memory.
  if (r.soak) {
    rows.push({
      target: `memory flat over the ${r.soak.step.seconds} s soak`,
      measured:
        `bot heap after GC ${formatMb(r.soak.heap.start)} → ${formatMb(r.soak.heap.mid)} → ${formatMb(r.soak.heap.end)} MB ` +
        `at ${formatRate(r.soak.rate)} msgs/s`,
      ratio: '–',
      met: r.soak.flat,
      honest: r.soak.flatReason,
    });
  }
  // 8–9. Two bots.
  if (r.twoBots) {
    const t = r.twoBots;
    const one = r.maxSustained ?? best;
    const two = t.maxSustained ?? t.best;
    const ratio = one > 0 ? two / one : 0;
    rows.push({
      target: `two bot processes: throughput ≥ ${TARGETS.twoBots}× one process`,
      measured:
        `${t.maxSustained !== undefined ? `${formatRate(two)} sustained` : `none sustained, best ${formatRate(two)}`} ` +
        `replies/s vs ${formatRate(one)} for one`,
      ratio: x(ratio),
      met: ratio >= TARGETS.twoBots,
      honest: `two processes reached ${formatRate(two)} replies/s against ${formatRate(one)} for one (${x(ratio)})`,
    });
    const missing = t.steps.reduce((n, s) => n + s.missing, 0);
    const extra = t.steps.reduce((n, s) => n + s.extra, 0);
    const sent = t.steps.reduce((n, s) => n + s.acked, 0);
    rows.push({
      target: 'two bot processes: every message answered exactly once',
      measured: `${formatRate(sent)} acknowledged: ${missing} unanswered, ${extra} answered twice`,
      ratio: '–',
      met: missing === 0 && extra === 0,
      honest: `${missing} messages unanswered and ${extra} duplicate replies across the two-process steps`,
    });
  }

  const cpuLines: string[] = [];
  const cpuOf = (label: string, s: StepResult | undefined): void => {
    if (!s) return;
    cpuLines.push(
      `| ${label} | ${formatRate(s.rate)} | ${formatRate(s.repliesPerSec)} | ${us(microsPerReply(s.botCpuPct, s.repliesPerSec))} | ` +
        `${us(microsPerReply(s.dbCpuPct, s.repliesPerSec))} |`,
    );
  };
  cpuOf(
    'one bot, max sustained rate',
    capacityStep ??
      r.steps.reduce<StepResult | undefined>(
        (b, s) => (!b || s.repliesPerSec > b.repliesPerSec ? s : b),
        undefined,
      ),
  );
  cpuOf('one bot, half the max sustained rate', r.halfRate);
  cpuOf('one bot, overload', r.overload);
  if (r.twoBots) {
    const t = r.twoBots;
    cpuOf(
      'two bots (both processes), max sustained rate',
      t.steps.find((s) => s.rate === t.maxSustained) ?? t.steps[t.steps.length - 1],
    );
  }

  const cell = (m: boolean | undefined): string => (m === undefined ? '–' : m ? 'yes' : '**no**');
  const lines = [
    '#### Summary: targets as ratios to bare Express 5 in the same run',
    '',
    '| target | measured | ratio | met? |',
    '| --- | --- | ---: | --- |',
    ...rows.map((row) => `| ${row.target} | ${row.measured} | ${row.ratio} | ${cell(row.met)} |`),
    '',
    'CPU per replied message (CPU time during the window ÷ replies in the window; the bot figure sums every ' +
      'bot process):',
    '',
    '| run | offered msgs/s | replies/s | bot CPU per reply | database CPU per reply |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...cpuLines,
  ];
  const notMet = rows.filter((row) => row.met === false);
  if (notMet.length > 0) {
    lines.push('', 'Not met:', '', ...notMet.map((row) => `- ${row.target}: ${row.honest ?? row.measured}.`));
  } else if (rows.length > 0) lines.push('', 'Every target measured here was met.');
  const met: Record<string, boolean | undefined> = {};
  for (const row of rows) met[row.target] = row.met;
  return { markdown: lines.join('\n'), met };
}
