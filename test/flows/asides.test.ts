/**
 * A greeting, thanks, or a language asked for by name, typed inside a concern's step (ordering, privacy,
 * tracking): a short answer in the conversation's language, then the step's own question again, without
 * leaving the step or losing what it holds (flows/compose.ts puts this on every waiting step of every
 * concern; flows/root.flow.ts says what the answer is).
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/language/i18n.js';
import type { FlowDeps } from '../../src/conversation/flows.js';
import type { StepResult } from '../../src/conversation/runner.js';
import { chat, contextOf, pizzeria, texts, valueOf } from './graph/invariants.js';
import { text } from './graph/samples.js';

/** The texts of a step, but the first (the aside's answer), and the state it ended in. */
const rest = (result: StepResult) => ({ state: valueOf(result), texts: texts(result).slice(1) });

describe('a greeting or thanks inside an order', () => {
  it.each([
    ['hi', 'hello', 'root:aside.greeting'],
    ['hola', 'hola', 'root:aside.greeting'],
    ['danke', 'danke schön', 'root:aside.thanks'],
  ] as const)(
    'when a customer who wrote "%s" types "%s" while choosing what to order, then they get a short answer and the same step again, in their language',
    async (first, aside, answer) => {
      const send = chat({}, pizzeria(9.5));
      await send(text(first));
      const browsing = await send(text('1'));
      const language = contextOf(browsing).language as 'en';

      const result = await send(text(aside));

      expect(texts(result)[0]).toBe(t(language, answer));
      expect(rest(result)).toEqual({ state: valueOf(browsing), texts: texts(browsing) });
    },
  );

  it('when a customer greets at "how many?", then the quantity is asked again and the item is still the one picked', async () => {
    const send = chat({}, pizzeria(9.5));
    await send(text('hola'));
    await send(text('1'));
    const asked = await send(text('margherita'));
    expect(valueOf(asked)).toEqual({ ordering: 'quantity' });

    const result = await send(text('buenas tardes'));

    expect(texts(result)).toEqual([t('es', 'root:aside.greeting'), ...texts(asked)]);
    expect(valueOf(result)).toEqual({ ordering: 'quantity' });
    // And the answer after it is taken as the quantity of that item.
    const added = await send(text('2'));
    expect(JSON.stringify(contextOf(added).ordering)).toContain('"margherita"');
  });

  it('when a customer asks for another language by name mid-order, then the step is asked again in it and the cart is kept', async () => {
    const send = chat({}, pizzeria(9.5));
    await send(text('hi'));
    await send(text('1'));
    await send(text('margherita'));
    const added = await send(text('2'));
    const before = contextOf(added).ordering;

    const result = await send(text('en español'));

    expect(texts(result)[0]).toBe(t('es', 'root:language.set'));
    expect(valueOf(result)).toEqual(valueOf(added));
    expect(contextOf(result)).toMatchObject({ language: 'es', chosen: { language: 'es' } });
    expect(contextOf(result).ordering).toEqual(before);
    expect(texts(result).slice(1).join('\n')).not.toMatch(/\b(the|your|please|cart)\b/i);
  });
});

describe('a greeting or thanks inside the privacy steps', () => {
  it.each([
    ['en', 'thanks', 'root:aside.thanks'],
    ['fr', 'merci beaucoup', 'root:aside.thanks'],
    ['pt', 'olá', 'root:aside.greeting'],
  ] as const)(
    'when a customer (%s) types "%s" while asked for their new name, then they get a short answer and the name is asked again',
    async (language, aside, answer) => {
      const send = chat();
      await send(text({ en: 'hi', fr: 'bonjour', pt: 'olá' }[language]));
      const asked = await send({ type: 'privacy.correct', field: 'name' });
      expect(valueOf(asked)).toEqual({ privacy: { correcting: 'name' } });

      const result = await send(text(aside));

      expect(texts(result)).toEqual([t(language, answer), ...texts(asked)]);
      expect(valueOf(result)).toEqual({ privacy: { correcting: 'name' } });
    },
  );

  it('when a customer greets at the privacy menu, then the privacy menu is shown again, not "not understood"', async () => {
    const send = chat();
    await send(text('hallo'));
    const shown = await send({ type: 'privacy.menu' });

    const result = await send(text('guten Tag'));

    expect(rest(result)).toEqual({ state: valueOf(shown), texts: texts(shown) });
    expect(texts(result)).not.toContain(t('de', 'root:notUnderstood'));
  });
});

describe('a greeting or thanks while looking at orders', () => {
  const placedAt = new Date('2025-05-01T12:00:00Z');
  const orders = {
    recentOrdersOf: () =>
      Promise.resolve([{ orderNumber: 13, status: 'placed', totalMinor: 900, currency: 'EUR', placedAt }]),
  } as unknown as FlowDeps['orders'];

  it.each([
    ['hi', 'thank you', 'en', 'root:aside.thanks'],
    ['hola', 'gracias', 'es', 'root:aside.thanks'],
    ['bonjour', 'salut', 'fr', 'root:aside.greeting'],
  ] as const)(
    'when a customer who wrote "%s" types "%s" at their orders, then the orders and the cancel button are shown again',
    async (first, aside, language, answer) => {
      const send = chat({ orders });
      await send(text(first));
      const tracked = await send(text('2'));
      expect(valueOf(tracked)).toEqual({ tracking: 'tracked' });

      const result = await send(text(aside));

      expect(texts(result)).toEqual([t(language, answer), ...texts(tracked)]);
      expect(result.emitted.at(-1)).toEqual(tracked.emitted.at(-1));
      expect(valueOf(result)).toEqual({ tracking: 'tracked' });
    },
  );
});
