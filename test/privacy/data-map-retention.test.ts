/**
 * The periods the data map states (and the access answer repeats to the customer) come from the
 * configuration: CONVERSATION_IDLE_DAYS=14 must make the conversation entry say 14 days, not the default.
 * Pure: no database.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, loadConfig } from '../../src/config.js';
import {
  DATA_MAP,
  PERSONAL_DATA,
  dataMap,
  daysText,
  hoursText,
  personalData,
} from '../../src/privacy/data-map.js';
import { processingTexts, retentionLines } from '../../src/privacy/access.js';
import { privacyMessages } from '../../src/language/catalogue/privacy.js';
import { LANGUAGES } from '../../src/language/languages.js';
import { englishIn } from '../flows/graph/languages.js';

/** Development secrets, so loadConfig accepts an otherwise empty environment. */
const GENERATED = {
  WHATSAPP_APP_SECRET: 'generated-app-secret-000000000000',
  WHATSAPP_VERIFY_TOKEN: 'generated-verify-token-0000000000',
  ADMIN_TOKEN: 'generated-admin-token-00000000000',
  PRIVACY_PEPPER: 'generated-privacy-pepper-000000000',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const period = (map: ReturnType<typeof dataMap>, model: string) =>
  map.find((e) => e.model === model)?.retention.period ?? '';

describe('retention texts from the configuration', () => {
  it('when nothing is configured, then the defaults are stated: 7 idle days, 24-hour carts, a year for customers', () => {
    const config = loadConfig({}, GENERATED);
    const map = dataMap(config);
    expect(period(map, 'Conversation')).toBe('idle conversations 7 days; carts 24 hours');
    expect(period(map, 'Customer')).toBe('1 year after the last message');
    expect(period(map, 'CustomerId')).toBe('1 year and a day after the last message');
    // The exported map is the default one.
    expect(map.map((e) => [e.model, e.retention.period])).toEqual(
      DATA_MAP.map((e) => [e.model, e.retention.period]),
    );
  });

  it('when CONVERSATION_IDLE_DAYS=14, then the conversation entry says 14 days', () => {
    const config = loadConfig({ CONVERSATION_IDLE_DAYS: '14' }, GENERATED);
    expect(period(dataMap(config), 'Conversation')).toBe('idle conversations 14 days; carts 24 hours');
    expect(period(DATA_MAP, 'Conversation')).toContain('7 days');
  });

  it('when carts and customer retention are configured, then their entries state those numbers', () => {
    const config = loadConfig({ ABANDONED_CART_HOURS: '48', CUSTOMER_RETENTION_DAYS: '90' }, GENERATED);
    const map = dataMap(config);
    expect(period(map, 'Conversation')).toBe('idle conversations 7 days; carts 48 hours');
    expect(period(map, 'Customer')).toBe('90 days after the last message');
    expect(period(map, 'CustomerId')).toBe('90 days and a day after the last message');
  });

  it('when the configuration differs, then only the stated periods differ: same entries, order and handlers', () => {
    const config = loadConfig(
      { CONVERSATION_IDLE_DAYS: '30', ABANDONED_CART_HOURS: '1', CUSTOMER_RETENTION_DAYS: '730' },
      GENERATED,
    );
    const map = dataMap(config);
    expect(map.map((e) => e.model)).toEqual(DATA_MAP.map((e) => e.model));
    map.forEach((entry, i) => {
      const base = DATA_MAP[i];
      expect(entry.erase === undefined, entry.model).toBe(base?.erase === undefined);
      // What the customer is told names the same catalogue texts; only the periods in it differ.
      const told = (e: typeof entry | undefined) => e?.told && { ...e.told, periods: undefined };
      expect({ ...entry, retention: undefined, erase: undefined, told: told(entry) }).toEqual({
        ...base,
        retention: undefined,
        erase: undefined,
        told: told(base),
      });
    });
    expect(personalData(config).map((e) => e.model)).toEqual(PERSONAL_DATA.map((e) => e.model));
    expect(period(map, 'Conversation')).toBe('idle conversations 30 days; carts 1 hour');
    expect(period(map, 'Customer')).toBe('2 years after the last message');
  });

  it('when the defaults are read, then they are the ones loadConfig applies', () => {
    const config = loadConfig({}, GENERATED);
    expect(config.conversation).toMatchObject(DEFAULT_RETENTION.conversation);
    expect(config.privacy).toMatchObject(DEFAULT_RETENTION.privacy);
  });

  it('when lengths are written out, then whole years read as years and the rest as days or hours', () => {
    expect(daysText(1)).toBe('1 day');
    expect(daysText(30)).toBe('30 days');
    expect(daysText(364)).toBe('364 days');
    expect(daysText(365)).toBe('1 year');
    expect(daysText(3 * 365)).toBe('3 years');
    expect(daysText(366)).toBe('366 days');
    expect(hoursText(1)).toBe('1 hour');
    expect(hoursText(24)).toBe('24 hours');
  });
});

describe('the access summary’s "why and how long", in plain words', () => {
  it('when it is written in any language, then every personal collection has one line, with the configured periods and no internal names', () => {
    const config = {
      ...DEFAULT_RETENTION,
      conversation: { ...DEFAULT_RETENTION.conversation, idleDays: 14, abandonedCartHours: 1 },
    };
    for (const language of LANGUAGES) {
      const lines = retentionLines(language, config, 6);
      expect(lines).toHaveLength(personalData(config).length);
      // Collection names that are not words a customer uses ("conversations", "orders" are).
      for (const internal of [
        'suppressions',
        'inbox',
        'outbox',
        'customer_ids',
        'ai_calls',
        'privacy_requests',
      ]) {
        expect(lines.join('\n'), `${language} says ${internal}`).not.toContain(internal);
      }
      expect(lines.every((line) => line.startsWith('• '))).toBe(true);
    }
    expect(retentionLines('en', config, 6)[1]).toContain('Kept: idle conversations 14 days; carts 1 hour.');
    expect(retentionLines('es', config, 6)).toContain(
      '• Tus pedidos: para prepararlos y entregarlos, y para la contabilidad del negocio. Se guardan: 6 años (ley contable); la dirección de entrega y la nota, 30 días después de terminar el pedido.',
    );
    expect(retentionLines('pt', config, 1)[6]).toContain('Ficam guardados: 1 ano (lei contábil)');
  });
});

describe('what the customer is told about each kind of data (the export’s `processing`)', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);

  it('when the data map is read, then every personal entry has its wording in all five languages, naming exactly its periods', () => {
    for (const entry of PERSONAL_DATA) {
      const told = entry.told;
      expect(told, `${entry.model} has no customer wording`).toBeDefined();
      if (!told) continue;
      const keys = [told.holds, told.purpose, told.retention, told.line];
      for (const language of LANGUAGES) {
        const messages = privacyMessages[language] as Record<string, string>;
        for (const key of keys) {
          expect(key.startsWith('privacy:'), key).toBe(true);
          expect(messages[key.slice('privacy:'.length)], `${language} ${key}`).toMatch(/\p{L}/u);
        }
        // The periods are placeholders, filled from the configuration: none hard-coded, none unused.
        const named = new Set(
          [told.retention, told.line].flatMap((key) => placeholders(messages[key.slice(8)] ?? '')),
        );
        expect([...named].sort(), `${language} ${entry.model}`).toEqual(Object.keys(told.periods).sort());
        for (const key of [told.holds, told.purpose])
          expect(placeholders(messages[key.slice(8)] ?? ''), key).toEqual([]);
      }
    }
  });

  it('when it is written in Spanish, Portuguese, French or German, then no English catalogue text is left and the configured periods are in words of that language', () => {
    const config = {
      ...DEFAULT_RETENTION,
      conversation: { ...DEFAULT_RETENTION.conversation, idleDays: 14, abandonedCartHours: 1 },
    };
    const english = processingTexts('en', config, 6);
    expect(english.map((p) => p.collection)).toEqual(personalData(config).map((e) => e.collection));
    expect(english[1]?.retention).toBe('Idle conversations 14 days; carts 1 hour.');
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const texts = processingTexts(language, config, 6);
      expect(texts.map((p) => p.collection)).toEqual(english.map((p) => p.collection));
      texts.forEach((text, i) => {
        for (const field of ['holds', 'purpose', 'retention'] as const) {
          expect(text[field], `${language} ${text.collection}.${field}`).not.toBe(english[i]?.[field]);
          expect(text[field]).not.toContain('{{');
          expect(englishIn(text[field], language), `${language} ${text.collection}.${field}`).toEqual([]);
        }
      });
    }
    expect(processingTexts('es', config, 6)[1]?.retention).toBe(
      'Conversaciones inactivas: 14 días; carritos: 1 hora.',
    );
    expect(processingTexts('de', config, 6)[6]?.retention).toContain('6 Jahre (Buchhaltungspflicht)');
  });
});
