/**
 * The portal's FAQ page with languages: an entry's own language, a translation per language (added,
 * shown again escaped, removed by emptying it), refused fields named next to themselves, and removal only
 * after a confirmation page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let pnid: string;
let c: PortalClient;

beforeAll(async () => {
  t = await startTestBot('portal-faq-languages');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa FAQ');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'portal' });
  const key = (await res.json()) as { key: string };
  c = new PortalClient(t.bot.url);
  expect((await c.signIn(key.key)).status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

const faqOf = async () =>
  (await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec())?.faq ?? [];

describe('portal FAQ in several languages', () => {
  it('when a question is saved with translations, then they are stored, shown again escaped, and removed by emptying them', async () => {
    const page = `/portal/b/${pnid}/faq`;
    const added = await c.submit(page, page, {
      language: 'en',
      question: 'When are you open?',
      answer: 'From 9 to 5.',
      phrasings: 'opening hours\r\n\r\n  hours  ',
      'es.question': '¿Cuándo abren?',
      'es.answer': 'De 9 a 5 <b>siempre</b>.',
      'es.phrasings': 'horario',
      'fr.question': '',
      'fr.answer': '',
    });
    expect(added.status).toBe(303);
    expect(await faqOf()).toEqual([
      {
        question: 'When are you open?',
        answer: 'From 9 to 5.',
        language: 'en',
        phrasings: ['opening hours', 'hours'],
        translations: {
          es: { question: '¿Cuándo abren?', answer: 'De 9 a 5 <b>siempre</b>.', phrasings: ['horario'] },
        },
      },
    ]);

    const shown = await c.get(page);
    expect(shown.text).toContain('De 9 a 5 &lt;b&gt;siempre&lt;/b&gt;.');
    expect(shown.text).not.toContain('<b>siempre</b>');
    expect(shown.text).toMatch(/<option value="en" selected>English<\/option>/);
    // A part per language (the own one too, so the language can be changed without a script), saying
    // whether it is done.
    expect(shown.text).toMatch(/data-testid="faq-0-en"><summary>English <span lang="en">\(no translation\)/);
    expect(shown.text).toMatch(/data-testid="faq-0-es"><summary>Español <span lang="en">\(translated\)/);
    expect(shown.text).toMatch(/data-testid="faq-0-de"><summary>Deutsch <span lang="en">\(no translation\)/);
    expect(shown.text).toContain('id="faq-0-es-phrasings"');

    // Emptying the Spanish fields removes the translation.
    const saved = await c.submit(page, `${page}/0`, {
      language: 'en',
      question: 'When are you open?',
      answer: 'From 9 to 5.',
    });
    expect(saved.status).toBe(303);
    expect(await faqOf()).toEqual([
      { question: 'When are you open?', answer: 'From 9 to 5.', language: 'en' },
    ]);
  });

  it('when a translation is half filled or in the question own language, then the page names the field and keeps what was typed', async () => {
    const page = `/portal/b/${pnid}/faq`;
    const before = await faqOf();
    const half = await c.submit(page, page, {
      language: 'en',
      question: 'Do you deliver?',
      answer: 'Yes.',
      'de.question': 'Liefern Sie?',
    });
    expect(half.status).toBe(400);
    expect(half.text).toContain('id="faq-new-de-answer-error"');
    expect(half.text).toMatch(/<details data-testid="faq-new-de" open>/);
    expect(half.text).toContain('value="Liefern Sie?"');

    const own = await c.submit(page, page, {
      language: 'es',
      question: '¿Hacen entregas?',
      answer: 'Sí.',
      'es.question': '¿Entregan?',
      'es.answer': 'Sí.',
    });
    expect(own.status).toBe(400);
    expect(own.text).toContain('id="faq-new-es-question-error"');
    expect(await faqOf()).toEqual(before);
  });

  it('when a question is removed, then a confirmation page comes first, and a stale confirmation is refused', async () => {
    const page = `/portal/b/${pnid}/faq`;
    expect((await c.submit(page, page, { language: 'en', question: 'Wifi?', answer: 'Yes.' })).status).toBe(
      303,
    );
    const count = (await faqOf()).length;
    const list = await c.get(page);
    expect(list.text).toContain(`href="${page}/${count - 1}/remove"`);
    // The list has no one-click removal form.
    expect(list.text).not.toContain(`action="${page}/${count - 1}/remove"`);

    const confirm = await c.get(`${page}/${count - 1}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<strong>Wifi?</strong>');
    expect(confirm.text).toContain(`href="${page}" data-testid="faq-remove-cancel"`);

    const stale = await c.submit(`${page}/${count - 1}/remove`, `${page}/${count - 1}/remove`, {
      question: 'Something else?',
    });
    expect(stale.status).toBe(409);
    expect(await faqOf()).toHaveLength(count);

    const removed = await c.submit(`${page}/${count - 1}/remove`, `${page}/${count - 1}/remove`, {
      question: 'Wifi?',
    });
    expect(removed.status).toBe(303);
    expect((await faqOf()).map((f) => f.question)).not.toContain('Wifi?');
    expect((await c.get(`${page}/${count + 5}/remove`)).status).toBe(404);
  });
});
