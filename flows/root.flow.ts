import { assign, emit, enqueueActions, fromPromise, setup } from 'xstate';
import { ERASE_NO, ERASE_YES } from '../src/conversation/types.js';
import type { CorrectableField, FlowEmitted, FlowEvent, OutboundMessage } from '../src/conversation/types.js';
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
export const rootVersion = 4;
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
  /** The customer's saved delivery addresses, offered at the address step. */
  savedAddresses?: DeliveryAddress[];
}

export interface DeliveryAddress {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** The customer's profile as the correction steps show it (loaded by `loadProfile`). */
export interface ProfileView {
  name?: string;
  addresses: DeliveryAddress[];
}

/** What `privacyAccess` returns: the readable summary and the export document, in sending order. */
export interface AccessAnswer {
  messages: OutboundMessage[];
}

/**
 * An order the customer has open when they ask to delete their data, and what the erasure will do to it:
 * `cancel` (the business has not started it) or `handover` (under way: it goes ahead, and only what its
 * handover needs is kept until it is finished).
 */
export interface OpenOrderOutcome {
  orderNumber: number;
  status: 'placed' | 'confirmed' | 'preparing' | 'ready' | 'out_for_delivery';
  outcome: 'cancel' | 'handover';
}

/**
 * What `offerErasure` returns: what will be deleted and kept, the customer's open orders and what happens
 * to each, and the token the *Delete* button carries.
 */
export type ErasureOffer =
  | { kind: 'offer'; text: string; token: string; openOrders: OpenOrderOutcome[] }
  | { kind: 'in-progress'; text: string };

const OPEN_STATUS_TEXT: Record<OpenOrderOutcome['status'], string> = {
  placed: 'not started yet',
  confirmed: 'confirmed',
  preparing: 'being prepared',
  ready: 'ready',
  out_for_delivery: 'on its way',
};

/** The open orders an erasure would touch, one line each, said before the customer confirms. */
export function openOrdersText(orders: readonly OpenOrderOutcome[]): string {
  const lines = orders.map((o) =>
    o.outcome === 'cancel'
      ? `• Order ${o.orderNumber} (${OPEN_STATUS_TEXT[o.status]}): it will be *cancelled*, and the business told.`
      : `• Order ${o.orderNumber} (${OPEN_STATUS_TEXT[o.status]}): it goes ahead. Only what the handover needs (address, note, your name and number) is kept until it is completed, then deleted too.`,
  );
  return [`*Your open orders* (${orders.length})`, ...lines].join('\n');
}

/** What a tap on *Delete my data* / *Keep my data* achieved: nothing, when its token is stale or used. */
export type ErasureDecision =
  { kind: 'confirmed'; requestId: string } | { kind: 'cancelled' } | { kind: 'stale' };

/** A confirmed correction, applied by `applyCorrection`. `value` absent on an address: remove it. */
export type CorrectionRequest =
  { field: 'name'; value: string } | { field: 'address'; index: number; value?: DeliveryAddress };

/** A correction being put together: what is there now, and what the customer typed. */
export interface CorrectionDraft {
  field: CorrectableField;
  profile?: ProfileView;
  index?: number;
  name?: string;
  address?: DeliveryAddress;
  remove?: boolean;
}

/** A cart line an AI proposed from a typed order, with what the customer is shown (checked against the catalog). */
export interface ProposedLine {
  itemId: string;
  quantity: number;
  name: string;
  unitPriceMinor: number;
}

/** What `interpretText` returns for a message the flow did not recognise: nothing, an answer, or cart lines. */
export type TextInterpretation =
  | { kind: 'none' }
  | { kind: 'answer'; text: string }
  | { kind: 'order'; lines: ProposedLine[]; currency: string };

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
  /** Lines the customer accepted from an AI proposal, added once the catalog is loaded. */
  pending?: Array<{ itemId: string; quantity: number }>;
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
  /** The privacy request being handled: the erasure's other-person flag, a tapped token, a correction. */
  privacy?: { otherPerson?: boolean; token?: string };
  correction?: CorrectionDraft;
  /** Cart lines an AI proposed, shown with *Add to cart* / *No, thanks*: nothing is added until the tap. */
  proposal?: { lines: ProposedLine[]; currency: string };
  /** The customer's AI choice being saved ("no AI" / "AI is fine"). */
  aiChoice?: 'on' | 'off';
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

const YES =
  /^(yes|y|si|sí|sim|oui|ja|ok|okay|confirm|confirmar|confirmer|bestätigen|bestatigen|save|guardar|salvar|enregistrer|speichern)$/i;
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

/** The "My data & privacy" menu: each row is a privacy request (src/privacy/intents.ts reads the ids). */
const PRIVACY_MENU: OutboundMessage = {
  type: 'reply.list',
  text:
    'Your data with us: you can see everything we hold about you (with a copy as a file), correct it, ' +
    'delete it, or stop messages you did not ask for. What would you like to do?',
  button: 'My data',
  sections: [
    {
      title: 'My data & privacy',
      rows: [
        { id: 'pv.access', title: 'See my data', description: 'A summary here, and a copy as a file' },
        { id: 'pv.correct', title: 'Correct my data', description: 'Your name or a saved address' },
        {
          id: 'pv.erase',
          title: 'Delete my data',
          description: 'What is deleted and kept is explained first',
        },
        { id: 'pv.stop', title: 'Stop messages', description: 'No updates unless you write first' },
        { id: 'pv.start', title: 'Resume messages', description: 'Get order updates again' },
      ],
    },
  ],
};

/** The address step's question: with a list of the saved addresses to tap when there are any. */
function addressQuestion(saved: DeliveryAddress[] | undefined): OutboundMessage {
  const question = 'Where should we deliver? Type the address, or share a location (📎 → Location).';
  if (!saved || saved.length === 0) return text(question);
  return {
    type: 'reply.list',
    text: `${question}\nOr tap *Saved addresses* to use one you used before.`,
    button: 'Saved addresses',
    sections: [
      {
        title: 'Saved addresses',
        rows: saved.slice(0, 10).map((address, index) => ({
          id: `addr.saved:${index}`,
          title: `Address ${index + 1}`,
          description: addressText(address).slice(0, 72),
        })),
      },
    ],
  };
}

/** The saved address a tapped `addr.saved:<n>` row names, if it is still among those loaded. */
function pickedSavedAddress(draft: OrderDraft, event: FlowEvent): DeliveryAddress | undefined {
  if (event.type !== 'user.list') return undefined;
  const match = /^addr\.saved:(\d)$/.exec(event.id);
  return match ? draft.catalog?.savedAddresses?.[Number(match[1])] : undefined;
}

/** Whether an event accepts an AI proposal: what the `tappedOrSaid` guard with `ai.cart.yes` lets through. */
function acceptsProposal(event: FlowEvent): boolean {
  return (
    (event.type === 'user.button' && event.id === 'ai.cart.yes') ||
    (event.type === 'user.text' && YES.test(event.text.trim()))
  );
}

/** The lines an AI read from a typed order, for the customer to confirm: nothing is added before the tap. */
function proposalMessage(context: RootContext): OutboundMessage {
  const proposal = context.proposal;
  const lines = (proposal?.lines ?? []).map(
    (line) =>
      `• ${line.quantity} × ${line.name} (${formatMoney(line.unitPriceMinor, proposal?.currency ?? 'EUR')} each)`,
  );
  const body = [context.notice, 'I understood this order:', ...lines, 'Add it to your cart?']
    .filter((part): part is string => Boolean(part))
    .join('\n');
  return {
    type: 'reply.buttons',
    text: body.length > 1024 ? `${body.slice(0, 1000)}…\nAdd it to your cart?` : body,
    buttons: [
      { id: 'ai.cart.yes', title: 'Add to cart' },
      { id: 'ai.cart.no', title: 'No, thanks' },
    ],
  };
}

const PHONE_CANNOT_CHANGE =
  'Your phone number cannot be changed here: it is how WhatsApp tells us this chat is yours, so nobody can ' +
  'move your data to another number by typing it. To use another number, just write to us from it. ' +
  'You can also have this number’s data deleted: type *delete my data*.';

const REMOVE =
  /^(remove|delete|borrar|eliminar|remover|apagar|supprimer|effacer|löschen|loschen|entfernen)$/i;

/** A name as typed: 1–80 characters with at least one letter, no line breaks. */
function validName(typed: string): boolean {
  const name = cleanName(typed);
  return name.length >= 1 && name.length <= 80 && /\p{L}/u.test(name);
}

function cleanName(typed: string): string {
  return typed.replace(/\s+/g, ' ').trim();
}

/** The saved address a tapped row (`pv.fix.addr:<n>`) or a typed number (1-based) picks. */
function savedIndex(event: FlowEvent): number | undefined {
  if (event.type === 'user.list' || event.type === 'user.button') {
    const match = /^pv\.fix\.addr:(\d)$/.exec(event.id);
    return match ? Number(match[1]) : undefined;
  }
  if (event.type === 'user.text' && /^\d$/.test(event.text.trim())) return Number(event.text.trim()) - 1;
  return undefined;
}

/** Before and after, so the customer sees exactly what *Save* will change. */
function correctionSummary(draft: CorrectionDraft | undefined): string {
  if (draft?.field === 'address') {
    const before = draft.profile?.addresses[draft.index ?? 0];
    return [
      '*Your saved address*',
      `Before: ${addressText(before) || '(none)'}`,
      `After: ${draft.remove ? '(removed)' : addressText(draft.address)}`,
      'Save this change?',
    ].join('\n');
  }
  return [
    '*Your name*',
    `Before: ${draft?.profile?.name ?? '(none)'}`,
    `After: ${draft?.name ?? ''}`,
    'Save this change?',
  ].join('\n');
}

function correctionRequest(draft: CorrectionDraft | undefined): CorrectionRequest {
  if (draft?.field === 'address') {
    return {
      field: 'address',
      index: draft.index ?? 0,
      ...(draft.remove || !draft.address ? {} : { value: draft.address }),
    };
  }
  return { field: 'name', value: draft?.name ?? '' };
}

const HELP =
  'I can help you *order*, *track* an order, see or delete *your data*, or get you to *a person*.\n' +
  'At any time you can type *menu* to see the options, *cancel* to stop what you are doing, or *human* to talk to a person.';

/** Menu choices as transitions, shared by the states that accept them. */
const choices = [
  { guard: { type: 'picked', params: 'menu.order' }, target: 'ordering', actions: 'understood' },
  { guard: { type: 'picked', params: 'menu.track' }, target: 'tracking', actions: 'understood' },
  // Re-entered when picked again from the privacy menu itself, so the list is shown again.
  {
    guard: { type: 'picked', params: 'menu.privacy' },
    target: 'privacy',
    reenter: true,
    actions: 'understood',
  },
  { guard: { type: 'picked', params: 'menu.human' }, target: 'handoff', actions: 'understood' },
] as const;

/** *Add to cart* / *No, thanks* on an AI proposal, tapped or typed (yes / no in five languages). */
const proposalAnswer = [
  { guard: { type: 'tappedOrSaid', params: 'ai.cart.yes' }, target: 'ordering', actions: 'acceptProposal' },
  {
    guard: { type: 'tappedOrSaid', params: 'ai.cart.no' },
    target: 'menu',
    actions: { type: 'say', params: 'OK, nothing was added.' },
  },
] as const;

/**
 * A state that showed its answer and waits: a menu choice is taken, typed text it cannot place is
 * "not understood", anything else shows the menu.
 */
const resting = {
  'user.text': [...choices, { target: 'interpreting' }],
  'user.list': [...choices, { target: 'menu' }],
  'user.button': [...choices, { target: 'menu' }],
  'user.location': { target: 'menu' },
  'user.media': { target: 'menu' },
  'user.unsupported': { target: 'menu' },
} as const;

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
    privacyAccess: notProvided<AccessAnswer, void>('privacyAccess'),
    offerErasure: notProvided<ErasureOffer, { otherPerson: boolean }>('offerErasure'),
    decideErasure: notProvided<ErasureDecision, { token: string; confirm: boolean }>('decideErasure'),
    setOptOut: notProvided<void, { optedOut: boolean }>('setOptOut'),
    loadProfile: notProvided<ProfileView, void>('loadProfile'),
    applyCorrection: notProvided<void, CorrectionRequest>('applyCorrection'),
    interpretText: notProvided<TextInterpretation, { text: string }>('interpretText'),
    setAiPreference: notProvided<void, { noAi: boolean }>('setAiPreference'),
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
    hintCorrection: emit(() =>
      text('Please answer the question above by typing, or type *cancel* to leave your details as they are.'),
    ),
    acceptProposal: assign({
      order: ({ context }) => ({
        ...context.order,
        pending: (context.proposal?.lines ?? []).map((line) => ({
          itemId: line.itemId,
          quantity: line.quantity,
        })),
      }),
      proposal: undefined,
    }),
    rememberSavedIndex: assign({
      correction: ({ context, event }) => ({
        ...(context.correction ?? { field: 'address' as const }),
        index: savedIndex(event),
      }),
    }),
    rememberProfile: assign({
      correction: ({ context, event }) => ({
        ...(context.correction ?? { field: 'name' as const }),
        profile: (event as unknown as { output: ProfileView }).output,
      }),
    }),
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
    greeting: ({ context }) => context.notice !== undefined,
    pickedSavedAddress: ({ context, event }) => {
      const index = savedIndex(event);
      return index !== undefined && index < (context.correction?.profile?.addresses.length ?? 0);
    },
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
        // A first question or order in words: the greeting, then what an AI makes of it (or the menu).
        'user.text': [...choices, { target: 'interpreting', actions: 'greet' }],
        // A first message that already picks an option ("1", a tap on an old menu) gets that option; a
        // privacy request is left to the root's handlers, so it is answered rather than greeted.
        '*': [
          ...choices,
          { guard: ({ event }) => !event.type.startsWith('privacy.'), target: 'menu', actions: 'greet' },
        ],
      },
    },
    menu: {
      tags: 'awaiting-input',
      entry: ['showMenu', 'clearNotice'],
      on: {
        // Typed text the menu does not take: an AI may answer it or read an order from it (if the business
        // enabled AI); otherwise it is "not understood".
        'user.text': [...choices, { target: 'interpreting' }],
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
            onDone: [
              {
                // Lines accepted from an AI proposal: added at today's prices, straight to the cart.
                guard: ({ context }) => (context.order.pending?.length ?? 0) > 0,
                target: 'cart',
                actions: [
                  assign(({ context, event }) => {
                    const catalog = event.output;
                    let cart = context.order.cart;
                    const missing: string[] = [];
                    for (const line of context.order.pending ?? []) {
                      const item = findAvailableItem(catalog, line.itemId);
                      if (item) cart = addLine(cart, item, line.quantity);
                      else missing.push(line.itemId);
                    }
                    return {
                      order: {
                        ...context.order,
                        catalog,
                        cart,
                        pending: undefined,
                        category: undefined,
                        page: 1,
                      },
                      notice:
                        missing.length > 0
                          ? 'Some of those items are no longer available, so they were left out.'
                          : undefined,
                    };
                  }),
                  'startCart',
                ],
              },
              {
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
            ],
            onError: {
              target: '#root.menu',
              actions: [
                {
                  type: 'say',
                  params: 'Sorry, the menu is not available right now. Please try again later.',
                },
                // Accepted AI lines are not kept for later: the customer asks again.
                assign({ order: ({ context }) => ({ ...context.order, pending: undefined }) }),
              ],
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
              entry: emit(({ context }) => addressQuestion(context.order.catalog?.savedAddresses)),
              on: {
                // A tapped saved address; any other tap gets the ordering hint.
                'user.list': {
                  guard: ({ context, event }) => pickedSavedAddress(context.order, event) !== undefined,
                  target: 'note',
                  actions: assign({
                    order: ({ context, event }) => {
                      const picked = pickedSavedAddress(context.order, event);
                      return picked ? { ...context.order, address: picked } : context.order;
                    },
                  }),
                },
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
    /**
     * Text no step recognised: an AI (only for a business that enabled it; src/ai/) answers it from the
     * business's facts or reads an order from it. Without AI, or when it fails or says nothing useful, the
     * deterministic path: the greeting and menu on a first message, else "not understood".
     */
    interpreting: {
      invoke: {
        src: 'interpretText',
        input: ({ event }) => ({ text: event.type === 'user.text' ? event.text : '' }),
        onDone: [
          {
            // A first message answered: the greeting with the answer, then the menu (a new customer sees
            // what the bot can do).
            guard: ({ context, event }) => event.output.kind === 'answer' && context.notice !== undefined,
            target: 'menu',
            actions: [
              emit(({ context, event }) =>
                text(`${context.notice ?? ''}\n\n${event.output.kind === 'answer' ? event.output.text : ''}`),
              ),
              'understood',
              'clearNotice',
            ],
          },
          {
            guard: ({ event }) => event.output.kind === 'answer',
            target: 'idle',
            actions: [
              emit(({ context, event }) => {
                const answer = event.output.kind === 'answer' ? event.output.text : '';
                return text(context.notice ? `${context.notice}\n\n${answer}` : answer);
              }),
              'understood',
              'clearNotice',
            ],
          },
          {
            guard: ({ event }) => event.output.kind === 'order' && event.output.lines.length > 0,
            target: 'aiProposal',
            actions: [
              'understood',
              assign({
                proposal: ({ event }) =>
                  event.output.kind === 'order'
                    ? { lines: event.output.lines, currency: event.output.currency }
                    : undefined,
              }),
            ],
          },
          { guard: 'greeting', target: 'menu' },
          { target: 'confused' },
        ],
        onError: [{ guard: 'greeting', target: 'menu' }, { target: 'confused' }],
      },
    },
    /** Lines read from a typed order: added to the cart only when the customer taps *Add to cart*. */
    aiProposal: {
      tags: 'awaiting-input',
      entry: [emit(({ context }) => proposalMessage(context)), 'clearNotice'],
      // Exit actions run before a transition's own: the proposal is kept for acceptProposal (which clears
      // it) when the event accepts it, and cleared on any other way out.
      exit: assign({
        proposal: ({ context, event }) => (acceptsProposal(event) ? context.proposal : undefined),
      }),
      on: {
        'user.button': [...proposalAnswer, ...choices, { target: 'menu' }],
        'user.text': [...proposalAnswer, ...choices, { target: 'interpreting' }],
        'user.list': [...choices, { target: 'menu' }],
        'user.location': { target: 'menu' },
        'user.media': { target: 'menu' },
        'user.unsupported': { target: 'menu' },
      },
    },
    /** "No AI" / "AI is fine": the customer's own choice, kept with their profile and in their export. */
    aiPreference: {
      // aiChoice is cleared by the transitions out, after their reply: an `exit` would run before it.
      invoke: {
        src: 'setAiPreference',
        input: ({ context }) => ({ noAi: context.aiChoice === 'off' }),
        onDone: {
          target: 'idle',
          actions: [
            emit(({ context }) =>
              text(
                context.aiChoice === 'off'
                  ? 'Done: no AI will write replies to you here, even where the business uses it. Type *AI is fine* to change your mind.'
                  : 'Done: replies to you may be phrased by AI where the business uses it. Type *no AI* to turn it off.',
              ),
            ),
            assign({ aiChoice: undefined }),
          ],
        },
        onError: {
          target: 'menu',
          actions: [
            { type: 'say', params: 'Sorry, please send that again in a moment.' },
            assign({ aiChoice: undefined }),
          ],
        },
      },
    },
    /** "Correct my data" without saying what: name, address, or the phone number (explained). */
    correctWhich: {
      tags: 'awaiting-input',
      entry: emit(() => ({
        type: 'reply.buttons' as const,
        text: 'What would you like to correct?',
        buttons: [
          { id: 'pv.correct.name', title: 'My name' },
          { id: 'pv.correct.address', title: 'A saved address' },
          { id: 'pv.correct.phone', title: 'My phone number' },
        ],
      })),
      on: resting,
    },
    /** "My data & privacy": its rows are privacy events, handled at the root from any state. */
    privacy: {
      tags: 'awaiting-input',
      entry: emit(() => PRIVACY_MENU),
      on: resting,
    },
    /** After an answer that needs no menu below it (the data summary, an opt-out): the next message decides. */
    idle: {
      tags: 'awaiting-input',
      on: resting,
    },
    /** "What data do you have on me?": the readable summary and the export document, to this chat only. */
    privacyAccess: {
      entry: emit(() => text('Got it: you asked to see your data. Putting it together now…')),
      invoke: {
        src: 'privacyAccess',
        onDone: {
          target: 'idle',
          actions: enqueueActions(({ enqueue, event }) => {
            for (const message of event.output.messages) enqueue.emit(message);
          }),
        },
        onError: {
          target: 'menu',
          actions: {
            type: 'say',
            params:
              'Sorry, I could not put your data together right now. Your request is recorded; please ask again in a few minutes.',
          },
        },
      },
    },
    /** "Delete my data": what goes, what stays and why, then *Delete my data* / *Keep my data*. */
    privacyErase: {
      invoke: {
        src: 'offerErasure',
        input: ({ context }) => ({ otherPerson: context.privacy?.otherPerson === true }),
        onDone: {
          target: 'idle',
          actions: [
            // Open orders first, in a message of their own (the buttons' text has a 1024-character limit).
            enqueueActions(({ enqueue, event }) => {
              if (event.output.kind === 'offer' && event.output.openOrders.length > 0)
                enqueue.emit(text(openOrdersText(event.output.openOrders.slice(0, 20))));
            }),
            emit(({ event }) =>
              event.output.kind === 'offer'
                ? {
                    type: 'reply.buttons' as const,
                    text: event.output.text,
                    buttons: [
                      { id: `${ERASE_YES}${event.output.token}`, title: 'Delete my data' },
                      { id: `${ERASE_NO}${event.output.token}`, title: 'Keep my data' },
                    ],
                  }
                : text(event.output.text),
            ),
            assign({ privacy: undefined }),
          ],
        },
        onError: {
          target: 'menu',
          actions: {
            type: 'say',
            params:
              'Sorry, something went wrong on our side. Your request is recorded; please ask again in a few minutes.',
          },
        },
      },
    },
    /** A tap on *Delete my data* or *Keep my data*: its token decides; a stale or used one changes nothing. */
    privacyDecide: {
      // The token is used (or stale) once decided: it is not kept in the stored conversation.
      exit: assign({ privacy: undefined }),
      invoke: {
        src: 'decideErasure',
        input: ({ context, event }) => ({
          token: context.privacy?.token ?? '',
          confirm: event.type === 'privacy.eraseConfirm',
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'confirmed',
            target: 'erased',
            actions: [
              emit(() => text('Deleting your data now. I will confirm here in a moment.')),
              emit(({ event }) => ({
                type: 'effect.erase' as const,
                requestId: event.output.kind === 'confirmed' ? event.output.requestId : '',
              })),
            ],
          },
          {
            guard: ({ event }) => event.output.kind === 'cancelled',
            target: 'menu',
            actions: { type: 'say', params: 'OK, nothing was deleted. Your data stays as it is.' },
          },
          {
            target: 'idle',
            actions: emit(() =>
              text(
                'That button has expired or was already used, so nothing changed. Type *delete my data* to start again.',
              ),
            ),
          },
        ],
        onError: {
          target: 'menu',
          actions: {
            type: 'say',
            params: 'Sorry, something went wrong on our side. Please tap the button again.',
          },
        },
      },
    },
    /** The erasure job runs after this step (src/privacy/) and deletes this conversation with the rest. */
    erased: { type: 'final' },
    optingOut: {
      invoke: {
        src: 'setOptOut',
        input: () => ({ optedOut: true }),
        onDone: {
          target: 'idle',
          actions: emit(() =>
            text(
              "Done: you won't get order updates or other messages from us unless you write first. " +
                'We still answer when you write. Type *start* to get updates again.',
            ),
          ),
        },
        onError: {
          target: 'menu',
          actions: { type: 'say', params: 'Sorry, please send *stop* again in a moment.' },
        },
      },
    },
    optingIn: {
      invoke: {
        src: 'setOptOut',
        input: () => ({ optedOut: false }),
        onDone: {
          target: 'menu',
          actions: { type: 'say', params: "Welcome back: you'll get order updates here again." },
        },
        onError: {
          target: 'menu',
          actions: { type: 'say', params: 'Sorry, please send *start* again in a moment.' },
        },
      },
    },
    /** Correcting the name or a saved address: before/after, then *Save*. The phone number is explained. */
    correcting: {
      initial: 'loading',
      exit: assign({ correction: undefined }),
      on: {
        'user.location': { actions: 'hintCorrection' },
        'user.media': { actions: 'hintCorrection' },
        'user.unsupported': { actions: 'hintCorrection' },
      },
      states: {
        loading: {
          invoke: {
            src: 'loadProfile',
            onDone: [
              {
                guard: ({ context }) => context.correction?.field === 'phone',
                target: '#root.idle',
                actions: emit(() => text(PHONE_CANNOT_CHANGE)),
              },
              {
                guard: ({ context }) => context.correction?.field === 'name',
                target: 'name',
                actions: 'rememberProfile',
              },
              {
                guard: ({ event }) => event.output.addresses.length === 0,
                target: '#root.menu',
                actions: {
                  type: 'say',
                  params:
                    'You have no saved addresses with us. An address is saved when you order for delivery.',
                },
              },
              { target: 'pickAddress', actions: 'rememberProfile' },
            ],
            onError: {
              target: '#root.menu',
              actions: { type: 'say', params: 'Sorry, I could not load your details right now.' },
            },
          },
        },
        name: {
          tags: 'awaiting-input',
          entry: emit(({ context }) =>
            text(
              `${context.correction?.profile?.name ? `The name we have for you is *${context.correction.profile.name}*.` : 'We have no name for you.'} ` +
                'Type your name as you would like us to use it, or *cancel*.',
            ),
          ),
          on: {
            'user.text': [
              {
                guard: ({ event }) => validName(event.text),
                target: 'confirm',
                actions: assign({
                  correction: ({ context, event }) => ({
                    ...(context.correction ?? { field: 'name' as const }),
                    name: cleanName(event.text),
                  }),
                }),
              },
              { target: 'name', reenter: true },
            ],
            'user.button': { target: 'name', reenter: true },
            'user.list': { target: 'name', reenter: true },
          },
        },
        pickAddress: {
          tags: 'awaiting-input',
          entry: emit(({ context }) => ({
            type: 'reply.list' as const,
            text: 'Which saved address do you want to correct or remove?',
            button: 'Addresses',
            sections: [
              {
                rows: (context.correction?.profile?.addresses ?? []).map((address, index) => ({
                  id: `pv.fix.addr:${index}`,
                  title: `Address ${index + 1}`,
                  description: addressText(address).slice(0, 72),
                })),
              },
            ],
          })),
          on: {
            // A tapped row, or its number typed.
            'user.list': [
              { guard: 'pickedSavedAddress', target: 'address', actions: 'rememberSavedIndex' },
              { target: 'pickAddress', reenter: true },
            ],
            'user.text': [
              { guard: 'pickedSavedAddress', target: 'address', actions: 'rememberSavedIndex' },
              { target: 'pickAddress', reenter: true },
            ],
            'user.button': { target: 'pickAddress', reenter: true },
          },
        },
        address: {
          tags: 'awaiting-input',
          entry: emit(() =>
            text(
              'Type the corrected address, or *remove* to delete it from your saved addresses (or *cancel*).',
            ),
          ),
          on: {
            'user.text': [
              {
                guard: ({ event }) => REMOVE.test(event.text.trim()),
                target: 'confirm',
                actions: assign({
                  correction: ({ context }) => ({
                    ...(context.correction ?? { field: 'address' as const }),
                    remove: true,
                    address: undefined,
                  }),
                }),
              },
              {
                guard: ({ event }) => event.text.trim().length >= 5 && event.text.trim().length <= 300,
                target: 'confirm',
                actions: assign({
                  correction: ({ context, event }) => ({
                    ...(context.correction ?? { field: 'address' as const }),
                    remove: false,
                    address: { text: event.text.trim() },
                  }),
                }),
              },
              { target: 'address', reenter: true },
            ],
            'user.button': { target: 'address', reenter: true },
            'user.list': { target: 'address', reenter: true },
          },
        },
        confirm: {
          tags: 'awaiting-input',
          entry: emit(({ context }) => ({
            type: 'reply.buttons' as const,
            text: correctionSummary(context.correction),
            buttons: [
              { id: 'pv.fix.yes', title: 'Save' },
              { id: 'pv.fix.no', title: 'Cancel' },
            ],
          })),
          on: {
            'user.button': [
              { guard: { type: 'tappedOrSaid', params: 'pv.fix.yes' }, target: 'saving' },
              {
                guard: { type: 'tappedOrSaid', params: 'pv.fix.no' },
                target: '#root.menu',
                actions: { type: 'say', params: 'OK, nothing was changed.' },
              },
              { target: 'confirm', reenter: true },
            ],
            'user.text': [
              { guard: { type: 'tappedOrSaid', params: 'pv.fix.yes' }, target: 'saving' },
              {
                guard: { type: 'tappedOrSaid', params: 'pv.fix.no' },
                target: '#root.menu',
                actions: { type: 'say', params: 'OK, nothing was changed.' },
              },
              { target: 'confirm', reenter: true },
            ],
            'user.list': { target: 'confirm', reenter: true },
          },
        },
        saving: {
          invoke: {
            src: 'applyCorrection',
            input: ({ context }) => correctionRequest(context.correction),
            onDone: {
              target: '#root.menu',
              actions: { type: 'say', params: 'Saved. Thank you for keeping your details correct.' },
            },
            onError: {
              target: '#root.menu',
              actions: {
                type: 'say',
                params: 'Sorry, the change could not be saved. Please try again later.',
              },
            },
          },
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
          handoff: true,
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
    // Privacy requests, from any state (also while a person handles the chat): answered at once.
    'privacy.menu': { target: '.privacy', actions: 'understood' },
    'privacy.access': { target: '.privacyAccess', actions: 'understood' },
    'privacy.erase': {
      target: '.privacyErase',
      actions: [
        'understood',
        assign({ privacy: ({ event }) => ({ otherPerson: event.otherPerson === true }) }),
      ],
    },
    'privacy.eraseConfirm': {
      target: '.privacyDecide',
      actions: ['understood', assign({ privacy: ({ event }) => ({ token: event.token }) })],
    },
    'privacy.eraseCancel': {
      target: '.privacyDecide',
      actions: ['understood', assign({ privacy: ({ event }) => ({ token: event.token }) })],
    },
    'privacy.correct': [
      {
        guard: ({ event }) => event.field !== undefined,
        target: '.correcting',
        reenter: true,
        actions: ['understood', assign({ correction: ({ event }) => ({ field: event.field ?? 'name' }) })],
      },
      { target: '.correctWhich', actions: 'understood' },
    ],
    'privacy.optOut': { target: '.optingOut', actions: 'understood' },
    'privacy.noAi': {
      target: '.aiPreference',
      actions: ['understood', assign({ aiChoice: 'off' as const })],
    },
    'privacy.aiOk': { target: '.aiPreference', actions: ['understood', assign({ aiChoice: 'on' as const })] },
    'privacy.optIn': { target: '.optingIn', actions: 'understood' },
    // The abandoned-cart deadline of a customer who left ordering with *menu*: discard the cart quietly.
    'system.timeout': { actions: 'resetOrder' },
  },
});
