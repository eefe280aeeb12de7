import { createActor, waitFor } from 'xstate';
import type { AnyStateMachine, Snapshot } from 'xstate';
import { changedConcerns, concernVersions, resetConcerns } from '../../flows/concerns.js';
import type { Concerns } from '../../flows/concerns.js';
import type { FlowEmitted, FlowEvent } from '../core/vocabulary.js';
import type { SavedAddress } from '../db/models/customer.model.js';
import { AWAITING_INPUT } from '../core/vocabulary.js';
import { t } from '../language/i18n.js';
import { DEFAULT_LANGUAGE, isLanguage } from '../language/languages.js';
import type { Language } from '../language/languages.js';

/** A flow the runner can drive: its machine, and the id and version its snapshots are stored under. */
export interface FlowDefinition<TInput> {
  readonly id: string;
  readonly version: number;
  readonly machine: AnyStateMachine;
  /**
   * Builds the input of a new conversation. `now` is the step's time (ISO): machines never read the clock,
   * and a restored conversation gets the same time as `context.now`, set before the event is sent.
   */
  input(restarted: boolean, now: string, facts: Readonly<Record<string, unknown>>): TInput;
  /**
   * What the flow should know for this step besides the event (e.g. the conversation's language), decided
   * from the event and the stored context: set into `context` before the event is sent, like `now`, and
   * passed to `input` for a new conversation. `text` is what the customer typed when the event was made
   * from it (a command such as "quiero hablar con una persona" carries no text of its own).
   */
  stepFacts?(
    event: FlowEvent,
    stored: Readonly<Record<string, unknown>> | undefined,
    text?: string,
    /** Where the stored conversation waits (its snapshot's state value), when it can be restored. */
    at?: unknown,
  ): Record<string, unknown>;
  // A flow may also keep, in `context.chosen`, facts the customer chose in the conversation itself (a
  // language from its menu, or asked for by name): those win over `stepFacts` on every later step, until
  // the flow changes them. The flow decides; the runner only reads what it kept (see `chosenFacts`).
  /**
   * The flow's concerns and their versions, stored with the snapshot (`snapshot.concerns`): on restore, a
   * concern whose version changed is reset alone (flows/concerns.ts) while the others carry on.
   */
  readonly concerns?: Concerns;
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
  /**
   * The customer's saved delivery addresses as the step read them with the customer record at its start
   * (opened on demand): an effect that only reads them uses these instead of reading the record again.
   */
  readonly savedAddresses?: (() => SavedAddress[]) | undefined;
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
  /**
   * True when the customer was told the conversation starts over: the stored one could not be continued
   * and a fresh one was started, or a concern it was in changed and was reset.
   */
  restarted: boolean;
}

/** The notice that the conversation starts over, in the step's language (`facts.language`, else English). */
export function restartNotice(language: Language = DEFAULT_LANGUAGE): string {
  return t(language, 'root:restart');
}

/** The restart notice in English. */
export const RESTART_NOTICE = restartNotice();

const SETTLE_TIMEOUT_MS = 15_000;

function isSettled(snapshot: Snapshot<unknown> & { hasTag?: (tag: string) => boolean }): boolean {
  return snapshot.status !== 'active' || snapshot.hasTag?.(AWAITING_INPUT) === true;
}

/**
 * Handles one event for one conversation: restores the stored snapshot (or starts the flow), sends the
 * event, waits until the machine settles (awaiting input, or done), and returns the persisted snapshot and
 * what the flow emitted. A snapshot from another flow or version, or one that cannot be restored, starts a
 * fresh conversation with a short notice instead of failing. A concern of the flow whose version changed is
 * reset alone (flows/concerns.ts), with the notice only if the conversation was inside it. Only settled
 * snapshots leave this function, so a restart never re-runs half a step.
 */
