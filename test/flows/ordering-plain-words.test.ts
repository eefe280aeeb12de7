import { describe, expect, it } from 'vitest';
import { demoBusinessData } from '../../src/businesses/demo.js';
import type { StepResult } from '../../src/conversation/runner.js';
import { toFlowEvent } from '../../src/language/intents.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { chat, customerMessages } from './graph/invariants.js';
import type { OrderDraft } from '../../flows/root.flow.js';

/**
 * Plain words while ordering (issue 14), through the real runner with the demo business (its synonyms
 * included): quantities and items in one message, a first message that is an order, an unclear choice.
 */
const demo = demoBusinessData();
const BUSINESS = demo.name;

/** A customer of the demo business: each message as WhatsApp text, commands detected as the webhook does. */
function customer() {
  const send = chat({}, demo);
  let last: StepResult | undefined;
  return {
    async say(text: string): Promise<string> {
      last = await send(toFlowEvent({ type: 'user.text', text }));
      const replies = customerMessages(last.emitted);
      expect(replies).toHaveLength(1);
      const [reply] = replies;
      return reply && 'text' in reply ? reply.text.replace(/\u00a0/g, ' ') : '';
    },
    get cart(): Array<[string, number]> {
      const ordering = (last?.snapshot.context as { ordering?: OrderDraft } | undefined)?.ordering;
      return (ordering?.cart.lines ?? []).map((line) => [line.itemId, line.quantity]);
    },
    get state(): unknown {
      return last?.snapshot.value;
    },
    get language(): unknown {
      return (last?.snapshot.context as { language?: unknown } | undefined)?.language;
    },
  };
}

/** "Your cart (3 items):" in `language`: the cart message's head. */
const cartHead = (language: Language, count: number) => t(language, 'ordering:cart.head', { count });

/** A greeting that sets the conversation's language, then *Order*: the customer is at the menu of dishes. */
const HELLO: Record<Language, string> = {
  en: 'hello',
  es: 'hola',
  pt: 'olá',
  fr: 'bonjour',
  de: 'hallo',
};

async function browsing(language: Language) {
  const c = customer();
  await c.say(HELLO[language]);
  await c.say('1');
  expect(c.state).toEqual({ ordering: 'browsing' });
  expect(c.language).toBe(language);
  return c;
}

describe('quantities and items in one message, at the menu of dishes', () => {
  it.each([
    ['en', '2 diavola', [['diavola', 2]]],
    ['en', '2 diavolla', [['diavola', 2]]],
    ['es', 'una margarita', [['margherita', 1]]],
    [
      'es',
      'dos margaritas y una cola',
      [
        ['margherita', 2],
        ['cola', 1],
      ],
    ],
    ['en', '2x cola', [['cola', 2]]],
    [
      'en',
      'three margheritas and a coke',
      [
        ['margherita', 3],
        ['cola', 1],
      ],
    ],
    ['fr', 'deux margherita', [['margherita', 2]]],
    ['de', 'zwei cola', [['cola', 2]]],
    [
      'pt',
      'duas margheritas e uma água',
      [
        ['margherita', 2],
        ['water', 1],
      ],
    ],
  ] as const)(
    'when a %s customer writes %j, then the cart holds those lines, shown in that language',
    async (language, sentence, expected) => {
      const c = await browsing(language);

      const reply = await c.say(sentence);

      expect(c.state).toEqual({ ordering: 'cart' });
      expect(c.cart).toEqual(expected);
      const count = expected.reduce((sum, [, quantity]) => sum + quantity, 0);
      expect(reply.startsWith(cartHead(language, count))).toBe(true);
    },
  );

  it('when some words name nothing on the menu, then the others go to the cart and those words are named', async () => {
    const c = await browsing('es');

    const reply = await c.say('2 margaritas y 3 hawaianas');

    expect(c.cart).toEqual([['margherita', 2]]);
    expect(reply).toContain(t('es', 'ordering:order.notFound', { words: '"hawaianas"' }));
    expect(reply).toContain(cartHead('es', 2));
  });

  it('when only a dish is named, then how many is asked as before', async () => {
    const c = await browsing('en');

    const reply = await c.say('diavola');

    expect(c.state).toEqual({ ordering: 'quantity' });
    expect(reply).toContain('How many *Diavola*');
    expect(c.cart).toEqual([]);
  });

  it('when the cart is showing, then "2 diavola y una coca cola" adds to it', async () => {
    const c = await browsing('es');
    await c.say('2 margaritas');

    const reply = await c.say('2 diavola y una coca cola');

    expect(c.cart).toEqual([
      ['margherita', 2],
      ['diavola', 2],
      ['cola', 1],
    ]);
    expect(reply.startsWith(cartHead('es', 5))).toBe(true);
  });
});

