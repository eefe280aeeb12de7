import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { businessView } from '../../businesses/directory.js';
import { formatMoney } from '../../core/money.js';
import type { BusinessData } from '../../businesses/schema.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import {
  csrfField,
  field,
  formCheckbox,
  formText,
  FormInvalid,
  generalProblems,
  readForm,
} from '../forms.js';
import type { FormIssue } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../../language/languages.js';
import type { Language } from '../../language/languages.js';
import type { CatalogItem } from '../../core/catalog.js';

const trimmed = formText.transform((text) => text.trim());

/** What an item may be translated: its name, description and category, per language. */
const TRANSLATED = ['name', 'description', 'category'] as const;
type TranslatedPart = (typeof TRANSLATED)[number];
/** A translation field of the item form, `tr-es-name`: flat names, as the portal's urlencoded forms are. */
type TranslationField = `tr-${Language}-${TranslatedPart}`;
const translationField = (language: Language, part: TranslatedPart): TranslationField =>
  `tr-${language}-${part}`;
const TRANSLATION_FIELDS = LANGUAGES.flatMap((l) => TRANSLATED.map((part) => translationField(l, part)));
const translationShape = Object.fromEntries(TRANSLATION_FIELDS.map((name) => [name, formText])) as Record<
  TranslationField,
  typeof formText
>;

/** The form's translation fields filled from an item's translations (empty where it has none). */
function translationValues(translations: CatalogItem['translations']): Record<TranslationField, string> {
  return Object.fromEntries(
    LANGUAGES.flatMap((l) =>
      TRANSLATED.map((part) => [translationField(l, part), translations?.[l]?.[part] ?? '']),
    ),
  ) as Record<TranslationField, string>;
}

/** The item form as typed: the price stays text until it is checked, so a refused form shows what was typed. */
const itemFormSchema = z.object({
  id: trimmed,
  name: formText,
  price: trimmed,
  category: formText,
  description: formText,
  /** "coke, coca cola, refresco": other words customers use, comma-separated. */
  synonyms: formText,
  /** The item's content id in the Meta commerce catalogue linked to the number (native orders). */
  retailerId: trimmed,
  available: formCheckbox,
  ...translationShape,
});
type ItemForm = z.output<typeof itemFormSchema>;

/** An item form as it is shown again: what was typed, its problems by field and those of no single field. */
interface ItemFormState {
  form: ItemForm;
  errors: Record<string, string>;
  general: string[];
}

const emptyItem: ItemForm = {
  id: '',
  name: '',
  price: '',
  category: '',
  description: '',
  synonyms: '',
  retailerId: '',
  available: true,
  ...translationValues(undefined),
};

/** The languages the form has something for, with what was typed (the schema trims and bounds it). */
function translationsInput(form: ItemForm): Record<string, Record<string, string>> {
  const translations: Record<string, Record<string, string>> = {};
  for (const language of LANGUAGES) {
    const typed = Object.fromEntries(
      TRANSLATED.flatMap((part) => {
        const value = form[translationField(language, part)];
        return value.trim() ? [[part, value]] : [];
      }),
    );
    if (Object.keys(typed).length > 0) translations[language] = typed;
  }
  return translations;
}

/** "coke, coca cola, , refresco" → the words, trimmed, blanks dropped (the schema checks count and length). */
function synonymList(typed: string): string[] {
  return typed
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
}

/** The form as a catalog item of the configuration input (price in major units), and the form's own problems. */
function itemInput(form: ItemForm): { item: Record<string, unknown>; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const normalised = form.price.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(normalised)) problems.price = 'must be a number such as 4.50';
  const item: Record<string, unknown> = {
    id: form.id,
    name: form.name,
    // A price that is no number is reported as such; 0 stands in so the other fields are still checked.
    price: problems.price ? 0 : Number(normalised),
    available: form.available,
    ...(form.category.trim() ? { category: form.category } : {}),
    ...(form.description.trim() ? { description: form.description } : {}),
    ...(synonymList(form.synonyms).length > 0 ? { synonyms: synonymList(form.synonyms) } : {}),
    ...(form.retailerId ? { retailerId: form.retailerId } : {}),
    // Emptied fields drop that language: an item has the translations the form shows, no more.
    ...(Object.keys(translationsInput(form)).length > 0 ? { translations: translationsInput(form) } : {}),
  };
  return { item, problems };
}

