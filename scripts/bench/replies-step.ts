/**
 * One step of the replies benchmark: an open-loop run at a fixed rate against the bot, a drain until every
 * reply is in, and the join of replies to messages (by recipient) into latency, backlog and CPU figures.
 * Also the rig the steps share: helpers, clock offsets, and the bot with its database placed.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlacedBot } from './bench-bot.js';
import type { PlacedBot, Teardown } from './bench-bot.js';
import { figuresOf, remoteFigures } from './bot-role.js';
import type { BotFigures, BotHelper } from './bot-role.js';
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { formatMs, formatRate, percentile, upperBound } from './format.js';
import { INDEX_DIGITS, clock } from './open-loop.js';
import type { RepliesHelper } from './open-loop.js';

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
  /** Of those, 503 answers (overload: Meta would retry later). */
  status503: number;
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

/** "Keeps up": replies per second at least this share of the offered rate… */
export const KEEP_UP_FRACTION = 0.95;
/** …and the backlog grows by less than this share of the offered rate over the second half of the window. */
export const BACKLOG_GROWTH_FRACTION = 0.05;
/** A drain that sees no reply for this long gives up (the rest is reported missing). */
const DRAIN_STALL_MS = 15_000;
const DRAIN_MAX_MS = 300_000;

/** A helper's clock against this process's. */
export interface ClockOffset {
  /** Helper clock minus this process's clock, ms. */
  offsetMs: number;
  /** Half the shortest IPC round trip: the offset is known to within this. */
  uncertaintyMs: number;
}

/** Estimates a helper's clock offset from IPC round trips (the one with the shortest round trip wins). */

