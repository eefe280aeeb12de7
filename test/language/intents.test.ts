import { describe, expect, it } from 'vitest';
import {
  asksWhyAboutOrder,
  detectCommand,
  detectMenuQuestion,
  detectPleasantry,
  normalise,
  toFlowEvent,
} from '../../src/language/intents.js';
import type { CommandEvent, InboundEvent, SystemEvent } from '../../src/core/vocabulary.js';

const typed = (text: string): InboundEvent => ({ type: 'user.text', text });

/** How customers really type the commands: each in EN, ES, PT, FR and DE, with accents, capitals, punctuation. */
const COMMANDS_BY_LANGUAGE: Array<{ language: string; text: string; command: CommandEvent['type'] }> = [
  { language: 'en', text: 'menu', command: 'command.menu' },
  { language: 'en', text: 'Main menu.', command: 'command.menu' },
  { language: 'en', text: 'HELP', command: 'command.help' },
  { language: 'en', text: '?', command: 'command.help' },
  { language: 'en', text: 'Cancel!', command: 'command.cancel' },
  { language: 'en', text: 'Talk to a person', command: 'command.human' },
  { language: 'en', text: 'human', command: 'command.human' },
  { language: 'es', text: 'Menú', command: 'command.menu' },
  { language: 'es', text: 'menú principal', command: 'command.menu' },
  { language: 'es', text: 'Inicio', command: 'command.menu' },
  { language: 'es', text: 'AYUDA!', command: 'command.help' },
  { language: 'es', text: '¿Ayuda?', command: 'command.help' },
  { language: 'es', text: 'Cancelar', command: 'command.cancel' },
  { language: 'es', text: 'Hablar con una persona', command: 'command.human' },
  { language: 'es', text: 'humano', command: 'command.human' },
  { language: 'pt', text: 'Menu', command: 'command.menu' },
  { language: 'pt', text: 'Início', command: 'command.menu' },
  { language: 'pt', text: 'Ajuda', command: 'command.help' },
  { language: 'pt', text: 'cancelar.', command: 'command.cancel' },
  { language: 'pt', text: 'Falar com uma pessoa', command: 'command.human' },
  { language: 'pt', text: 'Atendente', command: 'command.human' },
  { language: 'fr', text: 'Menu principal', command: 'command.menu' },
  { language: 'fr', text: 'Aide !', command: 'command.help' },
  { language: 'fr', text: 'Annuler', command: 'command.cancel' },
  { language: 'fr', text: 'parler à une personne', command: 'command.human' },
  { language: 'fr', text: 'Conseiller', command: 'command.human' },
  { language: 'de', text: 'Menü', command: 'command.menu' },
  { language: 'de', text: 'Hauptmenü', command: 'command.menu' },
  { language: 'de', text: 'Hilfe!', command: 'command.help' },
  { language: 'de', text: 'Abbrechen', command: 'command.cancel' },
  { language: 'de', text: 'Stornieren', command: 'command.cancel' },
  { language: 'de', text: 'Mit einem Menschen sprechen', command: 'command.human' },
  { language: 'de', text: 'Mitarbeiter', command: 'command.human' },
];