/**
 * One collapsible part per language for the item's name, description and category there: a <details> opens
 * with the keyboard and needs no script; it opens by itself when one of its fields was refused.
 */
function translationFields(prefix: string, form: ItemForm, errors: Record<string, string>): string {
  const parts = LANGUAGES.map((l) => {
    const done = TRANSLATED.some((part) => form[translationField(l, part)].trim());
    const wrong = TRANSLATED.some((part) => errors[translationField(l, part)]);
    const one = (part: TranslatedPart, label: string, type?: 'textarea') =>
      field({
        id: `${prefix}-${translationField(l, part)}`,
        name: translationField(l, part),
        label,
        value: form[translationField(l, part)],
        error: errors[translationField(l, part)],
        ...(type ? { type } : {}),
      });
    return (
      `<details data-testid="${prefix}-tr-${l}"${wrong ? ' open' : ''}>` +
      `<summary>${esc(LANGUAGE_NAMES[l])} (${done ? 'translated' : 'no translation'})</summary>` +
      `<fieldset style="min-width:0"><legend class="visually-hidden">${esc(LANGUAGE_NAMES[l])}</legend>` +
      one('name', 'Name') +
      one('description', 'Description', 'textarea') +
      one('category', 'Category') +
      '</fieldset></details>'
    );
  }).join('');
  return (
    '<fieldset style="min-width:0"><legend>Translations (optional)</legend>' +
    '<p class="hint">What customers who write in another language read. An empty field shows your own text; ' +
    'empty a language to remove it. Orders and staff notices keep your own names.</p>' +
    `${parts}</fieldset>`
  );
}

function itemFields(prefix: string, form: ItemForm, errors: Record<string, string>, currency: string) {
  return (
    field({
      id: `${prefix}-id`,
      name: 'id',
      label: 'Item id (letters, digits, - and _)',
      value: form.id,
      error: errors.id,
      required: true,
    }) +
    field({
      id: `${prefix}-name`,
      name: 'name',
      label: 'Name',
      value: form.name,
      error: errors.name,
      required: true,
    }) +
    field({
      id: `${prefix}-price`,
      name: 'price',
      label: `Price (${currency})`,
      value: form.price,
      error: errors.price,
      required: true,
      extra: ' inputmode="decimal"',
    }) +
    field({
      id: `${prefix}-category`,
      name: 'category',
      label: 'Category (optional)',
      value: form.category,
      error: errors.category,
    }) +
    field({
      id: `${prefix}-description`,
      name: 'description',
      label: 'Description (optional)',
      value: form.description,
      error: errors.description,
      type: 'textarea',
    }) +
    field({
      id: `${prefix}-synonyms`,
      name: 'synonyms',
      label: 'Also called (optional, comma-separated: other names customers type, any language)',
      value: form.synonyms,
      error: errors.synonyms,
    }) +
    field({
      id: `${prefix}-retailerId`,
      name: 'retailerId',
      label:
        "Meta catalogue retailer id (optional: the item's content id in the catalogue linked to your number)",
      value: form.retailerId,
      error: errors.retailerId,
    }) +
    field({
      id: `${prefix}-available`,
      name: 'available',
      label: 'Available',
      type: 'checkbox',
      checked: form.available,
      error: errors.available,
    }) +
    translationFields(prefix, form, errors)
  );
}

