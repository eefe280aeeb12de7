import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { LANGUAGES } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';
import { customerMessages, describeEvent, describeState, emittedBy, paths } from './graph/invariants.js';
import { input } from './graph/samples.js';
import { englishIn, keysOf, localised, readable, rendersOneOf } from './graph/languages.js';

/** One step of a path: where it went and what the customer read. */
interface Step {
  label: string;
  state: string;
  messages: OutboundMessage[];
  /** What the customer typed so far on the path: said back to them (a note, an address), it is theirs. */
  typed: string[];
}

/**
 * Every shortest path of the composed flow (test/flows/graph/invariants.ts) walked again in a conversation
 * whose language is `language`: the same events, with the services' answers in that language.
 */
function walk(language: Language): Step[][] {
  return paths.map((path) => {
    let [snapshot] = initialTransition(rootFlow, { ...input, language });
    const typed: string[] = [];
    return path.steps.slice(1).map(({ event }) => {
      const label = `${describeState(snapshot)} --${describeEvent(event)}-->`;
      if (event.type === 'user.text') typed.push(event.text);
      const [next, actions] = transition(rootFlow, snapshot, localised(event, language));
      snapshot = next;
      const messages = customerMessages(emittedBy(actions));
      return { label, state: describeState(next), messages, typed: [...typed] };
    });
  });
}

/**
 * What differs between the English walk and the walk in `language`, step by step: another state, another
 * kind or number of messages, a text that is a catalogue text in English but not that text in the language,
 * or a piece of English the language never uses.
 */
function problemsIn(language: Language, english: Step[][], walked: Step[][]): string[] {
  const problems = new Set<string>();
  walked.forEach((steps, p) => {
    steps.forEach((step, s) => {
      const reference = english[p]?.[s];
      if (!reference) return;
      const at = `${language} ${step.label}`;
      if (step.state !== reference.state) {
        problems.add(`${at} ${step.state}, in English ${reference.state}`);
        return;
      }
      const kinds = (messages: OutboundMessage[]) => messages.map((m) => m.type).join(',');
      if (kinds(step.messages) !== kinds(reference.messages)) {
        problems.add(`${at} says [${kinds(step.messages)}], in English [${kinds(reference.messages)}]`);
        return;
      }
      step.messages.forEach((message, m) => {
        const theirs = readable(reference.messages[m] as OutboundMessage);
        for (const { where, text } of readable(message)) {
          const englishText = theirs.find((other) => other.where === where)?.text;
          const keys = englishText === undefined ? [] : keysOf(englishText);
          if (keys.length > 0 && !rendersOneOf(text, keys, language))
            problems.add(`${at} ${where} ${JSON.stringify(text)} is not ${keys.join(' or ')} in ${language}`);
          const theirsTyped = step.typed.reduce((rest, typed) => rest.split(typed).join(' '), text);
          const leaks = englishIn(theirsTyped, language);
          if (leaks.length > 0)
            problems.add(`${at} ${where} ${JSON.stringify(text)} has English: ${leaks.join(' | ')}`);
        }
      });
    });
  });
  return [...problems];
}

describe('the flow graph in every language', () => {
  const english = walk('en');

  it('when the check is given English replies as Spanish, then it finds the English (it can fail)', () => {
    const problems = problemsIn('es', english, english);
    expect(problems.length).toBeGreaterThan(50);
    expect(problems.some((problem) => problem.includes('has English'))).toBe(true);
    expect(problems.some((problem) => /is not \S+ in es/.test(problem))).toBe(true);
  });

  it('when the English walk is read, then most replies are identified as catalogue texts', () => {
    const texts = english.flatMap((steps) =>
      steps.flatMap(({ messages }) => messages.flatMap((m) => readable(m).map(({ text }) => text))),
    );
    const identified = texts.filter((text) => keysOf(text).length > 0);
    // Composed replies (a notice and the menu, a cart) are checked for English pieces only.
    expect(identified.length / texts.length).toBeGreaterThan(0.5);
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`when every path is walked in ${language}, then each reply is the ${language} catalogue text and has no English`, () => {
      expect(problemsIn(language, english, walk(language))).toEqual([]);
    });
  }
});
