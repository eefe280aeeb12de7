/**
 * Benchmarks signed webhook ingest: the real bot's `POST /webhook` against a bare Express 5 handler, under
 * the same load in the same run, then the bot's memory under sustained overload.
 *
 *   npx tsx scripts/bench-webhook.ts [--seconds=10] [--warmup-seconds=2] [--overload-seconds=30]
 *     [--connections=50] [--graph-delay-ms=200] [--log-level=warn|silent] [--overload-db=separate|in-process]
 *     [--breakdown]
 *
 * Processes: this one runs the servers (bare Express, then the bot with its embedded database in-process on
 * a temporary data directory, so every acknowledgement has been written to the journal). Helpers run in
 * child processes started from this same file (`--role=…`): the load generator (raw keep-alive sockets
 * writing pre-built, pre-signed requests, so its CPU cost stays small), the Graph API stand-in the bot sends
 * its replies to, and, for the overload run, the embedded database, so that the bot's own heap can be told
 * apart from the documents piling up in the database. Everything shares one machine; the output says so.
 *
 * The overload run makes the Graph stand-in slow (200 ms per send), so the conversation engine falls far
 * behind intake; it samples memory every second and reports whether the bot's heap stayed bounded while the
 * backlog grew in the database.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import express from 'express';
import { startBot } from '../src/bot.js';
import type { RunningBot } from '../src/bot.js';
import { BusinessDirectory } from '../src/businesses/directory.js';
import { businessInput, toBusinessData } from '../src/businesses/schema.js';
import { loadConfig } from '../src/config.js';
import { inboundText } from '../src/webhook/payloads.js';
import { startEmbeddedServer } from '../src/db/embedded/index.js';
import { createLogger } from '../src/log.js';
import { signBody } from '../src/webhook/signature.js';

export type BenchLogLevel = 'warn' | 'silent';
export type OverloadDb = 'separate' | 'in-process';

export interface WebhookBenchOptions {
  /** Measured seconds per target (bare Express, bot). Default 10. */
  seconds?: number;
  /** Unmeasured seconds before each measurement (JIT, connection set-up, caches). Default 2. */
  warmupSeconds?: number;
  /** Seconds of sustained overload against the bot with a slow Graph API; 0 skips it. Default 30. */
  overloadSeconds?: number;
  /** Concurrent keep-alive connections, one request in flight on each. Default 50. */
  connections?: number;
  /** How long the Graph stand-in takes per send during the overload run. Default 200 ms. */
  graphDelayMs?: number;
  /** The bot's log level (logs go to a null sink either way). Default 'warn'. */
  logLevel?: BenchLogLevel;
  /**
   * Where the embedded database runs during the overload run: `separate` (default) in its own process, so
   * the bot's heap is the bot's alone, as with a real MongoDB; `in-process` as `npm run dev` runs it, where
   * the stored backlog is part of the same heap.
   */
  overloadDb?: OverloadDb;
  /**
   * Also measure the bot with parts of its work removed (conversation engine stopped; a phone number id
   * with no business, so nothing is stored) and with the database in its own process, to show where its
   * time goes. Default false.
   */
  breakdown?: boolean;
  /** Progress output; defaults to stderr so stdout carries only the report. */
  log?: (line: string) => void;
}

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

export interface IngestRow {
  target: 'bare' | 'bot';
  stats: LoadStats;
}

export interface BreakdownRow {
  name: string;
  stats: LoadStats;
}

export interface BotWindowFacts {
  /** Messages whose replies were sent during the measured window (processing runs alongside intake). */
  processedInWindow: number;
  /** The engine's in-memory backlog (conversations waiting or active) when the window ended. */
  backlogInMemoryAtEnd: number;
  /** Inbox entries still pending in the database after the load stopped. */
  pendingInDbAtEnd: number;
  /** Inbox entries in the database vs 200s the load generator received: every ack must be stored. */
  inboxEntries: number;
  acknowledged: number;
}

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

export interface WebhookBenchResult {
  bare: LoadStats;
  bot: LoadStats;
  botFacts: BotWindowFacts;
  /** Extra bot rows with parts of the work removed (empty unless `breakdown`). */
  breakdown: BreakdownRow[];
  /** bot acks/s ÷ bare acks/s. */
  ratio: number;
  meetsTarget: boolean;
  overload: OverloadResult | undefined;
  /** Markdown for the ingest comparison (context line and table). */
  ingestMarkdown: string;
  /** Markdown for the overload run, empty when it was skipped. */
  overloadMarkdown: string;
  summary: string;
}

/** The issue's target: durable ingest at no less than half the bare-Express rate. */
export const TARGET_RATIO = 0.5;

