import type { FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';

/** The main menu's rows: each leads to a concern (or to a person). */
const MENU_ROWS = [
  { id: 'menu.order', title: 'Order', description: 'Browse the menu and order' },
  { id: 'menu.track', title: 'Track my order', description: 'See the status of your orders' },
  { id: 'menu.privacy', title: 'My data & privacy', description: 'See, correct or delete your data' },
  { id: 'menu.human', title: 'Talk to a person', description: 'A member of the team answers here' },
] as const;

export type MenuChoice = (typeof MENU_ROWS)[number]['id'];

const MENU_TEXT =
  'What would you like to do? Tap *Options*, or type a number.\n1. Order\n2. Track my order\n3. My data & privacy\n4. Talk to a person';

/** The main menu, with the pending notice (greeting, apology, answer) in the same message. */
export function menuList(notice: string | undefined): OutboundMessage {
  return {
    type: 'reply.list',
    text: notice ? `${notice}\n\n${MENU_TEXT}` : MENU_TEXT,
    button: 'Options',
    sections: [{ title: 'Main menu', rows: MENU_ROWS.map((row) => ({ ...row })) }],
  };
}

const TYPED_CHOICES: Record<string, MenuChoice> = {
  '1': 'menu.order',
  order: 'menu.order',
  '2': 'menu.track',
  track: 'menu.track',
  '3': 'menu.privacy',
  privacy: 'menu.privacy',
  '4': 'menu.human',
};

/** The menu option an event picks: a tapped row or button, or a typed number or keyword. */
export function menuChoice(event: FlowEvent): MenuChoice | undefined {
  if (event.type === 'user.list' || event.type === 'user.button') {
    return MENU_ROWS.find((row) => row.id === event.id)?.id;
  }
  if (event.type === 'user.text') {
    const typed = event.text
      .trim()
      .toLowerCase()
      .replace(/[.!?]+$/, '');
    return TYPED_CHOICES[typed];
  }
  return undefined;
}

/** Menu choices as transitions, shared by the states (of any concern) that accept them. */
export const choices = [
  { guard: { type: 'picked', params: 'menu.order' }, target: '#ordering', actions: 'understood' },
  { guard: { type: 'picked', params: 'menu.track' }, target: '#tracking', actions: 'understood' },
  // Re-entered when picked again from the privacy menu itself, so the list is shown again.
  {
    guard: { type: 'picked', params: 'menu.privacy' },
    target: '#privacy',
    reenter: true,
    actions: 'understood',
  },
  { guard: { type: 'picked', params: 'menu.human' }, target: '#root.handoff', actions: 'understood' },
] as const;

/**
 * A state that showed its answer and waits: a menu choice is taken, typed text it cannot place is
 * given to the AI step (then "not understood"), anything else shows the menu.
 */
export const resting = {
  'user.text': [...choices, { target: '#ai.interpreting' }],
  'user.list': [...choices, { target: '#root.menu' }],
  'user.button': [...choices, { target: '#root.menu' }],
  'user.location': { target: '#root.menu' },
  'user.media': { target: '#root.menu' },
  'user.unsupported': { target: '#root.menu' },
} as const;
