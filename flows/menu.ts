import type { FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';

/** One row of the main menu (a WhatsApp list row): its id is what a tap sends back. */
export interface MenuRow {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

/**
 * What a concern puts on the main menu: its row, the words that pick it when typed (its number is added),
 * what the help line says it does, and whether picking it again from inside restarts it (privacy's list).
 */
export interface ConcernMenu {
  readonly row: MenuRow;
  readonly words?: readonly string[];
  readonly help?: string;
  readonly reenter?: boolean;
}

/** A menu option as the `picked` guard checks it: a tap on its row or button, or one of its words typed. */
export interface MenuPick {
  readonly id: string;
  readonly words: readonly string[];
}

/** The row that is not a concern: a person. */
const HUMAN_ROW: MenuRow = {
  id: 'menu.human',
  title: 'Talk to a person',
  description: 'A member of the team answers here',
};
const HUMAN_HELP = 'get you to *a person*';

/**
 * A person is option 4, as customers (and the team's own instructions) know it: rows added later come
 * after it, so no number anyone learned changes. With fewer rows before it, it is the last one.
 */
const HUMAN_NUMBER = 4;

const MENU_INTRO = 'What would you like to do? Tap *Options*, or type a number.';

/** What a customer typed, as menu words are written: trimmed, lower case, without a final full stop. */
function typedWord(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '');
}

/** Whether an event picks the option: a tapped row or button with its id, or its number or a word typed. */
export function picks(event: FlowEvent, pick: MenuPick): boolean {
  if (event.type === 'user.list' || event.type === 'user.button') return event.id === pick.id;
  if (event.type === 'user.text') return pick.words.includes(typedWord(event.text));
  return false;
}

/** "a, b, c, or d": the help line's list of what the bot can do. */
function spoken(parts: readonly string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')}, or ${parts.at(-1) ?? ''}`;
}

/** A menu transition: the option's guard, the state it leads to. */
interface Choice {
  readonly guard: { readonly type: 'picked'; readonly params: MenuPick };
  readonly target: string;
  readonly actions: 'understood';
  readonly reenter?: true;
}

/**
 * The main menu built from the concerns that have a row (in the order they are composed) and the row for a
 * person (number {@link HUMAN_NUMBER}): the rows, the numbered text, the typed words, the help line, and the transitions every
 * waiting state shares. Built once, when the root is composed; duplicate ids or words fail then.
 */
export function buildMenu(concerns: ReadonlyArray<{ readonly id: string; readonly menu?: ConcernMenu }>) {
  const entries = concerns.flatMap(({ id, menu }) => (menu ? [{ ...menu, target: `#${id}` }] : []));
  entries.splice(Math.min(HUMAN_NUMBER - 1, entries.length), 0, {
    row: HUMAN_ROW,
    words: [],
    target: '#root.handoff',
  });
  const seen = new Set<string>();
  const once = (what: string, value: string): string => {
    if (seen.has(value)) throw new Error(`menu ${what} "${value}" is used twice`);
    seen.add(value);
    return value;
  };
  const pickOf = new Map<string, MenuPick>();
  const choices: Choice[] = entries.map((entry, index) => {
    const pick: MenuPick = {
      id: once('row', entry.row.id),
      words: [String(index + 1), ...(entry.words ?? [])].map((word) => once('word', word)),
    };
    pickOf.set(pick.id, pick);
    return {
      guard: { type: 'picked', params: pick },
      target: entry.target,
      ...(entry.reenter ? { reenter: true as const } : {}),
      actions: 'understood',
    };
  });
  const rows = entries.map(({ row }) => row);
  const text = [MENU_INTRO, ...rows.map((row, index) => `${index + 1}. ${row.title}`)].join('\n');
  return {
    rows,
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
    /** "I can help you *order*, …, or get you to *a person*." (a person last). */
    help: `I can help you ${spoken([...concerns.flatMap(({ menu }) => (menu?.help ? [menu.help] : [])), HUMAN_HELP])}.`,
    /** The main menu, with the pending notice (greeting, apology, answer) in the same message. */
    list(notice: string | undefined): OutboundMessage {
      return {
        type: 'reply.list',
        text: notice ? `${notice}\n\n${text}` : text,
        button: 'Options',
        sections: [{ title: 'Main menu', rows: rows.map((row) => ({ ...row })) }],
      };
    },
  };
}

/** The composed main menu; a concern's states are given its transitions (they lead to every concern). */
export type Menu = ReturnType<typeof buildMenu>;
