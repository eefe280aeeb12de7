import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import type { FlowEvent, InboundEvent } from '../../src/core/vocabulary.js';
import { t } from '../../src/language/i18n.js';
import type { MessageKey } from '../../src/language/i18n.js';
import { LANGUAGES } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';
import { validateOutbound } from '../../src/whatsapp/messages.js';
import { customerMessages, describeState, emittedBy, invoking } from './graph/invariants.js';
import { englishIn, readable } from './graph/languages.js';
import { input } from './graph/samples.js';
import type { RootSnapshot } from './graph/samples.js';
import { reachable } from './graph/reachable.js';

/**
 * Issue 16: every kind of message a customer can send, in every reachable state of the composed flow, gets a
 * deliberate answer in the conversation's language — or, for a reaction, a deliberate silence — and never
 * a crash. The answer to a voice note, a photo, a contact… says what the bot can do with it.
 */

/** Each inbound kind that is not typed text or a tap, with the answer it must get (undefined: silence). */
const KINDS: ReadonlyArray<{
  name: string;
  event: InboundEvent;
  answer: MessageKey | 'greeting' | undefined;
}> = [
  { name: 'voice note', event: media('audio'), answer: 'root:unread.audio' },
  { name: 'photo', event: media('image'), answer: 'root:unread.image' },
  { name: 'video', event: media('video'), answer: 'root:unread.video' },
  { name: 'document', event: media('document'), answer: 'root:unread.document' },
  { name: 'sticker', event: media('sticker'), answer: 'root:unread.sticker' },
  { name: 'contact', event: { type: 'user.unsupported', kind: 'contacts' }, answer: 'root:unread.contacts' },
  { name: 'edit', event: { type: 'user.unsupported', kind: 'edit' }, answer: 'root:unread.edit' },
  { name: 'poll', event: { type: 'user.unsupported', kind: 'poll' }, answer: 'root:unreadable' },
  {
    name: 'location',
    event: { type: 'user.location', latitude: 38.72, longitude: -9.14 },
    answer: 'root:unread.location',
  },
  { name: 'chat opened', event: { type: 'user.welcome' }, answer: 'greeting' },
  {
    name: 'reaction',
    event: { type: 'user.reaction', emoji: '👍', messageWamid: 'wamid.OURS', outboxId: 'o1' },
    answer: undefined,
  },
];

function media(mediaType: 'audio' | 'image' | 'video' | 'document' | 'sticker'): InboundEvent {
  return { type: 'user.media', mediaType, mediaId: `media-${mediaType}` };
}

/** The greetings a reopened chat may get: the first greeting, "hi again", or the aside's. */
const greetings = (language: Language) => [
  t(language, 'root:greeting', { business: input.businessName }),
  t(language, 'root:greeting.again'),
  t(language, 'root:aside.greeting'),
];

