import { catalogue } from '../src/language/catalogue/index.js';
import { t } from '../src/language/i18n.js';
import type { MessageKey } from '../src/language/i18n.js';
import { explicitLanguage } from '../src/language/choose.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../src/language/languages.js';
import type { Language } from '../src/language/languages.js';
import type { FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';
import { detectMenuQuestion } from '../src/language/intents.js';
import type { MenuQuestion } from '../src/language/intents.js';
import type { Offering } from '../src/core/booking.js';

/** What a business offers when it says nothing: ordering, as every business before appointments. */
export const DEFAULT_OFFERS: readonly Offering[] = ['ordering'];

/**
 * A text a concern gives the menu: a catalogue key (`ordering:menu.row`), said in the conversation's
 * language, or a literal, said as is in every language (kept so that a concern can be written before its
 * texts are in the catalogue). A string that names a namespace but no key of it is refused when the menu is
 * built, rather than shown to customers as `ordering:menu.rwo`.
 */
export type MenuText = MessageKey | (string & Record<never, never>);

/** One row of the main menu (a WhatsApp list row): its id is what a tap sends back. */
export interface MenuRow {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

/** A concern's row as it declares it: the title and description as catalogue keys (or literals). */
export interface ConcernMenuRow {
  readonly id: string;
  readonly title: MenuText;
  readonly description: MenuText;
}

/**
 * What a concern puts on the main menu: its row, the words that pick it when typed (its number is added),
 * what the help line says it does (one part of "I can help you …", a catalogue key or a literal), and
 * whether picking it again from inside restarts it (privacy's list).
 */
export interface ConcernMenu {
  readonly row: ConcernMenuRow;
  readonly words?: readonly string[];
  /** The question in so many words that picks it too ("where is my order?": `track`). */
  readonly asks?: MenuQuestion;
  readonly help?: MenuText;
  readonly reenter?: boolean;
  /** Shown (and picked) only where the business offers this (ordering, appointments); absent: always. */
  readonly offer?: Offering;
  /**
   * The main row of what the business offers (*Order*, *Book an appointment*): shown before the other rows,
   * in the concerns' order, so a business offering only appointments has booking first.
   */
  readonly lead?: boolean;
}

/** Whether a menu text is a catalogue key; throws for one that names a namespace but no key of it. */
function isKey(text: string): text is MessageKey {
  const colon = text.indexOf(':');
  if (colon < 1) return false;
  const ns = text.slice(0, colon);
  if (!Object.hasOwn(catalogue, ns)) return false;
  const english = (catalogue as Record<string, Record<Language, Record<string, string>>>)[ns]?.en ?? {};
  if (!Object.hasOwn(english, text.slice(colon + 1)))
    throw new Error(`menu text "${text}" is not in the catalogue`);
  return true;
}

/** A menu text in the given language. */
function inLanguage(text: MenuText, language: Language): string {
  return isKey(text) ? t(language, text) : text;
}

/** A menu option as the `picked` guard checks it: a tap on its row or button, or one of its words typed. */
export interface MenuPick {
  readonly id: string;
  readonly words: readonly string[];
  /** Its number typed, per set of offers (the key of {@link offersKey}): hidden rows are not numbered. */
  readonly numbers?: Readonly<Record<string, string>>;
  /** Picked only where the business offers this. */
  readonly offer?: Offering;
  /** A question typed in full that picks it ("¿dónde está mi pedido?", "can I see the menu?"). */
  readonly asks?: MenuQuestion;
}

/** The row that is not a concern: a person. */
const HUMAN_ROW: ConcernMenuRow = {
  id: 'menu.human',
  title: 'root:menu.human.row',
  description: 'root:menu.human.rowDescription',
};
const HUMAN_HELP: MenuText = 'root:menu.human.help';

/** The row for the language the bot writes in: the shell's own too, always the last one. */
const LANGUAGE_ROW: ConcernMenuRow = {
  id: 'menu.language',
  title: 'root:menu.language.row',
  description: 'root:menu.language.rowDescription',
};

/** What opens the list of languages when typed, in each of them (its title in every language does too). */
const LANGUAGE_WORDS = [
  'language',
  'languages',
  'idioma',
  'idiomas',
  'lingua',
  'língua',
  'langue',
  'langues',
  'sprache',
  'sprachen',
];

/** The id of a language's row in the list of languages (`language.es`): what a tap on it sends back. */
const LANGUAGE_ROW_ID = 'language.';

/**
 * The language an event names: a tap on a row of the list of languages (also on one shown earlier), or the
 * whole message asking for a language by name ("en español", "Deutsch bitte", "English").
 */
export function languageNamed(event: FlowEvent): Language | undefined {
  if (event.type === 'user.list' || event.type === 'user.button') {
    const code = event.id.startsWith(LANGUAGE_ROW_ID) ? event.id.slice(LANGUAGE_ROW_ID.length) : '';
    return isLanguage(code) ? code : undefined;
  }
  return event.type === 'user.text' ? explicitLanguage(event.text) : undefined;
}

/** The language picked at the list of languages: as {@link languageNamed}, or its number there typed. */
export function languagePicked(event: FlowEvent): Language | undefined {
  const named = languageNamed(event);
  if (named || event.type !== 'user.text') return named;
  const number = /^#?([1-9])$/.exec(typedWord(event.text))?.[1];
  return number ? LANGUAGES[Number(number) - 1] : undefined;
}

/**
 * A person is option 4, as customers (and the team's own instructions) know it: rows added later come
 * after it, so no number anyone learned changes. With fewer rows before it, it is the last one.
 */
const HUMAN_NUMBER = 4;

/** What a customer typed, as menu words are written: trimmed, lower case, without a final full stop. */
function typedWord(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '');
}

/** The offers as one key ("appointments,ordering"): the menu is numbered once per set. */
export function offersKey(offers: readonly Offering[] | undefined): string {
  return [...new Set(offers && offers.length > 0 ? offers : DEFAULT_OFFERS)].sort().join(',');
}

/** Every set of offers a business can have, as keys. */
const OFFER_SETS = ['ordering', 'appointments', 'appointments,ordering'];

/**
 * Whether an event picks the option: a tapped row or button with its id, or its number or a word typed; an
 * option the business does not offer (`offers`, default ordering only) is never picked.
 */
export function picks(event: FlowEvent, pick: MenuPick, offers?: readonly Offering[]): boolean {
  if (pick.offer && !(offers && offers.length > 0 ? offers : DEFAULT_OFFERS).includes(pick.offer))
    return false;
  if (event.type === 'user.list' || event.type === 'user.button') return event.id === pick.id;
  if (event.type === 'user.text')
    return (
      pick.words.includes(typedWord(event.text)) ||
      (pick.numbers !== undefined && pick.numbers[offersKey(offers)] === typedWord(event.text)) ||
      (pick.asks !== undefined && detectMenuQuestion(event.text) === pick.asks)
    );
  return false;
}

/** "a, b, c, or d" in the language's own way (Spanish "a, b, c o d"): the help line's list. */
function spoken(parts: readonly string[], language: Language): string {
  return new Intl.ListFormat(language, { type: 'disjunction' }).format(parts);
}

/** A menu transition: the option's guard, the state it leads to. */
interface Choice {
  readonly guard: { readonly type: 'picked'; readonly params: MenuPick };
  readonly target: string;
  readonly actions: 'understood';
  readonly reenter?: true;
}

/**
 * The main menu built from the concerns that have a row (in the order they are composed), the row for a
 * person (number {@link HUMAN_NUMBER}) and the row for the language, last: the rows, the numbered text, the typed words, the help line, and the transitions every
 * waiting state shares. Built once, when the root is composed; duplicate ids or words fail then.
 */
export function buildMenu(concerns: ReadonlyArray<{ readonly id: string; readonly menu?: ConcernMenu }>) {
  type Entry = ConcernMenu & { readonly target: string };
  const own: Entry[] = concerns.flatMap(({ id, menu }) => (menu ? [{ ...menu, target: `#${id}` }] : []));
  const human: Entry = { row: HUMAN_ROW, words: [], target: '#root.handoff' };
  // Last, after every concern: no number anyone learned changes.
  const language: Entry = {
    row: LANGUAGE_ROW,
    words: LANGUAGE_WORDS,
    target: '#root.language',
    reenter: true,
  };
  /** The rows shown for a set of offers, in order: a person at {@link HUMAN_NUMBER}, the language last. */
  const visible = (key: string) => {
    const offered = own.filter((entry) => !entry.offer || key.split(',').includes(entry.offer));
    const shown = [...offered.filter((entry) => entry.lead), ...offered.filter((entry) => !entry.lead)];
    shown.splice(Math.min(HUMAN_NUMBER - 1, shown.length), 0, human);
    return [...shown, language];
  };
  const entries = [...own.slice(0, HUMAN_NUMBER - 1), human, ...own.slice(HUMAN_NUMBER - 1), language];
  const seen = new Set<string>();
  const once = (what: string, value: string): string => {
    if (seen.has(value)) throw new Error(`menu ${what} "${value}" is used twice`);
    seen.add(value);
    return value;
  };
  const numbersOf = (id: string) =>
    Object.fromEntries(
      OFFER_SETS.flatMap((key) => {
        const index = visible(key).findIndex((entry) => entry.row.id === id);
        return index < 0 ? [] : [[key, String(index + 1)]];
      }),
    );
  // A number is a word too: none may be taken by a row's title or words (in any set of offers).
  const numbers = new Set(entries.map((_, index) => String(index + 1)));
  const pickOf = new Map<string, MenuPick>();
  const choices: Choice[] = entries.map((entry) => {
    const { offer } = entry;
    const pick: MenuPick = {
      id: once('row', entry.row.id),
      // Its words, and its title as shown in every language ("seguir mi pedido" typed picks it).
      words: [
        ...new Set([
          ...(entry.words ?? []),
          ...LANGUAGES.map((language) => typedWord(inLanguage(entry.row.title, language))),
        ]),
      ].map((word) => {
        if (numbers.has(word)) throw new Error(`menu word "${word}" is a number`);
        return once('word', word);
      }),
      numbers: numbersOf(entry.row.id),
      ...(entry.asks ? { asks: entry.asks } : {}),
      ...(offer ? { offer } : {}),
    };
    pickOf.set(pick.id, pick);
    return {
      guard: { type: 'picked', params: pick },
      target: entry.target,
      ...(entry.reenter ? { reenter: true as const } : {}),
      actions: 'understood',
    };
  });
  // Every text checked now, when the root is composed: a key missing from the catalogue fails here.
  const helps = [
    ...[...own.filter((entry) => entry.lead), ...own.filter((entry) => !entry.lead)].flatMap(
      ({ help, offer }) => (help ? [{ help, offer }] : []),
    ),
    { help: HUMAN_HELP, offer: undefined },
  ];
  for (const text of [
    ...entries.flatMap(({ row }) => [row.title, row.description]),
    ...helps.map(({ help }) => help),
  ])
    isKey(text);
  // The rows and the numbered text in each language and set of offers, worked out once (shown at every turn).
  const said = new Map<string, { rows: MenuRow[]; text: string }>();
  const inThe = (language: Language, offers?: readonly Offering[]) => {
    const key = offersKey(offers);
    let menu = said.get(`${language} ${key}`);
    if (!menu) {
      const rows = visible(key).map(({ row }) => ({
        id: row.id,
        title: inLanguage(row.title, language),
        description: inLanguage(row.description, language),
      }));
      const text = [
        t(language, 'root:menu.intro'),
        ...rows.map((row, index) => `${index + 1}. ${row.title}`),
      ].join('\n');
      menu = { rows, text };
      said.set(`${language} ${key}`, menu);
    }
    return menu;
  };
  return {
    /** Every row in English (their ids are what taps send back; `list` says them in the conversation's language). */
    rows: entries.map(({ row }) => ({
      id: row.id,
      title: inLanguage(row.title, DEFAULT_LANGUAGE),
      description: inLanguage(row.description, DEFAULT_LANGUAGE),
    })),
    /** The menu transitions, for the states (of any concern) that accept a menu choice. */
    choices,
    /**
     * A state that showed its answer and waits: a menu choice is taken, typed text it cannot place is
     * given to the AI step (then "not understood"), anything else shows the menu.
     */
    resting: {
      'user.text': [...choices, { target: '#ai.interpreting' }],
      'user.list': [...choices, { target: '#root.menu' }],
      'user.button': [...choices, { target: '#root.menu' }],
      'user.location': { target: '#root.menu' },
      'user.media': { target: '#root.menu' },
      'user.unsupported': { target: '#root.menu' },
    },
    /** The option for a person (the "still not sure" message offers it as a button). */
    human: pickOf.get(HUMAN_ROW.id) ?? { id: HUMAN_ROW.id, words: [] },
    /** "I can help you *order*, …, or get you to *a person*." (a person last), for what the business offers. */
    help: (language: Language = DEFAULT_LANGUAGE, offers?: readonly Offering[]): string =>
      t(language, 'root:help.intro', {
        options: spoken(
          helps
            .filter(({ offer }) => !offer || offersKey(offers).split(',').includes(offer))
            .map(({ help }) => inLanguage(help, language)),
          language,
        ),
      }),
    /**
     * The list of languages, each in its own name (English, Español, Português…) whatever the conversation's
     * language, numbered as typed answers pick them; the question in the conversation's language.
     */
    languages(notice: string | undefined, language: Language = DEFAULT_LANGUAGE): OutboundMessage {
      const text = [
        t(language, 'root:language.prompt'),
        ...LANGUAGES.map((code, index) => `${index + 1}. ${LANGUAGE_NAMES[code]}`),
      ].join('\n');
      return {
        type: 'reply.list',
        text: notice ? `${notice}\n\n${text}` : text,
        button: t(language, 'root:language.button'),
        sections: [
          {
            rows: LANGUAGES.map((code) => ({ id: `${LANGUAGE_ROW_ID}${code}`, title: LANGUAGE_NAMES[code] })),
          },
        ],
      };
    },
    /** The main menu in the given language (the rows the business offers), with the pending notice (greeting, apology, answer) in the same message. */
    list(
      notice: string | undefined,
      language: Language = DEFAULT_LANGUAGE,
      offers?: readonly Offering[],
    ): OutboundMessage {
      const { rows, text } = inThe(language, offers);
      return {
        type: 'reply.list',
        text: notice ? `${notice}\n\n${text}` : text,
        button: t(language, 'root:menu.button'),
        sections: [{ title: t(language, 'root:menu.section'), rows: rows.map((row) => ({ ...row })) }],
      };
    },
  };
}

/** The composed main menu; a concern's states are given its transitions (they lead to every concern). */
export type Menu = ReturnType<typeof buildMenu>;
