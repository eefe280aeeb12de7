/**
 * The *Language* entry of the main menu, through the real runner (stored as JSON between messages): the
 * five languages in their own names; the one tapped, typed by number or asked for by name becomes the
 * conversation's, is confirmed in it, and stays the customer's choice (`context.chosen`, which the runner
 * lets win over the words of later messages) until they choose again.
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { t } from '../../src/language/i18n.js';
import { LANGUAGES } from '../../src/language/languages.js';
import { chat, contextOf, customerMessages, texts, valueOf } from './graph/invariants.js';
import { list, text } from './graph/samples.js';

const NAMES = ['English', 'Español', 'Português', 'Français', 'Deutsch'];

/** The single list message a step sent, or a failure naming what it sent instead. */
function listOf(messages: readonly OutboundMessage[]) {
  const [message] = messages;
  if (messages.length !== 1 || message?.type !== 'reply.list') throw new Error('not one list message');
  return message;
}

describe('the Language entry of the menu', () => {
  it('when the menu is shown, then its last row is the language entry, in the conversation language', async () => {
    const send = chat();
    const menu = listOf(customerMessages((await send(text('hola'))).emitted));

    expect(menu.sections[0]?.rows.at(-1)).toEqual({
      id: 'menu.language',
      title: '🌐 Idioma',
      description: 'Elige el idioma en el que te escribo',
    });
    expect(menu.text.endsWith('5. 🌐 Idioma')).toBe(true);
  });

  it('when the entry is tapped, then the five languages are listed in their own names, the question in the conversation language', async () => {
    const send = chat();
    await send(text('hallo'));

    const result = await send(list('menu.language', '🌐 Sprache'));

    expect(valueOf(result)).toBe('language');
    const languages = listOf(customerMessages(result.emitted));
    expect(languages.sections[0]?.rows).toEqual(
      LANGUAGES.map((code, index) => ({ id: `language.${code}`, title: NAMES[index] })),
    );
    expect(languages.button).toBe('Sprachen');
    expect(languages.text).toBe(
      `${t('de', 'root:language.prompt')}\n1. English\n2. Español\n3. Português\n4. Français\n5. Deutsch`,
    );
  });

  it.each(['idioma', 'Language', 'langue', 'Sprache', 'língua', '5'])(
    'when the customer types "%s" at the menu, then the list of languages is shown',
    async (typed) => {
      const send = chat();
      await send(text('hi'));

      const result = await send(text(typed));

      expect(valueOf(result)).toBe('language');
      expect(listOf(customerMessages(result.emitted)).sections[0]?.rows.map((row) => row.title)).toEqual(
        NAMES,
      );
    },
  );

  it.each([
    [list('language.pt', 'Português'), 'pt'],
    [text('4'), 'fr'],
    [text('Deutsch'), 'de'],
    [text('en español'), 'es'],
  ] as const)(
    'when the customer picks %j, then it is confirmed in that language with the menu in it',
    async (pick, language) => {
      const send = chat();
      await send(text('hi'));
      await send(list('menu.language'));

      const result = await send(pick);

      expect(valueOf(result)).toBe('menu');
      expect(contextOf(result)).toMatchObject({ language, chosen: { language } });
      const menu = listOf(customerMessages(result.emitted));
      expect(
        menu.text.startsWith(`${t(language, 'root:language.set')}\n\n${t(language, 'root:menu.intro')}`),
      ).toBe(true);
      expect(menu.button).toBe(t(language, 'root:menu.button'));
    },
  );

  it('when a Spanish choice was made, then later messages in English words keep Spanish until another language is asked for', async () => {
    const send = chat();
    await send(text('hi'));
    await send(list('menu.language'));
    await send(list('language.es', 'Español'));

    const english = await send(text('hello, I want to talk to you'));
    expect(contextOf(english).language).toBe('es');
    expect(texts(english).join('\n')).toContain(t('es', 'root:notUnderstood'));

    const thanks = await send(text('thank you'));
    expect(texts(thanks)[0]).toContain(t('es', 'root:thanks'));

    const back = await send(text('English please'));
    expect(contextOf(back)).toMatchObject({ language: 'en', chosen: { language: 'en' } });
    expect(texts(back)[0]).toContain("OK, I'll write in English from now on.");
  });

  it('when nothing was chosen, then the language still follows what the customer writes', async () => {
    const send = chat();
    await send(text('hola'));

    const result = await send(text('hello'));

    expect(contextOf(result).language).toBe('en');
    expect(contextOf(result).chosen).toBeUndefined();
  });

  it('when the first message asks for a language by name, then the greeting and the menu are in it', async () => {
    const send = chat();

    const result = await send(text('em português'));

    expect(valueOf(result)).toBe('menu');
    expect(contextOf(result)).toMatchObject({ language: 'pt', chosen: { language: 'pt' } });
    expect(texts(result)[0]).toMatch(/^Olá!/);
  });

  it('when something else is typed at the list, then it says so and shows the list again', async () => {
    const send = chat();
    await send(text('bonjour'));
    await send(text('langue'));

    const result = await send(text('asdfgh qwerty'));

    expect(valueOf(result)).toBe('language');
    const again = listOf(customerMessages(result.emitted));
    expect(
      again.text.startsWith(`${t('fr', 'root:notUnderstood')}\n\n${t('fr', 'root:language.prompt')}`),
    ).toBe(true);
  });
});
