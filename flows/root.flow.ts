import { assign, emit, fromPromise, setup } from 'xstate';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../src/conversation/types.js';
import {
  addLine,
  addedMessage,
  cartEditMessage,
  cartMessage,
  cartTextAction,
  changesMessage,
  clear,
  lineText,
} from './ordering/cart.js';
import { cartTotal, parseQuantity, quantityMessage, reconcile, setQuantity } from './ordering/cart.js';
import type { Cart, QuantityError } from './ordering/cart.js';
import {
  browseMessage,
  clarifyMessage,
  findAvailableItem,
  matchCategory,
  matchItem,
} from './ordering/catalog.js';
import type { CatalogItemView, CatalogView } from './ordering/catalog.js';
import { parseChoiceId, pickShown, shownIds } from './ordering/ids.js';
import type { CartAction, Choice } from './ordering/ids.js';
import { formatMoney } from './ordering/money.js';

/** Bump whenever states or context change shape: stored conversations of another version restart cleanly. */
export const rootVersion = 3;
export const rootFlowId = 'root';

export interface RootInput {
  businessName: string;
  /** How long a handoff to a person lasts before the bot takes the conversation back. */
  handoffMinutes: number;
  /** Set when a stored conversation of an older flow version was discarded. */
  restarted?: boolean;
  /** Hours after the last change to a cart before it is discarded. */
  abandonedCartHours: number;
}

/** The business's menu as the ordering steps need it (loaded by the `loadCatalog` actor from src/). */
export interface OrderingCatalog extends CatalogView {
  fulfilment: { pickup: boolean; delivery: boolean };
}

export interface DeliveryAddress {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** What `recentOrders` returns: the text to show, and the numbers of orders still `placed` (cancellable). */
export interface TrackedOrders {
  text: string;
  cancellable: string[];
}

/** What `placeOrder` receives: the cart at the prices shown, and how the customer wants it. */
export interface PlaceOrderRequest {
  cart: Cart;
  fulfilment: 'pickup' | 'delivery';
  address?: DeliveryAddress;
  note?: string;
}

/** The order being put together. Prices are those shown when each line was added, refreshed at checkout. */
export interface OrderDraft {
  cart: Cart;
  catalog?: OrderingCatalog;
  /** Ids of the rows/buttons of the last menu message, so a typed number means what the customer saw. */
  shown: string[];
  category?: string;
  page?: number;
  /** The item whose quantity is being asked, and whether it is a change to a cart line. */
  itemId?: string;
  editing?: boolean;
  quantityError?: QuantityError;
  candidates?: CatalogItemView[];
  fulfilment?: 'pickup' | 'delivery';
  address?: DeliveryAddress;
  note?: string;
  /** What changed in price or availability since the items were added (said at the summary). */
  changes?: string;
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
  abandonedCartHours: number;
  order: OrderDraft;
  /** The customer's recent orders as last shown, and which of them they may still cancel. */
  tracked?: TrackedOrders;
  /** The order number a *Cancel order* tap asked to cancel. */
  cancelling?: string;
}

/** Stands in for an actor src/ must supply (`flow.provide({ actors })`); fails loudly if it was not. */
function notProvided<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(() => Promise.reject(new Error(`actor ${name} was not provided`)));
}

const emptyDraft = (): OrderDraft => ({ cart: clear(), shown: [] });

/** What a tap or a typed text means while ordering. */
type Decision =
  | Choice
  | { kind: 'ambiguous'; candidates: CatalogItemView[] }
  | { kind: 'unknown' }
  | { kind: 'unavailable' };

const NO_CATALOG: OrderingCatalog = {
  items: [],
  currency: 'EUR',
  fulfilment: { pickup: true, delivery: false },
};

