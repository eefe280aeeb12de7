import type { UnknownActorLogic } from 'xstate';
import type { ConcernMenu, Menu } from './menu.js';

/**
 * Per-concern versions (issue 13): each concern of the root flow (ordering, tracking, privacy, ai…) has
 * its own context slice and its own top-level state, both named after it. When a concern's shape changes
 * its version is bumped, and a stored conversation resets only that concern: its slice goes back to its
 * start, and a conversation that was inside its states goes to the root's resting state (the customer is
 * told, src/conversation/runner.ts). The other concerns' slices (a cart) survive.
 */

/** One concern as the runner sees it: its version and the start of its context slice (if it has one). */
export interface Concern {
  readonly version: number;
  initial?(): unknown;
  /** The pending deadline is this concern's when the shell has none of its own (a cart's, for ordering). */
  readonly ownsDeadline?: boolean;
}

export type Concerns = Readonly<Record<string, Concern>>;

/** Where a conversation goes when the concern it was in is reset: it waits for the next message. */
export const RESTING_STATE = 'idle';

/** The shell's state whose deadline is its own (the handoff's), whatever concern is reset. */
const HANDOFF_STATE = 'handoff';

const versionsOf = new WeakMap<Concerns, Readonly<Record<string, number>>>();

/** The concerns' versions, as stored with the snapshot (worked out once per set of concerns: every step stores them). */
export function concernVersions(concerns: Concerns): Readonly<Record<string, number>> {
  let versions = versionsOf.get(concerns);
  if (!versions) {
    versions = Object.freeze(
      Object.fromEntries(Object.entries(concerns).map(([name, concern]) => [name, concern.version])),
    );
    versionsOf.set(concerns, versions);
  }
  return versions;
}

/** The concerns whose stored version differs from the current one (or that the stored snapshot lacks). */
export function changedConcerns(
  concerns: Concerns,
  stored: Readonly<Record<string, unknown>> | undefined,
): string[] {
  return Object.entries(concerns)
    .filter(([name, concern]) => stored?.[name] !== concern.version)
    .map(([name]) => name);
}

/** The top-level state a persisted snapshot is in (`'menu'`, or `'ordering'` for `{ ordering: … }`). */
function topState(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0];
  return undefined;
}

/**
 * Resets the named concerns in a persisted snapshot (a JSON object, as stored): each one's slice back to its
 * start, with the deadline it owned; when the conversation is inside one of them, the state goes to
 * {@link RESTING_STATE}. `moved` says whether that happened, so the customer can be told.
 */
export function resetConcerns(
  snapshot: Record<string, unknown>,
  concerns: Concerns,
  names: readonly string[],
): { snapshot: Record<string, unknown>; moved: boolean } {
  if (names.length === 0) return { snapshot, moved: false };
  const context = { ...((snapshot.context ?? {}) as Record<string, unknown>) };
  for (const name of names) {
    const concern = concerns[name];
    if (concern?.initial) context[name] = concern.initial();
  }
  const inside = topState(snapshot.value);
  if (inside !== HANDOFF_STATE && names.some((name) => concerns[name]?.ownsDeadline === true))
    delete context.deadline;
  const moved = inside !== undefined && names.includes(inside);
  if (!moved) return { snapshot: { ...snapshot, context }, moved };
  return {
    snapshot: { ...snapshot, value: RESTING_STATE, context, children: {}, historyValue: {} },
    moved,
  };
}

/**
 * A conversation concern, everything the root needs to compose it (issue 13: a new flow is one file in
 * flows/, one effects module, one line in flows/registry.ts). Its id names its top-level state, its context
 * slice and its stored version; its states are type-checked in its own file against
 * `base(actors).extend(impl)`, and are given the menu's transitions because those lead to every concern.
 */
export interface ConcernSpec {
  readonly id: string;
  /** Bump whenever its states or context slice change shape: only this concern restarts. */
  readonly version: number;
  /** The effects it invokes (`notProvided` placeholders); src/conversation/effects/<id>.ts supplies them. */
  readonly actors: Readonly<Record<string, UnknownActorLogic>>;
  /** Its named actions and guards, prefixed with its id: composed into the root with `extend`. */
  readonly impl: { readonly actions: object; readonly guards: object };
  /** Its states (`base(actors).extend(impl).createStateConfig({ id, … })`), under the root's state `id`. */
  readonly states: (menu: Menu) => object;
  /** The start of its context slice (`context[id]`); a slice is declared in its file on `RootContext`. */
  readonly initial?: () => unknown;
  /** The pending deadline is this concern's when the shell has none of its own (see {@link Concern}). */
  readonly ownsDeadline?: boolean;
  /** Its row on the main menu, and the words that pick it: numbered after the rows before it. */
  readonly menu?: ConcernMenu;
  /** Events it answers from any state (the root's own `on`): no two concerns may answer the same one. */
  readonly on?: object;
}

/** A concern, as written in its file: its literal types are kept for the root and the effects map. */
export function defineConcern<const T extends ConcernSpec>(spec: T): T {
  return spec;
}
