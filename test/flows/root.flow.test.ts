import { describe, expect, it } from 'vitest';
import { toFlowEvent } from '../../src/language/intents.js';
import type { FlowEvent, InboundEvent } from '../../src/core/vocabulary.js';
import {
  CONCERNS,
  allEdges,
  chat,
  customerMessages,
  describeEvent,
  describeState,
  edgesFrom,
  emittedBy,
  ended,
  invoking,
  pathProblems,
  paths,
  problemsOf,
  reachableIn,
  texts,
  topOf,
  valueOf,
  contextOf,
} from './graph/invariants.js';
import { BUSINESS_NAME, GIBBERISH, HANDOFF_MINUTES, list, sampleEvents, text } from './graph/samples.js';
import { transition } from 'xstate';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlow } from '../../flows/root.flow.js';

/** The shell's own states: greeting, menu, help, misunderstandings, handoff, and the end of an erasure. */
const SHELL = ['start', 'menu', 'language', 'idle', 'stuck', 'handoff', 'erased'];

describe('root flow paths', () => {
  it('when every state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems()).toEqual([]);
  });

  it('when every sample event is sent in every reachable state of the shell, then each transition keeps the invariants', () => {
    const problems = edgesFrom(SHELL).flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then every reachable state is in the shell or in one concern', () => {
    expect([...new Set(paths.map(({ state }) => topOf(state)))].sort()).toEqual(
      [...SHELL, ...CONCERNS].sort(),
    );
  });

  it('when the graph is explored, then exactly the expected states of the shell are reachable', () => {
    expect(reachableIn(SHELL)).toEqual(
      [
        'erased',
        'erased cart',
        'erased deadline',
        'erased deadline cart',
        'handoff deadline',
        'handoff deadline cart',
        'idle',
        'idle cart',
        'idle deadline',
        'idle deadline cart',
        'language',
        'language cart',
        'language deadline',
        'language deadline cart',
        'menu',
        'menu cart',
        'menu deadline',
        'menu deadline cart',
        'menu misunderstood=1',
        'menu misunderstood=1 cart',
        'menu misunderstood=1 deadline',
        'menu misunderstood=1 deadline cart',
        'start',
        'stuck misunderstood=2',
        'stuck misunderstood=2 cart',
        'stuck misunderstood=2 deadline',
        'stuck misunderstood=2 deadline cart',
        'stuck misunderstood=3',
        'stuck misunderstood=3 cart',
        'stuck misunderstood=3 deadline',
        'stuck misunderstood=3 deadline cart',
        'stuck misunderstood=4+',
        'stuck misunderstood=4+ cart',
        'stuck misunderstood=4+ deadline',
        'stuck misunderstood=4+ deadline cart',
      ].sort(),
    );
  });

  it('when in any reachable state, then a path leads back to the menu', () => {
    const edges = allEdges();
    const canReachMenu = new Set<string>();
    for (const { before } of edges) if (before.matches('menu')) canReachMenu.add(describeState(before));
    for (let grew = true; grew;) {
      grew = false;
      for (const { before, after } of edges) {
        if (canReachMenu.has(describeState(after)) && !canReachMenu.has(describeState(before))) {
          canReachMenu.add(describeState(before));
          grew = true;
        }
      }
    }

    // An erased conversation is deleted (see `ended`): the next message starts a fresh one, at the greeting.
    expect(
      paths
        .filter(({ state }) => !ended(state))
        .map((path) => describeState(path.state))
        .filter((s) => !canReachMenu.has(s)),
    ).toEqual([]);
  });

  it('when in any reachable state, then one global command brings the menu back in one step', () => {
    const stranded: string[] = [];
    // A state waiting for an invoked actor, or an ended conversation, never receives a command (see `eventsFor`).
    for (const path of paths.filter(({ state }) => !invoking(state) && !ended(state))) {
      const ways: FlowEvent[] = path.state.matches('handoff')
        ? [
            { type: 'command.cancel' },
            { type: 'command.menu' },
            { type: 'system.resume' },
            { type: 'system.timeout' },
          ]
        : [{ type: 'command.menu' }, { type: 'command.cancel' }];
      for (const event of ways) {
        const [after, actions] = transition(rootFlow, path.state, event);
        const messages = customerMessages(emittedBy(actions));
        const menus = messages.filter((m) => m.type === 'reply.list');
        // *cancel* with something in the cart asks first, with the yes/no buttons, instead of emptying it.
        const asksFirst =
          event.type === 'command.cancel' &&
          path.state.matches('ordering') &&
          path.state.context.ordering.cart.lines.length > 0 &&
          after.matches({ ordering: 'confirmCancel' }) &&
          messages.length === 1 &&
          messages[0]?.type === 'reply.buttons';
        if (!asksFirst && (!after.matches('menu') || menus.length !== 1)) {
          stranded.push(`${describeState(path.state)} --${describeEvent(event)}--> ${describeState(after)}`);
        }
      }
    }

    expect(stranded).toEqual([]);
  });

  it('when the bot offers a list row or a button anywhere, then the sample events tap it', () => {
    const offered = new Map<string, InboundEvent>();
    for (const { emitted } of allEdges()) {
      for (const message of customerMessages(emitted)) {
        if (message.type === 'reply.list') {
          for (const row of message.sections.flatMap((section) => section.rows))
            offered.set(`user.list ${row.id}`, list(row.id, row.title) as InboundEvent);
        }
        if (message.type === 'reply.buttons') {
          for (const button of message.buttons)
            offered.set(`user.button ${button.id}`, {
              type: 'user.button',
              id: button.id,
              title: button.title,
            });
        }
      }
    }
    const tapped = new Set(sampleEvents.map(describeEvent));
    // A tap the runner turns into a privacy request or a command reaches the flow as that event.
    const reaches = (tap: InboundEvent): string => describeEvent(toFlowEvent(tap));

    expect(offered.size).toBeGreaterThan(0);
    const untapped = [...offered].filter(([tap, event]) => !tapped.has(tap) && !tapped.has(reaches(event)));
    expect(untapped.map(([tap]) => tap)).toEqual([]);
  });
});

