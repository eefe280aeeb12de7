/**
 * Browsing the catalog and picking an item: the messages that show the menu within Meta's limits,
 * and the matching of what a customer types to an item. Pure functions over JSON data, for the
 * ordering machine to call from `emit` and guards.
 */
import type { ListRow, ListSection, OutboundMessage } from '../../src/core/vocabulary.js';
import { categoryRef, ids, parseChoiceId, pickShown } from './ids.js';
import { matchNames } from './match.js';
import type { NameMatch } from './match.js';
import { pageOf, ROWS_PER_LIST } from './paging.js';
import { itemIn, translatedNames } from '../../src/core/catalog.js';
import type { CatalogItem } from '../../src/core/catalog.js';
import { clampText, label, oneLine, truncate, uniqueTitles } from './text.js';
import type { FormatMoney } from './text.js';
import { t } from '../../src/language/i18n.js';
import { DEFAULT_LANGUAGE } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';

/** One catalog item as the flow sees it: the one definition in src/core/catalog.ts. */
export type CatalogItemView = CatalogItem;

/** The business's catalog and currency, copied into the machine's input or context. */
export interface CatalogView {
  items: CatalogItemView[];
  /** ISO 4217 code, passed to `formatMoney`. */
  currency: string;
}

/** Which part of the menu to show: a category (by name, or the `cat:` id's name) and a page from 1. */
export interface BrowseOptions {
  category?: string;
  page?: number;
  /** A line said before the menu in the same message ("Added 2 × Margherita."): one message, not two. */
  notice?: string;
}

/** Meta's limits that shape these messages (see `LIMITS` in `src/whatsapp/messages.ts`). */
const LIMIT = {
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: ROWS_PER_LIST,
  rowTitle: 24,
  rowDescription: 72,
  sectionTitle: 24,
  rowId: 200,
} as const;

/**
 * The section of items that have no category, when others do: "Other", in the conversation's language.
 * (Said instead of a menu when nothing can be ordered: `ordering:browse.empty`, a message the customer
 * can act on, not an error.)
 */
const otherCategory = (language: Language): string => t(language, 'ordering:browse.other.row');

/** The "More…" row and body line, in the conversation's language. */
const moreTitle = (language: Language): string => t(language, 'ordering:browse.more.row');

/** " (page 2 of 3)" after a list's intro when it has pages; nothing when it has one. */
export function pageNote(language: Language, page: number, pages: number): string {
  return pages > 1 ? ` ${t(language, 'ordering:page', { page, pages })}` : '';
}
/** Names in numbered body lines are cut here: long enough to tell items apart, short enough for ten lines. */
const BODY_NAME_MAX = 60;
const BODY_DESCRIPTION_MAX = 100;

/**
 * The items a customer may order, in catalog order: available ones only (the issue: "unavailable
 * items are not offered"), the first of any repeated id (row ids must be unique), and none whose id
 * would make a row id longer than Meta's 200 characters (the business schema allows 64).
 */
export function availableItems(catalog: CatalogView): CatalogItemView[] {
  const seen = new Set<string>();
  return catalog.items.filter((item) => {
    if (!item.available || seen.has(item.id) || ids.item(item.id).length > LIMIT.rowId) return false;
    seen.add(item.id);
    return true;
  });
}

/**
 * The catalog as a customer reading `language` sees it: each item's name, description and category from
 * its translation where the business wrote one (src/core/catalog.ts). For what is shown only: matching
 * reads the business's own catalog (`namesOf` knows every translated name), and cart lines keep the
 * business's names, so its staff and its orders read the names it knows.
 */
export function catalogIn(catalog: CatalogView, language: Language): CatalogView {
  return { ...catalog, items: catalog.items.map((item) => itemIn(item, language)) };
}

/** The available item with this id, as of `catalog`: what a tapped `item:` row resolves to. */
export function findAvailableItem(catalog: CatalogView, itemId: string): CatalogItemView | undefined {
  return availableItems(catalog).find((item) => item.id === itemId);
}