/** zod issues of the whole configuration → the problems of the catalog item at `index`. */
const itemInvalid =
  (index: number, own: Record<string, string>) =>
  (issues: FormIssue[]): FormInvalid => {
    const fields: Record<string, string> = { ...own };
    const general: string[] = [];
    for (const issue of issues) {
      const [top, at, name, language, part] = issue.path;
      // A translation's problem goes next to its field (`tr-es-name`); an item's next to the item's.
      if (top === 'catalog' && at === index && name === 'translations' && typeof part === 'string')
        fields[`tr-${String(language)}-${part}`] ??= issue.message;
      else if (top === 'catalog' && at === index && typeof name === 'string') fields[name] ??= issue.message;
      else general.push(`${issue.path.map(String).join('.') || 'catalog'}: ${issue.message}`);
    }
    return new FormInvalid(fields, general);
  };

function catalogPage(
  req: Request,
  res: Response,
  session: PortalSession,
  business: BusinessData,
  addForm: ItemFormState = { form: emptyItem, errors: {}, general: [] },
  status = 200,
): void {
  const base = `/portal/b/${esc(business.phoneNumberId)}/catalog`;
  const rows = business.catalog
    .map(
      (item) =>
        // At a phone's width each row is a card (table.stack.cards): the name first, each value with its label.
        `<tr data-testid="item-${esc(item.id)}"><td class="name"><strong>${esc(item.name)}</strong></td>` +
        `<td data-label="Price">${esc(formatMoney(item.priceMinor, business.currency))}</td><td data-label="Category">${esc(item.category ?? '')}</td>` +
        `<td data-label="Also called">${esc((item.synonyms ?? []).join(', '))}</td>` +
        `<td data-label="Available">${item.available ? 'yes' : 'no'}</td><td data-label="Id"><code>${esc(item.id)}</code></td><td class="actions"><a href="${base}/${esc(item.id)}/edit" data-testid="edit-${esc(item.id)}">Edit<span class="visually-hidden"> ${esc(item.name)}</span></a> ` +
        `<a href="${base}/${esc(item.id)}/remove" data-testid="remove-${esc(item.id)}">Remove…<span class="visually-hidden"> ${esc(item.name)}</span></a></td></tr>`,
    )
    .join('');
  sendPage(res, {
    title: `Catalog · ${business.name}`,
    status,
    nav: nav(session, business),
    body:
      messageBlock(req) +
      (rows
        ? `<div class="scroll" role="region" aria-label="Items" tabindex="0"><table class="stack cards" data-testid="catalog"><caption>Items</caption><thead><tr><th scope="col">Name</th><th scope="col">Price</th><th scope="col">Category</th><th scope="col">Also called</th><th scope="col">Available</th><th scope="col">Id</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table></div>`
        : '<p>The catalog is empty.</p>') +
      '<section aria-labelledby="add-heading"><h2 id="add-heading">Add an item</h2>' +
      problemBlock(addForm.general) +
      `<form method="post" action="${base}" data-testid="add-item-form">${csrfField(session)}` +
      itemFields('new-item', addForm.form, addForm.errors, business.currency) +
      '<p><button type="submit" id="add-item" data-testid="add-item">Add item</button></p></form></section>',
  });
}

function editPage(
  res: Response,
  session: PortalSession,
  business: BusinessData,
  originalId: string,
  state: ItemFormState,
  status = 200,
): void {
  const base = `/portal/b/${esc(business.phoneNumberId)}/catalog`;
  sendPage(res, {
    title: `Edit item · ${business.name}`,
    status,
    nav: nav(session, business),
    body:
      problemBlock(state.general) +
      `<form method="post" action="${base}/${esc(originalId)}" data-testid="edit-item-form">${csrfField(session)}` +
      itemFields('item', state.form, state.errors, business.currency) +
      `<p><button type="submit" id="save-item" data-testid="save-item">Save</button> <a href="${base}">Cancel</a></p></form>`,
  });
}