describe('at "How many?"', () => {
  it('when the customer writes "ver carrito", then the cart is shown, not the number hint', async () => {
    const c = await browsing('es');
    await c.say('2 margaritas');
    await c.say('diavola');
    expect(c.state).toEqual({ ordering: 'quantity' });

    const reply = await c.say('ver carrito');

    expect(c.state).toEqual({ ordering: 'cart' });
    expect(reply.startsWith(cartHead('es', 2))).toBe(true);
  });

  it('when the customer writes a quantity with a dish, then both go to the cart', async () => {
    const c = await browsing('en');
    await c.say('diavola');

    const reply = await c.say('2 diavola and a coke');

    expect(c.cart).toEqual([
      ['diavola', 2],
      ['cola', 1],
    ]);
    expect(reply.startsWith(cartHead('en', 3))).toBe(true);
  });

  it('when the customer writes a number word, then it is still the quantity', async () => {
    const c = await browsing('es');
    await c.say('diavola');

    await c.say('tres');

    expect(c.cart).toEqual([['diavola', 3]]);
  });
});

describe('a first message that is an order', () => {
  it.each([
    [
      'en',
      'helo can i get 2 margarita and a coke pls',
      [
        ['margherita', 2],
        ['cola', 1],
      ],
    ],
    [
      'es',
      'hola quiero 2 margaritas y una cola',
      [
        ['margherita', 2],
        ['cola', 1],
      ],
    ],
    ['pt', 'olá, quero duas diavolas', [['diavola', 2]]],
    // "I want" with an article is an order too (an article alone is not: questions are full of them).
    ['es', 'hola, quiero una cola', [['cola', 1]]],
    ['en', 'hi, can I get a margherita', [['margherita', 1]]],
    [
      'fr',
      'bonjour, je voudrais 2 margherita et un coca',
      [
        ['margherita', 2],
        ['cola', 1],
      ],
    ],
    [
      'de',
      'hallo, ich möchte zwei Diavola und ein Wasser bitte',
      [
        ['diavola', 2],
        ['water', 1],
      ],
    ],
  ] as const)(
    'when a %s customer first writes %j, then one message greets and shows the cart',
    async (language, sentence, expected) => {
      const c = customer();

      const reply = await c.say(sentence);

      expect(c.language).toBe(language);
      expect(c.state).toEqual({ ordering: 'cart' });
      expect(c.cart).toEqual(expected);
      const [greeting, ...rest] = reply.split('\n\n');
      expect(greeting).toBe(t(language, 'root:greeting', { business: BUSINESS }));
      const count = expected.reduce((sum, [, quantity]) => sum + quantity, 0);
      expect(rest.join('\n\n').startsWith(cartHead(language, count))).toBe(true);
    },
  );

  it('when a first message has a number but names nothing on the menu, then the greeting and the main menu answer it', async () => {
    const c = customer();

    const reply = await c.say('hola, tengo dos preguntas');

    expect(c.state).toBe('menu');
    expect(reply.startsWith(t('es', 'root:greeting', { business: BUSINESS }))).toBe(true);
    expect(c.cart).toEqual([]);
  });

  it('when a first message says "I want" but names nothing on the menu, then the greeting and the main menu answer it', async () => {
    const c = customer();

    const reply = await c.say('hola, quiero una pregunta');

    expect(c.state).toBe('menu');
    expect(reply.startsWith(t('es', 'root:greeting', { business: BUSINESS }))).toBe(true);
    expect(c.cart).toEqual([]);
  });

  it('when the first message names one dish without a quantity, then the greeting comes with "How many?"', async () => {
    const c = customer();

    const reply = await c.say('hola, quiero pedir diavola');

    expect(c.state).toEqual({ ordering: 'quantity' });
    expect(c.cart).toEqual([]);
    expect(reply.startsWith(t('es', 'root:greeting', { business: BUSINESS }))).toBe(true);
    expect(reply).toContain('*Diavola*');
  });
});

