/**
 * The closed-loop load generator of the webhook benchmark: N keep-alive connections, each sending its next
 * pre-built, pre-signed request as soon as the previous one is answered. `clientRole` runs in the `client`
 * helper process; `measureTarget` drives it from the benchmark process.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorText, formatMs, formatRate, percentile } from './format.js';
import { Helper, sendToParent } from './helper.js';
import type { HelperChildMessage, HelperParentMessage, RoleHandle, Tagged } from './helper.js';
import { EMPTY, LoadConnection, signedWebhookRequest } from './http-load.js';
import type { ConnectionDriver, LoadHooks } from './http-load.js';

/** What the load generator saw during one measured window. */
export interface LoadStats {
  label: string;
  connections: number;
  windowMs: number;
  /** 200 responses completed inside the window. */
  ok: number;
  /** Other statuses completed inside the window. */
  non200: number;
  /** Connections that failed or closed with a request in flight, inside the window. */
  errors: number;
  statuses: Record<string, number>;
  acksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The load generator's CPU time during the window, as % of one core. */
  clientCpuPct: number;
  /** 200s over the whole run (warm-up, window and the drain after it), for the durability check. */
  totalOk: number;
  warmupRate: number;
  /** Requests built and signed before the window, and those that had to be built during it. */
  prebuilt: number;
  builtDuringWindow: number;
  /** Size of one request on the wire (head and body). */
  requestBytes: number;
}

/** Distinct senders the webhook benchmark's messages rotate through. */
export const CUSTOMERS = 1000;
/** Never pre-build more requests than this (about 0.6 kB each). */
const MAX_PREBUILT = 400_000;

/** One load: where, how hard, for how long, and what the messages look like. */
export interface LoadSpec {
  label: string;
  port: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  appSecret: string;
  phoneNumberId: string;
  /** Makes wamids unique across targets and runs. */
  tag: string;
  /** Distinct senders the messages rotate through; 0 gives every message a new sender. */
  customers: number;
}

/** What the generator is doing, as it reports it. */
export type LoadPhase = 'warm-up' | 'building' | 'measuring' | 'draining';

type LoadParentMessage = { type: 'run'; spec: LoadSpec } | HelperParentMessage;

type LoadChildMessage =
  | { type: 'phase'; phase: LoadPhase; detail?: string }
  | { type: 'progress'; ok: number; elapsedMs: number }
  | { type: 'result'; stats: LoadStats }
  | HelperChildMessage;

/** The `client` helper, as the benchmark process sees it. */
export type LoadClient = Helper<LoadParentMessage, LoadChildMessage>;

/** Starts the `client` helper process. */
export async function startLoadClient(): Promise<LoadClient> {
  const { helper } = await Helper.start<LoadParentMessage, LoadChildMessage>('client', []);
  return helper;
}

function send(message: LoadChildMessage): void {
  sendToParent(message);
}

/** Builds complete HTTP/1.1 requests (head and signed body), each with a fresh wamid. */
function requestBuilder(spec: LoadSpec): () => Buffer {
  let serial = 0;
  return () => {
    serial += 1;
    return signedWebhookRequest({
      port: spec.port,
      appSecret: spec.appSecret,
      phoneNumberId: spec.phoneNumberId,
      wamid: `wamid.BENCH${spec.tag}${serial.toString(36).padStart(8, '0')}`,
      waId: String(34600000000 + (spec.customers > 0 ? serial % spec.customers : serial)),
    });
  };
}

/** Runs N connections for a while, each sending its next request as soon as the previous one is answered. */
class LoadDriver implements ConnectionDriver {
  stopping = true;
  hooks: LoadHooks = { next: () => EMPTY, done: () => undefined, failed: () => undefined };
  private readonly connections: LoadConnection[];
  private idleWaiter: (() => void) | undefined;

  constructor(port: number, count: number) {
    this.connections = Array.from({ length: count }, () => new LoadConnection(port, this));
  }

  /** Sends for `ms`, then stops issuing requests and waits (up to `drainMs`) for those in flight. */
  async runFor(ms: number, hooks: LoadHooks, drainMs = 30_000): Promise<void> {
    this.hooks = hooks;
    this.stopping = false;
    for (const connection of this.connections) connection.kick();
    await sleep(ms);
    this.stopping = true;
    const idle = new Promise<void>((resolve) => {
      this.idleWaiter = resolve;
    });
    this.settled();
    const timedOut = await Promise.race([idle.then(() => false), sleep(drainMs).then(() => true)]);
    if (timedOut) {
      for (const connection of this.connections) connection.destroy();
      await idle;
    }
    this.idleWaiter = undefined;
  }

  /** Called whenever a request finishes either way; resolves the drain once none is in flight. */
  settled(): void {
    if (this.stopping && this.idleWaiter && this.connections.every((c) => !c.inFlight)) this.idleWaiter();
  }