describe('root flow examples', () => {
  it('when the first message is "hi", then one list message greets with the business name', async () => {
    const send = chat();

    const result = await send(text('hi'));

    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]).toMatchObject({ type: 'reply.list', button: 'Options' });
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    expect(valueOf(result)).toBe('menu');
  });

  it('when the customer types "4", then the customer is told, the staff notified once, and a deadline set', async () => {
    const send = chat();
    await send(text('hi'));
    const before = Date.now();

    const result = await send(text('4'));

    const after = Date.now();
    expect(valueOf(result)).toBe('handoff');
    expect(customerMessages(result.emitted)).toHaveLength(1);
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    const staff = result.emitted.filter((m) => m.type === 'notify.staff');
    expect(staff).toHaveLength(1);
    expect(staff[0]?.text.trim()).not.toBe('');
    const deadline = Date.parse(String(contextOf(result).deadline));
    expect(deadline).toBeGreaterThanOrEqual(before + HANDOFF_MINUTES * 60_000);
    expect(deadline).toBeLessThanOrEqual(after + HANDOFF_MINUTES * 60_000);
    expect(result.deadline).toBe(contextOf(result).deadline);
  });

  it('when in handoff the customer types "menu", then they are back with the assistant, with the menu, and the deadline goes', async () => {
    const send = chat();
    await send(text('hi'));
    await send(text('4'));

    const result = await send({ type: 'command.menu' });

    expect(valueOf(result)).toBe('menu');
    expect(texts(result)[0]).toContain("you're back with the automated assistant");
    expect(result.emitted.some((m) => m.type === 'reply.list')).toBe(true);
    expect(result.deadline).toBeUndefined();
  });

  it('when in handoff the customer asks for help or a person again, then the bot stays quiet and in handoff', async () => {
    const send = chat();
    await send(text('hi'));
    const handoff = await send(text('4'));

    for (const event of [{ type: 'command.help' }, { type: 'command.human' }] as const) {
      const result = await send(event);
      expect(result.emitted).toEqual([]);
      expect(valueOf(result)).toBe('handoff');
      expect(result.deadline).toBe(handoff.deadline);
    }
  });

  it('when in handoff the customer types "cancel", then the menu comes back in one message and the deadline goes', async () => {
    const send = chat();
    await send(text('hi'));
    await send(text('4'));

    const result = await send({ type: 'command.cancel' });

    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]?.type).toBe('reply.list');
    expect(result.deadline).toBeUndefined();
  });

  it.each([{ type: 'system.resume' as const }, { type: 'system.timeout' as const }])(
    'when in handoff $type arrives, then the customer is back at the menu with one message',
    async (event) => {
      const send = chat();
      await send(text('hi'));
      await send(text('4'));

      const result = await send(event);

      expect(valueOf(result)).toBe('menu');
      expect(result.emitted).toHaveLength(1);
      expect(result.emitted[0]?.type).toBe('reply.list');
      expect(result.deadline).toBeUndefined();
    },
  );

  it('when the customer sends gibberish again and again, then every message gets one reply and no reply repeats the last one', async () => {
    const send = chat();
    await send(text('hi'));

    const replies: string[][] = [];
    for (let i = 0; i < 6; i += 1) replies.push(texts(await send(GIBBERISH)));

    for (const [index, reply] of replies.entries()) {
      expect(reply).toHaveLength(1);
      if (index > 0) expect(reply).not.toEqual(replies[index - 1]);
    }
  });

  it('when the first message is something the bot cannot read, then the menu comes with the "can\'t read" notice', async () => {
    const send = chat();

    const result = await send({ type: 'user.unsupported', kind: 'sticker_pack' });

    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(1);
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    expect(texts(result)[0]).toMatch(/can't read/);
  });

  it.each([
    { type: 'user.location', latitude: 38.7223, longitude: -9.1393 } satisfies FlowEvent,
    { type: 'user.media', mediaType: 'image', mediaId: 'media-0002' } satisfies FlowEvent,
    { type: 'user.unsupported', kind: 'reaction' } satisfies FlowEvent,
  ])(
    'when the bot is stuck after two misunderstandings and the customer sends $type, then the bot still answers',
    async (event) => {
      const send = chat();
      await send(text('hi'));
      await send(GIBBERISH);
      const stuck = await send(GIBBERISH);
      expect(valueOf(stuck)).toBe('stuck');

      const result = await send(event);

      expect(customerMessages(result.emitted)).not.toEqual([]);
    },
  );
});