describe('a text that reads as an order but names nothing on the menu, with AI on', () => {
  it('when the customer writes "3 hawaiianas", then the AI gets it as typed, once', async () => {
    const asked: string[] = [];
    const send = chat(
      {
        ai: {
          interpret: ({ text: typed }) => {
            asked.push(typed);
            return Promise.resolve({ kind: 'answer', text: 'We have no Hawaiian pizza, sorry.' });
          },
        },
      },
      { ...demo, aiReplies: true },
    );
    await send(toFlowEvent({ type: 'user.text', text: 'hi' }));
    asked.length = 0;

    const result = await send(toFlowEvent({ type: 'user.text', text: '3 hawaiianas' }));

    expect(asked).toEqual(['3 hawaiianas']);
    expect(result.snapshot.value).toBe('idle');
    expect(customerMessages(result.emitted)).toEqual([
      { type: 'reply.text', text: 'We have no Hawaiian pizza, sorry.' },
    ]);
  });
});

describe('at the main menu', () => {
  it('when the customer writes "quiero pedir una pizza", then the pizzas are shown in Spanish', async () => {
    const c = customer();
    await c.say('hola');

    const reply = await c.say('quiero pedir una pizza');

    expect(c.state).toEqual({ ordering: 'browsing' });
    expect(reply).toContain('*Pizzas*: toca');
  });

  it('when the customer writes "2 diavola", then the cart holds them', async () => {
    const c = customer();
    await c.say('hi');

    const reply = await c.say('2 diavola');

    expect(c.state).toEqual({ ordering: 'cart' });
    expect(c.cart).toEqual([['diavola', 2]]);
    expect(reply.startsWith(cartHead('en', 2))).toBe(true);
  });

  it('when a text with a number names nothing on the menu, then it is not understood as before', async () => {
    const c = customer();
    await c.say('hi');

    const reply = await c.say('zzqx 2 wlk');

    expect(c.state).toBe('menu');
    expect(reply.startsWith(t('en', 'root:notUnderstood'))).toBe(true);
  });
});

describe('pickup or delivery', () => {
  async function atFulfilment() {
    const c = await browsing('en');
    await c.say('2 diavola');
    const question = await c.say('checkout');
    expect(question).toBe(t('en', 'ordering:fulfilment.question'));
    return c;
  }

  it('when the customer writes "pikup", then pickup is understood', async () => {
    const c = await atFulfilment();

    const reply = await c.say('pikup');

    expect(c.state).toEqual({ ordering: { checkout: 'note' } });
    expect(reply).toBe(t('en', 'ordering:note.question'));
  });

  it('when the customer writes "delivry", then delivery is understood', async () => {
    const c = await atFulfilment();

    await c.say('delivry');

    expect(c.state).toEqual({ ordering: { checkout: 'address' } });
  });

  it('when the answer is neither, then the customer is told and the choices come again', async () => {
    const c = await atFulfilment();

    const reply = await c.say('tomorrow');

    expect(c.state).toEqual({ ordering: { checkout: 'fulfilment' } });
    expect(reply).toBe(
      `${t('en', 'ordering:fulfilment.notUnderstood')}\n${t('en', 'ordering:fulfilment.question')}`,
    );
  });
});
