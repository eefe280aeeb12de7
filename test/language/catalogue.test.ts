import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/language/catalogue/index.js';
import { t } from '../../src/language/i18n.js';
import type { MessageKey } from '../../src/language/i18n.js';
import { LANGUAGES } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

/** WhatsApp's limits by what the key says the text is (src/language/catalogue/define.ts). */
function limitOf(key: string): number {
  const parts = key.split('.');
  if (parts.includes('button')) return 20;
  if (parts.includes('row')) return 24;
  if (parts.includes('rowDescription')) return 72;
  return 1024;
}

const entries = Object.entries(catalogue).flatMap(([ns, messages]) =>
  Object.keys((messages as Record<Language, Record<string, string>>).en).map((key) => ({
    ns,
    key,
    messages,
  })),
);

describe('message catalogue', () => {
  it('when a namespace has a text in English, then every language has it with the same placeholders', () => {
    const problems: string[] = [];
    for (const { ns, key, messages } of entries) {
      const all = messages as Record<Language, Record<string, string>>;
      const english = placeholders(all.en[key] ?? '');
      for (const language of LANGUAGES) {
        const text = all[language][key];
        if (text === undefined || text.trim() === '') problems.push(`${language} ${ns}:${key} missing`);
        else if (JSON.stringify(placeholders(text)) !== JSON.stringify(english))
          problems.push(
            `${language} ${ns}:${key} placeholders ${placeholders(text).join(',')} ≠ ${english.join(',')}`,
          );
      }
      for (const language of LANGUAGES) {
        const extra = Object.keys(all[language]).filter((k) => !(k in all.en));
        problems.push(...extra.map((k) => `${language} ${ns}:${k} not in English`));
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('when a text is rendered in any language, then it fits WhatsApp (buttons 20, rows 24, bodies 1,024)', () => {
    const tooLong: string[] = [];
    for (const { ns, key, messages } of entries) {
      for (const language of LANGUAGES) {
        const raw = (messages as Record<Language, Record<string, string>>)[language][key] ?? '';
        // Placeholders filled with a plausible long value: a name or number of 12 characters.
        const filled = raw.replace(/\{\{\s*\w+\s*\}\}/g, 'x'.repeat(key.includes('button') ? 2 : 12));
        if (filled.length > limitOf(key))
          tooLong.push(`${language} ${ns}:${key} ${filled.length}/${limitOf(key)}`);
      }
    }
    expect(tooLong).toEqual([]);
  });

  it('when a key is looked up, then the text of that language comes back with its values filled', () => {
    const first = entries[0];
    if (!first) return; // an empty catalogue has nothing to render yet
    const key = `${first.ns}:${first.key.replace(/_(one|other)$/, '')}` as MessageKey;
    for (const language of LANGUAGES) {
      expect(t(language, key, { count: 2 })).not.toBe(key);
    }
  });
});
