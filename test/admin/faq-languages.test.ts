/**
 * The FAQ's languages through the admin API: entries with an own language, translations and extra
 * phrasings are stored as sent; what is malformed or too long is refused with 400 naming the field; an entry
 * stored before languages existed reads back unchanged and can be written back as it was read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('admin-faq-languages');
});
afterAll(async () => {
  await t.close();
});

const HOURS = {
  question: 'When are you open?',
  answer: 'From 9 to 5.',
  language: 'en',
  phrasings: ['opening hours'],
  translations: {
    es: { question: '¿Cuándo abren?', answer: 'De 9 a 5.', phrasings: ['horario', 'a qué hora abren'] },
    de: { question: 'Wann haben Sie geöffnet?', answer: 'Von 9 bis 17 Uhr.' },
  },
};

async function business(): Promise<string> {
  const pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Idiomas');
  return pnid;
}

const stored = (pnid: string) => t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec();

/** PATCHes an FAQ that must be refused; returns the fields the 400 names, after checking nothing changed. */
async function refused(pnid: string, faq: unknown): Promise<string[]> {
  const before = await stored(pnid);
  const res = await t.admin('PATCH', `/admin/businesses/${pnid}`, { faq });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { fields?: Array<{ field: string }> } };
  expect(await stored(pnid)).toEqual(before);
  return (body.error.fields ?? []).map((f) => f.field).sort();
}

describe('FAQ entries in several languages (admin API)', () => {
  it('when an entry with translations and phrasings is sent, then it is stored and read back as sent', async () => {
    const pnid = await business();
    const res = await t.admin('PATCH', `/admin/businesses/${pnid}`, { faq: [HOURS] });
    expect(res.status).toBe(200);
    expect((await stored(pnid))?.faq).toEqual([HOURS]);
    const got = (await (await t.admin('GET', `/admin/businesses/${pnid}`)).json()) as { faq: unknown };
    expect(got.faq).toEqual([HOURS]);
  });

  it('when an entry is malformed or too long, then 400 names each field, and nothing changes', async () => {
    const pnid = await business();
    const { translations: _t, ...plain } = HOURS;
    expect(await refused(pnid, [{ ...plain, language: 'it' }])).toEqual(['faq.0.language']);
    expect(
      await refused(pnid, [{ ...plain, translations: { it: { question: 'Quando?', answer: 'Sempre.' } } }]),
    ).toEqual(['faq.0.translations.it']);
    expect(
      await refused(pnid, [{ ...plain, translations: { es: { question: '¿Cuándo?', answer: '' } } }]),
    ).toEqual(['faq.0.translations.es.answer']);
    expect(
      await refused(pnid, [
        { ...plain, translations: { fr: { question: 'Quand ?', answer: 'Toujours.', extra: 1 } } },
      ]),
    ).toEqual(['faq.0.translations.fr.extra']);
    expect(
      await refused(pnid, [{ ...plain, phrasings: Array.from({ length: 11 }, (_, i) => `way ${i}`) }]),
    ).toEqual(['faq.0.phrasings']);
    expect(await refused(pnid, [{ ...plain, phrasings: ['x'.repeat(101), ''] }])).toEqual([
      'faq.0.phrasings.0',
      'faq.0.phrasings.1',
    ]);
    expect(
      await refused(pnid, [
        { ...plain, translations: { es: { question: 'q'.repeat(301), answer: 'a'.repeat(1001) } } },
      ]),
    ).toEqual(['faq.0.translations.es.answer', 'faq.0.translations.es.question']);
    // A translation in the entry's own language would never be shown.
    expect(
      await refused(pnid, [{ ...plain, translations: { en: { question: 'Open?', answer: 'Yes.' } } }]),
    ).toEqual(['faq.0.translations.en']);
  });

  it('when an entry was stored before languages existed, then it reads back unchanged and can be written back', async () => {
    const pnid = await business();
    await t.bot.models.Business.updateOne(
      { phoneNumberId: pnid },
      { $set: { faq: [{ question: 'Open?', answer: '9 to 5' }] } },
    ).exec();
    const got = (await (await t.admin('GET', `/admin/businesses/${pnid}`)).json()) as Record<string, unknown>;
    expect(got.faq).toEqual([{ question: 'Open?', answer: '9 to 5' }]);
    const { phoneNumberId: _id, ...input } = got;
    expect((await t.admin('PUT', `/admin/businesses/${pnid}`, input)).status).toBe(200);
    expect((await stored(pnid))?.faq).toEqual([{ question: 'Open?', answer: '9 to 5' }]);
  });
});