describe('detectCommand', () => {
  it.each(COMMANDS_BY_LANGUAGE)(
    'when a customer types "$text" ($language), then it is $command',
    ({ text, command }) => {
      expect(detectCommand(typed(text))).toEqual({ type: command });
    },
  );

  it('when every command is checked, then each has a phrase in all five languages', () => {
    const languages = new Map<string, Set<string>>();
    for (const { language, command } of COMMANDS_BY_LANGUAGE) {
      languages.set(command, (languages.get(command) ?? new Set()).add(language));
    }

    for (const command of ['command.menu', 'command.help', 'command.cancel', 'command.human']) {
      expect([...(languages.get(command) ?? [])].sort()).toEqual(['de', 'en', 'es', 'fr', 'pt']);
    }
  });

  it('when the command has surrounding spaces and doubled inner spaces, then it is still recognised', () => {
    expect(detectCommand(typed('  talk   to a   person \n'))).toEqual({ type: 'command.human' });
  });

  it.each([
    'I want the menu please',
    'can you help me?',
    'please cancel my order',
    'menu 2',
    'is a human there',
    'Necesito ayuda con mi pedido',
    'Quero cancelar o pedido',
    'Je voudrais le menu',
    'Ich brauche Hilfe',
  ])('when "%s" contains a command word in a sentence, then it is not a command', (text) => {
    expect(detectCommand(typed(text))).toBeUndefined();
  });

  it.each(['', '   ', '!!!', '??', '1', '4', 'order'])(
    'when the customer types "%s", then it is not a command',
    (text) => {
      expect(detectCommand(typed(text))).toBeUndefined();
    },
  );

  it.each([
    { id: 'cmd.menu', command: 'command.menu' },
    { id: 'cmd.help', command: 'command.help' },
    { id: 'cmd.cancel', command: 'command.cancel' },
    { id: 'cmd.human', command: 'command.human' },
  ] as const)('when the button or list row $id is tapped, then it is $command', ({ id, command }) => {
    expect(detectCommand({ type: 'user.button', id, title: 'Whatever' })).toEqual({ type: command });
    expect(detectCommand({ type: 'user.list', id, title: 'Whatever' })).toEqual({ type: command });
  });

  it('when a flow button whose title reads like a command is tapped, then the id decides, not the title', () => {
    expect(
      detectCommand({ type: 'user.button', id: 'menu.human', title: 'Talk to a person' }),
    ).toBeUndefined();
    expect(detectCommand({ type: 'user.button', id: 'stuck.menu', title: 'Menu' })).toBeUndefined();
  });

  it.each([
    { type: 'user.location', latitude: 1, longitude: 2 },
    { type: 'user.media', mediaType: 'image', mediaId: 'm1', caption: 'menu' },
    { type: 'user.unsupported', kind: 'reaction' },
  ] satisfies InboundEvent[])('when the customer sends $type, then it is not a command', (event) => {
    expect(detectCommand(event)).toBeUndefined();
  });
});

describe('toFlowEvent', () => {
  it.each([{ type: 'system.timeout' }, { type: 'system.resume' }] satisfies SystemEvent[])(
    'when the runner sends $type, then it passes through unchanged',
    (event) => {
      expect(toFlowEvent(event)).toEqual(event);
    },
  );

  it('when the customer types a command, then the flow receives the command event', () => {
    expect(toFlowEvent(typed('Menú'))).toEqual({ type: 'command.menu' });
    expect(toFlowEvent({ type: 'user.button', id: 'cmd.cancel', title: 'Cancel' })).toEqual({
      type: 'command.cancel',
    });
  });

  it('when the customer types anything else, then the flow receives the message as it came', () => {
    const events: InboundEvent[] = [
      typed('I want the menu please'),
      typed('4'),
      { type: 'user.list', id: 'menu.order', title: 'Order' },
      { type: 'user.location', latitude: 38.7, longitude: -9.1 },
    ];

    for (const event of events) expect(toFlowEvent(event)).toEqual(event);
  });
});

describe('normalise', () => {
  it('when text has accents, capitals, punctuation and extra spaces, then they are folded away', () => {
    expect(normalise('  ¡Hablar   con UNA persona! ')).toBe('hablar con una persona');
    expect(normalise('Parler à une personne.')).toBe('parler a une personne');
    expect(normalise('Hauptmenü')).toBe('hauptmenu');
  });
});

describe('asking for a person in a sentence', () => {
  it.each([
    { language: 'en', text: 'I want to talk to someone' },
    { language: 'en', text: 'Can I speak with a human, please?' },
    { language: 'en', text: 'talk to someone' },
    { language: 'en', text: 'a real person please' },
    { language: 'es', text: 'Quiero hablar con una persona' },
    { language: 'es', text: 'necesito hablar con alguien' },
    { language: 'es', text: '¿Puedo hablar con un humano, por favor?' },
    { language: 'pt', text: 'Quero falar com uma pessoa' },
    { language: 'pt', text: 'Gostaria de falar com alguém' },
    { language: 'pt', text: 'falar com um atendente' },
    { language: 'fr', text: "Parler à quelqu'un" },
    { language: 'fr', text: "Je voudrais parler à quelqu'un s'il vous plaît" },
    { language: 'fr', text: 'Je veux parler avec un humain' },
    { language: 'fr', text: 'humain' },
    { language: 'de', text: 'Mit einem Menschen sprechen' },
    { language: 'de', text: 'Ich möchte mit jemandem reden' },
    { language: 'de', text: 'Kann ich bitte mit einem Mitarbeiter sprechen?' },
  ])('when a customer types "$text" ($language), then a person is asked for', ({ text }) => {
    expect(detectCommand(typed(text))).toEqual({ type: 'command.human' });
  });

  it.each([
    'is a human there',
    'I talked to someone yesterday about my order',
    'hablé con una persona ayer',
    'a person ordered for me',
    'Mit einem Menschen sprechen ist schwer',
  ])('when "%s" only mentions a person, then it is not a request for one', (text) => {
    expect(detectCommand(typed(text))).toBeUndefined();
  });
});

