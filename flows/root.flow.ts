import { MINUTE_MS } from '../src/core/time.js';
import { assertApart, composeConcerns } from './compose.js';
import type { Concerns } from './concerns.js';
import { concerns } from './registry.js';
import { after, base } from './setup.js';
import type { GuardArgs, RootContext, RootInput } from './setup.js';

export type { RootContext, RootInput } from './setup.js';
export type { DeliveryAddress, OrderingCatalog, OrderDraft, PlaceOrderRequest } from './ordering.flow.js';
export type { TrackedOrders } from './tracking.flow.js';
export type {
  AccessAnswer,
  CorrectionDraft,
  CorrectionRequest,
  ErasureDecision,
  ErasureOffer,
  OpenOrderOutcome,
  ProfileView,
} from './privacy.flow.js';
export { openOrdersText } from './privacy.flow.js';
export type { ProposedLine, TextInterpretation } from './ai.flow.js';

/**
 * Bump whenever the shell's states or context change shape: every stored conversation restarts. A change
 * inside one concern bumps that concern's version instead (see `rootConcerns`).
 */
export const rootVersion = 5;
export const rootFlowId = 'root';

/** The shell's own top-level states: no concern may take one of these names. */
const SHELL_STATES = ['start', 'menu', 'confused', 'stuck', 'help', 'idle', 'handoff', 'erased'];

const composed = composeConcerns(concerns);
const menu = composed.menu;

/** The shell's setup: the shared one, with every concern's actors (the root invokes them all). */
const shell = base(composed.actors);

/** The shell's own actions and guards: greeting, menu, misunderstandings, handoff. */
const rootImpl = {
  actions: {
    greet: shell.assign({
      notice: ({ context }) => `Hi! Welcome to *${context.businessName}*. I'm the automated assistant.`,
    }),
    greetUnreadable: shell.assign({
      notice: ({ context }) =>
        `${context.notice ?? ''}\nSorry, I can't read that kind of message. Please type, or tap an option.`,
    }),
    showMenu: shell.emit(({ context }) => menu.list(context.notice)),
    notUnderstood: shell.assign({ misunderstood: ({ context }) => context.misunderstood + 1 }),
    startHandoffClock: shell.assign({
      deadline: ({ context }) => after(context.now, context.handoffMinutes * MINUTE_MS),
    }),
    clearDeadline: shell.assign({ deadline: undefined }),
    showStuck: shell.emit(() => ({
      type: 'reply.buttons',
      text: "I'm still not sure what you need. Would you like to see the options again, or talk to a person?",
      buttons: [
        { id: 'stuck.menu', title: 'Show options' },
        { id: menu.human.id, title: 'Talk to a person' },
      ],
    })),
    announceHandoff: shell.enqueueActions(({ context, enqueue }) => {
      enqueue.emit({
        type: 'reply.text',
        text:
          `OK, a person from *${context.businessName}* will answer you here as soon as possible. ` +
          'The assistant stays quiet until then (type *cancel* to come back to it).',
      });
      enqueue.emit({
        type: 'notify.staff',
        text: 'A customer asked to talk to a person. Reply to them in WhatsApp, then hand the chat back to the bot.',
        handoff: true,
      });
    }),
  },
  guards: {
    firstMisunderstanding: ({ context }: GuardArgs) => context.misunderstood === 0,
    fewMisunderstandings: ({ context }: GuardArgs) => context.misunderstood < 3,
    tappedShowOptions: ({ event }: GuardArgs) => event.type === 'user.button' && event.id === 'stuck.menu',
    /** A privacy request is left to the root's handlers, so it is answered rather than greeted. */
    notPrivacyRequest: ({ event }: GuardArgs) => !event.type.startsWith('privacy.'),
  },
};

assertApart(concerns, { ...rootImpl, states: SHELL_STATES });

/**
 * The concerns composed here (flows/registry.ts), by name: the name is also the key of the concern's context
 * slice and of its top-level state. The runner stores these versions with the snapshot; a concern whose
 * version changed is reset alone (flows/concerns.ts).
 */
export const rootConcerns: Concerns = composed.versions;

/** Every concern's effects, in one contract: src/conversation/effects/ supplies each concern's part. */
export const rootActors = composed.actors;

/** The main menu, built from the concerns' rows (flows/menu.ts). */
export const rootMenu = menu;

