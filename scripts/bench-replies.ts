/**
 * End-to-end benchmark: inbound signed webhook → reply received by the loopback Graph API.
 *
 *   npx tsx scripts/bench-replies.ts [--seconds=5] [--warmup-seconds=3] [--rates=100,200,400,…,1200]
 *     [--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N] [--sample-seconds=5] [--connections=100]
 *     [--db=separate|in-process] [--stop-early] [--log-level=warn|silent]
 *
 * Processes: this one runs the bot (`startBot`). The embedded database, with its journal in a temporary
 * directory, runs by default in its own process, as a real MongoDB would (`--db=in-process` runs it inside
 * the bot, as `npm run dev` does). Two helpers run in child processes started from this same file
 * (`--role=…`): an open-loop load generator (raw keep-alive sockets writing pre-built, pre-signed webhooks
 * at a fixed rate, whatever the bot's answers) and a Graph API stand-in that answers every send at once and
 * notes when each reply arrived. Every message comes from a new customer, so it gets exactly one reply (the
 * greeting with the main menu, sent `to` "+<wa_id>"), which is how replies are matched to messages.
 *
 * Three measurements, after a warm-up: (a) increasing offered rates, a few seconds each: replies per
 * second, latency, backlog; the highest rate whose replies keep up is the maximum sustained rate; (b) latency
 * at the issue's half rate (500/s) and at half the maximum sustained rate when that is lower; (c) a longer run
 * at 70% of the maximum sustained rate, sampling the bot's heap after a full GC every few seconds.
 *
 * Where the time goes: `node --cpu-prof --import tsx scripts/bench-replies.ts …` profiles the bot;
 * with `BENCH_HELPER_CPU_PROF=<dir>` the helpers (the database process among them) write profiles too.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  APP_SECRET,
  BOUND_FRACTION,
  BOUND_MIN_BYTES,
  EMPTY,
  Helper,
  LoadConnection,
  PHONE_NUMBER_ID,
  argValue,
  errorText,
  exposeGc,
  formatMb,
  formatMs,
  formatRate,
  machine,
  memoryReply,
  percentile,
  signedWebhookRequest,
  startBenchBot,
  startDatabaseProcess,
  startGraphStandIn,
  tempDir,
} from './bench-webhook.js';
import type {
  BenchBot,
  BenchLogLevel,
  ConnectionDriver,
  HelperChildMessage,
  HelperParentMessage,
  LoadHooks,
} from './bench-webhook.js';

export type RepliesDb = 'in-process' | 'separate';

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

/** One open-loop run at a fixed offered rate. */
export interface StepResult {
  label: string;
  /** Offered messages per second. */
  rate: number;
  seconds: number;
  /** Webhooks written (rate × seconds). */
  sent: number;
  /** Webhooks answered 200. */
  acked: number;
  /** Webhooks answered otherwise, or whose connection failed. */
  ackFailures: number;
  ackP99Ms: number;
  /** How late the generator wrote POSTs against their schedule (all connections busy). */
  writeLagP99Ms: number;
  /** Replies that reached the Graph stand-in inside the window, and per second of it. */
  repliesInWindow: number;
  repliesPerSec: number;
  /** Messages with their reply, counting the drain after the window. */
  replied: number;
  /** Messages without a reply after the drain. */
  missing: number;
  /** Second replies to the same customer (there should be none). */
  extra: number;
  /** Sends the bot recorded as failed. */
  sendFailures: number;
  /** Scheduled send of the POST → reply at the Graph stand-in, over replied messages. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Messages sent but not yet replied to, halfway through the window and at its end. */
  backlogMid: number;
  backlogEnd: number;
  /** `engine.backlog` (conversations waiting or active in memory) at the end of the window. */
  engineBacklogEnd: number;
  /** Seconds after the window until every reply was in (or the drain gave up). */
  drainSeconds: number;
  /** CPU time of this process (bot and, if in-process, database) during the window, % of one core. */
  botCpuPct: number;
  /** The database process's CPU time during the window, % of one core (separate database only). */
  dbCpuPct: number | undefined;
  /** The Graph stand-in's and the load generator's. */
  graphCpuPct: number;
  clientCpuPct: number;
  /**
   * CPU time the machine spent on everything else during the window (all cores busy time minus the four
   * processes above), % of one core: other work on a shared machine.
   */
  otherCpuPct: number;
  /** Replies ≥ 95% of offered, backlog growth over the second half < 5% of offered, nothing lost. */
  keepsUp: boolean;
}

export interface LatencyRun {
  reason: string;
  step: StepResult;
}

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

