import { assign, emit, setup } from 'xstate';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../src/conversation/types.js';

/** Bump whenever states or context change shape: stored conversations of another version restart cleanly. */
export const rootVersion = 1;
export const rootFlowId = 'root';

export interface RootInput {
  businessName: string;
  /** How long a handoff to a person lasts before the bot takes the conversation back. */
  handoffMinutes: number;
  /** Set when a stored conversation of an older flow version was discarded. */
  restarted?: boolean;
}

export interface RootContext {
  businessName: string;
  handoffMinutes: number;
  /** Consecutive messages the bot did not understand: the reply changes instead of repeating itself. */
  misunderstood: number;
  /** ISO time at which the runner's sweeper sends `system.timeout`; none when nothing is pending. */
  deadline?: string;
  /** A line said together with the next menu (greeting, apology, answer): one message, not two. */
  notice?: string;
}

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
function menuList(notice: string | undefined): OutboundMessage {
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

const text = (body: string): OutboundMessage => ({ type: 'reply.text', text: body });

const HELP =
  'I can help you *order*, *track* an order, see or delete *your data*, or get you to *a person*.\n' +
  'At any time you can type *menu* to see the options, *cancel* to stop what you are doing, or *human* to talk to a person.';

/** Menu choices as transitions, shared by the states that accept them. */
const choices = [
  { guard: { type: 'picked', params: 'menu.order' }, target: 'ordering', actions: 'understood' },
  { guard: { type: 'picked', params: 'menu.track' }, target: 'tracking', actions: 'understood' },
  { guard: { type: 'picked', params: 'menu.privacy' }, target: 'privacy', actions: 'understood' },
  { guard: { type: 'picked', params: 'menu.human' }, target: 'handoff', actions: 'understood' },
] as const;

/**
 * The root conversation: greeting, main menu, help, handoff to a person, and a graceful answer for
 * anything it does not understand. Ordering, tracking and privacy plug in here (later flows).
 */
export const rootFlow = setup({
  types: {
    input: {} as RootInput,
    context: {} as RootContext,
    events: {} as FlowEvent,
    emitted: {} as FlowEmitted,
    tags: {} as 'awaiting-input',
  },
  actions: {
    greet: assign({
      notice: ({ context }) => `Hi! Welcome to *${context.businessName}*. I'm the automated assistant.`,
    }),
    say: assign((_, notice: string) => ({ notice })),
    showMenu: emit(({ context }) => menuList(context.notice)),
    clearNotice: assign({ notice: undefined }),
    notUnderstood: assign({ misunderstood: ({ context }) => context.misunderstood + 1 }),
    understood: assign({ misunderstood: 0 }),
    startHandoffClock: assign({
      deadline: ({ context }) => new Date(Date.now() + context.handoffMinutes * 60_000).toISOString(),
    }),
    clearDeadline: assign({ deadline: undefined }),
    hintButtons: emit(() => text('Please tap one of the buttons above, or type *human* to reach a person.')),
  },
  guards: {
    picked: ({ event }, choice: MenuChoice) => menuChoice(event) === choice,
    firstMisunderstanding: ({ context }) => context.misunderstood === 0,
    fewMisunderstandings: ({ context }) => context.misunderstood < 3,
    tappedShowOptions: ({ event }) => event.type === 'user.button' && event.id === 'stuck.menu',
  },
}).createMachine({
  id: rootFlowId,
  context: ({ input }) => ({
    businessName: input.businessName,
    handoffMinutes: input.handoffMinutes,
    misunderstood: 0,
  }),
  initial: 'start',
  states: {
    /** A new conversation: the first message gets the greeting with the menu, or what it asked for. */
    start: {
      tags: 'awaiting-input',
      on: {
        // Nothing to time out or resume in a conversation that has not started.
        'system.timeout': {},
        'system.resume': {},
        'command.human': { target: 'handoff' },
        'command.help': { target: 'help' },
        'user.unsupported': {
          target: 'menu',
          actions: [
            'greet',
            assign({
              notice: ({ context }) =>
                `${context.notice ?? ''}\nSorry, I can't read that kind of message. Please type, or tap an option.`,
            }),
          ],
        },
        // A first message that already picks an option ("1", a tap on an old menu) gets that option.
        '*': [...choices, { target: 'menu', actions: 'greet' }],
      },
    },
    menu: {
      tags: 'awaiting-input',
      entry: ['showMenu', 'clearNotice'],
      on: {
        'user.text': [...choices, { target: 'confused' }],
        'user.list': [...choices, { target: 'confused' }],
        'user.button': [
          ...choices,
          // "Show options" from an earlier "still not sure" message: just the menu again.
          { guard: 'tappedShowOptions', target: 'menu', reenter: true, actions: 'understood' },
          { target: 'confused' },
        ],
        'user.location': { target: 'confused' },
        'user.media': { target: 'confused' },
        'user.unsupported': {
          target: 'menu',
          reenter: true,
          actions: {
            type: 'say',
            params: "Sorry, I can't read that kind of message. Please type your answer or tap an option.",
          },
        },
        'command.cancel': {
          target: 'menu',
          reenter: true,
          actions: ['understood', { type: 'say', params: 'Nothing to cancel right now.' }],
        },
      },
    },
    /** Something the menu did not understand: said differently each time, never the same error in a loop. */
    confused: {
      always: [
        {
          guard: 'firstMisunderstanding',
          target: 'menu',
          actions: ['notUnderstood', { type: 'say', params: "Sorry, I didn't understand that." }],
        },
        { target: 'stuck', actions: 'notUnderstood' },
      ],
    },
    /** Two misunderstandings in a row: offer a person instead of the full menu again. */
    stuck: {
      tags: 'awaiting-input',
      entry: emit(() => ({
        type: 'reply.buttons',
        text: "I'm still not sure what you need. Would you like to see the options again, or talk to a person?",
        buttons: [
          { id: 'stuck.menu', title: 'Show options' },
          { id: 'menu.human', title: 'Talk to a person' },
        ],
      })),
      on: {
        'user.button': [
          { guard: { type: 'picked', params: 'menu.human' }, target: 'handoff', actions: 'understood' },
          { target: 'menu', actions: 'understood' },
        ],
        'user.text': [
          ...choices,
          // Still not understood: one short hint, then quiet rather than the same error in a loop.
          { guard: 'fewMisunderstandings', actions: ['notUnderstood', 'hintButtons'] },
          { actions: 'notUnderstood' },
        ],
        // Photos, locations and unreadable messages are not an answer either: the same hint, then quiet.
        'user.location': [
          { guard: 'fewMisunderstandings', actions: ['notUnderstood', 'hintButtons'] },
          { actions: 'notUnderstood' },
        ],
        'user.media': [
          { guard: 'fewMisunderstandings', actions: ['notUnderstood', 'hintButtons'] },
          { actions: 'notUnderstood' },
        ],
        'user.unsupported': [
          { guard: 'fewMisunderstandings', actions: ['notUnderstood', 'hintButtons'] },
          { actions: 'notUnderstood' },
        ],
        'user.list': [...choices, { target: 'menu', actions: 'understood' }],
        'command.cancel': { target: 'menu', actions: 'understood' },
      },
    },
    help: {
      always: { target: 'menu', actions: { type: 'say', params: HELP } },
    },
    ordering: {
      always: {
        target: 'menu',
        actions: {
          type: 'say',
          params:
            'Ordering in chat is coming soon. Meanwhile, a person can take your order: choose *Talk to a person*.',
        },
      },
    },
    tracking: {
      always: { target: 'menu', actions: { type: 'say', params: 'Order tracking in chat is coming soon.' } },
    },
    privacy: {
      always: {
        target: 'menu',
        actions: {
          type: 'say',
          params: 'Seeing, correcting and deleting your data in this chat is coming soon.',
        },
      },
    },
    /** A person takes over: the bot tells the customer, notifies the staff, then stays silent. */
    handoff: {
      tags: 'awaiting-input',
      entry: [
        'understood',
        'startHandoffClock',
        emit(({ context }) =>
          text(
            `OK, a person from *${context.businessName}* will answer you here as soon as possible. ` +
              'The assistant stays quiet until then (type *cancel* to come back to it).',
          ),
        ),
        emit(() => ({
          type: 'notify.staff' as const,
          text: 'A customer asked to talk to a person. Reply to them in WhatsApp, then hand the chat back to the bot.',
        })),
      ],
      exit: 'clearDeadline',
      on: {
        // While a person handles the chat the assistant says nothing; only *cancel* brings it back early.
        'command.menu': {},
        'command.help': {},
        'command.human': {},
        'command.cancel': {
          target: 'menu',
          actions: { type: 'say', params: "OK, you're back with the automated assistant." },
        },
        'system.resume': {
          target: 'menu',
          actions: { type: 'say', params: "You're back with the automated assistant." },
        },
        'system.timeout': {
          target: 'menu',
          actions: {
            type: 'say',
            params:
              "Sorry, nobody from the team could answer in time. You're back with the automated assistant.",
          },
        },
      },
    },
  },
  on: {
    'command.menu': { target: '.menu', actions: 'understood' },
    'command.help': { target: '.help', actions: 'understood' },
    'command.human': { target: '.handoff' },
    'command.cancel': { target: '.menu', actions: ['understood', { type: 'say', params: 'Cancelled.' }] },
  },
});
