import { MINUTE_MS } from '../src/core/time.js';
import type { FlowEvent } from '../src/core/vocabulary.js';
import { t } from '../src/language/i18n.js';
import type { MessageKey } from '../src/language/i18n.js';
import { asksWhyAboutOrder, detectPleasantry } from '../src/language/intents.js';
import type { Language } from '../src/language/languages.js';
import { assertApart, composeConcerns } from './compose.js';
import type { Aside } from './compose.js';
import { DEFAULT_OFFERS, languageNamed, languagePicked } from './menu.js';
import type { Concerns } from './concerns.js';
import { nativeOrderHandover, typedOrderHandover } from './ordering.flow.js';
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
const SHELL_STATES = [
  'start',
  'menu',
  'language',
  'confused',
  'stuck',
  'personOffered',
  'help',
  'idle',
  'handoff',
  'erased',
];

const composed = composeConcerns(concerns);
const menu = composed.menu;

/** The shell's setup: the shared one, with every concern's actors (the root invokes them all). */
const shell = base(composed.actors);

/** The shell's line `key` in the conversation's language, said with the next menu. */
const saying = (key: MessageKey) =>
  ({ type: 'say', params: ({ context }: GuardArgs) => t(context.language, key) }) as const;

/**
 * What the bot says to a message it cannot read: what it can do instead, per kind (a voice note, a photo, a
 * contact, an edit, a location where none is wanted); anything else gets the general "can't read that".
 */
function unreadableKey(event: FlowEvent): MessageKey {
  switch (event.type) {
    case 'user.media':
      return `root:unread.${event.mediaType}`;
    case 'user.location':
      return 'root:unread.location';
    case 'user.unsupported':
      return event.kind === 'contacts'
        ? 'root:unread.contacts'
        : event.kind === 'edit'
          ? 'root:unread.edit'
          : 'root:unreadable';
    default:
      return 'root:unreadable';
  }
}

/** "Still not sure": the text, with *Show options* and *Talk to a person* under it. */
function stuckButtons(context: RootContext, text: string) {
  return {
    type: 'reply.buttons' as const,
    text,
    buttons: [
      { id: 'stuck.menu', title: t(context.language, 'root:stuck.options.button') },
      { id: menu.human.id, title: t(context.language, 'root:stuck.person.button') },
    ],
  };
}

/**
 * The answers to the third and later misunderstandings in a row, in turn: never silent, never the same
 * answer twice in a row, each offering the options and a person. `misunderstood` is 3 for the first.
 */
function stuckHint(context: RootContext) {
  const { language } = context;
  switch ((context.misunderstood - 3) % 3) {
    case 0:
      return { type: 'reply.text' as const, text: t(language, 'root:stuck.hint') };
    case 1:
      return stuckButtons(context, t(language, 'root:stuck.again'));
    default:
      return stuckButtons(
        context,
        t(language, 'root:stuck.lost', {
          options: t(language, 'root:stuck.options.button'),
          person: t(language, 'root:stuck.person.button'),
        }),
      );
  }
}

/** The context once the customer chose `language`: it is the conversation's, and kept as their choice. */
function choosing(context: RootContext, language: Language | undefined) {
  return language ? { language, chosen: { ...context.chosen, language } } : {};
}

