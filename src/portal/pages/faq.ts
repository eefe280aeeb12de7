import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { BusinessData } from '../../businesses/schema.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, field, formText, FormInvalid, generalProblems, readForm } from '../forms.js';
import type { FormIssue } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';

const faqForm = z.object({ question: formText, answer: formText });

/** A refused question form as it is shown again: which form (`new` or its index), what was typed, its problems. */
interface FailedEntry {
  key: string;
  question: string;
  answer: string;
  errors: Record<string, string>;
  general: string[];
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
  const entry = (key: string, question: string, answer: string, label: string, action: string) => {
    const state = failed?.key === key ? failed : undefined;
    return (
      problemBlock(state?.general ?? []) +
      `<form method="post" action="${action}" data-testid="faq-form-${key}">${csrfField(session)}` +
      field({
        id: `faq-${key}-question`,
        name: 'question',
        label: 'Question',
        value: state?.question ?? question,
        error: state?.errors.question,
        required: true,
      }) +
      field({
        id: `faq-${key}-answer`,
        name: 'answer',
        label: 'Answer',
        value: state?.answer ?? answer,
        error: state?.errors.answer,
        type: 'textarea',
        required: true,
      }) +
      `<p><button type="submit" data-testid="faq-save-${key}">${esc(label)}</button></p></form>`
    );
  };
  const entries = business.faq
    .map(
      (f, index) =>
        `<fieldset data-testid="faq-${index}"><legend>Question ${index + 1}</legend>` +
        entry(String(index), f.question, f.answer, 'Save', `${base}/${index}`) +
        `<form method="post" action="${base}/${index}/remove">${csrfField(session)}` +
        `<button type="submit" data-testid="faq-remove-${index}">Remove question ${index + 1}</button></form></fieldset>`,
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
      entry('new', '', '', 'Add question', base) +
      '</section>',
  });
}

/** zod issues of the whole configuration → the problems of the question at `index`. */
const faqInvalid =
  (index: number) =>
  (issues: FormIssue[]): FormInvalid => {
    const fields: Record<string, string> = {};
    const general: string[] = [];
    for (const issue of issues) {
      const [top, at, name] = issue.path;
      if (top === 'faq' && at === index && typeof name === 'string') fields[name] ??= issue.message;
      else general.push(issue.message);
    }
    return new FormInvalid(fields, general);
  };

const faqIndex = (req: Request): number => {
  const raw = String(req.params.index);
  if (!/^\d{1,3}$/.test(raw)) throw new PortalError(404, 'No such question.');
  return Number(raw);
};

/** The FAQ the AI replies draw on: each question editable in place, one form to add, one button to remove. */
export function faqPages(portal: Portal): Router {
  const router = express.Router();

  async function saveFaq(req: Request, res: Response, index: number | 'new'): Promise<void> {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const entry = readForm(faqForm, req.body);
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
        { key: String(index), ...entry, errors: err.fields, general: err.general },
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
  router.post('/portal/b/:pnid/faq/:index/remove', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const index = faqIndex(req);
    await portal.write(
      session,
      business,
      (input) => ({ ...input, faq: (input.faq as unknown[]).filter((_f, i) => i !== index) }),
      generalProblems,
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/faq?msg=faq-removed`);
  });

  return router;
}
