import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { BusinessData } from '../../businesses/schema.js';
import type { FaqEntry } from '../../db/models/business.model.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, languageOfLocale } from '../../language/languages.js';
import type { Language } from '../../language/languages.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, field, formText, FormInvalid, generalProblems, readForm } from '../forms.js';
import type { FormIssue } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';

/** The text fields of one language: the own one unprefixed (`question`), the others as `es.question`. */
const PARTS = ['question', 'answer', 'phrasings'] as const;
const fieldName = (language: Language | undefined, part: (typeof PARTS)[number]) =>
  language ? `${language}.${part}` : part;

/** Every field of the question form, each a text a browser sends (missing ones read as empty). */
const faqForm = z.object({
  language: formText,
  ...Object.fromEntries(PARTS.map((part) => [part, formText])),
  ...Object.fromEntries(LANGUAGES.flatMap((l) => PARTS.map((part) => [fieldName(l, part), formText]))),
});

type FormValues = Record<string, string>;

/** Other ways to ask, one per line, as the entry stores them (absent when there are none). */
const phrasingsOf = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * The entry a form describes, as the admin API takes it: a language whose three fields are empty is not
 * translated (emptying them removes the translation); the schema checks the rest and names each problem.
 */
function entryOf(values: FormValues): Record<string, unknown> {
  const own = (part: (typeof PARTS)[number]) => values[fieldName(undefined, part)] ?? '';
  const phrasings = phrasingsOf(own('phrasings'));
  const translations: Record<string, unknown> = {};
  for (const language of LANGUAGES) {
    const [question, answer, lines] = PARTS.map((part) => values[fieldName(language, part)] ?? '');
    if (!question?.trim() && !answer?.trim() && !lines?.trim()) continue;
    const more = phrasingsOf(lines);
    translations[language] = { question, answer, ...(more.length > 0 ? { phrasings: more } : {}) };
  }
  return {
    question: own('question'),
    answer: own('answer'),
    ...(values.language ? { language: values.language } : {}),
    ...(phrasings.length > 0 ? { phrasings } : {}),
    ...(Object.keys(translations).length > 0 ? { translations } : {}),
  };
}

/** A stored entry as the form shows it. */
function valuesOf(entry: FaqEntry | undefined, own: Language): FormValues {
  const values: FormValues = {
    language: own,
    question: entry?.question ?? '',
    answer: entry?.answer ?? '',
    phrasings: (entry?.phrasings ?? []).join('\n'),
  };
  for (const language of LANGUAGES) {
    const text = entry?.translations?.[language];
    values[fieldName(language, 'question')] = text?.question ?? '';
    values[fieldName(language, 'answer')] = text?.answer ?? '';
    values[fieldName(language, 'phrasings')] = (text?.phrasings ?? []).join('\n');
  }
  return values;
}

/** A refused question form as it is shown again: which form (`new` or its index), what was typed, its problems. */
interface FailedEntry {
  key: string;
  values: FormValues;
  errors: Record<string, string>;
  general: string[];
}

/** Fields narrow enough for a 390 px screen (the portal's textareas are 60 columns wide otherwise). */
const FIT = ' style="max-width:100%;box-sizing:border-box"';

/** A fieldset grows to its widest field unless told otherwise (its default minimum width is its content's). */
const FIT_BOX = ' style="min-width:0"';

/** The question, answer and other ways to ask in one language (`undefined`: the entry's own language). */
function languageFields(
  key: string,
  language: Language | undefined,
  values: FormValues,
  errors: Record<string, string>,
  required: boolean,
): string {
  const id = (part: string) => (language ? `faq-${key}-${language}-${part}` : `faq-${key}-${part}`);
  return (
    field({
      id: id('question'),
      name: fieldName(language, 'question'),
      label: 'Question',
      value: values[fieldName(language, 'question')],
      error: errors[fieldName(language, 'question')],
      required,
      extra: FIT,
    }) +
    field({
      id: id('answer'),
      name: fieldName(language, 'answer'),
      label: 'Answer',
      value: values[fieldName(language, 'answer')],
      error: errors[fieldName(language, 'answer')],
      type: 'textarea',
      required,
      extra: FIT,
    }) +
    field({
      id: id('phrasings'),
      name: fieldName(language, 'phrasings'),
      label: 'Other ways customers ask (one per line, optional)',
      value: values[fieldName(language, 'phrasings')],
      error: errors[fieldName(language, 'phrasings')],
      type: 'textarea',
      extra: FIT,
    })
  );
}