  close(): void {
    this.stopping = true;
    for (const connection of this.connections) connection.destroy();
  }
}

async function runLoad(spec: LoadSpec): Promise<LoadStats> {
  const build = requestBuilder(spec);
  const driver = new LoadDriver(spec.port, spec.connections);
  let totalOk = 0;
  try {
    // Warm-up: requests built on the fly; its rate sizes the pre-built pool for the window.
    send({ type: 'phase', phase: 'warm-up' });
    let warmupDone = 0;
    const warmStarted = performance.now();
    await driver.runFor(spec.warmupMs, {
      next: build,
      done: (status) => {
        warmupDone += 1;
        if (status === 200) totalOk += 1;
      },
      failed: () => undefined,
    });
    const warmupRate = spec.warmupMs > 0 ? warmupDone / ((performance.now() - warmStarted) / 1000) : 0;

    const poolSize = Math.min(
      MAX_PREBUILT,
      Math.ceil(Math.max(warmupRate, 2000) * 2 * (spec.durationMs / 1000)) + spec.connections * 4,
    );
    send({ type: 'phase', phase: 'building', detail: `${poolSize} requests` });
    const pool = Array.from({ length: poolSize }, build);
    const requestBytes = pool[0]?.length ?? 0;

    let next = 0;
    let builtDuringWindow = 0;
    let ok = 0;
    let non200 = 0;
    let errors = 0;
    const statuses: Record<string, number> = {};
    let latencies = new Float64Array(poolSize);
    let count = 0;
    send({ type: 'phase', phase: 'measuring' });
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const deadline = started + spec.durationMs;
    const progress = setInterval(
      () => send({ type: 'progress', ok, elapsedMs: performance.now() - started }),
      1000,
    );
    try {
      await driver.runFor(spec.durationMs, {
        next: () => {
          const request = pool[next];
          if (request !== undefined) {
            pool[next] = EMPTY; // sent once; let it go
            next += 1;
            return request;
          }
          builtDuringWindow += 1;
          return build();
        },
        done: (status, latencyMs, completedAt) => {
          if (status === 200) totalOk += 1;
          if (completedAt > deadline) return;
          if (status === 200) ok += 1;
          else non200 += 1;
          statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
          if (count === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[count] = latencyMs;
          count += 1;
        },
        failed: (at) => {
          if (at <= deadline) errors += 1;
        },
      });
    } finally {
      clearInterval(progress);
    }
    const cpu = process.cpuUsage(cpuStart);
    send({ type: 'phase', phase: 'draining' });
    const windowMs = spec.durationMs;
    const sorted = latencies.subarray(0, count).sort();
    return {
      label: spec.label,
      connections: spec.connections,
      windowMs,
      ok,
      non200,
      errors,
      statuses,
      acksPerSec: ok / (windowMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? 0,
      clientCpuPct: ((cpu.user + cpu.system) / 1000 / windowMs) * 100,
      totalOk,
      warmupRate,
      prebuilt: poolSize,
      builtDuringWindow,
      requestBytes,
    };
  } finally {
    driver.close();
  }
}

/** The `client` role: runs each load it is sent and answers with its figures. */
export function closedLoopRole(): RoleHandle {
  return {
    address: `client:${process.pid}`,
    close: () => process.exit(0),
    handle: (raw: Tagged) => {
      const message = raw as LoadParentMessage;
      if (message.type === 'run') {
        runLoad(message.spec).then(
          (stats) => send({ type: 'result', stats }),
          (err: unknown) => send({ type: 'failed', message: errorText(err) }),
        );
      }
    },
  };
}

/** Runs one load through the client helper; `onPhase`/`onProgress` see its messages as they come. */
export async function measureTarget(
  client: LoadClient,
  spec: LoadSpec,
  log: (line: string) => void,
  listeners: {
    onPhase?: (phase: LoadPhase) => void;
    onProgress?: (ok: number, elapsedMs: number) => void;
  } = {},
): Promise<LoadStats> {
  const result = client.next('result');
  const unsubscribe = client.on((message) => {
    if (message.type === 'phase') {
      log(`  ${spec.label}: ${message.phase}${message.detail ? ` (${message.detail})` : ''}`);
      listeners.onPhase?.(message.phase);
    } else if (message.type === 'progress') listeners.onProgress?.(message.ok, message.elapsedMs);
  });
  let stats: LoadStats;
  try {
    client.send({ type: 'run', spec });
    stats = (await result).stats;
  } finally {
    unsubscribe();
  }
  log(
    `  ${spec.label}: ${formatRate(stats.acksPerSec)} acks/s, p50 ${formatMs(stats.p50Ms)} ms, ` +
      `p99 ${formatMs(stats.p99Ms)} ms, non-200 ${stats.non200}, errors ${stats.errors}, ` +
      `client CPU ${stats.clientCpuPct.toFixed(0)}% of a core`,
  );
  return stats;
}