/** The catalog: its items, the add form, and each item's edit page and remove button. */
export function catalogPages(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid/catalog', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    catalogPage(req, res, session, await portal.businessFor(req, session));
  });

  router.post('/portal/b/:pnid/catalog', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const itemForm = readForm(itemFormSchema, req.body);
    const { item, problems } = itemInput(itemForm);
    try {
      const index = business.catalog.length;
      const change = (input: Record<string, unknown>) => ({
        ...input,
        catalog: [...(input.catalog as unknown[]), item],
      });
      if (Object.keys(problems).length > 0) portal.refuse(business, change, itemInvalid(index, problems));
      await portal.write(session, business, change, itemInvalid(index, problems));
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      catalogPage(
        req,
        res,
        session,
        business,
        { form: itemForm, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-added`);
  });

  router.get('/portal/b/:pnid/catalog/:itemId/edit', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const item = businessView(business).catalog.find((i) => i.id === req.params.itemId);
    if (!item) throw new PortalError(404, 'No such item.');
    editPage(res, session, business, item.id, {
      form: {
        id: item.id,
        name: item.name,
        price: String(item.price),
        category: item.category ?? '',
        description: item.description ?? '',
        synonyms: (item.synonyms ?? []).join(', '),
        retailerId: item.retailerId ?? '',
        available: item.available,
        ...translationValues(item.translations),
      },
      errors: {},
      general: [],
    });
  });

  router.post('/portal/b/:pnid/catalog/:itemId', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const originalId = String(req.params.itemId);
    const itemForm = readForm(itemFormSchema, req.body);
    const { item, problems } = itemInput(itemForm);
    try {
      const index = business.catalog.findIndex((i) => i.id === originalId);
      if (index < 0) throw new PortalError(404, 'No such item.');
      const change = (input: Record<string, unknown>) => {
        const catalog = [...(input.catalog as Array<{ id: string }>)];
        const at = catalog.findIndex((i) => i.id === originalId);
        if (at < 0) throw new PortalError(404, 'No such item.');
        catalog[at] = item as { id: string };
        return { ...input, catalog };
      };
      if (Object.keys(problems).length > 0) portal.refuse(business, change, itemInvalid(index, problems));
      await portal.write(session, business, change, itemInvalid(index, problems));
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      editPage(
        res,
        session,
        business,
        originalId,
        { form: itemForm, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-saved`);
  });

  // Removal asks first: an item removed by a slip is gone from the menu at once, with its price and names.
  router.get('/portal/b/:pnid/catalog/:itemId/remove', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const item = business.catalog.find((i) => i.id === req.params.itemId);
    if (!item) throw new PortalError(404, 'No such item.');
    const base = `/portal/b/${esc(business.phoneNumberId)}/catalog`;
    sendPage(res, {
      title: `Remove ${item.name}?`,
      nav: nav(session, business),
      body:
        `<p>Customers will no longer see or order <strong>${esc(item.name)}</strong> ` +
        `(${esc(formatMoney(item.priceMinor, business.currency))}). ` +
        `Orders already placed keep it.</p>` +
        `<p class="hint">Only out of stock for now? <a href="${base}/${esc(item.id)}/edit">Mark it unavailable</a> instead: it comes back with one tick.</p>` +
        `<form method="post" action="${base}/${esc(item.id)}/remove" data-testid="remove-form">${csrfField(session)}` +
        `<p class="actions"><button type="submit" data-testid="remove-confirm">Remove ${esc(item.name)}</button> ` +
        `<a href="${base}" data-testid="remove-cancel">Keep it</a></p></form>`,
    });
  });

  router.post('/portal/b/:pnid/catalog/:itemId/remove', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const itemId = String(req.params.itemId);
    await portal.write(
      session,
      business,
      (input) => ({
        ...input,
        catalog: (input.catalog as Array<{ id: string }>).filter((i) => i.id !== itemId),
      }),
      generalProblems,
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-removed`);
  });

  return router;
}
