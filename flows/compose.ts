import type { Concern, ConcernSpec, Concerns } from './concerns.js';
import { buildMenu } from './menu.js';
import type { Menu } from './menu.js';

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
    /** Each concern's states node, under its id. */
    states: (built: Menu) =>
      Object.fromEntries(concerns.map(({ id, states }) => [id, statesOf(id, states(built))])) as {
        [K in C[number] as K['id']]: ReturnType<K['states']>;
      },
    /** Each concern's slice at the start of a conversation. */
    slices: (): Record<string, unknown> =>
      Object.fromEntries(concerns.flatMap(({ id, initial }) => (initial ? [[id, initial()]] : []))),
  };
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
