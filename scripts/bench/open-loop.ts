/**
 * The replies benchmark's helpers: an open-loop load generator (pre-built, pre-signed webhooks written at a
 * fixed rate whatever the bot answers) and a Graph API stand-in that notes when each reply arrived and to
 * whom. Both read the same clock as the benchmark process, so latencies can be joined across processes.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_SECRET, PHONE_NUMBER_ID } from './fixture.js';
import { errorText, percentile } from './format.js';
import { Helper, sendToParent } from './helper.js';
import type { HelperChildMessage, HelperParentMessage, RoleHandle, Tagged } from './helper.js';
import { EMPTY, LoadConnection, signedWebhookRequest } from './http-load.js';
import type { ConnectionDriver, LoadHooks } from './http-load.js';
import { startGraphStandIn } from './servers.js';

/** Digits after a step's wa_id prefix: the message's index within the step. */
export const INDEX_DIGITS = 7;

/** One open-loop run: where, at what rate, for how long, and from which customers. */
export interface OpenLoopSpec {
  label: string;
  port: number;
  /** With more than one bot: connection i goes to `ports[i % ports.length]` (default `[port]`). */
  ports?: number[];
  rate: number;
  durationMs: number;
  connections: number;
  /** Every message i of the step comes from wa_id `${waIdPrefix}${i padded to 7 digits}`. */
  waIdPrefix: string;
  /** Makes wamids unique across steps and runs. */
  tag: string;
}

/** What the generator saw of one run (the replies are counted at the stand-in). */
export interface OpenLoopResult {
  /** Messages scheduled; message i was due at `startAt + i * intervalMs`. */
  count: number;
  /** Shared clock (`performance.timeOrigin + performance.now()`) of the generator, ms. */
  startAt: number;
  intervalMs: number;
  durationMs: number;
  written: number;
  ok: number;
  non200: number;
  /** Of the non-200 answers, those that were 503 (overload: Meta retries later). */
  status503: number;
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

/** The replies helpers, as the benchmark process sees them. */
export type RepliesHelper = Helper<RepliesParentMessage, RepliesChildMessage>;

/** Starts the `replies-client` or `replies-graph` helper process. */
export function startRepliesHelper(
  role: 'replies-client' | 'replies-graph',
): Promise<{ helper: RepliesHelper; address: string }> {
  return Helper.start<RepliesParentMessage, RepliesChildMessage>(role, []);
}

/** Wall-clock milliseconds with sub-millisecond resolution, readable the same way in every process. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** The wa_id message `index` of a step comes from. */
function waIdFor(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(INDEX_DIGITS, '0')}`;
}

function send(message: RepliesChildMessage): void {
  sendToParent(message);
}

const TO_FIELD = /"to":"\+?(\d+)"/;

/** The `replies-graph` role: a stand-in answering at once, noting each reply's recipient and arrival. */
export async function repliesGraphRole(): Promise<RoleHandle> {
  let to: string[] = [];
  let at: number[] = [];
  const server = await startGraphStandIn(0, (body) => {
    const now = clock();
    to.push(TO_FIELD.exec(body.toString('latin1'))?.[1] ?? '');
    at.push(now);
  });
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    },
    handle: (raw: Tagged) => {
      const message = raw as RepliesParentMessage;
      if (message.type === 'clock') send({ type: 'clock', now: clock() });
      else if (message.type === 'take-records') {
        send({ type: 'records', to, at });
        to = [];
        at = [];
      }
    },
  };
}

/** The `replies-client` role: runs each open-loop run it is sent and answers with its figures. */
export function repliesClientRole(): RoleHandle {
  return {
    address: `client:${process.pid}`,
    close: () => process.exit(0),
    handle: (raw: Tagged) => {
      const message = raw as RepliesParentMessage;
      if (message.type === 'clock') send({ type: 'clock', now: clock() });
      else if (message.type === 'run') {
        runOpenLoop(message.spec).then(
          (result) => send({ type: 'result', result }),
          (err: unknown) => send({ type: 'failed', message: errorText(err) }),
        );
      }
    },
  };
}

/** Hands out due messages, oldest first, to whichever connection is free. */
class OpenLoopDriver implements ConnectionDriver {
  stopping = false;
  /** Messages whose scheduled time has come, and those already written (always `written ≤ due`). */
  due = 0;
  written = 0;
  ok = 0;
  non200 = 0;
  status503 = 0;
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
        else {
          this.non200 += 1;
          if (status === 503) this.status503 += 1;
        }
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
  const ports = spec.ports && spec.ports.length > 0 ? spec.ports : [spec.port];
  const connections = Array.from(
    { length: spec.connections },
    (_, i) => new LoadConnection(ports[i % ports.length] ?? spec.port, driver),
  );
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
    send({ type: 'started', at: performance.timeOrigin + driver.start });
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
    send({ type: 'window-end', at: clock() });
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
      status503: driver.status503,
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
