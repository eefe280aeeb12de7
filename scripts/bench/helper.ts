/**
 * Helper processes: the load generators, the Graph API stand-ins and the database run in child processes
 * (`child.ts --role=…`) so that the bot's own CPU and heap can be told apart from theirs. This module is
 * both sides of that conversation: `Helper` in the benchmark process, `memoryReply`/`exposeGc` in a child.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Messages every helper understands, whatever its role. */
export type HelperParentMessage = { type: 'memory'; gc: boolean } | { type: 'close' };

/** Messages every helper sends, whatever its role. */
export type HelperChildMessage =
  | { type: 'ready'; address: string }
  /** `cpuMicros`: the helper's CPU time so far (user + system), µs. */
  | { type: 'memory'; rss: number; heapUsed: number; cpuMicros: number }
  | { type: 'failed'; message: string };

/** Any message: tagged by `type`. */
export interface Tagged {
  type: string;
}

/** The child entry every helper runs, whatever its role. */
const CHILD_FILE = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * A child process running one helper role, spoken to over IPC. `P` and `C` are the role's own messages
 * (besides the ones every helper understands).
 */
export class Helper<P extends Tagged = HelperParentMessage, C extends Tagged = HelperChildMessage> {
  private constructor(
    readonly role: string,
    private readonly child: ChildProcess,
  ) {}

  /** Forks `child.ts --role=<role>` and waits for its `ready` message (which carries its address). */
  static async start<P extends Tagged = HelperParentMessage, C extends Tagged = HelperChildMessage>(
    role: string,
    args: string[],
  ): Promise<{ helper: Helper<P, C>; address: string }> {
    // The tsx loader flags are inherited; profiling and inspector flags are not (they are for this process).
    // BENCH_HELPER_CPU_PROF=<dir> profiles the helpers too (Node refuses --cpu-prof in NODE_OPTIONS).
    const execArgv = process.execArgv.filter((arg) => !/^--(cpu-prof|heap-prof|inspect|prof)/.test(arg));
    const profileDir = process.env.BENCH_HELPER_CPU_PROF;
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    const child = fork(CHILD_FILE, [`--role=${role}`, ...args], {
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

// ---------------------------------------------------------------------------------------------------------
// The child's side
// ---------------------------------------------------------------------------------------------------------

/** A child's message to the benchmark process (a no-op outside a forked helper). */
export function sendToParent<M extends Tagged>(message: M): void {
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
 * What a role leaves running in its child: the address it reports as ready, how it stops on `close`, and
 * what it does with its own messages (`memory` and `close` are answered for every role).
 */
export interface RoleHandle {
  address: string;
  close(): void;
  handle?(message: Tagged): void;
}