describe('never silent outside a handoff (issue 14)', () => {
  it('when the bot does not understand 10 messages in a row, then each gets exactly one reply, never the one before', async () => {
    const send = chat();
    await send(text('hi'));

    const replies: string[][] = [];
    for (let i = 0; i < 10; i += 1) replies.push(texts(await send(text(`zzqx ${i} wlk`))));

    expect(replies.map((reply) => reply.length)).toEqual(Array.from({ length: 10 }, () => 1));
    for (let i = 1; i < replies.length; i += 1) expect(replies[i]).not.toEqual(replies[i - 1]);
  });

  it('when the bot is stuck, then every later answer offers the options and a person', async () => {
    const send = chat();
    await send(text('hi'));
    await send(GIBBERISH);
    await send(GIBBERISH);

    for (let i = 0; i < 6; i += 1) {
      const result = await send(GIBBERISH);
      const [reply] = customerMessages(result.emitted);
      const said = JSON.stringify(reply);
      expect(valueOf(result)).toBe('stuck');
      // Buttons for both, or the hint naming the buttons above and *human*.
      expect(said).toMatch(/Show options|buttons above/);
      expect(said).toMatch(/Talk to a person|\*human\*/);
    }
  });

  it('when the customer says "hi" five times, then each one gets an answer with the menu', async () => {
    const send = chat();

    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await send(text('hi')));

    for (const result of results) {
      expect(customerMessages(result.emitted)).toHaveLength(1);
      expect(result.emitted[0]?.type).toBe('reply.list');
      expect(valueOf(result)).toBe('menu');
    }
    expect(texts(results[0]!)[0]).toContain(BUSINESS_NAME);
    expect(texts(results[1]!)[0]).toMatch(/^Hi again!\n\nWhat would you like to do\?/);
  });

  it('when any customer message reaches a waiting state of the shell outside a handoff, then the bot answers it', () => {
    const silent = edgesFrom(SHELL)
      .filter(({ before, event }) => !before.matches('handoff') && event.type.startsWith('user.'))
      // Text given to an AI is answered when the AI step settles (checked by the path invariants).
      .filter(({ after }) => !invoking(after))
      .filter(({ emitted }) => customerMessages(emitted).length === 0)
      .map(
        ({ before, event, after }) =>
          `${describeState(before)} --${describeEvent(event)}--> ${describeState(after)}`,
      );

    expect(silent).toEqual([]);
  });
});