interface Group {
  name: string;
  items: CatalogItemView[];
}

/** Items by category, categories in order of first appearance; uncategorised items under "Other". */
function groupByCategory(items: readonly CatalogItemView[], language: Language): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const name = oneLine(item.category ?? '') || otherCategory(language);
    const key = categoryRef(name);
    const group = groups.get(key) ?? { name, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The category names of the available items as shown in `language`, in menu order ("Other" in `language`). */
export function categories(catalog: CatalogView, language: Language = DEFAULT_LANGUAGE): string[] {
  return groupByCategory(availableItems(catalogIn(catalog, language)), language).map((group) => group.name);
}

/**
 * The menu's categories as shown in `language`, each with every name it is known by: the shown one first,
 * then its items' base category and their translated ones ("Bebidas", "Drinks", "Boissons"…).
 */
function categoryNames(catalog: CatalogView, language: Language): string[][] {
  const names = new Map<string, Set<string>>();
  for (const item of availableItems(catalog)) {
    const shown = oneLine(itemIn(item, language).category ?? '') || otherCategory(language);
    const known = names.get(categoryRef(shown)) ?? new Set([shown]);
    for (const name of [
      item.category,
      ...Object.values(item.translations ?? {}).map((text) => text?.category),
    ])
      if (name) known.add(oneLine(name));
    names.set(categoryRef(shown), known);
  }
  return [...names.values()].map((known) => [...known]);
}

/**
 * The category `text` names, by any of its names in any language the business wrote ("drinks" or
 * "bebidas"), answered with its name as shown in `language`: what `browseMessage` finds it by.
 */
export function matchCategoryName(catalog: CatalogView, text: string, language: Language): NameMatch<string> {
  const match = matchNames(categoryNames(catalog, language), (names) => names, text);
  if (match.kind === 'one') return { kind: 'one', value: match.value[0] ?? '' };
  if (match.kind === 'ambiguous')
    return { ...match, candidates: match.candidates.map((names) => names[0] ?? '') };
  return match;
}

/** One choice in a message: a row of a list, or a button when there are few. */
interface Entry {
  id: string;
  /** The full name; cut to fit the row or button title. */
  name: string;
  description?: string;
  /** The numbered line in the body: `<n>. <bodyLine>`. */
  bodyLine: string;
  /** The list section, when the message groups rows by category. */
  section?: string;
}

function itemEntry(
  item: CatalogItemView,
  currency: string,
  formatMoney: FormatMoney,
  section?: string,
): Entry {
  const price = formatMoney(item.priceMinor, currency);
  const description = item.description === undefined ? '' : oneLine(item.description);
  return {
    id: ids.item(item.id),
    name: item.name,
    description: truncate(description.length > 0 ? `${price} · ${description}` : price, LIMIT.rowDescription),
    bodyLine: `${label(item.name, BODY_NAME_MAX)} — ${price}`,
    ...(section === undefined ? {} : { section }),
  };
}

function itemButtonLine(item: CatalogItemView, currency: string, formatMoney: FormatMoney): string {
  const line = `${label(item.name, BODY_NAME_MAX)} — ${formatMoney(item.priceMinor, currency)}`;
  const description = truncate(item.description ?? '', BODY_DESCRIPTION_MAX);
  return description.length > 0 ? `${line}\n   ${description}` : line;
}

function numbered(lines: readonly string[]): string {
  return lines.map((line, i) => `${i + 1}. ${line}`).join('\n');
}

function withNotice(notice: string | undefined, text: string): string {
  const said = notice === undefined ? '' : notice.trim();
  return clampText(said.length > 0 ? `${said}\n\n${text}` : text, LIMIT.body);
}

function sectionsOf(
  entries: readonly Entry[],
  title: string,
  more: { id: string; title: string } | undefined,
): ListSection[] {
  const sections: ListSection[] = [];
  for (const entry of entries) {
    const sectionTitle = label(entry.section ?? title, LIMIT.sectionTitle);
    const row: ListRow = {
      id: entry.id,
      title: label(entry.name, LIMIT.rowTitle),
      ...(entry.description === undefined || entry.description.length === 0
        ? {}
        : { description: entry.description }),
    };
    const last = sections[sections.length - 1];
    if (last !== undefined && last.title === sectionTitle) last.rows.push(row);
    else sections.push({ title: sectionTitle, rows: [row] });
  }
  const last = sections[sections.length - 1];
  if (more !== undefined && last !== undefined) last.rows.push(more);
  return sections;
}

interface Wording {
  /** The first line of a list message, given its page note; the numbered lines follow. */
  listIntro: (page: string) => string;
  /** The first line of a button message. */
  buttonsIntro: string;
  /** The label of the button that opens the list (at most 20 characters). */
  button: string;
  /** The section title when entries have none. */
  section: string;
}

/**
 * Entries as reply buttons when there are at most three (titles made unique), following the
 * issue: "reply buttons where there are ≤ 3 choices"; else as a list page with paging.
 */
function choose(
  language: Language,
  entries: readonly Entry[],
  buttonLines: readonly string[] | undefined,
  page: number,
  moreId: (next: number) => string,
  wording: Wording,
  notice: string | undefined,
): OutboundMessage {
  if (entries.length <= LIMIT.buttons) {
    const titles = uniqueTitles(
      entries.map((entry) => entry.name),
      LIMIT.buttonTitle,
    );
    return {
      type: 'reply.buttons',
      text: withNotice(
        notice,
        `${wording.buttonsIntro}\n${numbered(buttonLines ?? entries.map((e) => e.bodyLine))}`,
      ),
      buttons: entries.map((entry, i) => ({
        id: entry.id,
        title: titles[i] ?? label(entry.name, LIMIT.buttonTitle),
      })),
    };
  }
  const shown = pageOf(entries, page);
  const more = shown.next === undefined ? undefined : moreId(shown.next);
  const lines = shown.entries.map((entry) => entry.bodyLine);
  if (more !== undefined) lines.push(moreTitle(language));
  const intro = wording.listIntro(pageNote(language, shown.page, shown.pages));
  return {
    type: 'reply.list',
    text: withNotice(notice, `${intro}\n${numbered(lines)}`),
    button: wording.button,
    sections: sectionsOf(
      shown.entries,
      wording.section,
      more === undefined ? undefined : { id: more, title: moreTitle(language) },
    ),
  };
}

function menuWording(language: Language): Wording {
  return {
    listIntro: (page) => t(language, 'ordering:browse.menu.list', { page }),
    buttonsIntro: t(language, 'ordering:browse.menu.buttons'),
    button: t(language, 'ordering:browse.menu.button'),
    section: t(language, 'ordering:browse.menu.row'),
  };
}

function categoryWording(language: Language, name: string): Wording {
  const shortName = label(name, BODY_NAME_MAX);
  return {
    listIntro: (page) => t(language, 'ordering:browse.category.list', { name: shortName, page }),
    buttonsIntro: t(language, 'ordering:browse.category.buttons', { name: shortName }),
    button: t(language, 'ordering:browse.category.button'),
    section: name,
  };
}

function categoriesWording(language: Language): Wording {
  return {
    listIntro: (page) => t(language, 'ordering:browse.categories.list', { page }),
    buttonsIntro: t(language, 'ordering:browse.categories.buttons'),
    button: t(language, 'ordering:browse.categories.button'),
    section: t(language, 'ordering:browse.categories.row'),
  };
}

function itemsMessage(
  language: Language,
  items: readonly CatalogItemView[],
  group: Group | undefined,
  page: number,
  catalog: CatalogView,
  formatMoney: FormatMoney,
  notice: string | undefined,
): OutboundMessage {
  // Sections by category only when there is more than one: a lone "Other" section says nothing.
  const grouped =
    group === undefined && items.length <= LIMIT.rows && groupByCategory(items, language).length > 1;
  const entries = grouped
    ? groupByCategory(items, language).flatMap((g) =>
        g.items.map((item) => itemEntry(item, catalog.currency, formatMoney, g.name)),
      )
    : items.map((item) => itemEntry(item, catalog.currency, formatMoney));
  // Buttons cannot show prices: the body lists them, with descriptions, instead.
  const ordered = grouped ? groupByCategory(items, language).flatMap((g) => g.items) : items;
  const buttonLines = ordered.map((item) => itemButtonLine(item, catalog.currency, formatMoney));
  const wording = group === undefined ? menuWording(language) : categoryWording(language, group.name);
  return choose(language, entries, buttonLines, page, (next) => ids.more(group?.name, next), wording, notice);
}

function categoriesMessage(
  language: Language,
  groups: readonly Group[],
  page: number,
  catalog: CatalogView,
  formatMoney: FormatMoney,
  notice: string | undefined,
): OutboundMessage {
  const entries = groups.map((group): Entry => {
    const count = group.items.length;
    const cheapest = Math.min(...group.items.map((item) => item.priceMinor));
    const price = formatMoney(cheapest, catalog.currency);
    return {
      id: ids.category(group.name),
      name: group.name,
      description: truncate(
        t(language, 'ordering:browse.categoryRow.rowDescription', { count, price }),
        LIMIT.rowDescription,
      ),
      bodyLine: `${label(group.name, BODY_NAME_MAX)} (${count})`,
    };
  });
  return choose(
    language,
    entries,
    undefined,
    page,
    (next) => ids.more(undefined, next),
    categoriesWording(language),
    notice,
  );
}

/**
 * The menu message for a position in the catalog, within Meta's limits:
 * - no available item: a text saying so (`ordering:browse.empty`);
 * - up to 3 items: reply buttons, prices and descriptions in the body;
 * - up to 10: one list, in sections by category;
 * - more: a list of categories with item counts, then a category's items, 9 per page plus "More…";
 *   when all items share one category, its pages directly.
 *
 * The body numbers every row, so a typed number works (`matchItem`, `pickShown`). Row ids are
 * `cat:<name>`, `item:<id>`, `more:<category>:<page>` (`more::<page>` for categories); decode them with
 * `parseChoiceId`. A category that no longer exists shows the top of the menu, saying so; a page past
 * the end shows the last page. Titles are cut to 24 characters and descriptions (price included)
 * to 72, with "…". Every text is in `language`.
 */
export function browseMessage(
  language: Language,
  catalog: CatalogView,
  options: BrowseOptions,
  formatMoney: FormatMoney,
): OutboundMessage {
  catalog = catalogIn(catalog, language);
  const items = availableItems(catalog);
  if (items.length === 0) {
    return { type: 'reply.text', text: withNotice(options.notice, t(language, 'ordering:browse.empty')) };
  }
  const groups = groupByCategory(items, language);
  const page = options.page ?? 1;
  let notice = options.notice;
  if (options.category !== undefined) {
    const wanted = categoryRef(oneLine(options.category));
    const group = groups.find((g) => categoryRef(g.name) === wanted);
    if (group !== undefined) {
      return itemsMessage(
        language,
        group.items,
        groups.length > 1 ? group : undefined,
        page,
        catalog,
        formatMoney,
        notice,
      );
    }
    const gone = t(language, 'ordering:browse.gone');
    notice = notice === undefined ? gone : `${notice}\n${gone}`;
  }
  if (items.length <= LIMIT.rows || groups.length === 1) {
    return itemsMessage(language, items, undefined, page, catalog, formatMoney, notice);
  }
  return categoriesMessage(language, groups, page, catalog, formatMoney, notice);
}

/**
 * The names an item is known by: its own, its translated ones ("Agua sin gas" for Still water; in every
 * language, so a customer who types the English name is understood too), then the synonyms the business
 * gave it ("coke" for Cola).
 */
export function namesOf(item: CatalogItemView): readonly string[] {
  return [item.name, ...translatedNames(item), ...(item.synonyms ?? [])];
}

/** The result of `matchItem`: one item, a few equally good candidates to ask about, or nothing. */
export type ItemMatch =
  | { kind: 'one'; item: CatalogItemView }
  /** Equally good matches: the first three (for `clarifyMessage`), and how many there were in all. */
  | { kind: 'ambiguous'; candidates: CatalogItemView[]; total: number }
  | { kind: 'none' };

/**
 * The available item a customer means by `text`: a number refers to the position in the last
 * message shown (`shown`, from `shownIds`), anything else is matched by name, tolerant of case,
 * accents, typos (1 in names of 4–7 characters, 2 from 8), prefixes ("quat") and extra words
 * ("a margherita please"); the item's synonyms count as names ("coke" finds Cola). Unavailable items are never matched, even by number. A number that
 * points at a category or "More…" row is `none` here: use `pickShown` and `parseChoiceId` for those.
 * Texts over 200 characters are `none` without further work.
 */
export function matchItem(catalog: CatalogView, text: string, shown: readonly string[] = []): ItemMatch {
  const items = availableItems(catalog);
  const picked = pickShown(text, shown);
  if (picked !== undefined) {
    const choice = parseChoiceId(picked);
    const item = choice?.kind === 'item' ? items.find((i) => i.id === choice.itemId) : undefined;
    return item === undefined ? { kind: 'none' } : { kind: 'one', item };
  }
  const match = matchNames(items, namesOf, text);
  return match.kind === 'one' ? { kind: 'one', item: match.value } : match;
}

/** The result of `matchCategory`, with category names. */
export type CategoryMatch =
  | { kind: 'one'; category: string }
  | { kind: 'ambiguous'; candidates: string[]; total: number }
  | { kind: 'none' };

/**
 * The category a customer means by `text` ("drinks", "desert"), with the same tolerance as
 * `matchItem`: for when the categories list is showing and the customer types instead of tapping.
 */
export function matchCategory(
  catalog: CatalogView,
  text: string,
  language: Language = DEFAULT_LANGUAGE,
): CategoryMatch {
  const match = matchCategoryName(catalog, text, language);
  return match.kind === 'one' ? { kind: 'one', category: match.value } : match;
}

/** Optional extras for `clarifyMessage`. */
export interface ClarifyOptions {
  /** With `formatMoney`, shows each candidate's price in the body. */
  currency?: string;
  formatMoney?: FormatMoney;
  /** How many items matched in all (`ItemMatch.total`): when more than shown, asks for more of the name. */
  total?: number;
}

/**
 * "Which one did you mean?" with up to three candidates as buttons (ids `item:<id>`), numbered in
 * the body so a typed number works too. Button titles are cut to 20 characters and made unique.
 * With no candidates, a text asking the customer to try again, rather than an invalid message.
 * Every text is in `language`.
 */
export function clarifyMessage(
  language: Language,
  candidates: readonly CatalogItemView[],
  options: ClarifyOptions = {},
): OutboundMessage {
  const shown = candidates.slice(0, LIMIT.buttons).map((item) => itemIn(item, language));
  if (shown.length === 0) {
    return {
      type: 'reply.text',
      text: t(language, 'ordering:clarify.none'),
    };
  }
  const { currency, formatMoney } = options;
  const lines = shown.map((item) => {
    const name = label(item.name, BODY_NAME_MAX);
    return currency === undefined || formatMoney === undefined
      ? name
      : `${name} — ${formatMoney(item.priceMinor, currency)}`;
  });
  const more =
    options.total !== undefined && options.total > shown.length
      ? `\n\n${t(language, 'ordering:clarify.more', { count: options.total })}`
      : '';
  const titles = uniqueTitles(
    shown.map((item) => item.name),
    LIMIT.buttonTitle,
  );
  return {
    type: 'reply.buttons',
    text: clampText(`${t(language, 'ordering:clarify.question')}\n${numbered(lines)}${more}`, LIMIT.body),
    buttons: shown.map((item, i) => ({
      id: ids.item(item.id),
      title: titles[i] ?? label(item.name, LIMIT.buttonTitle),
    })),
  };
}