function decide(draft: OrderDraft, event: FlowEvent): Decision {
  const catalog = draft.catalog ?? NO_CATALOG;
  if (event.type === 'user.list' || event.type === 'user.button') {
    const choice = parseChoiceId(event.id);
    if (!choice) return { kind: 'unknown' };
    // A tap on an old message may name an item that is gone or sold out: never trust it.
    if (choice.kind === 'item' && !findAvailableItem(catalog, choice.itemId)) return { kind: 'unavailable' };
    return choice;
  }
  if (event.type !== 'user.text') return { kind: 'unknown' };
  const action = cartTextAction(event.text);
  if (action) return { kind: 'cart', action };
  const picked = pickShown(event.text, draft.shown);
  if (picked) return decide(draft, { type: 'user.list', id: picked, title: '' });
  const category = matchCategory(catalog, event.text);
  if (category.kind === 'one') return { kind: 'category', category: category.category };
  const match = matchItem(catalog, event.text, draft.shown);
  if (match.kind === 'one') return { kind: 'item', itemId: match.item.id };
  if (match.kind === 'ambiguous') return { kind: 'ambiguous', candidates: match.candidates };
  return { kind: 'unknown' };
}

function browseFor(draft: OrderDraft, notice?: string): OutboundMessage {
  return browseMessage(
    draft.catalog ?? NO_CATALOG,
    {
      ...(draft.category ? { category: draft.category } : {}),
      ...(draft.page ? { page: draft.page } : {}),
      ...(notice ? { notice } : {}),
    },
    formatMoney,
  );
}

function currentItem(draft: OrderDraft): CatalogItemView | undefined {
  if (!draft.itemId) return undefined;
  const line = draft.cart.lines.find((l) => l.itemId === draft.itemId);
  const item = draft.catalog ? findAvailableItem(draft.catalog, draft.itemId) : undefined;
  if (item) return item;
  return line
    ? { id: line.itemId, name: line.name, priceMinor: line.unitPriceMinor, available: true }
    : undefined;
}

function addressText(address: DeliveryAddress | undefined): string {
  if (!address) return '';
  if (address.text) return address.text;
  return `the shared location (${address.latitude?.toFixed(5)}, ${address.longitude?.toFixed(5)})`;
}