describe('detectPleasantry', () => {
  it.each([
    ['hi', 'en'],
    ['Hello!', 'en'],
    ['hi there 👋', 'en'],
    ['Good morning', 'en'],
    ['hola', 'es'],
    ['Hola, buenas', 'es'],
    ['Buenos días', 'es'],
    ['olá', 'pt'],
    ['Oi, bom dia!', 'pt'],
    ['bonjour', 'fr'],
    ['Salut !', 'fr'],
    ['hallo', 'de'],
    ['Guten Tag', 'de'],
  ])('when a customer types "%s" (%s), then it is a greeting', (text) => {
    expect(detectPleasantry(text)).toBe('greeting');
  });

  it.each([
    ['thanks', 'en'],
    ['Thank you so much!', 'en'],
    ['ok thanks', 'en'],
    ['gracias', 'es'],
    ['¡Muchas gracias!', 'es'],
    ['obrigado', 'pt'],
    ['Muito obrigada', 'pt'],
    ['merci', 'fr'],
    ['Merci beaucoup !', 'fr'],
    ['danke', 'de'],
    ['Danke schön', 'de'],
    ['Vielen Dank!', 'de'],
  ])('when a customer types "%s" (%s), then it is thanks', (text) => {
    expect(detectPleasantry(text)).toBe('thanks');
  });

  it.each([
    'hi, I want two pizzas',
    'hola quiero pedir',
    'thanks for nothing, where is my order',
    'ok',
    '1',
    'menu',
    '',
  ])('when "%s" says more than hello or thanks, then it is neither', (text) => {
    expect(detectPleasantry(text)).toBeUndefined();
  });

  it('when a customer greets or thanks, then it is not a command (the flow answers it at the menu)', () => {
    expect(detectCommand(typed('hola'))).toBeUndefined();
    expect(detectCommand(typed('gracias'))).toBeUndefined();
  });
});

describe('detectMenuQuestion', () => {
  it.each([
    ['¿dónde está mi pedido?', 'track'],
    ['Hola, ¿cómo va mi pedido?', 'track'],
    ['where is my order?', 'track'],
    ["where's my food", 'track'],
    ['cadê meu pedido', 'track'],
    ['où en est ma commande ?', 'track'],
    ['wo ist meine Bestellung?', 'track'],
    // Cancelling starts where the order's Cancel button is: the customer's orders.
    ['cancel my order', 'track'],
    ['I want to cancel my order please', 'track'],
    ['quiero cancelar mi pedido', 'track'],
    ['anular mi pedido', 'track'],
    ['quero cancelar o meu pedido', 'track'],
    ['je veux annuler ma commande', 'track'],
    ['ich möchte meine Bestellung stornieren', 'track'],
    ['can I see the menu?', 'browse'],
    ['show me the menu', 'browse'],
    ['quiero ver el menú por favor', 'browse'],
    ['¿me pasas la carta?', 'browse'],
    ['quero ver o cardápio', 'browse'],
    ['montrez-moi la carte', 'browse'],
    ['zeig mir die Speisekarte', 'browse'],
  ] as const)('when a customer types %j, then it asks for %s', (text, question) => {
    expect(detectMenuQuestion(text)).toBe(question);
  });

  it.each([
    'menu',
    'quiero una margarita',
    'una diavola',
    '2 margaritas',
    'where is my order? I ordered two hours ago and it is cold',
    'cancel',
    'cancel my order, it was wrong and I want a refund now',
    'I want to order',
    'is the menu vegan?',
    'what is on the margherita',
    'mi pedido llegó frío',
    'quiero cambiar mi pedido',
  ])('when a customer types %j, then it is no menu question', (text) => {
    expect(detectMenuQuestion(text)).toBeUndefined();
  });
});

describe('asksWhyAboutOrder', () => {
  it.each([
    '¿por qué lo habéis cancelado?',
    'Hola, ¿por qué se ha cancelado mi pedido?',
    'why was my order cancelled?',
    'why is my food so late',
    'por que cancelaram meu pedido?',
    'pourquoi ma commande a été annulée ?',
    'Warum wurde meine Bestellung storniert?',
  ])('when a customer asks %j, then it is a question about their order', (text) => {
    expect(asksWhyAboutOrder(text)).toBe(true);
  });

  it.each([
    'where is my order?',
    'cancel my order',
    'quiero cancelar mi pedido',
    'why not',
    'porque sí',
    '2 margaritas',
    'hola',
  ])('when a customer writes %j, then it is not such a question', (text) => {
    expect(asksWhyAboutOrder(text)).toBe(false);
  });
});