/** The shell's own actions and guards: greeting, menu, languages, misunderstandings, handoff. */
const rootImpl = {
  actions: {
    greet: shell.assign({
      notice: ({ context }) => t(context.language, 'root:greeting', { business: context.businessName }),
    }),
    greetUnreadable: shell.assign({
      notice: ({ context, event }) => {
        const key = unreadableKey(event);
        return `${context.notice ?? ''}\n${t(context.language, key === 'root:unreadable' ? 'root:unreadable.first' : key)}`;
      },
    }),
    /** A message it cannot read, at the menu: what it can do instead, said with the menu. */
    noteUnreadable: shell.assign({
      notice: ({ context, event }) => t(context.language, unreadableKey(event)),
    }),
    /** The same inside a concern's step: said on its own, then the step asks again (flows/compose.ts). */
    answerUnreadable: shell.emit(({ context, event }) => ({
      type: 'reply.text' as const,
      text: t(context.language, unreadableKey(event)),
    })),
    showMenu: shell.emit(({ context }) => menu.list(context.notice, context.language, context.offers)),
    showLanguages: shell.emit(({ context }) => menu.languages(context.notice, context.language)),
    /** A language named (a tap on the list, "en español"): the conversation's from now on, as chosen. */
    chooseLanguage: shell.assign(({ context, event }) => choosing(context, languageNamed(event))),
    /** At the list of languages, its number typed picks one too. */
    pickLanguage: shell.assign(({ context, event }) => choosing(context, languagePicked(event))),
    /** "OK, I'll write in Spanish from now on", in that language, said with the next menu. */
    sayLanguageSet: shell.assign({ notice: ({ context }) => t(context.language, 'root:language.set') }),
    /**
     * A greeting, thanks, or a language named inside a concern's step: a short answer on its own; the step
     * then asks its question again (flows/compose.ts puts the step's entry after it).
     */
    answerFormReceived: shell.emit(({ context }) => ({
      type: 'reply.text' as const,
      text: t(context.language, 'root:form.received'),
    })),
    answerAside: shell.emit(({ context, event }) => ({
      type: 'reply.text' as const,
      text: t(
        context.language,
        languageNamed(event)
          ? 'root:language.set'
          : event.type === 'user.welcome' ||
              (event.type === 'user.text' && detectPleasantry(event.text) === 'greeting')
            ? 'root:aside.greeting'
            : 'root:aside.thanks',
      ),
    })),
    notUnderstood: shell.assign({ misunderstood: ({ context }) => context.misunderstood + 1 }),
    startHandoffClock: shell.assign({
      deadline: ({ context }) => after(context.now, context.handoffMinutes * MINUTE_MS),
    }),
    clearDeadline: shell.assign({ deadline: undefined }),
    showStuck: shell.emit(({ context }) => stuckButtons(context, t(context.language, 'root:stuck.text'))),
    /**
     * A question about their order only the business can answer (often the reply to a notice it sent, "¿por
     * qué lo habéis cancelado?"): a person is offered at once, with the options, after any greeting.
     */
    offerPersonForOrder: shell.emit(({ context }) =>
      stuckButtons(
        context,
        [
          context.notice,
          t(context.language, 'root:orderQuestion', {
            business: context.businessName,
            person: t(context.language, 'root:stuck.person.button'),
          }),
        ]
          .filter(Boolean)
          .join('\n\n'),
      ),
    ),
    /** Each later misunderstanding while stuck: a short answer (see {@link stuckHint}). */
    remindStuck: shell.emit(({ context }) => stuckHint(context)),
    /** "<business>: a person has joined", in the conversation's language. */
    announceTaken: shell.emit(({ context }) => ({
      type: 'reply.text' as const,
      text: t(context.language, 'root:handoff.joined', { business: context.businessName }),
    })),
    announceHandoff: shell.enqueueActions(({ context, enqueue }) => {
      enqueue.emit({
        type: 'reply.text',
        text: t(context.language, 'root:handoff.announce', { business: context.businessName }),
      });
      enqueue.emit({
        type: 'notify.staff',
        text: t(context.staffLanguage ?? 'en', 'staff:notice.handoff'),
        handoff: true,
        template: { purpose: 'staff.handoff', values: { businessName: context.businessName } },
      });
    }),
  },
  guards: {
    firstMisunderstanding: ({ context }: GuardArgs) => context.misunderstood === 0,
    /** "hi", "hola", "bonjour"… alone: answered with the menu, not "not understood". */
    saidHello: ({ event }: GuardArgs) =>
      event.type === 'user.text' && detectPleasantry(event.text) === 'greeting',
    /** "thanks", "gracias", "danke"… alone: "you're welcome", and the menu. */
    saidThanks: ({ event }: GuardArgs) =>
      event.type === 'user.text' && detectPleasantry(event.text) === 'thanks',
    /** A language asked for by name, or a tap on a row of the list of languages. */
    namedLanguage: ({ event }: GuardArgs) => languageNamed(event) !== undefined,
    /** At the list of languages: as {@link namedLanguage}, or a row's number typed. */
    pickedLanguage: ({ event }: GuardArgs) => languagePicked(event) !== undefined,
    /** Only a greeting, only thanks, or a language asked for by name: an aside, not an answer to a step. */
    saidAside: ({ event }: GuardArgs) =>
      event.type === 'user.text' &&
      (detectPleasantry(event.text) !== undefined || languageNamed(event) !== undefined),
    tappedShowOptions: ({ event }: GuardArgs) => event.type === 'user.button' && event.id === 'stuck.menu',
    /** "Why did you cancel it?", "¿por qué lo habéis cancelado?": a question only a person can answer. */
    askedWhyAboutOrder: ({ event }: GuardArgs) => event.type === 'user.text' && asksWhyAboutOrder(event.text),
    /** A privacy request or a reminder's button is left to the root's handlers: answered, not greeted. */
    notPrivacyRequest: ({ event }: GuardArgs) =>
      !event.type.startsWith('privacy.') && !event.type.startsWith('appointment.'),
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

/** What the bot can do, and the commands that work anywhere. */
const help = ({ context }: GuardArgs): string =>
  `${menu.help(context.language, context.offers)}\n${t(context.language, 'root:help.commands')}`;

const choices = menu.choices;

/** The concerns' slices of the context (each concern declares its own on `RootContext`). */
type ConcernSlices = Omit<RootContext, keyof RootInput | 'misunderstood' | 'deadline' | 'notice'>;

/**
 * Not an answer while stuck: a short answer every time (issue 14: never silent outside a handoff), each
 * different from the one before, offering the options and a person.
 */
const stuckAnswer = [{ actions: ['notUnderstood', 'remindStuck'] }] as const;

/**
 * A question about the customer's order that only the business can answer: a person offered at once (with
 * the options), instead of "not understood"; the buttons are those of the "still not sure" message.
 */
const orderQuestion = { guard: 'askedWhyAboutOrder', target: '#root.personOffered', reenter: true } as const;

/** A form reply (a WhatsApp Flow) where the root waits: thanked, and the menu again. */
const formReceived = {
  target: '#root.menu',
  reenter: true,
  actions: ['understood', saying('root:form.received')],
} as const;

/** An order typed as the first message: the greeting, then the cart (ordering reads it, flows/ordering.flow.ts). */
const firstOrder = { ...typedOrderHandover, actions: ['greet', ...typedOrderHandover.actions] } as const;

/** A language chosen by name or from the list: confirmed in it, with the menu. */
const languageChosen = {
  guard: 'namedLanguage',
  target: '#root.menu',
  reenter: true,
  actions: ['understood', 'chooseLanguage', 'sayLanguageSet'],
} as const;

/**
 * What a concern's waiting step does first with a greeting, thanks, or a language asked for by name: a short
 * answer, then its question again, without leaving the step (flows/compose.ts).
 */
const aside: Aside = {
  guard: 'saidAside',
  actions: ['understood', 'chooseLanguage', 'answerAside'],
  // A native catalogue order goes to ordering from any step; a form reply a step does not take is thanked.
  events: {
    'user.order': nativeOrderHandover,
    'user.form': { actions: ['understood', 'answerFormReceived'] },
  },
  unreadable: { actions: ['answerUnreadable'] },
};

/** A voice note, a photo, a contact, a location… at the menu: what the bot can do instead, and the menu. */
const unreadableAtMenu = { target: '#root.menu', reenter: true, actions: 'noteUnreadable' } as const;

/**
 * A greeting or thanks typed at the menu (or when stuck, or idle): the menu again, with a short reply; a
 * language asked for by name: the menu in it.
 */
const pleasantries = [
  languageChosen,
  {
    guard: 'saidHello',
    target: '#root.menu',
    reenter: true,
    actions: ['understood', saying('root:greeting.again')],
  },
  {
    guard: 'saidThanks',
    target: '#root.menu',
    reenter: true,
    actions: ['understood', saying('root:thanks')],
  },
] as const;

/**
 * Typed text where the menu waits (the menu, idle): a menu choice, a greeting or thanks, an order, a
 * question only the business can answer; anything else an AI may answer or read an order from (if the
 * business enabled AI), otherwise "not understood".
 */
const typedAtMenu = [
  ...choices,
  ...pleasantries,
  typedOrderHandover,
  orderQuestion,
  { target: '#ai.interpreting' },
] as const;

/**
 * Where a person is offered (stuck, or a question only the business can answer): the person's button hands
 * over, any other tap shows the menu; text it does not understand gets a short answer each time.
 */
const stuckOn = {
  'user.button': [
    { guard: { type: 'picked', params: menu.human }, target: '#root.handoff', actions: 'understood' },
    { target: '#root.menu', actions: 'understood' },
  ],
  'user.text': [...choices, ...pleasantries, orderQuestion, ...stuckAnswer],
  // Photos, voice notes, locations: what the bot can do instead, and the two ways on again.
  'user.location': { actions: ['answerUnreadable', 'showStuck'] },
  'user.media': { actions: ['answerUnreadable', 'showStuck'] },
  'user.unsupported': { actions: ['answerUnreadable', 'showStuck'] },
  'user.order': nativeOrderHandover,
  'user.form': formReceived,
  'user.list': [...choices, { target: '#root.menu', actions: 'understood' }],
  'command.cancel': { target: '#root.menu', actions: 'understood' },
} as const;

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
      staffLanguage: input.staffLanguage,
      ...(input.chosen ? { chosen: input.chosen } : {}),
      offers: input.offers && input.offers.length > 0 ? input.offers : [...DEFAULT_OFFERS],
      ...(input.nouns ? { nouns: input.nouns } : {}),
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
          'system.taken': {},
          'command.human': { target: 'handoff' },
          'command.help': { target: 'help' },
          'user.unsupported': { target: 'menu', actions: ['greet', 'greetUnreadable'] },
          // A first message that is a native catalogue order: the greeting, then the cart.
          'user.order': { ...nativeOrderHandover, actions: ['greet', ...nativeOrderHandover.actions] },
          'user.media': { target: 'menu', actions: ['greet', 'greetUnreadable'] },
          'user.location': { target: 'menu', actions: ['greet', 'greetUnreadable'] },
          // A reaction to a message of a conversation that expired: nothing to answer.
          'user.reaction': {},
          // A first question or order in words: the greeting, then what an AI makes of it (or the menu);
          // a first "hi" or "thanks" gets the greeting and the menu that way too.
          'user.text': [
            ...choices,
            { guard: 'namedLanguage', target: 'menu', actions: ['chooseLanguage', 'greet'] },
            firstOrder,
            { ...orderQuestion, actions: 'greet' },
            { target: '#ai.interpreting', actions: 'greet' },
          ],
          // A first message that already picks an option ("1", a tap on an old menu) gets that option; a
          // privacy request is left to the root's handlers, so it is answered rather than greeted.
          '*': [...choices, { guard: 'notPrivacyRequest', target: 'menu', actions: 'greet' }],
        },
      },
      menu: {
        tags: 'awaiting-input',
        entry: ['showMenu', 'clearNotice'],
        on: {
          'user.text': typedAtMenu,
          // A tap on a row or button of an earlier message (a booking's day, an order's item) is not
          // confusion: the customer hears that option has passed, with the menu.
          'user.list': [
            ...choices,
            languageChosen,
            { target: 'menu', reenter: true, actions: ['understood', saying('root:staleTap')] },
          ],
          'user.button': [
            ...choices,
            languageChosen,
            // "Show options" from an earlier "still not sure" message: just the menu again.
            { guard: 'tappedShowOptions', target: 'menu', reenter: true, actions: 'understood' },
            { target: 'menu', reenter: true, actions: ['understood', saying('root:staleTap')] },
          ],
          'user.location': unreadableAtMenu,
          'user.media': unreadableAtMenu,
          'user.unsupported': unreadableAtMenu,
          'user.order': nativeOrderHandover,
          'user.form': formReceived,
          'command.cancel': {
            target: 'menu',
            reenter: true,
            actions: ['understood', saying('root:nothingToCancel')],
          },
        },
      },
      /** The five languages, each in its own name: the one tapped (or typed) is the conversation's from now on. */
      language: {
        tags: 'awaiting-input',
        entry: ['showLanguages', 'clearNotice'],
        on: {
          'user.text': [
            {
              guard: 'pickedLanguage',
              target: 'menu',
              actions: ['understood', 'pickLanguage', 'sayLanguageSet'],
            },
            ...choices,
            ...pleasantries,
            { target: 'language', reenter: true, actions: saying('root:notUnderstood') },
          ],
          'user.list': [
            {
              guard: 'pickedLanguage',
              target: 'menu',
              actions: ['understood', 'pickLanguage', 'sayLanguageSet'],
            },
            ...choices,
            { target: 'menu' },
          ],
          'user.button': [
            {
              guard: 'pickedLanguage',
              target: 'menu',
              actions: ['understood', 'pickLanguage', 'sayLanguageSet'],
            },
            ...choices,
            { target: 'menu' },
          ],
          'user.location': unreadableAtMenu,
          'user.media': unreadableAtMenu,
          'user.unsupported': unreadableAtMenu,
          'user.order': nativeOrderHandover,
          'user.form': formReceived,
        },
      },
      /** Something the menu did not understand: said differently each time, never the same error in a loop. */
      confused: {
        always: [
          {
            guard: 'firstMisunderstanding',
            target: 'menu',
            actions: ['notUnderstood', saying('root:notUnderstood')],
          },
          { target: 'stuck', actions: 'notUnderstood' },
        ],
      },
      /**
       * Two misunderstandings in a row: offer a person instead of the full menu again; every later message
       * it does not understand gets a short answer too, never the same one twice in a row.
       */
      stuck: { tags: 'awaiting-input', entry: 'showStuck', on: stuckOn },
      /**
       * A question about their order only the business can answer ("¿por qué lo habéis cancelado?"): a
       * person offered at once, with the options; then as when stuck.
       */
      personOffered: { tags: 'awaiting-input', entry: ['offerPersonForOrder', 'clearNotice'], on: stuckOn },
      help: {
        always: { target: 'menu', actions: { type: 'say', params: help } },
      },
      /** After an answer that needs no menu below it (the data summary, an opt-out): the next message decides. */
      idle: {
        tags: 'awaiting-input',
        on: {
          'user.text': typedAtMenu,
          'user.list': [...choices, languageChosen, { target: 'menu' }],
          'user.button': [...choices, languageChosen, { target: 'menu' }],
          'user.location': unreadableAtMenu,
          'user.media': unreadableAtMenu,
          'user.unsupported': unreadableAtMenu,
          'user.order': nativeOrderHandover,
          'user.form': formReceived,
        },
      },
      /**
       * A person takes over: the bot tells the customer, notifies the staff, then stays silent. The engine
       * keeps what the customer writes meanwhile for the staff inbox (src/handoff/).
       */
      handoff: {
        tags: 'awaiting-input',
        entry: ['understood', 'startHandoffClock', 'announceHandoff'],
        exit: 'clearDeadline',
        on: {
          // While a person handles the chat the assistant says nothing; *cancel* or *menu* (typed, or the
          // staff's *Show options* tapped) brings it back early: the customer asked for the assistant.
          'command.menu': { target: 'menu', actions: saying('root:handoff.cancelled') },
          'command.help': {},
          'command.human': {},
          // The chat was opened again meanwhile: the person answers, not the assistant.
          'user.welcome': {},
          'command.cancel': { target: 'menu', actions: saying('root:handoff.cancelled') },
          'system.resume': { target: 'menu', actions: saying('root:handoff.resumed') },
          'system.timeout': { target: 'menu', actions: saying('root:handoff.timeout') },
          // A staff member took the chat in the portal: the customer is told, and no deadline hands it
          // back while a person has it (staff hand it back or close it).
          'system.taken': { actions: ['clearDeadline', 'announceTaken'] },
        },
      },
      /** The erasure job runs after this step (src/privacy/) and deletes this conversation with the rest. */
      erased: { type: 'final' },
      ...composed.states(menu, aside),
    },
    on: {
      'command.menu': { target: '.menu', actions: 'understood' },
      'command.help': { target: '.help', actions: 'understood' },
      'command.human': { target: '.handoff' },
      'command.cancel': { target: '.menu', actions: ['understood', saying('root:cancelled')] },
      // The chat opened again (Meta's `request_welcome`) where no step answers it: greeted, with the menu.
      'user.welcome': { target: '.menu', actions: ['understood', saying('root:greeting.again')] },
      // A reaction is recorded on the message it reacts to (src/conversation/step.ts) and needs no answer: a
      // 👍 on the order summary is not a confirmation, nor a "Sorry, I didn't understand".
      'user.reaction': {},
      ...composed.on,
    },
  });