function summaryMessage(draft: OrderDraft, notice?: string): OutboundMessage {
  const currency = draft.catalog?.currency ?? 'EUR';
  const lines = draft.cart.lines.map((line) => `• ${lineText(line, currency, formatMoney)}`).join('\n');
  const how =
    draft.fulfilment === 'delivery' ? `Delivery to ${addressText(draft.address)}` : 'Pickup at the shop';
  const text = [
    notice,
    draft.changes,
    '*Your order*',
    lines,
    `*Total: ${formatMoney(cartTotal(draft.cart), currency)}*`,
    how,
    draft.note ? `Note: ${draft.note}` : undefined,
    'Shall I place it?',
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n');
  return {
    type: 'reply.buttons',
    text: text.length > 1024 ? `${text.slice(0, 1000)}…\nShall I place it?` : text,
    buttons: [
      { id: 'order.confirm', title: 'Confirm' },
      { id: 'order.edit', title: 'Edit' },
      { id: 'order.cancel', title: 'Cancel' },
    ],
  };
}

type DecisionKind = Decision['kind'] | `cart.${CartAction}`;

/** Go to `target` (entered afresh, so it speaks again) when the tap or text means `kind`. */
function when<K extends DecisionKind, T extends string>(kind: K, target: T, decided = true) {
  return {
    guard: { type: 'decides' as const, params: kind },
    target,
    reenter: true,
    ...(decided ? { actions: 'applyDecision' as const } : {}),
  };
}

/** The transitions every ordering step shares: what a tap or a typed text leads to. */
function pickTransitions() {
  return [
    when('item', '#ordering.quantity'),
    when('line', '#ordering.quantity'),
    when('category', '#ordering.browsing'),
    when('more', '#ordering.browsing'),
    when('lines', '#ordering.editing'),
    when('ambiguous', '#ordering.clarifying'),
    when('cart.add', '#ordering.browsing'),
    when('cart.view', '#ordering.cart', false),
    when('cart.edit', '#ordering.editing', false),
    when('cart.checkout', '#ordering.checkout', false),
    { ...when('cart.clear', '#ordering.browsing', false), actions: ['resetCart' as const] },
    { target: '#ordering.browsing', reenter: true, actions: 'applyDecision' as const },
  ];
}

/** The answer to "Cancel this order and empty your cart?": yes empties it, anything else keeps it. */
function cancelAnswer() {
  return [
    {
      guard: { type: 'tappedOrSaid' as const, params: 'order.cancel.yes' },
      target: '#root.menu',
      actions: [
        'resetOrder' as const,
        { type: 'say' as const, params: 'Your order was cancelled and the cart emptied.' },
      ],
    },
    { target: '#ordering.cart' },
  ];
}

const NO_NOTE =
  /^(no|none|nope|no note|nothing|n\/a|-|nada|ninguna|sin nota|nao|não|nenhuma|sem nota|non|rien|pas de note|nein|keine|keine notiz)\.?$/i;

const YES = /^(yes|y|si|sí|sim|oui|ja|ok|okay|confirm|confirmar|confirmer|bestätigen|bestatigen)$/i;
const NO = /^(no|n|nao|não|non|nein|keep|keep it)$/i;

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
  actors: {
    loadCatalog: notProvided<OrderingCatalog, void>('loadCatalog'),
    placeOrder: notProvided<{ orderNumber: string }, PlaceOrderRequest>('placeOrder'),
    recentOrders: notProvided<TrackedOrders, void>('recentOrders'),
    cancelPlacedOrder: notProvided<void, { orderNumber: string }>('cancelPlacedOrder'),
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
    // Ordering.
    showBrowse: emit(({ context }) => browseFor(context.order, context.notice)),
    rememberBrowse: assign({
      order: ({ context }) => ({
        ...context.order,
        shown: shownIds(browseFor(context.order, context.notice)),
      }),
      notice: undefined,
    }),
    startCart: assign({
      deadline: ({ context }) => new Date(Date.now() + context.abandonedCartHours * 3_600_000).toISOString(),
    }),
    resetOrder: assign({ order: () => emptyDraft(), deadline: undefined }),
    resetCart: assign({
      order: ({ context }) => ({ ...context.order, cart: clear() }),
      deadline: undefined,
      notice: 'Your cart is empty now.',
    }),
    applyDecision: assign({
      order: ({ context, event }) => {
        const decision = decide(context.order, event);
        const draft = { ...context.order, quantityError: undefined };
        if (decision.kind === 'category') return { ...draft, category: decision.category, page: 1 };
        if (decision.kind === 'more') return { ...draft, category: decision.category, page: decision.page };
        if (decision.kind === 'item') return { ...draft, itemId: decision.itemId, editing: false };
        if (decision.kind === 'line') return { ...draft, itemId: decision.itemId, editing: true };
        if (decision.kind === 'ambiguous') return { ...draft, candidates: decision.candidates };
        return draft;
      },
      notice: ({ context, event }) => {
        const decision = decide(context.order, event);
        if (decision.kind === 'unavailable') return 'Sorry, that item is not available any more.';
        if (decision.kind === 'unknown')
          return "I couldn't find that on the menu. Tap an option, or type a dish's name or number.";
        return undefined;
      },
    }),
    setQuantity: assign({
      order: ({ context, event }) => {
        const draft = context.order;
        const quantity =
          event.type === 'user.button'
            ? (parseChoiceId(event.id) as { quantity?: number } | undefined)?.quantity
            : undefined;
        const parsed =
          event.type === 'user.text' ? parseQuantity(event.text, { allowZero: draft.editing }) : undefined;
        const amount = quantity ?? (parsed?.ok ? parsed.quantity : undefined);
        const item = currentItem(draft);
        if (amount === undefined || !item) return draft;
        const cart = draft.editing
          ? setQuantity(draft.cart, item.id, amount)
          : addLine(draft.cart, item, amount);
        return { ...draft, cart, quantityError: undefined };
      },
    }),
    rememberQuantityError: assign({
      order: ({ context, event }) => {
        const parsed =
          event.type === 'user.text'
            ? parseQuantity(event.text, { allowZero: context.order.editing })
            : undefined;
        return { ...context.order, quantityError: parsed && !parsed.ok ? parsed.reason : 'not-a-number' };
      },
    }),
    hintOrdering: emit(() =>
      text('Please answer the question above: tap one of its options, or type *cancel* to stop ordering.'),
    ),
    hintButtons: emit(() => text('Please tap one of the buttons above, or type *human* to reach a person.')),
  },
  guards: {
    decides: (
      { context, event },
      kind: Decision['kind'] | 'cart.add' | 'cart.view' | 'cart.checkout' | 'cart.clear' | 'cart.edit',
    ) => {
      const decision = decide(context.order, event);
      return decision.kind === 'cart' ? `cart.${decision.action}` === kind : decision.kind === kind;
    },
    quantityGiven: ({ context, event }) => {
      if (event.type === 'user.button') {
        const choice = parseChoiceId(event.id);
        return choice?.kind === 'quantity' && (choice.quantity > 0 || context.order.editing === true);
      }
      return event.type === 'user.text' && parseQuantity(event.text, { allowZero: context.order.editing }).ok;
    },
    cartEmpty: ({ context }) => context.order.cart.lines.length === 0,
    editing: ({ context }) => context.order.editing === true,
    offersBoth: ({ context }) =>
      Boolean(context.order.catalog?.fulfilment.pickup && context.order.catalog.fulfilment.delivery),
    deliveryOnly: ({ context }) =>
      Boolean(context.order.catalog?.fulfilment.delivery && !context.order.catalog.fulfilment.pickup),
    tappedOrSaid: ({ event }, word: string) =>
      (event.type === 'user.button' && event.id === word) ||
      (event.type === 'user.text' &&
        (word.endsWith('.yes') || word === 'order.confirm' ? YES : NO).test(event.text.trim())),
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
    abandonedCartHours: input.abandonedCartHours,
    order: emptyDraft(),
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
    /** Browse, pick, quantity, cart, checkout, confirmation: the order is placed only on *Confirm*. */
    ordering: {
      id: 'ordering',
      initial: 'loading',
      on: {
        'command.cancel': [
          {
            guard: 'cartEmpty',
            target: 'menu',
            actions: ['resetOrder', { type: 'say', params: 'Cancelled.' }],
          },
          { target: '.confirmCancel' },
        ],
        // The cart was left alone for too long: discard it quietly (the customer's window has closed anyway).
        'system.timeout': { target: 'start', actions: 'resetOrder' },
        // Anything the current step does not take (a photo, a location, a tap on an older message): say so.
        'user.list': { actions: 'hintOrdering' },
        'user.button': { actions: 'hintOrdering' },
        'user.location': { actions: 'hintOrdering' },
        'user.media': { actions: 'hintOrdering' },
        'user.unsupported': { actions: 'hintOrdering' },
      },
      states: {
        loading: {
          invoke: {
            src: 'loadCatalog',
            onDone: {
              target: 'browsing',
              actions: assign({
                order: ({ context, event }) => ({
                  ...context.order,
                  catalog: event.output,
                  category: undefined,
                  page: 1,
                }),
              }),
            },
            onError: {
              target: '#root.menu',
              actions: {
                type: 'say',
                params: 'Sorry, the menu is not available right now. Please try again later.',
              },
            },
          },
        },
        browsing: {
          tags: 'awaiting-input',
          entry: ['showBrowse', 'rememberBrowse'],
          on: {
            'user.list': [...pickTransitions()],
            'user.button': [...pickTransitions()],
            'user.text': [...pickTransitions()],
            'user.location': {
              target: 'browsing',
              reenter: true,
              actions: { type: 'say', params: 'Please tap a dish, or type its name.' },
            },
            'user.media': {
              target: 'browsing',
              reenter: true,
              actions: { type: 'say', params: 'Please tap a dish, or type its name.' },
            },
            'user.unsupported': {
              target: 'browsing',
              reenter: true,
              actions: { type: 'say', params: 'Please tap a dish, or type its name.' },
            },
          },
        },
        clarifying: {
          tags: 'awaiting-input',
          entry: emit(({ context }) =>
            clarifyMessage(context.order.candidates ?? [], {
              currency: context.order.catalog?.currency ?? 'EUR',
              formatMoney,
            }),
          ),
          on: {
            'user.button': [...pickTransitions()],
            'user.list': [...pickTransitions()],
            'user.text': [...pickTransitions()],
          },
        },
        quantity: {
          tags: 'awaiting-input',
          entry: emit(({ context }) => {
            const item = currentItem(context.order) ?? { name: 'this item', priceMinor: 0 };
            return quantityMessage(item, context.order.catalog?.currency ?? 'EUR', formatMoney, {
              ...(context.order.quantityError ? { error: context.order.quantityError } : {}),
              editing: context.order.editing === true,
            });
          }),
          on: {
            'user.button': [
              { guard: 'quantityGiven', target: 'afterQuantity', actions: ['setQuantity', 'startCart'] },
              { target: 'quantity', reenter: true, actions: 'rememberQuantityError' },
            ],
            'user.text': [
              { guard: 'quantityGiven', target: 'afterQuantity', actions: ['setQuantity', 'startCart'] },
              { target: 'quantity', reenter: true, actions: 'rememberQuantityError' },
            ],
            // A tap on another dish (an earlier list) switches to that dish.
            'user.list': [...pickTransitions()],
          },
        },
        afterQuantity: {
          always: [{ guard: 'editing', target: 'cart' }, { target: 'added' }],
        },
        added: {
          tags: 'awaiting-input',
          entry: emit(({ context }) =>
            addedMessage(
              context.order.cart,
              context.order.itemId ?? '',
              context.order.catalog?.currency ?? 'EUR',
              formatMoney,
            ),
          ),
          on: {
            'user.button': [...pickTransitions()],
            'user.text': [...pickTransitions()],
            'user.list': [...pickTransitions()],
          },
        },
        cart: {
          tags: 'awaiting-input',
          entry: [
            emit(({ context }) => {
              const message = cartMessage(
                context.order.cart,
                context.order.catalog?.currency ?? 'EUR',
                formatMoney,
              );
              return context.notice && 'text' in message
                ? { ...message, text: `${context.notice}\n\n${message.text}`.slice(0, 1024) }
                : message;
            }),
            'clearNotice',
          ],
          on: {
            'user.button': [...pickTransitions()],
            'user.text': [...pickTransitions()],
            'user.list': [...pickTransitions()],
          },
        },
        editing: {
          tags: 'awaiting-input',
          entry: [
            emit(({ context }) =>
              cartEditMessage(
                context.order.cart,
                context.order.catalog?.currency ?? 'EUR',
                formatMoney,
                context.order.page ?? 1,
              ),
            ),
            assign({
              order: ({ context }) => ({
                ...context.order,
                shown: shownIds(
                  cartEditMessage(
                    context.order.cart,
                    context.order.catalog?.currency ?? 'EUR',
                    formatMoney,
                    context.order.page ?? 1,
                  ),
                ),
              }),
            }),
          ],
          on: {
            'user.list': [...pickTransitions()],
            'user.button': [...pickTransitions()],
            'user.text': [...pickTransitions()],
          },
        },
        confirmCancel: {
          tags: 'awaiting-input',
          entry: emit(() => ({
            type: 'reply.buttons',
            text: 'Cancel this order and empty your cart?',
            buttons: [
              { id: 'order.cancel.yes', title: 'Yes, cancel' },
              { id: 'order.cancel.no', title: 'No, keep it' },
            ],
          })),
          on: {
            'user.button': cancelAnswer(),
            'user.text': cancelAnswer(),
          },
        },
        checkout: {
          initial: 'refreshing',
          states: {
            /** Prices and availability may have changed since the items were added: apply them now. */
            refreshing: {
              invoke: {
                src: 'loadCatalog',
                onDone: {
                  target: 'route',
                  actions: assign({
                    order: ({ context, event }) => {
                      const { cart, changes } = reconcile(context.order.cart, event.output);
                      const told = changesMessage(changes, event.output.currency, formatMoney);
                      return {
                        ...context.order,
                        catalog: event.output,
                        cart,
                        ...(told ? { changes: told } : { changes: undefined }),
                      };
                    },
                  }),
                },
                onError: {
                  target: '#ordering.cart',
                  actions: { type: 'say', params: 'Sorry, checkout is not available right now.' },
                },
              },
            },
            route: {
              always: [
                {
                  guard: 'cartEmpty',
                  target: '#ordering.browsing',
                  actions: assign({
                    notice: ({ context }) => `${context.order.changes ?? ''}\nYour cart is empty now.`.trim(),
                  }),
                },
                { guard: 'offersBoth', target: 'fulfilment' },
                {
                  guard: 'deliveryOnly',
                  target: 'address',
                  actions: assign({
                    order: ({ context }) => ({ ...context.order, fulfilment: 'delivery' as const }),
                  }),
                },
                {
                  target: 'note',
                  actions: assign({
                    order: ({ context }) => ({ ...context.order, fulfilment: 'pickup' as const }),
                  }),
                },
              ],
            },
            fulfilment: {
              tags: 'awaiting-input',
              entry: emit(() => ({
                type: 'reply.buttons',
                text: 'Pickup or delivery?',
                buttons: [
                  { id: 'order.pickup', title: 'Pickup' },
                  { id: 'order.delivery', title: 'Delivery' },
                ],
              })),
              on: {
                'user.button': [
                  {
                    guard: ({ event }) => event.id === 'order.pickup',
                    target: 'note',
                    actions: assign({
                      order: ({ context }) => ({ ...context.order, fulfilment: 'pickup' as const }),
                    }),
                  },
                  {
                    guard: ({ event }) => event.id === 'order.delivery',
                    target: 'address',
                    actions: assign({
                      order: ({ context }) => ({ ...context.order, fulfilment: 'delivery' as const }),
                    }),
                  },
                  { target: 'fulfilment', reenter: true },
                ],
                'user.text': [
                  {
                    guard: ({ event }) =>
                      /^(pick ?up|recoger|retirar|emporter|abholen)$/i.test(event.text.trim()),
                    target: 'note',
                    actions: assign({
                      order: ({ context }) => ({ ...context.order, fulfilment: 'pickup' as const }),
                    }),
                  },
                  {
                    guard: ({ event }) =>
                      /^(delivery|deliver|entrega|domicilio|livraison|lieferung)$/i.test(event.text.trim()),
                    target: 'address',
                    actions: assign({
                      order: ({ context }) => ({ ...context.order, fulfilment: 'delivery' as const }),
                    }),
                  },
                  { target: 'fulfilment', reenter: true },
                ],
              },
            },
            address: {
              tags: 'awaiting-input',
              entry: emit(() =>
                text('Where should we deliver? Type the address, or share a location (📎 → Location).'),
              ),
              on: {
                'user.text': [
                  {
                    guard: ({ event }) => event.text.trim().length >= 5 && event.text.trim().length <= 300,
                    target: 'note',
                    actions: assign({
                      order: ({ context, event }) => ({
                        ...context.order,
                        address: { text: event.text.trim() },
                      }),
                    }),
                  },
                  { target: 'address', reenter: true },
                ],
                'user.location': {
                  target: 'note',
                  actions: assign({
                    order: ({ context, event }) => ({
                      ...context.order,
                      address: {
                        latitude: event.latitude,
                        longitude: event.longitude,
                        ...(event.address ? { text: event.address } : event.name ? { text: event.name } : {}),
                      },
                    }),
                  }),
                },
              },
            },
            note: {
              tags: 'awaiting-input',
              entry: emit(() => ({
                type: 'reply.buttons',
                text: 'Anything we should know (allergies, doorbell…)? Type a note, or tap *No note*.',
                buttons: [{ id: 'order.nonote', title: 'No note' }],
              })),
              on: {
                'user.button': [
                  {
                    guard: ({ event }) => event.id === 'order.nonote',
                    target: 'summary',
                    actions: assign({ order: ({ context }) => ({ ...context.order, note: undefined }) }),
                  },
                  // A tap on an older message is not an answer: ask again.
                  { target: 'note', reenter: true },
                ],
                'user.text': {
                  target: 'summary',
                  actions: assign({
                    order: ({ context, event }) => {
                      const typed = event.text.trim();
                      // "no", "none", "no note" (and the same in the other languages) mean no note.
                      return {
                        ...context.order,
                        note: NO_NOTE.test(typed) ? undefined : typed.slice(0, 300),
                      };
                    },
                  }),
                },
              },
            },
            summary: {
              tags: 'awaiting-input',
              entry: [emit(({ context }) => summaryMessage(context.order, context.notice)), 'clearNotice'],
              on: {
                'user.button': [
                  { guard: ({ event }) => event.id === 'order.confirm', target: 'placing' },
                  { guard: ({ event }) => event.id === 'order.edit', target: '#ordering.cart' },
                  { guard: ({ event }) => event.id === 'order.cancel', target: '#ordering.confirmCancel' },
                  { target: 'summary', reenter: true },
                ],
                'user.text': [
                  { guard: { type: 'tappedOrSaid', params: 'order.confirm' }, target: 'placing' },
                  { target: 'summary', reenter: true },
                ],
              },
            },
            placing: {
              invoke: {
                src: 'placeOrder',
                input: ({ context }) => ({
                  cart: context.order.cart,
                  fulfilment: context.order.fulfilment ?? 'pickup',
                  ...(context.order.address ? { address: context.order.address } : {}),
                  ...(context.order.note ? { note: context.order.note } : {}),
                }),
                onDone: {
                  target: '#root.menu',
                  actions: [
                    emit(({ context, event }) => ({
                      type: 'notify.staff' as const,
                      text: `New order ${event.output.orderNumber}: ${context.order.cart.lines
                        .map((l) => `${l.quantity}× ${l.name}`)
                        .join(
                          ', ',
                        )}; ${formatMoney(cartTotal(context.order.cart), context.order.catalog?.currency ?? 'EUR')}; ${
                        context.order.fulfilment === 'delivery' ? 'delivery' : 'pickup'
                      }.`,
                    })),
                    assign({
                      notice: ({ context, event }) =>
                        `✅ Order *${event.output.orderNumber}* placed: ${formatMoney(cartTotal(context.order.cart), context.order.catalog?.currency ?? 'EUR')}. ` +
                        "We'll let you know here when it moves along. Choose *Track my order* to see it.",
                    }),
                    'resetOrder',
                  ],
                },
                onError: {
                  target: 'summary',
                  actions: {
                    type: 'say',
                    params: 'Sorry, the order could not be placed. Please try *Confirm* again in a moment.',
                  },
                },
              },
            },
          },
        },
      },
    },
    tracking: {
      invoke: {
        src: 'recentOrders',
        onDone: [
          {
            guard: ({ event }) => event.output.cancellable.length > 0,
            target: 'tracked',
            actions: assign({ tracked: ({ event }) => event.output }),
          },
          { target: 'menu', actions: assign({ notice: ({ event }) => event.output.text }) },
        ],
        onError: {
          target: 'menu',
          actions: { type: 'say', params: 'Sorry, I could not look up your orders right now.' },
        },
      },
    },
    /** Recent orders with a *Cancel order* button for each one the business has not confirmed yet. */
    tracked: {
      tags: 'awaiting-input',
      entry: emit(({ context }) => ({
        type: 'reply.buttons',
        text: `${context.tracked?.text ?? ''}\n\nAn order can be cancelled here until the business confirms it.`,
        buttons: [
          ...(context.tracked?.cancellable ?? [])
            .slice(0, 2)
            .map((n) => ({ id: `order.cancelPlaced:${n}`, title: `Cancel order ${n}`.slice(0, 20) })),
          { id: 'cmd.menu', title: 'Main menu' },
        ],
      })),
      exit: assign({ tracked: undefined }),
      on: {
        'user.button': [
          {
            guard: ({ context, event }) =>
              event.id.startsWith('order.cancelPlaced:') &&
              (context.tracked?.cancellable ?? []).includes(event.id.slice('order.cancelPlaced:'.length)),
            target: 'cancellingPlaced',
            actions: assign({
              cancelling: ({ event }) =>
                event.type === 'user.button' ? event.id.slice('order.cancelPlaced:'.length) : undefined,
            }),
          },
          { target: 'menu' },
        ],
        'user.list': [...choices, { target: 'menu' }],
        'user.text': [...choices, { target: 'confused' }],
        'user.location': { target: 'menu' },
        'user.media': { target: 'menu' },
        'user.unsupported': { target: 'menu' },
      },
    },
    cancellingPlaced: {
      invoke: {
        src: 'cancelPlacedOrder',
        input: ({ context }) => ({ orderNumber: context.cancelling ?? '' }),
        onDone: {
          target: 'menu',
          actions: assign({
            notice: ({ context }) => `Order *${context.cancelling ?? ''}* is cancelled.`,
            cancelling: undefined,
          }),
        },
        onError: {
          target: 'menu',
          actions: assign({
            notice: ({ context }) =>
              `Sorry, order *${context.cancelling ?? ''}* can no longer be cancelled here (the business may have confirmed it). Please choose *Talk to a person*.`,
            cancelling: undefined,
          }),
        },
      },
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
    // The abandoned-cart deadline of a customer who left ordering with *menu*: discard the cart quietly.
    'system.timeout': { actions: 'resetOrder' },
  },
});