export interface SoakResult {
  rate: number;
  rateReason: string;
  db: RepliesDb;
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

/** The issue's targets. */
export const TARGET_REPLIES_PER_SEC = 1000;
export const TARGET_P99_MS = 100;
const TARGET_LATENCY_RATE = TARGET_REPLIES_PER_SEC / 2;
/** "Keeps up": replies per second at least this share of the offered rate… */
const KEEP_UP_FRACTION = 0.95;
/** …and the backlog grows by less than this share of the offered rate over the second half of the window. */
const BACKLOG_GROWTH_FRACTION = 0.05;
/** The soak runs at this share of the maximum sustained rate. */
const SOAK_FRACTION = 0.7;
/** A drain that sees no reply for this long gives up (the rest is reported missing). */
const DRAIN_STALL_MS = 15_000;
const DRAIN_MAX_MS = 300_000;
/** Digits after a step's wa_id prefix: the message's index within the step. */
const INDEX_DIGITS = 7;

// ---------------------------------------------------------------------------------------------------------
// Messages between this process and its helpers
// ---------------------------------------------------------------------------------------------------------

type Role = 'replies-client' | 'replies-graph';

interface OpenLoopSpec {
  label: string;
  port: number;
  rate: number;
  durationMs: number;
  connections: number;
  /** Every message i of the step comes from wa_id `${waIdPrefix}${i padded to 7 digits}`. */
  waIdPrefix: string;
  /** Makes wamids unique across steps and runs. */
  tag: string;
}

interface OpenLoopResult {
  /** Messages scheduled; message i was due at `startAt + i * intervalMs`. */
  count: number;
  /** Shared clock (`performance.timeOrigin + performance.now()`) of the generator, ms. */
  startAt: number;
  intervalMs: number;
  durationMs: number;
  written: number;
  ok: number;
  non200: number;
  errors: number;
  ackP99Ms: number;
  lagP99Ms: number;
  clientCpuPct: number;
}

type RepliesParentMessage =
  { type: 'run'; spec: OpenLoopSpec } | { type: 'clock' } | { type: 'take-records' } | HelperParentMessage;

type RepliesChildMessage =
  | { type: 'clock'; now: number }
  | { type: 'started'; at: number }
  | { type: 'window-end'; at: number }
  | { type: 'result'; result: OpenLoopResult }
  /** Replies received since the last take: recipient digits and arrival (shared clock, ms), in order. */
  | { type: 'records'; to: string[]; at: number[] }
  | HelperChildMessage;

type RepliesHelper = Helper<RepliesParentMessage, RepliesChildMessage>;

const thisFile = fileURLToPath(import.meta.url);

/** Wall-clock milliseconds with sub-millisecond resolution, readable the same way in every process. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

function waIdFor(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(INDEX_DIGITS, '0')}`;
}

function startRepliesHelper(role: Role): Promise<{ helper: RepliesHelper; address: string }> {
  return Helper.start<RepliesParentMessage, RepliesChildMessage>(role, [], thisFile);
}

// ---------------------------------------------------------------------------------------------------------
// Helper roles (child processes)
// ---------------------------------------------------------------------------------------------------------

function sendToParent(message: RepliesChildMessage): void {
  process.send?.(message);
}

const TO_FIELD = /"to":"\+?(\d+)"/;

async function runRole(role: Role): Promise<void> {
  // An orphaned helper must not outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
  const collect = exposeGc();
  if (role === 'replies-graph') {
    let to: string[] = [];
    let at: number[] = [];
    const server = await startGraphStandIn(0, (body) => {
      const now = clock();
      to.push(TO_FIELD.exec(body.toString('latin1'))?.[1] ?? '');
      at.push(now);
    });
    process.on('message', (raw) => {
      const message = raw as RepliesParentMessage;
      if (message.type === 'close') {
        server.close(() => process.exit(0));
        server.closeAllConnections();
      } else if (message.type === 'memory') sendToParent(memoryReply(message.gc, collect));
      else if (message.type === 'clock') sendToParent({ type: 'clock', now: clock() });
      else if (message.type === 'take-records') {
        sendToParent({ type: 'records', to, at });
        to = [];
        at = [];
      }
    });
    const port = (server.address() as AddressInfo).port;
    sendToParent({ type: 'ready', address: `http://127.0.0.1:${port}` });
    return;
  }
  process.on('message', (raw) => {
    const message = raw as RepliesParentMessage;
    if (message.type === 'close') process.exit(0);
    else if (message.type === 'memory') sendToParent(memoryReply(message.gc, collect));
    else if (message.type === 'clock') sendToParent({ type: 'clock', now: clock() });
    else if (message.type === 'run') {
      runOpenLoop(message.spec).then(
        (result) => sendToParent({ type: 'result', result }),
        (err: unknown) => sendToParent({ type: 'failed', message: errorText(err) }),
      );
    }
  });
  sendToParent({ type: 'ready', address: `client:${process.pid}` });
}

/** Hands out due messages, oldest first, to whichever connection is free. */
class OpenLoopDriver implements ConnectionDriver {
  stopping = false;
  /** Messages whose scheduled time has come, and those already written (always `written ≤ due`). */
  due = 0;
  written = 0;
  ok = 0;
  non200 = 0;
  errors = 0;
  acks = 0;
  start = Number.POSITIVE_INFINITY;
  readonly lag: Float64Array;
  readonly ackMs: Float64Array;
  readonly hooks: LoadHooks;

