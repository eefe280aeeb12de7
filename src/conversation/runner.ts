import { createActor, waitFor } from 'xstate';
import type { AnyStateMachine, Snapshot } from 'xstate';
import type { FlowEmitted, FlowEvent } from './types.js';
import { AWAITING_INPUT } from './types.js';

/** A flow the runner can drive: its machine, and the id and version its snapshots are stored under. */
export interface FlowDefinition<TInput> {
  readonly id: string;
  readonly version: number;
  readonly machine: AnyStateMachine;
  /** Builds the input of a new conversation. */
  input(restarted: boolean): TInput;
  /** Runs a step in the context its effects need (e.g. binding the customer's effects); default: as is. */
  readonly around?: <T>(step: () => Promise<T>) => Promise<T>;
}

/**
 * What makes a step's effects happen once: `key` stands for the inbound message being handled (a keyed
 * hash of its id, privacy/refs.ts `stepRef`). A step re-run after a failure between its effects and the
 * saved snapshot (a crash, a database error, a lost lease) gets the same key, so each effect finds its
 * record of the first run and returns that result instead of acting again.
 */
export interface StepKey {
  readonly key: string;
}

export interface StoredFlow {
  flowId?: string | undefined;
  flowVersion?: number | undefined;
  snapshot?: Record<string, unknown> | undefined;
}

export interface StepResult {
  /** Settled, persistable snapshot (JSON-safe). */
  snapshot: Record<string, unknown>;
  /** What the flow emitted while handling the event, in order. */
  emitted: FlowEmitted[];
  /** The pending deadline in the flow's context, if any (ISO string). */
  deadline: string | undefined;
  /** True when the stored conversation could not be continued and a fresh one was started. */
  restarted: boolean;
}

export const RESTART_NOTICE =
  "We've updated our assistant, so we're starting our conversation over. Sorry for the trouble!";

const SETTLE_TIMEOUT_MS = 15_000;

function isSettled(snapshot: Snapshot<unknown> & { hasTag?: (tag: string) => boolean }): boolean {
  return snapshot.status !== 'active' || snapshot.hasTag?.(AWAITING_INPUT) === true;
}

/**
 * Handles one event for one conversation: restores the stored snapshot (or starts the flow), sends the
 * event, waits until the machine settles (awaiting input, or done), and returns the persisted snapshot and
 * what the flow emitted. A snapshot from another flow or version, or one that cannot be restored, starts a
 * fresh conversation with a short notice instead of failing. Only settled snapshots leave this function, so
 * a restart never re-runs half a step.
 */
export async function runStep<TInput>(
  flow: FlowDefinition<TInput>,
  stored: StoredFlow | null,
  event: FlowEvent,
  options: { settleTimeoutMs?: number } = {},
): Promise<StepResult> {
  const compatible =
    stored?.snapshot !== undefined &&
    stored.flowId === flow.id &&
    stored.flowVersion === flow.version &&
    (stored.snapshot as { status?: string }).status === 'active';
  const hadConversation =
    stored?.snapshot !== undefined && (stored.snapshot as { status?: string }).status === 'active';
  const around = flow.around ?? (<T>(run: () => Promise<T>) => run());
  try {
    return await around(() =>
      step(
        flow,
        compatible ? (stored?.snapshot ?? null) : null,
        event,
        options,
        hadConversation && !compatible,
      ),
    );
  } catch (err) {
    if (!compatible) throw err;
    // The stored snapshot could not be restored (corrupt or incompatible in a way the version missed).
    return around(() => step(flow, null, event, options, true));
  }
}

async function step<TInput>(
  flow: FlowDefinition<TInput>,
  snapshot: Record<string, unknown> | null,
  event: FlowEvent,
  options: { settleTimeoutMs?: number },
  restarted: boolean,
): Promise<StepResult> {
  const emitted: FlowEmitted[] = restarted ? [{ type: 'reply.text', text: RESTART_NOTICE }] : [];
  const actor = snapshot
    ? createActor(flow.machine, { snapshot: snapshot as unknown as Snapshot<unknown> })
    : createActor(flow.machine, { input: flow.input(restarted) });
  actor.on('*', (emittedEvent: FlowEmitted) => {
    emitted.push(emittedEvent);
  });
  // Without an error listener xstate rethrows a failed restore from a timer, outside this call, which would
  // take the process down; with one, the failure is seen below and the conversation restarts.
  actor.subscribe({ error: () => undefined });
  actor.start();
  try {
    const initial = actor.getSnapshot();
    if (initial.status === 'error') {
      throw initial.error instanceof Error
        ? initial.error
        : new Error('stored conversation could not be restored');
    }
    actor.send(event);
    const settled = await waitFor(actor, isSettled, {
      timeout: options.settleTimeoutMs ?? SETTLE_TIMEOUT_MS,
    });
    if (settled.status === 'error')
      throw settled.error instanceof Error ? settled.error : new Error('flow failed');
    const persisted = actor.getPersistedSnapshot() as Record<string, unknown>;
    const context = (persisted.context ?? {}) as { deadline?: unknown };
    return {
      snapshot: persisted,
      emitted,
      deadline: typeof context.deadline === 'string' ? context.deadline : undefined,
      restarted,
    };
  } finally {
    actor.stop();
  }
}