export const APP_SECRET = 'bench_app_secret_0123456789abcdef';
const VERIFY_TOKEN = 'bench-verify-token';
const ACCESS_TOKEN = 'bench-access-token-EAAG0000';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const PEPPER = 'bench-pepper-0123456789abcdef0123456789';
export const PHONE_NUMBER_ID = '100000000000777';
/** A phone number id no business is configured for: the bot acknowledges and stores nothing. */
const UNKNOWN_PHONE_NUMBER_ID = '100000000000999';
/** Distinct senders the generated messages rotate through. */
const CUSTOMERS = 1000;
/** Never pre-build more requests than this (about 0.6 kB each). */
const MAX_PREBUILT = 400_000;
/** A forced GC's retained heap may grow this much over the second half of the overload window. */
export const BOUND_MIN_BYTES = 8 * 1024 * 1024;
export const BOUND_FRACTION = 0.1;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Messages between this process and its helpers
// ---------------------------------------------------------------------------------------------------------

type Role = 'client' | 'graph' | 'db';

interface LoadSpec {
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

type ParentMessage = { type: 'run'; spec: LoadSpec } | HelperParentMessage;

type LoadPhase = 'warm-up' | 'building' | 'measuring' | 'draining';

type ChildMessage =
  | { type: 'phase'; phase: LoadPhase; detail?: string }
  | { type: 'progress'; ok: number; elapsedMs: number }
  | { type: 'result'; stats: LoadStats }
  | HelperChildMessage;

const thisFile = fileURLToPath(import.meta.url);

/** Messages every helper understands, whatever its role. */
export type HelperParentMessage = { type: 'memory'; gc: boolean } | { type: 'close' };

/** Messages every helper sends, whatever its role. */
export type HelperChildMessage =
  | { type: 'ready'; address: string }
  /** `cpuMicros`: the helper's CPU time so far (user + system), µs. */
  | { type: 'memory'; rss: number; heapUsed: number; cpuMicros: number }
  | { type: 'failed'; message: string };

interface Tagged {
  type: string;
}

/**
 * A child process running one helper role, spoken to over IPC. By default the roles of this file
 * (`client`, `graph`, `db`); other benchmark scripts pass their own file, role and message types.
 */
export class Helper<P extends Tagged = ParentMessage, C extends Tagged = ChildMessage> {
  private constructor(
    readonly role: string,
    private readonly child: ChildProcess,
  ) {}

