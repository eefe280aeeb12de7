import { describe, expect, it } from 'vitest';
import { chooseLanguage, detectLanguage, explicitLanguage } from '../../src/language/choose.js';
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

  it.each(['2', 'ok', 'Margherita', 'no', 'menu', 'pizza'])(
    'when the message is "%s", then it says nothing about the language',
    (text) => {
      expect(detectLanguage(text)).toBeUndefined();
    },
  );

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