  constructor(
    private readonly requests: Buffer[],
    readonly intervalMs: number,
  ) {
    this.lag = new Float64Array(requests.length);
    this.ackMs = new Float64Array(requests.length);
    this.hooks = {
      next: () => {
        if (this.written >= this.due) return undefined;
        const index = this.written;
        this.written += 1;
        this.lag[index] = performance.now() - (this.start + index * this.intervalMs);
        const request = this.requests[index];
        this.requests[index] = EMPTY; // written once; let it go
        return request;
      },
      done: (status, latencyMs) => {
        if (this.acks < this.ackMs.length) this.ackMs[this.acks] = latencyMs;
        this.acks += 1;
        if (status === 200) this.ok += 1;
        else this.non200 += 1;
      },
      failed: () => {
        this.errors += 1;
      },
    };
  }

  settled(): void {}
}

async function runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const count = Math.max(1, Math.round((spec.rate * spec.durationMs) / 1000));
  const requests = Array.from({ length: count }, (_, index) =>
    signedWebhookRequest({
      port: spec.port,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      wamid: `wamid.RPL${spec.tag}N${index}`,
      waId: waIdFor(spec.waIdPrefix, index),
    }),
  );
  const driver = new OpenLoopDriver(requests, 1000 / spec.rate);
  const connections = Array.from({ length: spec.connections }, () => new LoadConnection(spec.port, driver));
  const dispatch = (): void => {
    for (const connection of connections) {
      if (driver.written >= driver.due) return;
      if (connection.idle) connection.kick();
    }
  };
  try {
    // Connect everything first: the window measures the bot, not connection set-up.
    for (const connection of connections) connection.kick();
    const connectBy = performance.now() + 5_000;
    while (!connections.every((c) => c.idle) && performance.now() < connectBy) await sleep(5);

    driver.start = performance.now() + 20;
    sendToParent({ type: 'started', at: performance.timeOrigin + driver.start });
    const cpuStart = process.cpuUsage();
    const windowEnd = driver.start + spec.durationMs;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (now < driver.start) return;
        driver.due = Math.min(count, Math.floor((now - driver.start) / driver.intervalMs) + 1);
        dispatch();
        if (now >= windowEnd) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    const cpu = process.cpuUsage(cpuStart);
    sendToParent({ type: 'window-end', at: clock() });
    // Messages still queued (every connection was busy) go out as connections free up; then the last acks.
    const giveUpAt = performance.now() + 30_000;
    while ((driver.written < count || connections.some((c) => c.inFlight)) && performance.now() < giveUpAt) {
      dispatch();
      await sleep(2);
    }
    driver.stopping = true;
    const lag = driver.lag.subarray(0, driver.written).sort();
    const ack = driver.ackMs.subarray(0, Math.min(driver.acks, count)).sort();
    return {
      count,
      startAt: performance.timeOrigin + driver.start,
      intervalMs: driver.intervalMs,
      durationMs: spec.durationMs,
      written: driver.written,
      ok: driver.ok,
      non200: driver.non200,
      errors: driver.errors,
      ackP99Ms: percentile(ack, 99),
      lagP99Ms: percentile(lag, 99),
      clientCpuPct: ((cpu.user + cpu.system) / 1000 / spec.durationMs) * 100,
    };
  } finally {
    driver.stopping = true;
    for (const connection of connections) connection.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// This process: the bot and the measurements
// ---------------------------------------------------------------------------------------------------------

interface ClockOffset {
  /** Helper clock minus this process's clock, ms. */
  offsetMs: number;
  /** Half the shortest IPC round trip: the offset is known to within this. */
  uncertaintyMs: number;
}

/** Estimates a helper's clock offset from IPC round trips (the one with the shortest round trip wins). */
async function measureOffset(helper: RepliesHelper): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 40; i += 1) {
    const reply = helper.next('clock');
    const before = clock();
    helper.send({ type: 'clock' });
    const { now } = await reply;
    const after = clock();
    if ((after - before) / 2 < best.uncertaintyMs) {
      best = { offsetMs: now - (before + after) / 2, uncertaintyMs: (after - before) / 2 };
    }
  }
  return best;
}

interface Rig {
  client: RepliesHelper;
  graph: RepliesHelper;
  graphUrl: string;
  clientClock: ClockOffset;
  graphClock: ClockOffset;
  connections: number;
  runTag: string;
  nextStep: number;
  log: (line: string) => void;
}

function deliveries(bot: BenchBot): number {
  const c = bot.bot.counters;
  return (
    c.get('outbox.sent') + c.get('outbox.failed') + c.get('outbox.skipped') + c.get('outbox.not-pending')
  );
}

async function takeRecords(graph: RepliesHelper): Promise<{ to: string[]; at: number[] }> {
  const reply = graph.next('records');
  graph.send({ type: 'take-records' });
  const { to, at } = await reply;
  return { to, at };
}

/**
 * One open-loop run at `rate` for `seconds`, then a drain until every reply is in. `during` runs alongside
 * the window, given its start on this process's clock.
 */
