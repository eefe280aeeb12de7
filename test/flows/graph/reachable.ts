import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../../flows/root.flow.js';
import type { FlowEvent } from '../../../src/core/vocabulary.js';
import { LANGUAGES } from '../../../src/language/languages.js';
import type { Language } from '../../../src/language/languages.js';
import { ended, invoking, paths } from './invariants.js';
import { localised } from './languages.js';
import { input } from './samples.js';
import type { RootSnapshot } from './samples.js';

/** A settled reachable state in each language, and what the customer typed on the way there. */
export interface Reached {
  in: Record<Language, RootSnapshot>;
  /** What the customer typed on the way (a name, an address): theirs, shown back as written. */
  typed: string[];
}

/**
 * Every reachable state a customer message can reach (settled, not a finished conversation), reached in
 * each language: the path's events sent to a conversation in that language, the services answering in it.
 * Paths share their beginnings, so each step is taken once per language.
 */
export function reachable(): Reached[] {
  const reached = new Map<string, RootSnapshot>();
  const reach = (language: Language, events: readonly FlowEvent[]): RootSnapshot => {
    const key = `${language} ${JSON.stringify(events)}`;
    let snapshot = reached.get(key);
    if (!snapshot) {
      const last = events.at(-1);
      snapshot = last
        ? transition(rootFlow, reach(language, events.slice(0, -1)), localised(last, language))[0]
        : initialTransition(rootFlow, { ...input, language })[0];
      reached.set(key, snapshot);
    }
    return snapshot;
  };
  return paths
    .filter(({ state }) => !invoking(state) && !ended(state))
    .map(({ steps }) => {
      const events = steps.slice(1).map(({ event }) => event);
      return {
        in: Object.fromEntries(LANGUAGES.map((l) => [l, reach(l, events)])) as Record<Language, RootSnapshot>,
        typed: events.flatMap((event) => (event.type === 'user.text' ? [event.text] : [])),
      };
    });
}