  /** Forks `file --role=<role>` and waits for its `ready` message (which carries its address). */
  static async start<P extends Tagged = ParentMessage, C extends Tagged = ChildMessage>(
    role: string,
    args: string[],
    file: string = thisFile,
  ): Promise<{ helper: Helper<P, C>; address: string }> {
    // The tsx loader flags are inherited; profiling and inspector flags are not (they are for this process).
    // BENCH_HELPER_CPU_PROF=<dir> profiles the helpers too (Node refuses --cpu-prof in NODE_OPTIONS).
    const execArgv = process.execArgv.filter((arg) => !/^--(cpu-prof|heap-prof|inspect|prof)/.test(arg));
    const profileDir = process.env.BENCH_HELPER_CPU_PROF;
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    const child = fork(file, [`--role=${role}`, ...args], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const helper = new Helper<P, C>(role, child);
    const ready = (await helper.nextMessage('ready')) as Extract<HelperChildMessage, { type: 'ready' }>;
    return { helper, address: ready.address };
  }

  send(message: P | HelperParentMessage): void {
    this.child.send(message);
  }

  /** The next message of this type; rejects if the helper reports a failure or exits first. */
  next<T extends (C | HelperChildMessage)['type']>(
    type: T,
  ): Promise<Extract<C | HelperChildMessage, { type: T }>> {
    return this.nextMessage(type) as Promise<Extract<C | HelperChildMessage, { type: T }>>;
  }

  private nextMessage(type: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onMessage = (raw: unknown): void => {
        const message = raw as Tagged;
        if (message.type === type) {
          cleanup();
          resolve(message);
        } else if (message.type === 'failed') {
          cleanup();
          reject(
            new Error(`${this.role} helper failed: ${String((message as { message?: unknown }).message)}`),
          );
        }
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${this.role} helper exited (code ${String(code)}) before sending '${type}'`));
      };
      const cleanup = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  /** Calls `listener` for every message until the returned function is called. */
  on(listener: (message: C | HelperChildMessage) => void): () => void {
    const handler = (raw: unknown): void => listener(raw as C | HelperChildMessage);
    this.child.on('message', handler);
    return () => this.child.off('message', handler);
  }

  /** The helper's memory (after a full GC if `gc`) and its CPU time so far. */
  async memory(gc: boolean): Promise<{ rss: number; heapUsed: number; cpuMicros: number }> {
    const reply = this.nextMessage('memory');
    this.send({ type: 'memory', gc });
    const { rss, heapUsed, cpuMicros } = (await reply) as Extract<HelperChildMessage, { type: 'memory' }>;
    return { rss, heapUsed, cpuMicros };
  }

  /** Asks the helper to stop and waits for it to exit (killing it after 10 s). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The embedded database in its own process, journal in `dataDir`: the helper and the URI to connect to. */
export async function startDatabaseProcess(dataDir: string): Promise<{ helper: Helper; uri: string }> {
  const { helper, address } = await Helper.start('db', [`--data-dir=${dataDir}`]);
  return { helper, uri: address };
}

// ---------------------------------------------------------------------------------------------------------
// Helper roles (child processes)
// ---------------------------------------------------------------------------------------------------------

function sendToParent(message: ChildMessage): void {
  process.send?.(message);
}

/** Full GC through V8's `gc()`, exposed at run time; undefined if this V8 refuses. */
export function exposeGc(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') {
    const gc = globalThis.gc;
    return () => void gc();
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? () => void (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}

/** A helper's answer to `{ type: 'memory' }`, after a full GC if asked (and possible). */
export function memoryReply(
  gc: boolean,
  collect: (() => void) | undefined,
): Extract<HelperChildMessage, { type: 'memory' }> {
  if (gc) collect?.();
  const { rss, heapUsed } = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { type: 'memory', rss, heapUsed, cpuMicros: cpu.user + cpu.system };
}

/**
 * The Graph API stand-in: answers every request like a successful send, after `delayMs`. With `onBody`,
 * each request's body is handed over as soon as it has been received (before the answer); without it the
 * body is discarded unread.
 */
export async function startGraphStandIn(
  delayMs: number,
  onBody?: (body: Buffer) => void,
): Promise<http.Server> {
  let serial = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    if (onBody) req.on('data', (chunk: Buffer) => chunks.push(chunk));
    else req.resume();
    req.on('end', () => {
      if (onBody) onBody(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
      serial += 1;
      const body = `{"messaging_product":"whatsapp","contacts":[],"messages":[{"id":"wamid.${serial}"}]}`;
      const answer = (): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

export function argValue(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function runHelper(role: Role, args: string[]): Promise<void> {
  // An orphaned helper must not outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
  const collect = exposeGc();
  if (role === 'graph') {
    const server = await startGraphStandIn(Number(argValue(args, 'delay-ms') ?? '0'));
    process.on('message', (raw) => {
      const message = raw as ParentMessage;
      if (message.type === 'close') {
        server.close(() => process.exit(0));
        server.closeAllConnections();
      } else if (message.type === 'memory') sendToParent(memoryReply(message.gc, collect));
    });
    sendToParent({ type: 'ready', address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    return;
  }
  if (role === 'db') {
    const dataDir = argValue(args, 'data-dir');
    if (!dataDir) throw new Error('db helper needs --data-dir');
    const server = await startEmbeddedServer({ host: '127.0.0.1', port: 0, dataDir });
    process.on('message', (raw) => {
      const message = raw as ParentMessage;
      if (message.type === 'close') void server.close().then(() => process.exit(0));
      else if (message.type === 'memory') sendToParent(memoryReply(message.gc, collect));
    });
    sendToParent({ type: 'ready', address: server.uri });
    return;
  }
  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message.type === 'close') process.exit(0);
    else if (message.type === 'memory') sendToParent(memoryReply(message.gc, collect));
    else if (message.type === 'run') {
      runLoad(message.spec).then(
        (stats) => sendToParent({ type: 'result', stats }),
        (err: unknown) => sendToParent({ type: 'failed', message: errorText(err) }),
      );
    }
  });
  sendToParent({ type: 'ready', address: `client:${process.pid}` });
}

// ---------------------------------------------------------------------------------------------------------
// Load generator (runs in the client helper)
// ---------------------------------------------------------------------------------------------------------

/** A webhook body as Meta sends it for one inbound text message. */
function webhookBody(phoneNumberId: string, wamid: string, waId: string, timestamp: string): string {
  return JSON.stringify(
    inboundText(
      { phoneNumberId, waId, wamid, timestamp, name: 'Bench Customer' },
      'Hello! Are you open today? I would like to order two pizzas.',
    ),
  );
}

/** One complete HTTP/1.1 `POST /webhook` (head and signed body) for one inbound text message. */
export function signedWebhookRequest(r: {
  port: number;
  appSecret: string;
  phoneNumberId: string;
  wamid: string;
  waId: string;
}): Buffer {
  const body = Buffer.from(
    webhookBody(r.phoneNumberId, r.wamid, r.waId, String(Math.floor(Date.now() / 1000))),
    'utf8',
  );
  const head =
    `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${r.port}\r\nUser-Agent: facebookexternalua\r\n` +
    `Accept: */*\r\nContent-Type: application/json\r\n` +
    `X-Hub-Signature-256: ${signBody(body, r.appSecret)}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
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

export const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

export interface LoadHooks {
  /** The request to write next; undefined leaves the connection idle until it is kicked again. */
  next: () => Buffer | undefined;
  done: (status: number, latencyMs: number, completedAt: number) => void;
  failed: (at: number) => void;
}

/** What a connection asks of whoever drives it. */
export interface ConnectionDriver {
  /** No new requests, no reconnecting. */
  readonly stopping: boolean;
  readonly hooks: LoadHooks;
  /** Called whenever a request finishes either way. */
  settled(): void;
}

/** One keep-alive connection with at most one request in flight (no pipelining). */
export class LoadConnection {
  private socket: net.Socket | undefined;
  private connected = false;
  private buffered: Buffer = EMPTY;
  private sentAt = 0;
  inFlight = false;

  constructor(
    private readonly port: number,
    private readonly driver: ConnectionDriver,
  ) {}

  /** Connected, with nothing in flight: `kick()` would write the next request at once. */
  get idle(): boolean {
    return this.connected && !this.inFlight;
  }

  /** Starts sending if idle (connecting first if need be). */
  kick(): void {
    if (this.inFlight || this.driver.stopping) return;
    if (this.socket && this.connected) this.sendNext();
    else if (!this.socket) this.connect();
  }

  destroy(): void {
    this.socket?.destroy();
  }

  private connect(): void {
    const socket = net.connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    this.socket = socket;
    this.connected = false;
    this.buffered = EMPTY;
    socket.on('connect', () => {
      this.connected = true;
      this.sendNext();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and does the accounting
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.connected = false;
      if (this.inFlight) {
        this.inFlight = false;
        this.driver.hooks.failed(performance.now());
        this.driver.settled();
      }
      if (!this.driver.stopping) setTimeout(() => this.kick(), 5);
    });
  }

  private sendNext(): void {
    if (this.driver.stopping || !this.socket) return;
    const request = this.driver.hooks.next();
    if (request === undefined) return;
    this.inFlight = true;
    this.sentAt = performance.now();
    this.socket.write(request);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const headerEnd = this.buffered.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const head = this.buffered.toString('latin1', 0, headerEnd);
      const status = Number(head.slice(9, 12));
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        // Neither server answers chunked; treat it as a broken exchange rather than guess at framing.
        this.socket?.destroy();
        return;
      }
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
      const total = headerEnd + HEADER_END.length + length;
      if (this.buffered.length < total) return;
      this.buffered = this.buffered.length === total ? EMPTY : this.buffered.subarray(total);
      const now = performance.now();
      this.inFlight = false;
      this.driver.hooks.done(status, now - this.sentAt, now);
      this.driver.settled();
      if (/\r\nconnection:\s*close/i.test(head)) {
        this.socket?.destroy();
        return;
      }
      this.sendNext();
    }
  }
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

/** The p-th percentile (nearest rank) of ascending values; 0 when there are none. */
export function percentile(sortedMs: Float64Array, p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? 0;
}

async function runLoad(spec: LoadSpec): Promise<LoadStats> {
  const build = requestBuilder(spec);
  const driver = new LoadDriver(spec.port, spec.connections);
  let totalOk = 0;
  try {
    // Warm-up: requests built on the fly; its rate sizes the pre-built pool for the window.
    sendToParent({ type: 'phase', phase: 'warm-up' });
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
    sendToParent({ type: 'phase', phase: 'building', detail: `${poolSize} requests` });
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
    sendToParent({ type: 'phase', phase: 'measuring' });
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const deadline = started + spec.durationMs;
    const progress = setInterval(
      () => sendToParent({ type: 'progress', ok, elapsedMs: performance.now() - started }),
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
    sendToParent({ type: 'phase', phase: 'draining' });
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

// ---------------------------------------------------------------------------------------------------------
// Targets (this process)
// ---------------------------------------------------------------------------------------------------------

interface Target {
  port: number;
  close(): Promise<void>;
}

/** The baseline: Express 5 that parses JSON and answers 200, nothing else. */
async function startBareExpress(): Promise<Target> {
  const app = express();
  app.use(express.json({ limit: '3mb' }));
  app.post('/webhook', (_req, res) => {
    res.sendStatus(200);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface BenchBot {
  bot: RunningBot;
  close(): Promise<void>;
}

/** The real bot with a business configured; the database is in-process on `dataDir` or at `mongoUri`. */
export async function startBenchBot(options: {
  graphUrl: string;
  logLevel: BenchLogLevel;
  dataDir?: string;
  mongoUri?: string;
  dbName: string;
}): Promise<BenchBot> {
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: options.logLevel,
    DATA_DIR: options.dataDir,
    MONGODB_URI: options.mongoUri,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_API_BASE_URL: options.graphUrl,
    ADMIN_TOKEN: ADMIN_TOKEN,
    PRIVACY_PEPPER: PEPPER,
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  });
  // A null sink: what is measured is the bot, not a terminal or a log shipper.
  const logger = createLogger({ level: config.logLevel }, { write: () => undefined });
  const bot = await startBot(config, logger, { dbName: options.dbName });
  try {
    await new BusinessDirectory(bot.models.Business).put(
      toBusinessData(
        PHONE_NUMBER_ID,
        businessInput.parse({
          name: 'Bench Pizzeria',
          currency: 'EUR',
          catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
        }),
      ),
    );
  } catch (err) {
    await bot.close();
    throw err;
  }
  return { bot, close: () => bot.close() };
}

/** Inbox entries (messages and system events) stored but not yet handled. */
export async function pendingInDb(bot: RunningBot): Promise<number> {
  return bot.models.Inbox.countDocuments({ status: 'pending' }).exec();
}

/** Runs one load through the client helper; `onPhase`/`onProgress` see its messages as they come. */
async function measureTarget(
  client: Helper,
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

/** A fresh temporary directory for a database journal; the caller removes it. */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `polus-bench-${label}-`));
}

// ---------------------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------------------

export async function runWebhookBench(options: WebhookBenchOptions = {}): Promise<WebhookBenchResult> {
  const seconds = options.seconds ?? 10;
  const warmupSeconds = options.warmupSeconds ?? 2;
  const overloadSeconds = options.overloadSeconds ?? 30;
  const connections = options.connections ?? 50;
  const graphDelayMs = options.graphDelayMs ?? 200;
  const logLevel = options.logLevel ?? 'warn';
  const overloadDb = options.overloadDb ?? 'separate';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const runTag = Math.random().toString(36).slice(2, 8).toUpperCase();
  const spec = (label: string, port: number, durationSeconds: number): LoadSpec => ({
    label,
    port,
    connections,
    warmupMs: warmupSeconds * 1000,
    durationMs: durationSeconds * 1000,
    appSecret: APP_SECRET,
    phoneNumberId: PHONE_NUMBER_ID,
    customers: CUSTOMERS,
    tag: `${runTag}${label
      .replace(/[^a-z]/gi, '')
      .toUpperCase()
      .slice(0, 6)}`,
  });

  const helpers: Helper[] = [];
  const dirs: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { helper: client } = await Helper.start('client', []);
    helpers.push(client);

    // 1. Bare Express.
    log(`bare Express 5: ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s measured`);
    const bare = await startBareExpress();
    let bareStats: LoadStats;
    try {
      bareStats = await measureTarget(client, spec('bare', bare.port, seconds), log);
    } finally {
      await bare.close();
    }

    // 2. The bot, embedded database in-process with a journal, Graph stand-in answering at once.
    const { helper: fastGraph, address: fastGraphUrl } = await Helper.start('graph', ['--delay-ms=0']);
    helpers.push(fastGraph);
    const botDir = tempDir('ingest');
    dirs.push(botDir);
    const ingest = await startBenchBot({
      graphUrl: fastGraphUrl,
      logLevel,
      dataDir: botDir,
      dbName: 'polus_bench',
    });
    let botStats: LoadStats;
    let botFacts: BotWindowFacts;
    try {
      log(`polus-bot: ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s measured`);
      let sentAtStart = 0;
      let sentAtEnd = 0;
      let backlogAtEnd = 0;
      botStats = await measureTarget(client, spec('bot', ingest.bot.port, seconds), log, {
        onPhase: (phase) => {
          if (phase === 'measuring') sentAtStart = ingest.bot.counters.get('outbox.sent');
          if (phase === 'draining') {
            sentAtEnd = ingest.bot.counters.get('outbox.sent');
            backlogAtEnd = ingest.bot.engine.backlog;
          }
        },
      });
      botFacts = {
        processedInWindow: sentAtEnd - sentAtStart,
        backlogInMemoryAtEnd: backlogAtEnd,
        pendingInDbAtEnd: await pendingInDb(ingest.bot),
        inboxEntries: await ingest.bot.models.Inbox.estimatedDocumentCount().exec(),
        acknowledged: botStats.totalOk,
      };
      log(
        `  bot: ${botFacts.processedInWindow} replies sent in the window, backlog at end ` +
          `${botFacts.backlogInMemoryAtEnd} in memory / ${botFacts.pendingInDbAtEnd} pending in the database; ` +
          `${botFacts.inboxEntries} inbox entries for ${botFacts.acknowledged} acknowledgements`,
      );
    } finally {
      await ingest.close();
    }

    // 2b. Where the bot's time goes: the same load with parts of the work taken away.
    const breakdown: BreakdownRow[] = [];
    if (options.breakdown) {
      const dir = tempDir('breakdown');
      dirs.push(dir);
      const paused = await startBenchBot({
        graphUrl: fastGraphUrl,
        logLevel,
        dataDir: dir,
        dbName: 'polus_bd',
      });
      try {
        // drain() stops the engine for good: webhooks are still stored durably, nothing is processed.
        await paused.bot.engine.drain();
        log('breakdown: conversation engine stopped (intake and durable insert only)');
        breakdown.push({
          name: 'bot, conversation engine stopped (verify, parse, durable insert, 200)',
          stats: await measureTarget(client, spec('intake', paused.bot.port, seconds), log),
        });
        log('breakdown: unconfigured phone number id (acknowledged, nothing stored)');
        breakdown.push({
          name: 'bot, unconfigured phone number id (verify, parse, 200; no database write)',
          stats: await measureTarget(
            client,
            { ...spec('unknown', paused.bot.port, seconds), phoneNumberId: UNKNOWN_PHONE_NUMBER_ID },
            log,
          ),
        });
      } finally {
        await paused.close();
      }
      // The full bot again, with the database in another process: the HTTP thread no longer runs it.
      const dbDir = tempDir('breakdown-db');
      dirs.push(dbDir);
      const { helper: dbHelper, uri: mongoUri } = await startDatabaseProcess(dbDir);
      helpers.push(dbHelper);
      const apart = await startBenchBot({
        graphUrl: fastGraphUrl,
        logLevel,
        mongoUri,
        dbName: 'polus_apart',
      });
      try {
        log('breakdown: embedded database in its own process');
        breakdown.push({
          name: 'bot, embedded database in its own process (engine replying alongside)',
          stats: await measureTarget(client, spec('apart', apart.bot.port, seconds), log),
        });
      } finally {
        await apart.close();
        await dbHelper.close();
      }
    }
    await fastGraph.close();

    // 3. Sustained overload.
    let overload: OverloadResult | undefined;
    if (overloadSeconds > 0) {
      overload = await runOverload({
        client,
        spec: { ...spec('overload', 0, overloadSeconds), customers: 0 },
        graphDelayMs,
        logLevel,
        db: overloadDb,
        log,
        helpers,
        dirs,
        cleanups,
      });
    }

    const ratio = bareStats.acksPerSec > 0 ? botStats.acksPerSec / bareStats.acksPerSec : 0;
    const meetsTarget = ratio >= TARGET_RATIO;
    const ingestMarkdown = renderIngest({
      bare: bareStats,
      bot: botStats,
      botFacts,
      breakdown,
      ratio,
      meetsTarget,
      seconds,
      warmupSeconds,
      connections,
      logLevel,
    });
    const overloadMarkdown = overload ? renderOverload(overload, logLevel) : '';
    const summary =
      `Summary: bot ${formatRate(botStats.acksPerSec)} acks/s vs bare Express ${formatRate(bareStats.acksPerSec)} acks/s ` +
      `= ${(ratio * 100).toFixed(0)}% (target ≥ ${TARGET_RATIO * 100}%: ${meetsTarget ? 'met' : 'NOT met'}); ` +
      `bot p50/p99 ${formatMs(botStats.p50Ms)}/${formatMs(botStats.p99Ms)} ms at ${connections} connections` +
      (overload
        ? `; overload ${overload.seconds} s with ${overload.graphDelayMs} ms sends: in-memory backlog peak ` +
          `${overload.backlogInMemoryPeak.toLocaleString('en-US')}, ${overload.pendingInDbAtEnd.toLocaleString('en-US')} pending in the database ` +
          `at the end, bot heap ${overload.bounded ? 'bounded' : 'NOT bounded'} (${overload.boundedReason})`
        : '') +
      '.';
    return {
      bare: bareStats,
      bot: botStats,
      botFacts,
      breakdown,
      ratio,
      meetsTarget,
      overload,
      ingestMarkdown,
      overloadMarkdown,
      summary,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const helper of helpers) await helper.close().catch(() => undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runOverload(context: {
  client: Helper;
  spec: LoadSpec;
  graphDelayMs: number;
  logLevel: BenchLogLevel;
  db: OverloadDb;
  log: (line: string) => void;
  helpers: Helper[];
  dirs: string[];
  cleanups: Array<() => Promise<void>>;
}): Promise<OverloadResult> {
  const { client, graphDelayMs, logLevel, db, log, helpers, dirs } = context;
  const collect = exposeGc();
  const { helper: slowGraph, address: slowGraphUrl } = await Helper.start('graph', [
    `--delay-ms=${graphDelayMs}`,
  ]);
  helpers.push(slowGraph);
  const dataDir = tempDir('overload');
  dirs.push(dataDir);
  let dbHelper: Helper | undefined;
  let mongoUri: string | undefined;
  if (db === 'separate') {
    const started = await startDatabaseProcess(dataDir);
    dbHelper = started.helper;
    mongoUri = started.uri;
    helpers.push(dbHelper);
  }
  const target = await startBenchBot({
    graphUrl: slowGraphUrl,
    logLevel,
    ...(mongoUri ? { mongoUri } : { dataDir }),
    dbName: 'polus_overload',
  });
  const { bot } = target;
  let closed = false;
  const closeBot = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await target.close();
  };
  context.cleanups.push(closeBot);

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
  await closeBot();
  if (dbHelper) await dbHelper.close();
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

// ---------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------

export function formatRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatMs(n: number): string {
  return n < 1 ? n.toFixed(3) : n < 100 ? n.toFixed(2) : n.toFixed(0);
}

export function formatMb(bytes: number, signed = false): string {
  const text = (bytes / MB).toFixed(1);
  return signed && bytes >= 0 ? `+${text}` : text;
}

/** CPU count and model, for the context line of a report. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`;
}

function renderIngest(r: {
  bare: LoadStats;
  bot: LoadStats;
  botFacts: BotWindowFacts;
  breakdown: BreakdownRow[];
  ratio: number;
  meetsTarget: boolean;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  logLevel: BenchLogLevel;
}): string {
  const row = (name: string, s: LoadStats): string =>
    `| ${name} | ${formatRate(s.acksPerSec)} | ${formatMs(s.p50Ms)} | ${formatMs(s.p99Ms)} | ${formatMs(s.maxMs)} | ` +
    `${s.non200 + s.errors} | ${s.clientCpuPct.toFixed(0)}% |`;
  const f = r.botFacts;
  const onTheFly = r.bare.builtDuringWindow + r.bot.builtDuringWindow;
  return [
    `${r.connections} keep-alive connections, one request in flight on each; ${r.warmupSeconds} s warm-up, then ` +
      `${r.seconds} s measured per target, both in the same run. Node ${process.version}, ${machine()}; ` +
      `the load generator is a separate process on the same machine (raw sockets writing pre-built, ` +
      `pre-signed ${r.bot.requestBytes}-byte requests, each with a fresh wamid, senders rotating over ` +
      `${CUSTOMERS.toLocaleString('en-US')} customers` +
      `${onTheFly > 0 ? `; ${onTheFly.toLocaleString('en-US')} had to be built during the windows` : ''}). ` +
      `Bot: log level \`${r.logLevel}\` to a null sink, embedded database in-process with its journal in a ` +
      `temporary directory (each message is written to the journal before the 200; fsync every 100 ms), ` +
      `the conversation engine replying alongside, in the same process, through a Graph API stand-in (own ` +
      `process) that answers at once.`,
    '',
    '| target | acks/s | p50 ms | p99 ms | max ms | non-200 + errors | load generator CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('bare Express 5 (`express.json()` + 200)', r.bare),
    row('polus-bot `POST /webhook` (verify, parse, durable insert, 200; engine replying alongside)', r.bot),
    ...r.breakdown.map((b) => row(b.name, b.stats)),
    '',
    `Bot / bare: **${(r.ratio * 100).toFixed(0)}%** (${r.ratio.toFixed(2)}; target ≥ ${TARGET_RATIO * 100}%: ` +
      `${r.meetsTarget ? 'met' : 'not met'}). During the bot's window ${f.processedInWindow.toLocaleString('en-US')} ` +
      `replies were sent; when it ended ${f.backlogInMemoryAtEnd.toLocaleString('en-US')} conversations were ` +
      `waiting or active in memory and ${f.pendingInDbAtEnd.toLocaleString('en-US')} messages were pending in ` +
      `the database. ` +
      `${f.inboxEntries.toLocaleString('en-US')} inbox entries for ${f.acknowledged.toLocaleString('en-US')} ` +
      `acknowledgements: ${f.inboxEntries >= f.acknowledged ? 'every acknowledged message is stored' : 'SOME ACKNOWLEDGED MESSAGES ARE MISSING'}.` +
      (r.breakdown.length > 0
        ? ' The extra bot rows take work away to show where the time goes: with the conversation engine stopped ' +
          'only intake runs (replies would wait in the database); with an unconfigured phone number id the ' +
          'webhook is verified, parsed and acknowledged but nothing is written; with the database in its own ' +
          'process the bot and the database each get a core.'
        : ''),
  ].join('\n');
}

function renderOverload(o: OverloadResult, logLevel: BenchLogLevel): string {
  const separate = o.db === 'separate';
  const rows = o.samples.filter(
    (s, i) => s.pendingInDb !== undefined || i === o.samples.length - 1 || s.phase !== 'measuring',
  );
  const mb = (n: number | undefined): string => (n === undefined ? '' : formatMb(n));
  const count = (n: number | undefined): string => (n ?? 0).toLocaleString('en-US');
  const lines = [
    `The bot under sustained overload: the Graph API stand-in answers each send after ${o.graphDelayMs} ms, so ` +
      `the conversation engine falls far behind intake; ${o.stats.connections} connections, every message from ` +
      `a new customer (so nothing in memory is bounded by a small number of conversations), ` +
      `for ${o.seconds} s after the warm-up. Log level \`${logLevel}\`. ` +
      (separate
        ? 'The embedded database runs in its own process here (journal on disk), as a real MongoDB would, so ' +
          "the bot's heap below is the bot's own; the database's heap is shown apart."
        : 'The embedded database runs in-process here (as in development): it keeps every document in ' +
          'memory (the journal is its disk copy), so the stored backlog is part of the same heap and the ' +
          'heap grows with it by design; use the separate-process run to judge the bot itself.') +
      ` Intake: ${formatRate(o.stats.acksPerSec)} acks/s, p50 ${formatMs(o.stats.p50Ms)} ms, ` +
      `p99 ${formatMs(o.stats.p99Ms)} ms, ${o.stats.non200 + o.stats.errors} non-200/errors; ` +
      `${o.processed.toLocaleString('en-US')} replies sent.`,
    '',
    `| t s | phase | acks | bot heapUsed MB | bot rss MB | in-memory backlog | pending in database |${separate ? ' database heapUsed MB |' : ''}`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: |${separate ? ' ---: |' : ''}`,
    ...rows.map(
      (s) =>
        `| ${s.t} | ${s.phase} | ${s.acks.toLocaleString('en-US')} | ${mb(s.heapUsed)} | ${mb(s.rss)} | ` +
        `${s.backlogInMemory.toLocaleString('en-US')} | ${s.pendingInDb?.toLocaleString('en-US') ?? ''} |` +
        `${separate ? ` ${mb(s.dbHeapUsed)} |` : ''}`,
    ),
    '',
    '| sampled | start | peak | end |',
    '| --- | ---: | ---: | ---: |',
    `| bot rss MB (every second) | ${mb(o.rss.start)} | ${mb(o.rss.peak)} | ${mb(o.rss.end)} |`,
    `| bot heapUsed MB (every second) | ${mb(o.heapUsed.start)} | ${mb(o.heapUsed.peak)} | ${mb(o.heapUsed.end)} |`,
    `| in-memory backlog (\`engine.backlog\`: conversations waiting or active, every 100 ms) | ${count(o.samples[0]?.backlogInMemory)} | ${count(o.backlogInMemoryPeak)} | ${count(o.samples[o.samples.length - 1]?.backlogInMemory)} |`,
    '',
    '| checkpoint | before load | mid-window | after load |',
    '| --- | ---: | ---: | ---: |',
    ...(o.heapAfterGc
      ? [
          `| bot heap after a full GC, MB | ${mb(o.heapAfterGc.start)} | ${mb(o.heapAfterGc.mid)} | ${mb(o.heapAfterGc.end)} |`,
        ]
      : []),
    ...(o.dbHeapAfterGc
      ? [
          `| database process heap after a full GC, MB | ${mb(o.dbHeapAfterGc.start)} | ${mb(o.dbHeapAfterGc.mid)} | ${mb(o.dbHeapAfterGc.end)} |`,
        ]
      : []),
    `| inbox entries pending in the database | ${count(o.samples[0]?.pendingInDb)} | ${count(o.pendingInDbMid)} | ${count(o.pendingInDbAtEnd)} |`,
    '',
    `Heap ${o.bounded ? 'bounded' : 'NOT bounded'}: ${o.boundedReason}` +
      (o.bytesPerNewPendingEntry !== undefined
        ? ` (${o.bytesPerNewPendingEntry.toFixed(0)} bytes of retained bot heap per newly pending entry).`
        : '.'),
  ];
  return lines.join('\n');
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

const USAGE =
  'usage: npx tsx scripts/bench-webhook.ts [--seconds=10] [--warmup-seconds=2] [--overload-seconds=30] ' +
  '[--connections=50] [--graph-delay-ms=200] [--log-level=warn|silent] [--overload-db=separate|in-process] ' +
  '[--breakdown]\n';

export function parseWebhookArgs(argv: string[]): WebhookBenchOptions {
  const options: WebhookBenchOptions = {};
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < min) {
      throw new Error(`${flag} needs a number ≥ ${min}`);
    }
    return n;
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--seconds') options.seconds = number(flag, value, 1);
    else if (flag === '--warmup-seconds') options.warmupSeconds = number(flag, value, 0);
    else if (flag === '--overload-seconds') options.overloadSeconds = number(flag, value, 0);
    else if (flag === '--connections') options.connections = Math.round(number(flag, value, 1));
    else if (flag === '--graph-delay-ms') options.graphDelayMs = number(flag, value, 0);
    else if (flag === '--log-level' && (value === 'warn' || value === 'silent')) options.logLevel = value;
    else if (flag === '--overload-db' && (value === 'separate' || value === 'in-process'))
      options.overloadDb = value;
    else if (flag === '--breakdown' && value === undefined) options.breakdown = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

const ROLES: readonly Role[] = ['client', 'graph', 'db'];
const roleArg = argValue(process.argv.slice(2), 'role');
const role = ROLES.find((r) => r === roleArg);
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

// Only as the forked file itself: other scripts import this one and run helpers of their own.
if (role !== undefined && process.send !== undefined && invokedDirectly) {
  runHelper(role, process.argv.slice(2)).catch((err: unknown) => {
    sendToParent({ type: 'failed', message: errorText(err) });
    process.exit(1);
  });
} else if (invokedDirectly) {
  Promise.resolve()
    .then(() => runWebhookBench(parseWebhookArgs(process.argv.slice(2))))
    .then((result) => {
      const parts = ['### Signed webhook ingest', '', result.ingestMarkdown];
      if (result.overloadMarkdown) {
        parts.push('', '### Memory under sustained overload', '', result.overloadMarkdown);
      }
      parts.push('', result.summary);
      process.stdout.write(`${parts.join('\n')}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench-webhook failed: ${errorText(err)}\n`);
      process.exitCode = 1;
    });
}