async function runStep(
  rig: Rig,
  running: RunningTarget,
  label: string,
  rate: number,
  seconds: number,
  during?: (startLocal: number) => Promise<void>,
): Promise<StepResult> {
  const { client, graph, log } = rig;
  const { target, dbProcess } = running;
  const { bot } = target;
  const step = rig.nextStep;
  rig.nextStep += 1;
  const prefix = `35${String(step).padStart(3, '0')}`;
  await takeRecords(graph); // late replies of an earlier step are not this step's
  const deliveredBefore = deliveries(target);
  const failedBefore = bot.counters.get('outbox.failed');
  log(`  ${label}: ${formatRate(rate)} msgs/s for ${seconds} s`);

  const started = client.next('started');
  const windowEnded = client.next('window-end');
  const finished = client.next('result');
  // If the generator fails, the first of these to be awaited reports it; the others must not go unhandled.
  for (const pending of [started, windowEnded, finished]) pending.catch(() => undefined);
  client.send({
    type: 'run',
    spec: {
      label,
      port: bot.port,
      rate,
      durationMs: seconds * 1000,
      connections: rig.connections,
      waIdPrefix: prefix,
      tag: `${rig.runTag}S${step}`,
    },
  });
  const startLocal = (await started).at - rig.clientClock.offsetMs;
  const cpuStart = process.cpuUsage();
  const cpuStartedAt = clock();
  const machineStart = machineBusyMs();
  const [dbCpuStart, graphCpuStart] = await Promise.all([dbProcess?.memory(false), graph.memory(false)]);
  const alongside = during ? during(startLocal) : Promise.resolve();
  await windowEnded;
  const cpu = process.cpuUsage(cpuStart);
  const machineBusy = machineBusyMs() - machineStart;
  const cpuWindowMs = clock() - cpuStartedAt;
  const [dbCpuEnd, graphCpuEnd] = await Promise.all([dbProcess?.memory(false), graph.memory(false)]);
  const pct = (micros: number): number => (micros / 1000 / cpuWindowMs) * 100;
  const botCpuPct = pct(cpu.user + cpu.system);
  const dbCpuPct = dbCpuStart && dbCpuEnd ? pct(dbCpuEnd.cpuMicros - dbCpuStart.cpuMicros) : undefined;
  const graphCpuPct = pct(graphCpuEnd.cpuMicros - graphCpuStart.cpuMicros);
  const engineBacklogEnd = bot.engine.backlog;
  const r = (await finished).result;
  const otherCpuPct = Math.max(
    0,
    (machineBusy / cpuWindowMs) * 100 - botCpuPct - (dbCpuPct ?? 0) - graphCpuPct - r.clientCpuPct,
  );
  await alongside;

  // Drain: wait until the bot has handled every acknowledged message.
  const drainStart = clock();
  let seen = deliveries(target);
  let lastProgress = drainStart;
  while (deliveries(target) - deliveredBefore < r.ok || bot.engine.backlog > 0) {
    const now = clock();
    if (now - lastProgress > DRAIN_STALL_MS || now - drainStart > DRAIN_MAX_MS) break;
    await sleep(20);
    const current = deliveries(target);
    if (current !== seen) {
      seen = current;
      lastProgress = clock();
    }
  }
  const windowEndLocal = startLocal + r.durationMs;
  const drainSeconds = Math.max(0, clock() - Math.max(drainStart, windowEndLocal)) / 1000;
  // The stand-in notes a reply before answering it, so every reply the bot has counted is in its list.
  const records = await takeRecords(graph);

  // Join replies to messages by recipient.
  const replyAt = new Float64Array(r.count).fill(Number.NaN);
  let extra = 0;
  for (let k = 0; k < records.to.length; k += 1) {
    const to = records.to[k] ?? '';
    const at = records.at[k];
    if (at === undefined || !to.startsWith(prefix) || to.length !== prefix.length + INDEX_DIGITS) continue;
    const index = Number(to.slice(prefix.length));
    if (!(index < r.count)) continue;
    if (Number.isNaN(replyAt[index])) replyAt[index] = at - rig.graphClock.offsetMs;
    else extra += 1;
  }
  const due = (index: number): number => startLocal + index * r.intervalMs;
  const latencies: number[] = [];
  const repliedTimes: number[] = [];
  for (let index = 0; index < r.count; index += 1) {
    const at = replyAt[index] ?? Number.NaN;
    if (Number.isNaN(at)) continue;
    latencies.push(at - due(index));
    repliedTimes.push(at);
  }
  const sortedLatency = Float64Array.from(latencies).sort();
  const sortedReplies = Float64Array.from(repliedTimes).sort();
  const repliedBy = (t: number): number => upperBound(sortedReplies, t);
  const sentBy = (t: number): number =>
    t < startLocal ? 0 : Math.min(r.count, Math.floor((t - startLocal) / r.intervalMs) + 1);
  const backlogAt = (t: number): number => sentBy(t) - repliedBy(t);
  const midLocal = startLocal + r.durationMs / 2;
  const repliesInWindow = repliedBy(windowEndLocal);
  const repliesPerSec = repliesInWindow / (r.durationMs / 1000);
  const backlogMid = backlogAt(midLocal);
  const backlogEnd = backlogAt(windowEndLocal);
  const missing = r.count - latencies.length;
  const ackFailures = r.non200 + r.errors + (r.count - r.written);
  const keepsUp =
    repliesPerSec >= KEEP_UP_FRACTION * rate &&
    backlogEnd - backlogMid <= BACKLOG_GROWTH_FRACTION * rate * (seconds / 2) &&
    missing === 0 &&
    ackFailures === 0;
  const result: StepResult = {
    label,
    rate,
    seconds,
    sent: r.written,
    acked: r.ok,
    ackFailures,
    ackP99Ms: r.ackP99Ms,
    writeLagP99Ms: r.lagP99Ms,
    repliesInWindow,
    repliesPerSec,
    replied: latencies.length,
    missing,
    extra,
    sendFailures: bot.counters.get('outbox.failed') - failedBefore,
    p50Ms: percentile(sortedLatency, 50),
    p99Ms: percentile(sortedLatency, 99),
    maxMs: sortedLatency[sortedLatency.length - 1] ?? 0,
    backlogMid,
    backlogEnd,
    engineBacklogEnd,
    drainSeconds,
    botCpuPct,
    dbCpuPct,
    graphCpuPct,
    clientCpuPct: r.clientCpuPct,
    otherCpuPct,
    keepsUp,
  };
  log(
    `  ${label}: ${formatRate(repliesPerSec)} replies/s, p50 ${formatMs(result.p50Ms)} ms, ` +
      `p99 ${formatMs(result.p99Ms)} ms, backlog ${backlogMid} → ${backlogEnd}, drained in ` +
      `${drainSeconds.toFixed(1)} s, missing ${missing}, ack failures ${ackFailures}, bot CPU ` +
      `${botCpuPct.toFixed(0)}%${dbCpuPct !== undefined ? `, database CPU ${dbCpuPct.toFixed(0)}%` : ''}, ` +
      `stand-in CPU ${graphCpuPct.toFixed(0)}%, generator CPU ${r.clientCpuPct.toFixed(0)}%, other CPU ` +
      `${otherCpuPct.toFixed(0)}%, generator lag p99 ${formatMs(r.lagP99Ms)} ms: ` +
      `${keepsUp ? 'keeps up' : 'falls behind'}`,
  );
  return result;
}