const HELP =
  `${menu.help}\n` +
  'At any time you can type *menu* to see the options, *cancel* to stop what you are doing, or *human* to talk to a person.';

const choices = menu.choices;

/** The concerns' slices of the context (each concern declares its own on `RootContext`). */
type ConcernSlices = Omit<RootContext, keyof RootInput | 'misunderstood' | 'deadline' | 'notice'>;

/** Not an answer while stuck: one short hint (up to the third time), then quiet rather than a loop. */
const stuckHint = [
  {
    guard: 'fewMisunderstandings',
    actions: [
      'notUnderstood',
      { type: 'reply', params: 'Please tap one of the buttons above, or type *human* to reach a person.' },
    ],
  },
  { actions: 'notUnderstood' },
] as const;

/**
 * The root conversation: greeting, main menu, help, handoff to a person, and a graceful answer for
 * anything it does not understand. Ordering, tracking, privacy, AI… are concerns of their own
 * (flows/<concern>.flow.ts), listed in flows/registry.ts and composed here: their actions and guards by
 * `extend`, their states as nodes, their slices in the context, the events they answer from anywhere.
 */
export const rootFlow = shell
  .extend(rootImpl)
  .extend(composed.impl)
  .createMachine({
    id: rootFlowId,
    context: ({ input }): RootContext => ({
      businessName: input.businessName,
      handoffMinutes: input.handoffMinutes,
      abandonedCartHours: input.abandonedCartHours,
      now: input.now,
      language: input.language,
      misunderstood: 0,
      ...(composed.slices() as ConcernSlices),
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
          'user.unsupported': { target: 'menu', actions: ['greet', 'greetUnreadable'] },
          // A first question or order in words: the greeting, then what an AI makes of it (or the menu).
          'user.text': [...choices, { target: '#ai.interpreting', actions: 'greet' }],
          // A first message that already picks an option ("1", a tap on an old menu) gets that option; a
          // privacy request is left to the root's handlers, so it is answered rather than greeted.
          '*': [...choices, { guard: 'notPrivacyRequest', target: 'menu', actions: 'greet' }],
        },
      },
      menu: {
        tags: 'awaiting-input',
        entry: ['showMenu', 'clearNotice'],
        on: {
          // Typed text the menu does not take: an AI may answer it or read an order from it (if the
          // business enabled AI); otherwise it is "not understood".
          'user.text': [...choices, { target: '#ai.interpreting' }],
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
        entry: 'showStuck',
        on: {
          'user.button': [
            { guard: { type: 'picked', params: menu.human }, target: 'handoff', actions: 'understood' },
            { target: 'menu', actions: 'understood' },
          ],
          'user.text': [...choices, ...stuckHint],
          // Photos, locations and unreadable messages are not an answer either: the same hint, then quiet.
          'user.location': stuckHint,
          'user.media': stuckHint,
          'user.unsupported': stuckHint,
          'user.list': [...choices, { target: 'menu', actions: 'understood' }],
          'command.cancel': { target: 'menu', actions: 'understood' },
        },
      },
      help: {
        always: { target: 'menu', actions: { type: 'say', params: HELP } },
      },
      /** After an answer that needs no menu below it (the data summary, an opt-out): the next message decides. */
      idle: {
        tags: 'awaiting-input',
        on: {
          'user.text': [...choices, { target: '#ai.interpreting' }],
          'user.list': [...choices, { target: 'menu' }],
          'user.button': [...choices, { target: 'menu' }],
          'user.location': { target: 'menu' },
          'user.media': { target: 'menu' },
          'user.unsupported': { target: 'menu' },
        },
      },
      /** A person takes over: the bot tells the customer, notifies the staff, then stays silent. */
      handoff: {
        tags: 'awaiting-input',
        entry: ['understood', 'startHandoffClock', 'announceHandoff'],
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
      /** The erasure job runs after this step (src/privacy/) and deletes this conversation with the rest. */
      erased: { type: 'final' },
      ...composed.states(menu),
    },
    on: {
      'command.menu': { target: '.menu', actions: 'understood' },
      'command.help': { target: '.help', actions: 'understood' },
      'command.human': { target: '.handoff' },
      'command.cancel': { target: '.menu', actions: ['understood', { type: 'say', params: 'Cancelled.' }] },
      ...composed.on,
    },
  });
