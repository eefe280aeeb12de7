import { describe, expect, it } from 'vitest';
import {
  chooseLanguage,
  detectLanguage,
  explicitLanguage,
  wordsLanguage,
} from '../../src/language/choose.js';
import { languageOfLocale } from '../../src/language/languages.js';

describe('the conversation language', () => {
  it.each([
    ['English please', 'en'],
    ['en español', 'es'],
    ['Español', 'es'],
    ['em português', 'pt'],
    ['en français', 'fr'],
    ['auf Deutsch', 'de'],
    ['Deutsch bitte', 'de'],
  ] as const)('when the customer writes "%s", then they asked for %s', (text, language) => {
    expect(explicitLanguage(text)).toBe(language);
  });

  it.each([
    ['hola', 'es'],
    ['quiero hablar con una persona', 'es'],
    ['borra mis datos', 'es'],
    ['olá, quero fazer um pedido', 'pt'],
    ['bonjour, je voudrais commander', 'fr'],
    ['Hallo, ich möchte bestellen', 'de'],
    ['hi, I want to talk to a person', 'en'],
  ] as const)('when the customer writes "%s", then it reads as %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it.each([
    ['vcs entregam hoje?', 'pt'],
    ['pode mandar o cardápio', 'pt'],
    ['sem cebola por favor', 'pt'],
    ['hacen envios a domicilio?', 'es'],
    ['habt ihr glutenfrei', 'de'],
    ['do u deliver here', 'en'],
  ] as const)(
    'when the customer writes "%s", words we know do not say, then the detector reads it as %s',
    (text, language) => {
      expect(wordsLanguage(text)).toBeUndefined();
      expect(detectLanguage(text)).toBe(language);
    },
  );

  it.each([
    ['ja fiz o pix, vou mandar o comprovante', 'de', 'pt'],
    ['il y a un parking pas loin ?', 'es', 'fr'],
  ] as const)(
    'when one known word in "%s" points to %s, then the detector reading the whole message (%s) wins',
    (text, byWords, language) => {
      expect(wordsLanguage(text)).toBe(byWords);
      expect(detectLanguage(text)).toBe(language);
    },
  );

  it.each(['2', 'ok', 'Margherita', 'no', 'menu', 'pizza', 'por favor'])(
    'when the message is "%s", then it says nothing about the language',
    (text) => {
      expect(detectLanguage(text)).toBeUndefined();
    },
  );

  it.each(['2 pizzas', 'coca cola zero', 'quattro formaggi', 'tiramisu x2', '1 margherita + 1 coke', '3x'])(
    'when the message is the item order "%s", then the detector does not switch the language',
    (text) => {
      expect(detectLanguage(text)).toBeUndefined();
      expect(chooseLanguage(text, 'fr', 'en')).toBe('fr');
    },
  );

  it.each([
    ['gracias', 'es'],
    ['obrigado', 'pt'],
    ['merci', 'fr'],
    ['danke', 'de'],
    ['thanks', 'en'],
  ] as const)('when a single word "%s" is known, then it reads as %s', (text, language) => {
    const other = language === 'de' ? 'pt' : 'de';
    expect(chooseLanguage(text, other, 'en')).toBe(language);
  });

  it('when nothing in the message says otherwise, then the conversation keeps its language, else the business locale', () => {
    expect(chooseLanguage('2', 'fr', 'en')).toBe('fr');
    expect(chooseLanguage('2', undefined, 'es')).toBe('es');
    expect(chooseLanguage('hola', 'fr', 'en')).toBe('es');
    expect(chooseLanguage('English please', 'es', 'es')).toBe('en');
    expect(chooseLanguage(undefined, 'de', 'en')).toBe('de');
    expect(languageOfLocale('es-MX')).toBe('es');
    expect(languageOfLocale('it-IT')).toBe('en');
  });
});

describe('chooseLanguage while the customer types data', () => {
  it('when an address or a name is typed, then the conversation keeps its language; a language named still wins', () => {
    expect(chooseLanguage('Calle Almendro 41, 3ºB, Sevilla', 'en', 'en')).toBe('es');
    expect(chooseLanguage('Calle Almendro 41, 3ºB, Sevilla', 'en', 'en', { dataEntry: true })).toBe('en');
    expect(chooseLanguage('Jean-Pierre Dupont', 'de', 'en', { dataEntry: true })).toBe('de');
    expect(chooseLanguage('en español', 'en', 'en', { dataEntry: true })).toBe('es');
  });
});