/** What is wrong with the answer to `event` in `state`. */
function problemsOf(
  state: RootSnapshot,
  kind: (typeof KINDS)[number],
  language: Language,
  typed: readonly string[] = [],
): string[] {
  const where = `${describeState(state)} <-${kind.name} (${language})`;
  let after: RootSnapshot;
  let said;
  try {
    const [next, actions] = transition(rootFlow, state, kind.event);
    after = next;
    said = customerMessages(emittedBy(actions));
  } catch (err) {
    return [`${where}: threw ${(err as Error).message}`];
  }
  const handoff = state.matches('handoff');
  const problems: string[] = [];
  if (kind.answer === undefined || (handoff && kind.event.type !== 'user.location')) {
    // Deliberate silence: a reaction anywhere; anything but a *cancel* during a handoff (the staff inbox has it).
    if (said.length > 0) problems.push(`${where}: answered ${JSON.stringify(said[0])}`);
    if (JSON.stringify(after.value) !== JSON.stringify(state.value))
      problems.push(`${where}: moved to ${describeState(after)}`);
    return problems;
  }
  if (handoff) return said.length > 0 ? [`${where}: answered during a handoff`] : [];
  if (said.length === 0) return [`${where}: no reply`];
  if (invoking(after)) problems.push(`${where}: did not settle`);
  const texts = said.flatMap((reply) => readable(reply).map(({ text }) => text));
  const expected =
    kind.answer === 'greeting'
      ? greetings(language)
      : kind.answer === 'root:unreadable'
        ? [t(language, kind.answer), t(language, 'root:unreadable.first')]
        : [t(language, kind.answer)];
  // The checkout's address step takes a shared location as the address: that is its answer.
  const takesLocation = kind.event.type === 'user.location' && state.hasTag('takes-location');
  if (!takesLocation && !expected.some((text) => texts.some((shown) => shown.includes(text))))
    problems.push(`${where}: not told "${expected[0]}": ${texts.join(' / ').slice(0, 200)}`);
  for (const reply of said) {
    try {
      validateOutbound(reply);
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  for (const text of texts) {
    const leaks = englishIn(
      typed.filter(Boolean).reduce((rest, own) => rest.split(own).join(' '), text),
      language,
    );
    if (leaks.length > 0) problems.push(`${where}: English in ${language}: ${leaks.join(' | ')}`);
  }
  return problems;
}

describe('every inbound type, in every reachable state', () => {
  const states = reachable();

  it('when each kind of message arrives in each reachable state in each language, then it gets its answer (or the deliberate silence), in that language, and nothing throws', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { in: inLanguage, typed } of states) {
      for (const language of LANGUAGES) {
        const state = inLanguage[language];
        seen.add(describeState(state).split(' ')[0] ?? '');
        for (const kind of KINDS) problems.push(...problemsOf(state, kind, language, typed));
      }
    }
    // The greeting, the menu, browsing, the cart, checkout, tracking, privacy, the handoff: all reached.
    expect(states.length).toBeGreaterThan(100);
    for (const top of ['menu', 'handoff', 'stuck', 'idle'])
      expect([...seen].some((value) => value.includes(top))).toBe(true);
    expect(states.some((s) => s.in.en.matches({ ordering: 'browsing' }))).toBe(true);
    expect(states.some((s) => s.in.en.matches({ ordering: 'checkout' }))).toBe(true);
    expect(states.some((s) => s.in.en.matches('tracking'))).toBe(true);
    expect(states.some((s) => s.in.en.matches('privacy'))).toBe(true);
    for (const step of [
      'service',
      'day',
      'time',
      'staff',
      'intake',
      'summary',
      'taken',
      'mine',
      'appointment',
    ] as const)
      expect(states.some((s) => s.in.en.matches({ booking: step }))).toBe(true);
    expect(problems.slice(0, 30).map((p) => p.slice(0, 160))).toEqual([]);
  }, 120_000);

  it('when a Spanish conversation gets a voice note at the menu, then the answer is in Spanish and the menu follows', () => {
    const [menu] = initialTransition(rootFlow, { ...input, language: 'es' });
    const [, actions] = transition(rootFlow, menu, media('audio'));
    const said = customerMessages(emittedBy(actions));
    expect(said).toHaveLength(1);
    expect(said[0]?.type).toBe('reply.list');
    expect(said[0] && 'text' in said[0] ? said[0].text : '').toContain(
      'Todavía no puedo escuchar notas de voz.',
    );
  });

  it('when a cart is open and a photo arrives, then the step answers, asks its question again and keeps the cart', () => {
    const cart = states
      .map((s) => s.in.es)
      .find((s) => s.matches({ ordering: 'cart' }) && s.context.ordering.cart.lines.length > 0);
    expect(cart).toBeDefined();
    const [after, actions] = transition(rootFlow, cart as RootSnapshot, media('image'));
    const said = customerMessages(emittedBy(actions));
    expect(said[0]).toEqual({ type: 'reply.text', text: t('es', 'root:unread.image') });
    expect(said.length).toBeGreaterThan(1);
    expect(after.value).toEqual((cart as RootSnapshot).value);
    expect(after.context.ordering.cart).toEqual((cart as RootSnapshot).context.ordering.cart);
  });

  it('when the order summary gets a 👍, then nothing is said and nothing is confirmed', () => {
    const summary = states.map((s) => s.in.en).find((s) => s.matches({ ordering: { checkout: 'summary' } }));
    expect(summary).toBeDefined();
    const [after, actions] = transition(rootFlow, summary as RootSnapshot, KINDS.at(-1)?.event as FlowEvent);
    expect(customerMessages(emittedBy(actions))).toEqual([]);
    expect(after.value).toEqual((summary as RootSnapshot).value);
  });

  it('when a step is silent for a voice note, then the check says so (it can fail)', () => {
    const [menu] = initialTransition(rootFlow, input);
    const silentKind = { name: 'probe', event: media('audio'), answer: 'root:unread.edit' as const };
    expect(problemsOf(menu, silentKind, 'en')).toEqual([expect.stringContaining('not told')]);
  });
});