function faqPage(
  req: Request,
  res: Response,
  session: PortalSession,
  business: BusinessData,
  failed?: FailedEntry,
  status = 200,
): void {
  const base = `/portal/b/${esc(business.phoneNumberId)}/faq`;
  const fallback = languageOfLocale(business.locale);
  const entry = (key: string, stored: FaqEntry | undefined, label: string, action: string) => {
    const state = failed?.key === key ? failed : undefined;
    const own = isLanguage(stored?.language) ? stored.language : fallback;
    const values = state?.values ?? valuesOf(stored, own);
    const errors = state?.errors ?? {};
    const chosen = isLanguage(values.language) ? values.language : own;
    const options = LANGUAGES.map(
      (l) => `<option value="${l}"${l === chosen ? ' selected' : ''}>${esc(LANGUAGE_NAMES[l])}</option>`,
    ).join('');
    // One collapsible part per other language: a <details> opens with the keyboard, needs no script.
    // Every language, the chosen one included: the language can be changed without a script reloading the
    // page; a translation typed in the question's own language is refused with its fields named.
    const translations = LANGUAGES.map((l) => {
      const done = Boolean(values[fieldName(l, 'question')] || values[fieldName(l, 'answer')]);
      const wrong = PARTS.some((part) => errors[fieldName(l, part)]);
      return (
        `<details data-testid="faq-${key}-${l}"${wrong ? ' open' : ''}>` +
        `<summary>${esc(LANGUAGE_NAMES[l])} <span lang="en">(${done ? 'translated' : 'no translation'})</span></summary>` +
        languageFields(key, l, values, errors, false) +
        '</details>'
      );
    }).join('');
    const languageError = errors.language
      ? ` <span class="error" id="faq-${key}-language-error">${esc(errors.language)}</span>`
      : '';
    return (
      problemBlock(state?.general ?? []) +
      `<form method="post" action="${action}" data-testid="faq-form-${key}">${csrfField(session)}` +
      `<p><label for="faq-${key}-language">Language of this question</label>` +
      `<select id="faq-${key}-language" name="language" data-testid="faq-${key}-language"` +
      `${languageError ? ` aria-invalid="true" aria-describedby="faq-${key}-language-error"` : ''}>${options}</select>${languageError}</p>` +
      languageFields(key, undefined, values, errors, true) +
      `<p>Translations, so customers are answered in their language. Leave the question's own language and ` +
      `any language you do not offer empty; empty a language's fields to remove it.</p>${translations}` +
      `<p><button type="submit" data-testid="faq-save-${key}">${esc(label)}</button></p></form>`
    );
  };
  const entries = business.faq
    .map(
      (f, index) =>
        `<fieldset data-testid="faq-${index}"${FIT_BOX}><legend>Question ${index + 1}</legend>` +
        entry(String(index), f, 'Save', `${base}/${index}`) +
        `<p><a href="${base}/${index}/remove" data-testid="faq-remove-${index}">Remove question ${index + 1}…</a></p></fieldset>`,
    )
    .join('');
  sendPage(res, {
    title: `FAQ · ${business.name}`,
    status,
    nav: nav(session, business),
    body:
      messageBlock(req) +
      (entries || '<p>No questions yet.</p>') +
      '<section aria-labelledby="faq-add-heading"><h2 id="faq-add-heading">Add a question</h2>' +
      entry('new', undefined, 'Add question', base) +
      '</section>',
  });
}

/** A zod issue's place in the question form: `translations.es.phrasings.2` → `es.phrasings`. */
function formFieldOf(path: readonly PropertyKey[]): string | undefined {
  const [first, second, third] = path;
  if (first === 'translations' && isLanguage(second))
    return fieldName(second, third === 'answer' || third === 'phrasings' ? third : 'question');
  if (first === 'question' || first === 'answer' || first === 'phrasings' || first === 'language')
    return first;
  return undefined;
}

