import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBusiness } from '../../src/businesses/demo.js';
import type { BusinessDirectory } from '../../src/businesses/directory.js';
import { matchFaq } from '../../src/businesses/faq.js';
import type { FaqEntry } from '../../src/businesses/faq.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { Language } from '../../src/language/languages.js';

const FAQ = [
  { question: 'When are you open?', answer: 'Every day from 12:00 to 23:00.' },
  { question: 'Do you deliver?', answer: 'Yes, within 5 km.' },
];

describe('FAQ without AI', () => {
  it.each([
    ['When are you open?', 'When are you open?'],
    ['when r you open', 'When are you open?'],
    ['are you open today?', 'When are you open?'],
    ['what time do you open', 'When are you open?'],
    ['opening hours?', 'When are you open?'],
    ['do you deliver?', 'Do you deliver?'],
    ['do you deliever to my street', 'Do you deliver?'],
  ])('when the customer asks "%s", then the answer is the one for "%s"', (text, question) => {
    expect(matchFaq(FAQ, text)?.question).toBe(question);
  });

  it.each([
    'hi',
    'menu',
    'ok thanks',
    '2 margherita',
    'I want to talk to a person',
    'delete my data',
    'track my order',
  ])('when the customer writes "%s", then no FAQ entry is taken for it', (text) => {
    expect(matchFaq(FAQ, text)).toBeUndefined();
  });

  it('when the business has no FAQ, then nothing matches', () => {
    expect(matchFaq([], 'When are you open?')).toBeUndefined();
  });
});

/** The demo business as it is seeded: its FAQ is written in the five languages. */
let demo: BusinessData;
beforeAll(async () => {
  const directory = {
    get: () => Promise.resolve(null),
    put: (data: BusinessData) => {
      demo = data;
      return Promise.resolve({ created: true });
    },
  };
  await seedDemoBusiness(directory as unknown as BusinessDirectory);
});

const HOURS = 'When are you open?';
const DELIVERY = 'Do you deliver?';

describe('FAQ in the customer language', () => {
  it.each<[string, Language, string, RegExp]>([
    ['¿a qué hora abren?', 'es', HOURS, /^Todos los días de 12:00 a 23:00/],
    ['cual es el horario?', 'es', HOURS, /^Todos los días/],
    ['¿hacen entregas?', 'es', DELIVERY, /^Sí, a menos de 5 km/],
    ['vocês entregam?', 'pt', DELIVERY, /^Sim, num raio de 5 km/],
    ['que horas vocês abrem?', 'pt', HOURS, /^Todos os dias/],
    ['vous livrez ?', 'fr', DELIVERY, /^Oui, dans un rayon de 5 km/],
    ['vous êtes ouverts quand ?', 'fr', HOURS, /^Tous les jours/],
    ['liefert ihr?', 'de', DELIVERY, /^Ja, im Umkreis von 5 km/],
    ['wann habt ihr offen?', 'de', HOURS, /^Jeden Tag/],
    ['when r u open', 'en', HOURS, /^Every day from 12:00/],
    ['do u deliver', 'en', DELIVERY, /^Yes, within 5 km/],
  ])(
    'when a customer asks "%s" (%s), then it is "%s", answered in their language',
    (text, language, entry, answer) => {
      const found = matchFaq(demo.faq, text, { language, locale: demo.locale });
      expect(found?.entry.question).toBe(entry);
      expect(found?.language).toBe(language);
      expect(found?.answer).toMatch(answer);
    },
  );

  it.each<[string, Language]>([
    ['hola', 'es'],
    ['buenos días', 'es'],
    ['gracias!', 'es'],
    ['quiero 2 margaritas', 'es'],
    ['quiero pedir ahora', 'es'],
    ['ver el menú', 'es'],
    ['quiero hablar con una persona', 'es'],
    ['borra mis datos', 'es'],
    ['olá, quero uma pizza', 'pt'],
    ['bonjour', 'fr'],
    ['je voudrais deux diavola', 'fr'],
    ['hallo, ich möchte eine Cola', 'de'],
    ['asdf qwer zxcv', 'en'],
    ['hi there', 'en'],
    ['2 margherita and a coke', 'en'],
    ['do you', 'en'],
    ['de que', 'es'],
    // "home" in "bring it to my home" is not the start of "homemade".
    ['is the tiramisu homemade?', 'en'],
  ])('when a customer writes "%s" (%s), then no FAQ entry is taken for it', (text, language) => {
    expect(matchFaq(demo.faq, text, { language, locale: demo.locale })).toBeUndefined();
  });

  it('when a Spanish customer asks an English-only entry with a word both share, then it matches and the answer is English', () => {
    const faq: FaqEntry[] = [{ question: 'Do you have wifi?', answer: 'Yes, the password is on the menu.' }];
    const found = matchFaq(faq, '¿tienen wifi?', { language: 'es', locale: 'en' });
    expect(found?.answer).toBe('Yes, the password is on the menu.');
    expect(found?.language).toBe('en');
  });

  it('when an entry has no language, then it is in the business locale language', () => {
    const faq: FaqEntry[] = [
      {
        question: '¿Aceptan tarjeta?',
        answer: 'Sí, todas.',
        translations: { en: { question: 'Do you take cards?', answer: 'Yes, all of them.' } },
      },
    ];
    expect(matchFaq(faq, 'aceptan tarjeta?', { language: 'es', locale: 'es-MX' })).toMatchObject({
      language: 'es',
      answer: 'Sí, todas.',
    });
    expect(matchFaq(faq, 'do you take cards?', { language: 'en', locale: 'es-MX' })).toMatchObject({
      language: 'en',
      answer: 'Yes, all of them.',
    });
    // Asked in French, which the entry lacks: its own language answers.
    expect(matchFaq(faq, 'tarjeta?', { language: 'fr', locale: 'es-MX' })?.language).toBe('es');
  });

  it('when the same words fit entries in two languages, then the conversation language is tried first', () => {
    const faq: FaqEntry[] = [
      { question: 'Pizza Napoli?', answer: 'English answer.', language: 'en' },
      { question: 'Pizza Napoli?', answer: 'Respuesta.', language: 'es' },
    ];
    expect(matchFaq(faq, 'pizza napoli', { language: 'es' })?.answer).toBe('Respuesta.');
    expect(matchFaq(faq, 'pizza napoli', { language: 'en' })?.answer).toBe('English answer.');
  });

  it('when an extra phrasing is a single keyword, then that word alone asks the question', () => {
    const faq: FaqEntry[] = [
      { question: 'Where are you?', answer: 'Calle Mayor 1.', language: 'en', phrasings: ['address'] },
    ];
    expect(matchFaq(faq, 'address pls', { language: 'en' })?.answer).toBe('Calle Mayor 1.');
    expect(matchFaq(faq, 'menu pls', { language: 'en' })).toBeUndefined();
  });
});