describe('plain words at the menu', () => {
  it.each([
    { language: 'en', hello: 'hi', again: 'Hi again!', intro: 'What would you like to do?' },
    { language: 'es', hello: 'hola', again: '¡Hola de nuevo!', intro: '¿Qué te gustaría hacer?' },
    { language: 'pt', hello: 'olá', again: 'Olá de novo!', intro: 'O que você gostaria de fazer?' },
    { language: 'fr', hello: 'bonjour', again: 'Rebonjour !', intro: 'Que souhaitez-vous faire ?' },
    { language: 'de', hello: 'hallo', again: 'Hallo nochmal!', intro: 'Was möchten Sie tun?' },
  ])(
    'when the customer greets ($language) at the menu, then the menu comes back in that language',
    async ({ hello, again, intro }) => {
      const send = chat();
      await send(text(hello));

      const result = await send(text(hello));

      expect(valueOf(result)).toBe('menu');
      expect(texts(result)).toEqual([
        expect.stringMatching(
          new RegExp(`^${again.replace(/[?!]/g, '\\$&')}\n\n${intro.replace(/[?]/g, '\\?')}`),
        ),
      ]);
    },
  );

  it.each([
    { language: 'en', hello: 'hi', thanks: 'thanks', welcome: "You're welcome!" },
    { language: 'es', hello: 'hola', thanks: 'gracias', welcome: '¡De nada!' },
    { language: 'pt', hello: 'olá', thanks: 'obrigado', welcome: 'De nada!' },
    { language: 'fr', hello: 'bonjour', thanks: 'merci', welcome: 'Avec plaisir !' },
    { language: 'de', hello: 'hallo', thanks: 'danke', welcome: 'Gern geschehen!' },
  ])(
    'when the customer says thanks ($language), then "you\'re welcome" comes with the menu',
    async ({ hello, thanks, welcome }) => {
      const send = chat();
      await send(text(hello));

      const result = await send(text(thanks));

      expect(valueOf(result)).toBe('menu');
      expect(result.emitted).toHaveLength(1);
      expect(result.emitted[0]?.type).toBe('reply.list');
      expect(texts(result)[0]?.startsWith(`${welcome}\n\n`)).toBe(true);
      expect(contextOf(result).misunderstood).toBe(0);
    },
  );

  it('when the customer thanks the bot while it is stuck, then it answers and shows the menu', async () => {
    const send = chat();
    await send(text('hi'));
    await send(GIBBERISH);
    await send(GIBBERISH);

    const result = await send(text('Thank you!'));

    expect(valueOf(result)).toBe('menu');
    expect(texts(result)[0]).toMatch(/^You're welcome!\n\n/);
  });

  it.each([
    { hello: 'hi', words: 'I want to talk to someone', announce: 'OK, a person from' },
    { hello: 'hola', words: 'quiero hablar con una persona', announce: 'Vale, una persona de' },
    { hello: 'olá', words: 'quero falar com uma pessoa', announce: 'Certo, uma pessoa da equipe de' },
    { hello: 'bonjour', words: "je voudrais parler à quelqu'un", announce: "D'accord, une personne de" },
    { hello: 'hallo', words: 'Ich möchte mit einem Menschen sprechen', announce: 'Alles klar, jemand von' },
  ])(
    'when the customer asks "$words", then a person is called and the customer told in that language',
    async ({ hello, words, announce }) => {
      const send = chat();
      await send(text(hello));

      // What the runner hands the flow: the request for a person, recognised from the words (intents.ts).
      const result = await send(toFlowEvent({ type: 'user.text', text: words }));

      expect(valueOf(result)).toBe('handoff');
      expect(result.emitted.filter((m) => m.type === 'notify.staff')).toHaveLength(1);
      expect(texts(result)).toEqual([expect.stringContaining(`${announce} *${BUSINESS_NAME}*`)]);
    },
  );
});

describe("the shell in the customer's language", () => {
  it('when a Spanish customer greets, misunderstands and gets stuck, then every answer is in Spanish', async () => {
    const send = chat();

    const greeting = await send(text('hola'));
    const first = await send(GIBBERISH);
    const stuck = await send(GIBBERISH);
    const hint = await send(GIBBERISH);
    const again = await send(GIBBERISH);

    expect(greeting.emitted).toHaveLength(1);
    expect(greeting.emitted[0]).toMatchObject({
      type: 'reply.list',
      button: 'Opciones',
      sections: [{ title: 'Menú principal' }],
    });
    expect(texts(greeting)[0]).toMatch(
      /^¡Hola! Te damos la bienvenida a \*Casa Lúcia\*\. Soy el asistente automático\.\n\n¿Qué te gustaría hacer\? Toca \*Opciones\* o escribe un número\.\n1\. /,
    );
    expect(texts(greeting)[0]).toContain('\n4. Hablar con una persona');
    expect(texts(first)[0]).toMatch(/^Perdona, no lo he entendido\.\n\n¿Qué te gustaría hacer\?/);
    expect(stuck.emitted).toEqual([
      {
        type: 'reply.buttons',
        text: 'Sigo sin saber qué necesitas. ¿Quieres ver las opciones otra vez o hablar con una persona?',
        buttons: [
          { id: 'stuck.menu', title: 'Ver opciones' },
          { id: 'menu.human', title: 'Hablar con alguien' },
        ],
      },
    ]);
    expect(texts(hint)).toEqual([
      'Toca uno de los botones de arriba o escribe *humano* para hablar con una persona.',
    ]);
    expect(texts(again)).toEqual([
      'Perdona, sigo sin entenderlo. ¿Quieres ver las opciones o hablar con una persona?',
    ]);
  });

  it('when a Spanish customer asks for help and cancels, then the answers are in Spanish', async () => {
    const send = chat();
    await send(text('hola'));

    const help = await send({ type: 'command.help' });
    const cancel = await send({ type: 'command.cancel' });
    const unreadable = await send({ type: 'user.unsupported', kind: 'sticker' });

    expect(texts(help)[0]).toMatch(
      /^Puedo ayudarte a .* o ponerte con \*una persona\*\.\nEn cualquier momento puedes escribir \*menú\*/,
    );
    expect(texts(cancel)[0]).toMatch(/^Ahora mismo no hay nada que cancelar\.\n\n¿Qué te gustaría hacer\?/);
    expect(texts(unreadable)[0]).toMatch(
      /^Lo siento, no puedo leer ese tipo de mensaje\. Escribe tu respuesta o toca una opción\.\n\n/,
    );
  });

  it('when a Spanish customer is handed to a person and nobody answers in time, then both messages are in Spanish', async () => {
    const send = chat();
    await send(text('hola'));

    const handoff = await send({ type: 'command.human' });
    const timeout = await send({ type: 'system.timeout' });

    expect(texts(handoff)).toEqual([
      'Vale, una persona de *Casa Lúcia* te responderá aquí lo antes posible. Mientras tanto, el asistente no dirá nada (escribe *cancelar* para volver con él).',
    ]);
    expect(texts(timeout)[0]).toMatch(
      /^Lo siento, nadie del equipo ha podido responder a tiempo\. Vuelves a estar con el asistente automático\.\n\n¿Qué te gustaría hacer\?/,
    );
  });

  it.each([
    {
      hello: 'olá',
      greeting: 'Olá! Boas-vindas ao atendimento de *Casa Lúcia*. Sou o assistente automático.',
      button: 'Opções',
    },
    {
      hello: 'bonjour',
      greeting: "Bonjour ! Bienvenue chez *Casa Lúcia*. Je suis l'assistant automatique.",
      button: 'Options',
    },
    {
      hello: 'hallo',
      greeting: 'Hallo! Willkommen bei *Casa Lúcia*. Ich bin der automatische Assistent.',
      button: 'Optionen',
    },
  ])(
    'when the first message is "$hello", then the greeting and the menu are in that language',
    async ({ hello, greeting, button }) => {
      const send = chat();

      const result = await send(text(hello));

      expect(result.emitted).toHaveLength(1);
      expect(result.emitted[0]).toMatchObject({ type: 'reply.list', button });
      expect(texts(result)[0]?.startsWith(`${greeting}\n\n`)).toBe(true);
    },
  );

  it('when a German customer is stuck, then the buttons are in German and a Portuguese one cancels a handoff in Portuguese', async () => {
    const german = chat();
    await german(text('hallo'));
    await german(GIBBERISH);
    const stuck = await german(GIBBERISH);
    const portuguese = chat();
    await portuguese(text('olá'));
    await portuguese({ type: 'command.human' });
    const back = await portuguese({ type: 'command.cancel' });

    expect(stuck.emitted[0]).toMatchObject({
      type: 'reply.buttons',
      buttons: [
        { id: 'stuck.menu', title: 'Optionen zeigen' },
        { id: 'menu.human', title: 'Mit jemandem reden' },
      ],
    });
    expect(texts(back)[0]).toMatch(
      /^Certo, você está de volta com o assistente automático\.\n\nO que você gostaria de fazer\?/,
    );
  });

  it('when a business speaks French and the first message cannot be read, then the greeting and the notice are in French', async () => {
    const bistro = toBusinessData(
      '100000000000044',
      businessInput.parse({ name: 'Chez Léa', currency: 'EUR', locale: 'fr-FR' }),
    );
    const send = chat({}, bistro);

    const result = await send({ type: 'user.unsupported', kind: 'sticker_pack' });

    expect(texts(result)[0]).toMatch(
      /^Bonjour ! Bienvenue chez \*Chez Léa\*\. Je suis l'assistant automatique\.\nDésolé, je ne peux pas lire ce type de message\./,
    );
  });
});
