/**
 * The language of a public page (src/http/page-language.ts): `?lang=` first, then the browser's
 * Accept-Language with its quality values, then English.
 */
import { describe, expect, it } from 'vitest';
import { acceptedLanguage, otherLanguages, pageLanguage } from '../../src/http/page-language.js';

describe('acceptedLanguage', () => {
  it.each([
    ['es', 'es'],
    ['es-MX,es;q=0.9,en;q=0.5', 'es'],
    ['pt-BR', 'pt'],
    ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', 'fr'],
    // The best of ours, not the first entry: Italian is not ours, German beats English by quality.
    ['it-IT,it;q=0.9,en;q=0.5,de;q=0.8', 'de'],
    ['en;q=0.2, pt;q=0.7', 'pt'],
    // On equal quality the earlier entry wins.
    ['de;q=0.5, es;q=0.5', 'de'],
    // q=0 refuses a language; a malformed q counts as refused, not as 1.
    ['es;q=0, fr;q=0.1', 'fr'],
    ['es;q=abc, pt;q=0.3', 'pt'],
    ['es;q=1.5, de;q=0.3', 'de'],
    ['DE-at;Q=0.9', 'de'],
    ['de_DE', 'de'],
  ])('when the header is %s, then the page is in %s', (header, expected) => {
    expect(acceptedLanguage(header)).toBe(expected);
  });

  it.each([[undefined], [''], ['*'], ['it,ja;q=0.8'], ['es;q=0'], [',,;;q='], ['x'.repeat(10_000)]])(
    'when the header is %s, then none of ours is accepted',
    (header) => {
      expect(acceptedLanguage(header)).toBeUndefined();
    },
  );
});

describe('pageLanguage', () => {
  it('when ?lang names one of our languages, then it wins over the browser', () => {
    expect(pageLanguage('pt', 'de,en;q=0.5')).toBe('pt');
    expect(pageLanguage('ES', undefined)).toBe('es');
    expect(pageLanguage('fr-CA', 'de')).toBe('fr');
  });

  it('when ?lang is missing, unknown or not a plain string, then the browser decides, else English', () => {
    expect(pageLanguage(undefined, 'de-DE,de;q=0.9')).toBe('de');
    expect(pageLanguage('it', 'es')).toBe('es');
    expect(pageLanguage(['es', 'fr'], 'de')).toBe('de');
    expect(pageLanguage({ x: 'es' }, undefined)).toBe('en');
    expect(pageLanguage('<script>', 'it')).toBe('en');
    expect(pageLanguage(undefined, undefined)).toBe('en');
  });

  it('offers the four other languages, in their usual order', () => {
    expect(otherLanguages('fr')).toEqual(['en', 'es', 'pt', 'de']);
  });
});
