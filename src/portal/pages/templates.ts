import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { BusinessData } from '../../businesses/schema.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import type { TemplateMapping, TemplateRecord } from '../../db/models/template.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { mappingsInput } from '../../templates/mappings.js';
import {
  BUTTON_ACTION_LABELS,
  isPurpose,
  PURPOSES,
  TEMPLATE_BUTTON_ACTIONS,
  TEMPLATE_PURPOSES,
} from '../../templates/purposes.js';
import { usable } from '../../templates/registry.js';
import type { TemplateRegistry } from '../../templates/registry.js';
import type { TemplatePurpose } from '../../templates/types.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, field, formText, FormInvalid, readForm, textOf } from '../forms.js';
import { nav, problemBlock, sendPage } from '../layout.js';

/** Meta's statuses in words. */
const STATUS_WORDS: Record<string, string> = {
  APPROVED: 'Approved',
  PENDING: 'Waiting for Meta’s review',
  REJECTED: 'Rejected by Meta',
  PAUSED: 'Paused by Meta (customers reported it)',
  DISABLED: 'Disabled by Meta',
  IN_APPEAL: 'Rejection appealed',
  FLAGGED: 'Flagged by Meta (quality is low)',
  LIMIT_EXCEEDED: 'Over Meta’s template limit',
  PENDING_DELETION: 'Being deleted',
  DELETED: 'Deleted',
  ARCHIVED: 'Archived',
  LOCKED: 'Locked by Meta',
  REINSTATED: 'Approved again',
};
const statusWords = (status: string): string => STATUS_WORDS[status] ?? `Other (${status.toLowerCase()})`;

const CATEGORY_WORDS: Record<string, string> = {
  UTILITY: 'Utility',
  MARKETING: 'Marketing',
  AUTHENTICATION: 'Authentication',
};

/** What the page says after a redirect (`?done=`): only these texts. */
const DONE: Record<string, string> = {
  saved: 'Mapping saved.',
  removed: 'Mapping removed.',
  account: 'WhatsApp Business Account id saved.',
};

const MAX_PARAMETERS = 20;
const MAX_BUTTONS = 10;

/** The fields of one purpose's form: the template, each placeholder's value, each button's action. */
const mappingForm = z.object({
  template: formText,
  ...Object.fromEntries(Array.from({ length: MAX_PARAMETERS }, (_, i) => [`p${i}`, formText])),
  ...Object.fromEntries(Array.from({ length: MAX_BUTTONS }, (_, i) => [`b${i}`, formText])),
});
const accountForm = z.object({ wabaId: formText });

/** A purpose's form shown again after a refusal: what was chosen and why it was refused. */
interface Refused {
  purpose: TemplatePurpose;
  mapping: TemplateMapping;
  problems: string[];
}

const dateTime = (d: Date): string => esc(`${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`);

function templatesTable(templates: TemplateRecord[]): string {
  if (templates.length === 0)
    return '<p data-testid="templates-empty">No templates yet. Create them in WhatsApp Manager, then sync from Meta.</p>';
  const rows = templates
    .map((t) => {
      const note = t.unsupported
        ? `The bot cannot send it: ${t.unsupported}.`
        : t.reason
          ? `Meta’s reason: ${t.reason.toLowerCase().replace(/_/g, ' ')}.`
          : '';
      const buttons = t.buttons.map((b) => b.text).join(', ');
      return (
        `<li data-testid="template-${esc(t.name)}-${esc(t.language)}" style="margin:.5rem 0;padding:.5rem;border:1px solid #ddd;overflow-wrap:anywhere">` +
        `<strong>${esc(t.name)}</strong> · ${esc(t.language)} · ${esc(CATEGORY_WORDS[t.category] ?? t.category.toLowerCase())}` +
        ` — <span data-testid="status-${esc(t.name)}-${esc(t.language)}">${esc(statusWords(t.status))}</span>` +
        `<span class="hint">${esc(t.body)}</span>${buttons ? `<span class="hint">Buttons: ${esc(buttons)}</span>` : ''}` +
        `${note ? `<span class="hint">${esc(note)}</span>` : ''}</li>`
      );
    })
    .join('');
  return `<ul data-testid="templates" style="list-style:none;padding:0">${rows}</ul>`;
}