/** Estimates a helper's clock offset from IPC round trips (the one with the shortest round trip wins). */
export async function measureOffset(helper: RepliesHelper): Promise<ClockOffset> {
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

/** An offset as the report states it: `+0.123 ± 0.045 ms`. */
export function formatOffset(o: ClockOffset): string {
  return `${o.offsetMs >= 0 ? '+' : ''}${o.offsetMs.toFixed(3)} ± ${o.uncertaintyMs.toFixed(3)} ms`;
}

/** What every step uses: the helpers, their clock offsets, and the step counter. */
export interface Rig {
  client: RepliesHelper;
  graph: RepliesHelper;
  graphUrl: string;
  clientClock: ClockOffset;
  graphClock: ClockOffset;
  connections: number;
  runTag: string;
  /** Extra environment for the bots `startTarget` starts (`INBOX_BACKLOG_LIMIT`). */
  botEnv?: Record<string, string>;
  nextStep: number;
  log: (line: string) => void;
}

/**
 * The bots a step runs against: the one in this process (`PlacedBot`) and, optionally, bots in helper
 * processes on the same database (`remotes`). `ports` are where the load goes (default: this process's bot).
 */
export interface StepBots extends PlacedBot {
  remotes?: BotHelper[];
  ports?: number[];
}

/** The figures of every bot of the step, summed. */
async function figures(running: StepBots): Promise<BotFigures> {
  const all = [figuresOf(running.target), ...(await Promise.all((running.remotes ?? []).map(remoteFigures)))];
  return all.reduce((sum, f) => ({
    deliveries: sum.deliveries + f.deliveries,
    failed: sum.failed + f.failed,
    backlog: sum.backlog + f.backlog,
  }));
}

/** CPU time so far of the bots in helper processes, µs. */
async function remoteCpuMicros(running: StepBots): Promise<number> {
  const readings = await Promise.all((running.remotes ?? []).map((r) => r.memory(false)));
  return readings.reduce((sum, m) => sum + m.cpuMicros, 0);
}

/** The replies the stand-in noted since the last take. */
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
export async function runStep(
  rig: Rig,
  running: StepBots,
  label: string,
  rate: number,
  seconds: number,
  during?: (startLocal: number) => Promise<void>,
  options: { drain?: boolean } = {},
): Promise<StepResult> {
  const { client, graph, log } = rig;
  const { target, dbProcess } = running;
  const { bot } = target;
  const drain = options.drain ?? true;
  const step = rig.nextStep;
  rig.nextStep += 1;
  const prefix = `35${String(step).padStart(3, '0')}`;
  await takeRecords(graph); // late replies of an earlier step are not this step's
  const before = await figures(running);
  const deliveredBefore = before.deliveries;
  const failedBefore = before.failed;
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
      ...(running.ports ? { ports: running.ports } : {}),
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
  const [dbCpuStart, graphCpuStart, remoteStart] = await Promise.all([
    dbProcess?.memory(false),
    graph.memory(false),
    remoteCpuMicros(running),
  ]);
  const alongside = during ? during(startLocal) : Promise.resolve();
  await windowEnded;
  const cpu = process.cpuUsage(cpuStart);
  const machineBusy = machineBusyMs() - machineStart;
  const cpuWindowMs = clock() - cpuStartedAt;
  const [dbCpuEnd, graphCpuEnd, remoteEnd, atEnd] = await Promise.all([
    dbProcess?.memory(false),
    graph.memory(false),
    remoteCpuMicros(running),
    figures(running),
  ]);
  const pct = (micros: number): number => (micros / 1000 / cpuWindowMs) * 100;
  const botCpuPct = pct(cpu.user + cpu.system + remoteEnd - remoteStart);
  const dbCpuPct = dbCpuStart && dbCpuEnd ? pct(dbCpuEnd.cpuMicros - dbCpuStart.cpuMicros) : undefined;
  const graphCpuPct = pct(graphCpuEnd.cpuMicros - graphCpuStart.cpuMicros);
  const engineBacklogEnd = atEnd.backlog;
  const r = (await finished).result;
  const otherCpuPct = Math.max(
    0,
    (machineBusy / cpuWindowMs) * 100 - botCpuPct - (dbCpuPct ?? 0) - graphCpuPct - r.clientCpuPct,
  );
  await alongside;

  // Drain: wait until the bot has handled every acknowledged message.
  const drainStart = clock();
  let seen = atEnd.deliveries;
  let lastProgress = drainStart;
  let now = await figures(running);
  while (drain && (now.deliveries - deliveredBefore < r.ok || now.backlog > 0)) {
    const t = clock();
    if (t - lastProgress > DRAIN_STALL_MS || t - drainStart > DRAIN_MAX_MS) break;
    await sleep(20);
    now = await figures(running);
    if (now.deliveries !== seen) {
      seen = now.deliveries;
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
    status503: r.status503,
    ackP99Ms: r.ackP99Ms,
    writeLagP99Ms: r.lagP99Ms,
    repliesInWindow,
    repliesPerSec,
    replied: latencies.length,
    missing,
    extra,
    sendFailures: now.failed - failedBefore,
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
      `${drainSeconds.toFixed(1)} s, missing ${missing}, duplicates ${extra}, ack failures ${ackFailures} ` +
      `(${r.status503} × 503), webhook p99 ${formatMs(r.ackP99Ms)} ms, bot CPU ` +
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

/** Rounds a rate to fives below 100 and to tens above, at least 5. */
export function roundRate(n: number): number {
  const step = n < 100 ? 5 : 10;
  return Math.max(5, Math.round(n / step) * step);
}

/** The bot for a run of steps, database placed as `db`, journal in a temporary directory. */
export function startTarget(
  rig: Rig,
  db: DbPlacement,
  label: string,
  logLevel: BenchLogLevel,
  teardown: Teardown,
): Promise<PlacedBot> {
  return startPlacedBot({
    graphUrl: rig.graphUrl,
    logLevel,
    db,
    dataDir: teardown.tempDir(`replies-${label}`),
    dbName: `polus_replies_${label}`,
    ...(rig.botEnv ? { env: rig.botEnv } : {}),
  });
}

/** A latency run of (b), and why its rate was chosen. */
export interface LatencyRun {
  reason: string;
  step: StepResult;
}