export async function runStep<TInput>(
  flow: FlowDefinition<TInput>,
  stored: StoredFlow | null,
  event: FlowEvent,
  options: StepOptions = {},
): Promise<StepResult> {
  const hadConversation =
    stored?.snapshot !== undefined && (stored.snapshot as { status?: string }).status === 'active';
  const compatible = hadConversation && stored?.flowId === flow.id && stored.flowVersion === flow.version;
  const now = new Date(options.now ?? Date.now()).toISOString();
  const storedContext = (stored?.snapshot as { context?: Record<string, unknown> } | undefined)?.context;
  const facts = {
    ...(flow.stepFacts?.(
      event,
      hadConversation ? storedContext : undefined,
      options.text,
      compatible ? (stored?.snapshot as { value?: unknown } | undefined)?.value : undefined,
    ) ?? {}),
    ...(hadConversation ? chosenFacts(storedContext) : {}),
  };
  const restored = compatible && stored?.snapshot ? restore(flow, stored.snapshot, now, facts) : undefined;
  const around = flow.around ?? (<T>(run: () => Promise<T>) => run());
  try {
    return await around(() =>
      step(
        flow,
        restored?.snapshot ?? null,
        event,
        { settleTimeoutMs: options.settleTimeoutMs, at: now, facts },
        (hadConversation && !compatible) || restored?.moved === true,
      ),
    );
  } catch (err) {
    if (!compatible) throw err;
    // The stored snapshot could not be restored (corrupt or incompatible in a way the version missed).
    return around(() =>
      step(flow, null, event, { settleTimeoutMs: options.settleTimeoutMs, at: now, facts }, true),
    );
  }
}

/**
 * The facts the customer chose, as the flow kept them (`context.chosen`, e.g. `{ language: 'es' }`): they
 * override what `stepFacts` decides from a message, so a language picked from the menu is not undone by the
 * next message's words. Anything but a plain object is ignored.
 */
function chosenFacts(context: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const chosen = context?.chosen;
  // Also as `chosen` itself, so a conversation that restarts (a changed flow version) keeps the choice.
  return chosen !== null && typeof chosen === 'object' && !Array.isArray(chosen)
    ? { ...(chosen as Record<string, unknown>), chosen: { ...(chosen as Record<string, unknown>) } }
    : {};
}

export interface StepOptions {
  settleTimeoutMs?: number;
  /** The step's time (epoch ms); the clock by default. */
  now?: number;
  /**
   * What the customer typed, when the event was made from it (a command, a privacy request): the flow's
   * `stepFacts` may decide the conversation's language on it.
   */
  text?: string;
}

/**
 * A stored snapshot made ready for this step: concerns whose version changed are reset (`moved` when the
 * conversation was inside one, so the customer is told), and `context.now` is the step's time.
 */
function restore<TInput>(
  flow: FlowDefinition<TInput>,
  stored: Record<string, unknown>,
  now: string,
  facts: Readonly<Record<string, unknown>>,
): { snapshot: Record<string, unknown>; moved: boolean } {
  const { concerns: versions, ...snapshot } = stored;
  const { snapshot: reset, moved } = flow.concerns
    ? resetConcerns(
        snapshot,
        flow.concerns,
        changedConcerns(flow.concerns, versions as Record<string, unknown>),
      )
    : { snapshot, moved: false };
  const context = reset.context;
  return {
    snapshot:
      context && typeof context === 'object' ? { ...reset, context: { ...context, ...facts, now } } : reset,
    moved,
  };
}

async function step<TInput>(
  flow: FlowDefinition<TInput>,
  snapshot: Record<string, unknown> | null,
  event: FlowEvent,
  options: { settleTimeoutMs?: number | undefined; at: string; facts: Readonly<Record<string, unknown>> },
  restarted: boolean,
): Promise<StepResult> {
  const { language } = options.facts;
  const emitted: FlowEmitted[] = restarted
    ? [{ type: 'reply.text', text: restartNotice(isLanguage(language) ? language : DEFAULT_LANGUAGE) }]
    : [];
  const actor = snapshot
    ? createActor(flow.machine, { snapshot: snapshot as unknown as Snapshot<unknown> })
    : createActor(flow.machine, { input: flow.input(restarted, options.at, options.facts) });
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
      // The concerns' versions travel inside the snapshot object: the store keeps it whole (and sealed).
      snapshot: flow.concerns ? { ...persisted, concerns: concernVersions(flow.concerns) } : persisted,
      emitted,
      deadline: typeof context.deadline === 'string' ? context.deadline : undefined,
      restarted,
    };
  } finally {
    actor.stop();
  }
}