function options(values: Array<[string, string]>, selected: string): string {
  return values
    .map(
      ([v, label]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label)}</option>`,
    )
    .join('');
}

/** One purpose: its template (approved ones), language variants, placeholder values and button actions. */
function purposeForm(
  base: string,
  session: PortalSession,
  purpose: TemplatePurpose,
  templates: TemplateRecord[],
  mapping: TemplateMapping | undefined,
  refused: Refused | undefined,
): string {
  const info = PURPOSES[purpose];
  const id = purpose.replace('.', '-');
  const shown = refused?.mapping ?? mapping;
  const names = [...new Set(templates.filter(usable).map((t) => t.name))];
  const chosen = shown?.template ?? '';
  const variants = templates.filter((t) => t.name === chosen);
  const sendable = variants.filter(usable);
  const sample = sendable[0] ?? variants[0];
  const selectTemplate =
    `<p><label for="tpl-${id}">Template</label><select id="tpl-${id}" name="template" data-testid="tpl-${id}">` +
    options([['', 'None (not sent after 24 h)'], ...names.map((n): [string, string] => [n, n])], chosen) +
    (chosen && !names.includes(chosen) ? options([[chosen, `${chosen} (not approved)`]], chosen) : '') +
    '</select></p>';
  let details = '';
  if (sample) {
    const languages = variants
      .map((t) => `${t.language} (${statusWords(t.status).toLowerCase()})`)
      .join(', ');
    details += `<p class="hint" data-testid="variants-${id}">Languages: ${esc(languages)}</p>`;
    details += `<p class="hint">Text: ${esc(sample.body)}</p>`;
    const valueOptions = info.values.map((v): [string, string] => [v.name, v.label]);
    details += sample.parameters
      .map(
        (p, i) =>
          `<p><label for="p-${id}-${i}">Value of {{${esc(p)}}}</label><select id="p-${id}-${i}" name="p${i}" data-testid="p-${id}-${i}">` +
          options([['', '— Choose —'], ...valueOptions], shown?.parameters[i] ?? '') +
          '</select></p>',
      )
      .join('');
    const actionOptions = TEMPLATE_BUTTON_ACTIONS.map((a): [string, string] => [a, BUTTON_ACTION_LABELS[a]]);
    details += sample.buttons
      .map((b, i) =>
        b.type === 'QUICK_REPLY'
          ? `<p><label for="b-${id}-${i}">Button “${esc(b.text)}” does</label><select id="b-${id}-${i}" name="b${i}" data-testid="b-${id}-${i}">` +
            options([['', 'Nothing (no action)'], ...actionOptions], shown?.buttons[i] ?? '') +
            '</select></p>'
          : `<p class="hint">Button “${esc(b.text)}” opens a link or calls: nothing to choose.</p>`,
      )
      .join('');
  } else if (chosen) {
    details =
      '<p class="hint">This template is not in the list any more. Sync from Meta or choose another.</p>';
  }
  const state = !mapping
    ? 'Not mapped: this message is not sent outside the 24-hour window.'
    : sendable.length > 0
      ? `Sent with “${mapping.template}”.`
      : `Mapped to “${mapping.template}”, which has no approved variant: not sent.`;
  return (
    `<fieldset id="purpose-${id}" data-testid="purpose-${id}" style="min-width:0"><legend>${esc(info.label)}</legend>` +
    `<p class="hint">${esc(info.hint)}</p><p data-testid="state-${id}">${esc(state)}</p>` +
    problemBlock(refused?.problems ?? []) +
    `<form method="post" action="${base}/map/${esc(purpose)}">${csrfField(session)}${selectTemplate}${details}` +
    `<div class="actions"><button type="submit" data-testid="save-${id}">${sample ? 'Save' : 'Choose template'}</button></div></form></fieldset>`
  );
}

/**
 * The business's WhatsApp templates: the account they come from (set by the operator), a sync from Meta with
 * its outcome in words, each template's status in words, and for each message the bot may have to send
 * outside the 24-hour window, which approved template carries it, what fills each placeholder and what each
 * quick-reply button does.
 */
export function templatesPages(portal: Portal): Router {
  const router = express.Router();
  const path = '/portal/b/:pnid/templates';

  function registry(): TemplateRegistry {
    const templates = portal.deps.templates;
    if (!templates) throw new PortalError(404, 'Templates are not set up on this server.');
    return templates;
  }

  async function render(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    extra: { refused?: Refused; accountError?: string; status?: number } = {},
  ): Promise<void> {
    const templates = registry();
    const [list, setup] = await Promise.all([
      templates.list(business.phoneNumberId),
      templates.setup(business.phoneNumberId),
    ]);
    const base = `/portal/b/${esc(business.phoneNumberId)}/templates`;
    const done = DONE[textOf(req.query.done)];
    const operator = session.actor.kind === 'operator';
    const account = operator
      ? `<form method="post" action="${base}/account">${csrfField(session)}` +
        field({
          id: 'waba-id',
          name: 'wabaId',
          label: 'WhatsApp Business Account id',
          value: business.wabaId ?? '',
          error: extra.accountError,
          extra: ' inputmode="numeric" autocomplete="off"',
        }) +
        '<button type="submit" data-testid="save-waba-id">Save account id</button></form>'
      : `<p data-testid="waba-id">WhatsApp Business Account id: ${business.wabaId ? esc(business.wabaId) : 'not set (the operator sets it)'}</p>`;
    const last = setup.lastSync;
    const lastText = !last
      ? 'Never synced.'
      : last.error
        ? `Last sync ${dateTime(last.at)} failed: ${esc(last.error)}`
        : `Last sync ${dateTime(last.at)}: ${last.count} template${last.count === 1 ? '' : 's'}.`;
    const sync =
      `<p data-testid="last-sync" role="status" class="${last?.error ? 'problem' : ''}">${lastText}</p>` +
      `<form method="post" action="${base}/sync">${csrfField(session)}` +
      `<button type="submit" data-testid="sync"${business.wabaId ? '' : ' disabled aria-describedby="sync-off"'}>Sync from Meta</button></form>` +
      (business.wabaId
        ? ''
        : `<p class="hint" id="sync-off" data-testid="sync-off">Sync is not available yet: no WhatsApp Business Account id is set. ${
            operator ? 'Enter it above and save.' : 'The operator sets it; ask them to.'
          }</p>`);
    const forms = TEMPLATE_PURPOSES.map((purpose) =>
      purposeForm(
        base,
        session,
        purpose,
        list,
        setup.mappings.find((m) => m.purpose === purpose),
        extra.refused?.purpose === purpose ? extra.refused : undefined,
      ),
    ).join('');
    // Nothing to choose from and nothing chosen: the per-message forms would be empty choices, so they wait
    // behind a short explanation.
    const nothingYet = list.length === 0 && setup.mappings.length === 0;
    const messages = nothingYet
      ? '<p data-testid="no-templates">There are no templates yet. Once templates are synced from Meta, you choose here which one carries each message (order updates, staff alerts…).</p>' +
        `<details data-testid="mappings-hidden"><summary>Show the messages anyway</summary>${forms}</details>`
      : forms;
    sendPage(res, {
      title: `Templates · ${business.name}`,
      nav: nav(session, business),
      ...(extra.status ? { status: extra.status } : {}),
      body:
        (done ? `<p class="message" role="status" data-testid="message">${esc(done)}</p>` : '') +
        '<p>More than 24 hours after a customer (or a staff number) last wrote, WhatsApp only delivers approved templates. Choose which template carries each message below; without one, the message is not sent and the ' +
        `<a href="/portal/b/${esc(business.phoneNumberId)}/notices">Notices</a> page says so and why.</p>` +
        `<h2>Account</h2>${account}${sync}<h2>Templates</h2>${templatesTable(list)}<h2>Messages</h2>${messages}`,
    });
  }

  router.get(path, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    await render(req, res, session, await portal.businessFor(req, session));
  });

  router.post(`${path}/sync`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const outcome = await registry().sync(business.phoneNumberId);
    portal.deps.counters.add(outcome.ok ? 'portal.templates.synced' : 'portal.templates.sync_failed');
    // The outcome, errors in words, is the stored last sync the page shows.
    res.redirect(303, `/portal/b/${business.phoneNumberId}/templates`);
  });

  router.post(`${path}/account`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    if (session.actor.kind !== 'operator')
      throw new PortalError(403, 'Only the operator sets the WhatsApp Business Account id.');
    const wabaId = readForm(accountForm, req.body).wabaId.trim();
    try {
      await portal.write(
        session,
        business,
        (input) => ({ ...input, wabaId: wabaId === '' ? null : wabaId }),
        (issues) => new FormInvalid({ wabaId: issues.find((i) => i.path[0] === 'wabaId')?.message ?? '' }),
      );
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      await render(req, res, session, business, {
        accountError: err.fields.wabaId || 'must be the numeric account id',
        status: 400,
      });
      return;
    }
    res.redirect(303, `/portal/b/${business.phoneNumberId}/templates?done=account`);
  });

  router.post(`${path}/map/:purpose`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const purpose = String(req.params.purpose);
    if (!isPurpose(purpose)) throw new PortalError(404, 'No such message.');
    const templates = registry();
    const form = readForm(mappingForm, req.body) as Record<string, string>;
    const current = (await templates.setup(business.phoneNumberId)).mappings;
    const others = current.filter((m) => m.purpose !== purpose);
    const template = (form.template ?? '').trim();
    const base = `/portal/b/${business.phoneNumberId}/templates`;
    if (template === '') {
      await templates.saveMappings(business.phoneNumberId, others);
      res.redirect(303, `${base}?done=removed#purpose-${purpose.replace('.', '-')}`);
      return;
    }
    const variant = (await templates.list(business.phoneNumberId)).find(
      (t) => t.name === template && usable(t),
    );
    const take = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => form[`${prefix}${i}`] ?? '');
    const previous = current.find((m) => m.purpose === purpose);
    const mapping: TemplateMapping = {
      purpose,
      template,
      parameters: take('p', variant?.parameters.length ?? 0),
      buttons: take('b', variant?.buttons.length ?? 0) as TemplateMapping['buttons'],
    };
    // A template just chosen (or changed): show its placeholders and buttons to fill before saving.
    if (previous?.template !== template && mapping.parameters.every((p) => p === '')) {
      if (variant && variant.parameters.length > 0) {
        await render(req, res, session, business, {
          refused: { purpose, mapping, problems: ['Choose a value for each placeholder, then save.'] },
        });
        return;
      }
    }
    const problems: string[] = [];
    if (mapping.parameters.some((p) => p === '')) problems.push('Choose a value for each placeholder.');
    const parsed = mappingsInput.safeParse({ mappings: [...others, mapping] });
    if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
    else problems.push(...(await templates.check(business.phoneNumberId, [mapping])).map((p) => p.message));
    if (problems.length > 0) {
      await render(req, res, session, business, {
        refused: { purpose, mapping, problems: [...new Set(problems)] },
        status: 400,
      });
      return;
    }
    await templates.saveMappings(business.phoneNumberId, [...others, mapping]);
    portal.deps.counters.add('portal.templates.mapped');
    res.redirect(303, `${base}?done=saved#purpose-${purpose.replace('.', '-')}`);
  });

  return router;
}