/** Busy time of all CPUs so far (everything but idle), ms. */
function machineBusyMs(): number {
  return os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

/** How many values of the ascending array are ≤ t. */
function upperBound(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function roundRate(n: number): number {
  return Math.max(10, Math.round(n / 10) * 10);
}

interface RunningTarget {
  target: BenchBot;
  dbProcess: Helper | undefined;
  close: () => Promise<void>;
}

async function startTarget(
  rig: Rig,
  db: RepliesDb,
  label: string,
  logLevel: BenchLogLevel,
  dirs: string[],
): Promise<RunningTarget> {
  const dataDir = tempDir(`replies-${label}`);
  dirs.push(dataDir);
  let dbProcess: Helper | undefined;
  let mongoUri: string | undefined;
  if (db === 'separate') {
    const started = await startDatabaseProcess(dataDir);
    dbProcess = started.helper;
    mongoUri = started.uri;
  }
  let target: BenchBot;
  try {
    target = await startBenchBot({
      graphUrl: rig.graphUrl,
      logLevel,
      ...(mongoUri ? { mongoUri } : { dataDir }),
      dbName: `polus_replies_${label}`,
    });
  } catch (err) {
    await dbProcess?.close();
    throw err;
  }
  let closed = false;
  return {
    target,
    dbProcess,
    close: async () => {
      if (closed) return;
      closed = true;
      await target.close();
      await dbProcess?.close();
    },
  };
}

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
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (rates.length === 0) throw new Error('at least one rate is needed');
  const loadBefore = os.loadavg();

  const helpers: Array<{ close(): Promise<void> }> = [];
  const dirs: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { helper: client } = await startRepliesHelper('replies-client');
    helpers.push(client);
    const { helper: graph, address: graphUrl } = await startRepliesHelper('replies-graph');
    helpers.push(graph);
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
    const main = await startTarget(rig, db, 'main', logLevel, dirs);
    cleanups.push(main.close);
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
        dirs,
        cleanups,
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
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const helper of helpers) await helper.close().catch(() => undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function formatOffset(o: ClockOffset): string {
  return `${o.offsetMs >= 0 ? '+' : ''}${o.offsetMs.toFixed(3)} ± ${o.uncertaintyMs.toFixed(3)} ms`;
}

async function runSoak(context: {
  rig: Rig;
  rate: number;
  rateReason: string;
  seconds: number;
  sampleSeconds: number;
  warmupSeconds: number;
  db: RepliesDb;
  logLevel: BenchLogLevel;
  dirs: string[];
  cleanups: Array<() => Promise<void>>;
}): Promise<SoakResult> {
  const { rig, rate, seconds, sampleSeconds, db, log } = { ...context, log: context.rig.log };
  const collect = exposeGc();
  const soak = await startTarget(rig, db, 'soak', context.logLevel, context.dirs);
  context.cleanups.push(soak.close);
  const { target, dbProcess } = soak;
  log(
    `(c) memory: ${seconds} s at ${formatRate(rate)} msgs/s (${context.rateReason}), database ${db}; ` +
      `warm-up ${context.warmupSeconds} s`,
  );
  if (context.warmupSeconds > 0) await runStep(rig, soak, 'soak warm-up', rate, context.warmupSeconds);

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
  await soak.close();

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

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------

interface RenderContext {
  seconds: number;
  warmupSeconds: number;
  latencySeconds: number;
  connections: number;
  db: RepliesDb;
  logLevel: BenchLogLevel;
  loadBefore: number[];
  loadAfter: number[];
  clientClock: ClockOffset;
  graphClock: ClockOffset;
}

function dbText(db: RepliesDb): string {
  return db === 'in-process'
    ? 'embedded database in the bot process (as the bot runs it without `MONGODB_URI`)'
    : 'embedded database in its own process (as a real MongoDB would be)';
}

function loadText(l: number[]): string {
  return l.map((n) => n.toFixed(2)).join(' / ');
}

function render(r: {
  steps: StepResult[];
  skipped: number[];
  maxSustained: number | undefined;
  latency: LatencyRun[];
  soak: SoakResult | undefined;
  context: RenderContext;
}): string {
  const c = r.context;
  const count = (n: number): string => n.toLocaleString('en-US');
  const separate = c.db === 'separate';
  const cpu = (n: number | undefined): string => (n === undefined ? '' : `${n.toFixed(0)}%`);
  const precision = c.clientClock.uncertaintyMs + c.graphClock.uncertaintyMs;
  const lines = [
    `Inbound signed webhook → reply received by the Graph API stand-in. Node ${process.version}, ${machine()}; ` +
      `load average (1/5/15 min) ${loadText(c.loadBefore)} at the start and ${loadText(c.loadAfter)} at the end ` +
      `(the machine is shared: other work may be running). The bot runs in this process: log level ` +
      `\`${c.logLevel}\` to a null sink, ${dbText(c.db)}, with its journal in a temporary directory (every ` +
      `write is in the journal before the database answers, fsync every 100 ms). The load generator ` +
      `(own process) writes pre-built, pre-signed webhooks open loop, at a fixed rate whatever the bot ` +
      `answers, over up to ${c.connections} keep-alive connections (a message waits only if all are busy). ` +
      `Every message comes from a new customer, so it gets exactly one reply (the greeting with the main menu, ` +
      `a list message); the Graph stand-in (own process, answers at once) notes when each reply has arrived and ` +
      `replies are matched to messages by \`to\` (+wa_id). **Latency** = reply received − the time the POST ` +
      `was due (it is written then unless every connection is busy, so a slow webhook answer counts); both ` +
      `processes read \`performance.timeOrigin + performance.now()\`, offsets to this process measured over IPC ` +
      `and corrected (load generator ${formatOffset(c.clientClock)}, stand-in ${formatOffset(c.graphClock)}), so ` +
      `latencies are good to about ${precision.toFixed(2)} ms. ${c.warmupSeconds} s warm-up before the first ` +
      `rate.`,
    '',
    '#### (a) Offered rates',
    '',
    `${c.seconds} s per rate, one after another on the same bot; each waits for its replies to drain before ` +
      `the next starts. Backlog = messages sent but not yet answered at the Graph stand-in, halfway through ` +
      `and at the end of the window. A rate **keeps up** when replies/s ≥ ${KEEP_UP_FRACTION * 100}% of ` +
      `offered, the backlog grows by less than ${BACKLOG_GROWTH_FRACTION * 100}% of the offered rate over the ` +
      `second half, and every message is answered (200 and a reply). CPU during the window in % of one core ` +
      `(2 cores in all): the bot process${separate ? ', the database process' : ' (bot and database)'}, the ` +
      `Graph stand-in, the load generator, and everything else on the machine (other work; the machine is ` +
      `shared).`,
    '',
    `| offered msgs/s | replies/s | % of offered | p50 ms | p99 ms | max ms | backlog mid → end | drain s | webhook 200 p99 ms | failed/missing | CPU bot${separate ? ' / database' : ''} / stand-in / generator / other | keeps up |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...r.steps.map(
      (s) =>
        `| ${count(s.rate)} | ${formatRate(s.repliesPerSec)} | ${((s.repliesPerSec / s.rate) * 100).toFixed(0)}% | ` +
        `${formatMs(s.p50Ms)} | ${formatMs(s.p99Ms)} | ${formatMs(s.maxMs)} | ${count(s.backlogMid)} → ` +
        `${count(s.backlogEnd)} | ${s.drainSeconds.toFixed(1)} | ${formatMs(s.ackP99Ms)} | ` +
        `${s.ackFailures + s.sendFailures}/${s.missing} | ${cpu(s.botCpuPct)}${separate ? ` / ${cpu(s.dbCpuPct)}` : ''} / ` +
        `${cpu(s.graphCpuPct)} / ${cpu(s.clientCpuPct)} / ${cpu(s.otherCpuPct)} | ${s.keepsUp ? 'yes' : '**no**'} |`,
    ),
    ...(r.skipped.length > 0
      ? [
          '',
          `Not run (\`--stop-early\`): ${r.skipped.map(count).join(', ')} msgs/s, as two lower rates in a row ` +
            'had already fallen behind.',
        ]
      : []),
    '',
    r.maxSustained !== undefined
      ? `Maximum sustained rate: **${count(r.maxSustained)} replies/s** (the highest offered rate that kept up).`
      : `Maximum sustained rate: **none of the offered rates kept up** (lowest ${count(r.steps[0]?.rate ?? 0)}/s).`,
  ];
  lines.push('', ...renderLatency(r.latency, c.latencySeconds));
  if (r.soak) lines.push('', ...renderSoak(r.soak));
  return lines.join('\n');
}

function renderLatency(runs: LatencyRun[], seconds: number): string[] {
  const count = (n: number): string => n.toLocaleString('en-US');
  if (runs.length === 0) return ['#### (b) Latency', '', 'Skipped.'];
  return [
    '#### (b) Latency',
    '',
    `${seconds} s per run, same bot, after (a). Other CPU: everything else on the machine, % of one core.`,
    '',
    '| offered msgs/s | chosen as | replies/s | p50 ms | p99 ms | max ms | failed/missing | other CPU | p99 < 100 ms |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runs.map(
      (l) =>
        `| ${count(l.step.rate)} | ${l.reason} | ${formatRate(l.step.repliesPerSec)} | ${formatMs(l.step.p50Ms)} | ` +
        `${formatMs(l.step.p99Ms)} | ${formatMs(l.step.maxMs)} | ${l.step.ackFailures + l.step.sendFailures}/` +
        `${l.step.missing} | ${l.step.otherCpuPct.toFixed(0)}% | ` +
        `${l.step.p99Ms < TARGET_P99_MS && l.step.missing === 0 ? 'yes' : '**no**'} |`,
    ),
  ];
}

function renderSoak(s: SoakResult): string[] {
  const separate = s.db === 'separate';
  const mb = (n: number | undefined): string => (n === undefined ? '' : formatMb(n));
  const count = (n: number): string => n.toLocaleString('en-US');
  const st = s.step;
  return [
    '#### (c) Memory over a longer run',
    '',
    `${st.seconds} s at ${count(s.rate)} msgs/s (${s.rateReason}) on a fresh bot, after a warm-up; ${dbText(s.db)}, ` +
      `journal in a temporary directory. ` +
      (separate
        ? "The embedded database keeps every document in memory, so it runs apart here: the bot's heap below " +
          "is the bot's own; the database's heap (which grows with the stored messages by design) is shown " +
          'apart. '
        : 'The embedded database keeps every document in memory: the stored messages are part of this heap, so it grows with them by design. ') +
      `Every ${s.samples[1]?.t ?? 5} s a full GC runs in the bot${separate ? ' and in the database process' : ''} (it pauses them briefly, which shows in the ` +
      `latency of this run) and the heap is read. Over the run: ${formatRate(st.repliesPerSec)} replies/s, ` +
      `p50 ${formatMs(st.p50Ms)} ms, p99 ${formatMs(st.p99Ms)} ms, max ${formatMs(st.maxMs)} ms, ` +
      `${st.ackFailures + st.sendFailures} failed, ${st.missing} missing, ${st.keepsUp ? 'kept up' : '**did not keep up**'}; ` +
      `CPU bot ${st.botCpuPct.toFixed(0)}%${st.dbCpuPct !== undefined ? `, database ${st.dbCpuPct.toFixed(0)}%` : ''}, ` +
      `everything else on the machine ${st.otherCpuPct.toFixed(0)}% of one core.`,
    '',
    `| t s | bot heap after GC MB | bot rss MB |${separate ? ' database heap after GC MB |' : ''} replies sent | messages offered | in-memory backlog |`,
    `| ---: | ---: | ---: |${separate ? ' ---: |' : ''} ---: | ---: | ---: |`,
    ...s.samples.map(
      (x) =>
        `| ${x.t} | ${mb(x.heapAfterGc)} | ${mb(x.rss)} |${separate ? ` ${mb(x.dbHeapAfterGc)} |` : ''} ` +
        `${count(x.replies)} | ${count(x.offered)} | ${count(x.backlogInMemory)} |`,
    ),
    '',
    `Heap ${s.flat ? '**flat**' : '**NOT flat**'}: ${s.flatReason}.` +
      (s.dbHeap
        ? ` Database process heap after GC ${formatMb(s.dbHeap.start)} → ${formatMb(s.dbHeap.mid)} → ` +
          `${formatMb(s.dbHeap.end)} MB (${st.replied > 0 ? ((s.dbHeap.end - s.dbHeap.start) / st.replied).toFixed(0) : '?'} bytes per message stored).`
        : ''),
  ];
}

function renderSummary(r: {
  steps: StepResult[];
  maxSustained: number | undefined;
  latency: LatencyRun[];
  soak: SoakResult | undefined;
  targets: { throughput: boolean; latency: boolean; memory: boolean | undefined };
}): string {
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const best = Math.max(...r.steps.map((s) => s.repliesPerSec));
  const lines = [
    `Summary: throughput target (≥ ${formatRate(TARGET_REPLIES_PER_SEC)} replies/s sustained) ` +
      `${met(r.targets.throughput)}: maximum sustained ` +
      `${r.maxSustained !== undefined ? `${formatRate(r.maxSustained)} msgs/s` : 'none of the offered rates'}` +
      ` (best reply rate reached ${formatRate(best)}/s).`,
  ];
  const [at500, atHalf] = r.latency;
  if (!at500) lines.push('Latency target: not measured (latency runs skipped).');
  else {
    lines.push(
      `Latency target (p99 < ${TARGET_P99_MS} ms at ${formatRate(at500.step.rate)} msgs/s) ${met(r.targets.latency)}: ` +
        `p50 ${formatMs(at500.step.p50Ms)} ms, p99 ${formatMs(at500.step.p99Ms)} ms` +
        (at500.step.keepsUp ? '' : ` (the bot did not keep up at ${formatRate(at500.step.rate)} msgs/s)`) +
        (atHalf
          ? `; at ${formatRate(atHalf.step.rate)} msgs/s (${atHalf.reason}): p50 ${formatMs(atHalf.step.p50Ms)} ms, ` +
            `p99 ${formatMs(atHalf.step.p99Ms)} ms`
          : '') +
        '.',
    );
  }
  if (r.soak) {
    lines.push(
      `Memory target (flat over ${r.soak.step.seconds} s) ${met(r.soak.flat)} at ${formatRate(r.soak.rate)} msgs/s: ` +
        `bot heap after GC ${formatMb(r.soak.heap.start)} → ${formatMb(r.soak.heap.mid)} → ` +
        `${formatMb(r.soak.heap.end)} MB (start → mid → end)` +
        (r.soak.step.keepsUp ? '' : '; the bot did not keep up with this rate') +
        '.',
    );
  } else lines.push('Memory target: not measured (soak skipped).');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

const USAGE =
  'usage: npx tsx scripts/bench-replies.ts [--seconds=5] [--warmup-seconds=3] ' +
  '[--rates=100,200,400,600,800,1000,1200] [--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N] ' +
  '[--sample-seconds=5] [--connections=100] [--db=separate|in-process] [--stop-early] ' +
  '[--log-level=warn|silent]\n';

export function parseRepliesArgs(argv: string[]): RepliesBenchOptions {
  const options: RepliesBenchOptions = {};
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < min) {
      throw new Error(`${flag} needs a number ≥ ${min}`);
    }
    return n;
  };
  const dbValue = (flag: string, value: string | undefined): RepliesDb => {
    if (value === 'in-process' || value === 'separate') return value;
    throw new Error(`${flag} is in-process or separate`);
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--seconds') options.seconds = number(flag, value, 1);
    else if (flag === '--warmup-seconds') options.warmupSeconds = number(flag, value, 0);
    else if (flag === '--rates') {
      options.rates = (value ?? '').split(',').map((part) => number(flag, part.trim(), 1));
    } else if (flag === '--latency-seconds') options.latencySeconds = number(flag, value, 0);
    else if (flag === '--soak-seconds') options.soakSeconds = number(flag, value, 0);
    else if (flag === '--soak-rate') options.soakRate = number(flag, value, 1);
    else if (flag === '--sample-seconds') options.sampleSeconds = number(flag, value, 1);
    else if (flag === '--connections') options.connections = Math.round(number(flag, value, 1));
    else if (flag === '--db') options.db = dbValue(flag, value);
    else if (flag === '--stop-early' && value === undefined) options.stopEarly = true;
    else if (flag === '--log-level' && (value === 'warn' || value === 'silent')) options.logLevel = value;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

const ROLES: readonly Role[] = ['replies-client', 'replies-graph'];
const roleArg = argValue(process.argv.slice(2), 'role');
const role = ROLES.find((r) => r === roleArg);
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (role !== undefined && process.send !== undefined && invokedDirectly) {
  runRole(role).catch((err: unknown) => {
    sendToParent({ type: 'failed', message: errorText(err) });
    process.exit(1);
  });
} else if (invokedDirectly) {
  Promise.resolve()
    .then(() => runRepliesBench(parseRepliesArgs(process.argv.slice(2))))
    .then((result) => {
      process.stdout.write(`### End-to-end replies\n\n${result.markdown}\n\n${result.summary}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench-replies failed: ${errorText(err)}\n`);
      process.exitCode = 1;
    });
}
