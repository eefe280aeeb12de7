import type { Concern, ConcernSpec, Concerns } from './concerns.js';
import { buildMenu } from './menu.js';
import type { Menu } from './menu.js';
import type { StepTag } from './setup.js';

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (
  intersection: infer I,
) => void
  ? I
  : never;

/** Every concern's part of one kind (actors, actions, guards, root events), as one object type. */
type Merged<C extends readonly ConcernSpec[], K extends 'actors' | 'on'> = UnionToIntersection<
  NonNullable<C[number][K]>
>;
type MergedImpl<C extends readonly ConcernSpec[], K extends 'actions' | 'guards'> = UnionToIntersection<
  C[number]['impl'][K]
>;

/** `{ ...a, ...b }`, refusing a name both define: two concerns must never answer to one name. */
function mergeOnce(what: string, parts: ReadonlyArray<readonly [string, object | undefined]>): object {
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const [concern, part] of parts) {
    for (const [name, value] of Object.entries(part ?? {})) {
      const first = owner.get(name);
      if (first !== undefined)
        throw new Error(`${what} "${name}" is defined by both ${first} and ${concern}`);
      owner.set(name, concern);
      merged[name] = value;
    }
  }
  return merged;
}

/**
 * The concerns of the root, put together (flows/root.flow.ts builds the machine from this): their actors,
 * actions and guards (for `extend`), the events they answer from any state, their states nodes, their
 * versions and slices, and the main menu with their rows. A name two concerns (or a concern and the shell)
 * both define throws here, when the module loads, rather than one silently replacing the other.
 */
export function composeConcerns<const C extends readonly ConcernSpec[]>(concerns: C) {
  const named = <T>(pick: (concern: ConcernSpec) => T) =>
    concerns.map((concern) => [concern.id, pick(concern)] as const);
  const actors = mergeOnce(
    'actor',
    named(({ actors }) => actors),
  ) as Merged<C, 'actors'>;
  const impl = {
    actions: mergeOnce(
      'action',
      named(({ impl }) => impl.actions),
    ) as MergedImpl<C, 'actions'>,
    guards: mergeOnce(
      'guard',
      named(({ impl }) => impl.guards),
    ) as MergedImpl<C, 'guards'>,
  };
  const on = mergeOnce(
    'root event',
    named((concern) => concern.on),
  ) as Merged<C, 'on'>;
  const menu = buildMenu(concerns);
  const versions: Concerns = Object.fromEntries(
    concerns.map(({ id, version, initial, ownsDeadline }): [string, Concern] => [
      id,
      { version, ...(initial ? { initial } : {}), ...(ownsDeadline ? { ownsDeadline } : {}) },
    ]),
  );
  return {
    actors,
    /** The concerns' actions and guards, for the root to `extend` with. */
    impl,
    on,
    menu,
    versions,
    /**
     * Each concern's states node, under its id. `aside`, when given, is a transition every waiting step of
     * every concern takes first for typed text (a greeting, thanks…): its actions, then the step's own entry
     * again, so the step's question is asked again without leaving it (see {@link withAside}).
     */
    states: (built: Menu, aside?: Aside) =>
      Object.fromEntries(
        concerns.map(({ id, states }) => [id, withAside(statesOf(id, states(built)), aside)]),
      ) as {
        [K in C[number] as K['id']]: ReturnType<K['states']>;
      },
    /** Each concern's slice at the start of a conversation. */
    slices: (): Record<string, unknown> =>
      Object.fromEntries(concerns.flatMap(({ id, initial }) => (initial ? [[id, initial()]] : []))),
  };
}

/** A transition taken from any waiting step of any concern, before the step's own (see `states`). */
export interface Aside {
  readonly guard: string;
  readonly actions: readonly string[];
  /**
   * Other events every waiting step takes after its own transitions for them: with a `target`, that
   * transition (a native order goes to ordering); without, its actions and then the step's entry again
   * (a form reply the step does not want: "Thanks, received", and the step's question).
   */
  readonly events?: Readonly<
    Record<string, { readonly target?: string; readonly actions: readonly string[] }>
  >;
  /**
   * For what the bot cannot read at a step (a voice note, a photo, a contact, an edit; a location where the
   * step does not take one): a short answer saying so, then the step's question again. A `request_welcome`
   * at a step is answered with the aside's own actions (a greeting), then the question.
   */
  readonly unreadable?: { readonly actions: readonly string[] };
}

/** The tag of a step that takes a shared location as its answer (the delivery address): no aside for it. */
const TAKES_LOCATION: StepTag = 'takes-location';

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];

/**
 * A concern's states with `aside` put first on the typed text of each of its waiting steps (tag
 * `awaiting-input`) that asks something on entry: taken without leaving the step (no exit, no entry), with
 * the aside's actions and then the step's entry actions, which ask its question again. Written once here for
 * every concern, so none of them needs to know about greetings or thanks.
 */
function withAside(node: object, aside: Aside | undefined): object {
  if (!aside) return node;
  const config = node as { tags?: unknown; entry?: unknown; on?: Record<string, unknown>; states?: object };
  const states = config.states
    ? Object.fromEntries(
        Object.entries(config.states).map(([name, child]) => [name, withAside(child as object, aside)]),
      )
    : undefined;
  const tags = asList(config.tags);
  const waiting = tags.includes('awaiting-input') && config.entry !== undefined;
  const entry = asList(config.entry);
  const unreadable = aside.unreadable && { actions: [...aside.unreadable.actions, ...entry] };
  const others = waiting
    ? Object.fromEntries(
        Object.entries(aside.events ?? {}).map(([event, { target, actions }]) => [
          event,
          [
            ...asList(config.on?.[event]),
            target === undefined ? { actions: [...actions, ...entry] } : { target, actions },
          ],
        ]),
      )
    : {};
  const on =
    waiting && config.on
      ? {
          ...config.on,
          ...others,
          'user.text': [
            { guard: aside.guard, actions: [...aside.actions, ...entry] },
            ...asList(config.on['user.text']),
          ],
          'user.welcome': { actions: [...aside.actions, ...entry] },
          ...(unreadable
            ? {
                'user.media': unreadable,
                'user.unsupported': unreadable,
                ...(tags.includes(TAKES_LOCATION) ? {} : { 'user.location': unreadable }),
              }
            : {}),
        }
      : config.on;
  return { ...config, ...(states ? { states } : {}), ...(on ? { on } : {}) };
}

/** A concern's states node, which must carry the concern's id (the menu and other concerns target `#id`). */
function statesOf(id: string, node: object): object {
  if ((node as { id?: unknown }).id !== id)
    throw new Error(`the states of concern ${id} must have id "${id}"`);
  return node;
}

/**
 * Refuses a concern that takes one of the shell's names: an action, a guard or a top-level state the root
 * defines itself (xstate's `extend` would otherwise let one silently replace the other).
 */
export function assertApart(
  concerns: readonly ConcernSpec[],
  shell: { readonly actions: object; readonly guards: object; readonly states: readonly string[] },
): void {
  const named = (pick: (concern: ConcernSpec) => object) =>
    concerns.map((concern) => [concern.id, pick(concern)] as const);
  mergeOnce('action', [['the root', shell.actions], ...named(({ impl }) => impl.actions)]);
  mergeOnce('guard', [['the root', shell.guards], ...named(({ impl }) => impl.guards)]);
  mergeOnce('state', [
    ['the root', Object.fromEntries(shell.states.map((name) => [name, true]))],
    ...named(({ id }) => ({ [id]: true })),
  ]);
}