/** zod issues of the whole configuration → the problems of the question at `index`. */
const faqInvalid =
  (index: number) =>
  (issues: FormIssue[]): FormInvalid => {
    const fields: Record<string, string> = {};
    const general: string[] = [];
    for (const issue of issues) {
      const [top, at, ...rest] = issue.path;
      const name = top === 'faq' && at === index ? formFieldOf(rest) : undefined;
      if (name) fields[name] ??= issue.message;
      else general.push(issue.message);
    }
    return new FormInvalid(fields, general);
  };

const faqIndex = (req: Request): number => {
  const raw = String(req.params.index);
  if (!/^\d{1,3}$/.test(raw)) throw new PortalError(404, 'No such question.');
  return Number(raw);
};

/** The page asking to confirm a removal: the question named, a button that removes it, a way back. */
function removePage(res: Response, session: PortalSession, business: BusinessData, index: number): void {
  const entry = business.faq[index];
  if (!entry) throw new PortalError(404, 'No such question.');
  const base = `/portal/b/${esc(business.phoneNumberId)}/faq`;
  sendPage(res, {
    title: `Remove question ${index + 1}?`,
    nav: nav(session, business),
    body:
      `<p>Customers asking it will no longer get this answer, in any language:</p>` +
      `<blockquote><p><strong>${esc(entry.question)}</strong></p><p>${esc(entry.answer)}</p></blockquote>` +
      `<form method="post" action="${base}/${index}/remove" data-testid="faq-remove-form">${csrfField(session)}` +
      // The question as shown: if the list changed meanwhile, the removal is refused instead of hitting another.
      `<input type="hidden" name="question" value="${esc(entry.question)}">` +
      `<p><button type="submit" data-testid="faq-remove-confirm">Remove question ${index + 1}</button> ` +
      `<a href="${base}" data-testid="faq-remove-cancel">Keep it</a></p></form>`,
  });
}

/**
 * The FAQ answered without AI (and given to the AI): each question editable in place with its translations,
 * one form to add, and removal after a confirmation page.
 */
export function faqPages(portal: Portal): Router {
  const router = express.Router();

  async function saveFaq(req: Request, res: Response, index: number | 'new'): Promise<void> {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const values = readForm(faqForm, req.body);
    const entry = entryOf(values);
    const at = index === 'new' ? business.faq.length : index;
    if (index !== 'new' && !business.faq[index]) throw new PortalError(404, 'No such question.');
    try {
      await portal.write(
        session,
        business,
        (input) => {
          const faq = [...(input.faq as unknown[])];
          if (index === 'new') faq.push(entry);
          else if (index < faq.length) faq[index] = entry;
          else throw new PortalError(404, 'No such question.');
          return { ...input, faq };
        },
        faqInvalid(at),
      );
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      faqPage(
        req,
        res,
        session,
        business,
        { key: String(index), values, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(
      303,
      `/portal/b/${business.phoneNumberId}/faq?msg=${index === 'new' ? 'faq-added' : 'faq-saved'}`,
    );
  }

  router.get('/portal/b/:pnid/faq', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    faqPage(req, res, session, await portal.businessFor(req, session));
  });
  router.post('/portal/b/:pnid/faq', portal.form, (req, res) => saveFaq(req, res, 'new'));
  router.post('/portal/b/:pnid/faq/:index', portal.form, (req, res) => saveFaq(req, res, faqIndex(req)));
  router.get('/portal/b/:pnid/faq/:index/remove', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    removePage(res, session, await portal.businessFor(req, session), faqIndex(req));
  });
  router.post('/portal/b/:pnid/faq/:index/remove', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const index = faqIndex(req);
    const shown = readForm(z.object({ question: formText }), req.body).question;
    const current = business.faq[index];
    if (!current) throw new PortalError(404, 'No such question.');
    if (shown !== current.question)
      throw new PortalError(409, 'The questions changed meanwhile; open the FAQ page and try again.');
    await portal.write(
      session,
      business,
      (input) => {
        const faq = input.faq as FaqEntry[];
        if (faq[index]?.question !== shown)
          throw new PortalError(409, 'The questions changed meanwhile; open the FAQ page and try again.');
        return { ...input, faq: faq.filter((_f, i) => i !== index) };
      },
      generalProblems,
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/faq?msg=faq-removed`);
  });

  return router;
}
