import { defineConcern } from './concerns.js';
import { checkoutStates } from './ordering/checkout.js';
import { orderingImpl, orderingSetup } from './ordering/impl.js';
import type { DecisionKind } from './ordering/impl.js';
import { emptyDraft as orderingInitial, orderingActors } from './ordering/steps.js';
import type { OrderDraft } from './ordering/steps.js';

export { orderingImpl, orderingInitial, orderingActors };

/**
 * A typed order at the greeting or the main menu ("hola quiero 2 margaritas y una cola", "quiero pedir una
 * pizza"): the root hands it to ordering with this transition (plus its greeting on a first message), and
 * ordering reads it once its catalog is loaded.
 */
export const typedOrderHandover = {
  guard: 'orderingLooksLikeOrder',
  target: '#ordering.reading',
  actions: ['orderingRememberTyped'],
} as const;
/**
 * A native catalogue order (the customer's WhatsApp cart), from the root's steps or any other concern's:
 * ordering loads its catalog and makes it the cart, at our prices.
 */
export const nativeOrderHandover = {
  target: '#ordering.importing',
  actions: ['orderingRememberNative'],
} as const;
export type { OrderDraft, OrderingCatalog, PlaceOrderRequest } from './ordering/steps.js';
export type { DeliveryAddress } from './ordering/address.js';

declare module './setup.js' {
  interface RootContext {
    ordering: OrderDraft;
  }
}

/**
 * Bump whenever the ordering states or its context slice change shape: only ordering restarts. (Not bumped
 * for the `reading` state and the optional `typed` field: every stored snapshot is still valid, and a
 * bump would empty the carts of customers mid-order.)
 */
export const orderingVersion = 1;

/** Go to `target` (entered afresh, so it speaks again) when the tap or text means `kind`. */
function when<K extends DecisionKind, T extends string>(kind: K, target: T, decided = true) {
  return {
    guard: { type: 'orderingDecides' as const, params: kind },
    target,
    reenter: true,
    ...(decided ? { actions: 'orderingApply' as const } : {}),
  };
}

/** Items with quantities typed in one message ("2 diavola y una cola"): into the cart, which is shown. */
const TYPED_ORDER = {
  ...when('order', '#ordering.cart'),
  actions: ['orderingApply' as const, 'orderingStartCart' as const],
};

/**
 * What "How many?" takes besides a number: items with quantities, the cart's words ("ver carrito",
 * "checkout") and another dish's name; anything else gets the hint for the number.
 */
function quantityAlternatives() {
  return [
    TYPED_ORDER,
    when('cart.view', '#ordering.cart', false),
    when('cart.edit', '#ordering.editing', false),
    when('cart.checkout', '#ordering.checkout', false),
    when('cart.add', '#ordering.browsing'),
    { ...when('cart.clear', '#ordering.browsing', false), actions: ['orderingResetCart' as const] },
    when('item', '#ordering.quantity'),
    when('ambiguous', '#ordering.clarifying'),
  ];
}

/** The transitions every ordering step shares: what a tap or a typed text leads to. */
function pickTransitions() {
  return [
    TYPED_ORDER,
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
    { ...when('cart.clear', '#ordering.browsing', false), actions: ['orderingResetCart' as const] },
    { target: '#ordering.browsing', reenter: true, actions: 'orderingApply' as const },
  ];
}

/** Every tap, typed text or list pick at a step that offers the menu, the cart or its lines. */
const picks = () => ({
  'user.list': pickTransitions(),
  'user.button': pickTransitions(),
  'user.text': pickTransitions(),
});

/** The answer to "Cancel this order and empty your cart?": yes empties it, anything else keeps it. */
function cancelAnswer() {
  return [
    {
      guard: { type: 'tappedOrSaid' as const, params: 'order.cancel.yes' },
      target: '#root.menu',
      actions: [
        'orderingReset' as const,
        { type: 'orderingSay' as const, params: 'ordering:cancel.done' as const },
      ],
    },
    { target: '#ordering.cart' },
  ];
}

/** Said when a step gets what it does not take: answer the question, or *cancel*. */
const ORDERING_HINT = { type: 'orderingReply', params: 'ordering:hint' } as const;
const TAP_A_DISH = {
  target: 'browsing',
  reenter: true,
  actions: { type: 'orderingSay', params: 'ordering:tapADish' },
} as const;

/** Browse, pick, quantity, cart, checkout, confirmation: the order is placed only on *Confirm*. */
const orderingStates = orderingSetup.createStateConfig({
  id: 'ordering',
  initial: 'loading',
  on: {
    'command.cancel': [
      {
        guard: 'orderingCartEmpty',
        target: '#root.menu',
        actions: ['orderingReset', { type: 'orderingSay', params: 'ordering:cancelled' }],
      },
      { target: '.confirmCancel' },
    ],
    // The cart was left alone for too long: discard it quietly (the customer's window has closed anyway).
    'system.timeout': { target: '#root.start', actions: 'orderingReset' },
    // Anything the current step does not take (a photo, a location, a tap on an older message): say so.
    'user.list': { actions: ORDERING_HINT },
    'user.button': { actions: ORDERING_HINT },
    'user.location': { actions: ORDERING_HINT },
    'user.media': { actions: ORDERING_HINT },
    'user.unsupported': { actions: ORDERING_HINT },
    // The customer's WhatsApp cart, at any step: it becomes the cart (replacing the one being built).
    'user.order': nativeOrderHandover,
  },
  states: {
    loading: {
      invoke: {
        src: 'loadCatalog',
        onDone: [
          // Closed and not taking orders for later: say when it opens, with the menu.
          {
            guard: 'orderingClosedNoPreOrders',
            target: '#root.menu',
            actions: ['orderingLoaded', 'orderingSayClosed', 'orderingDropPending'],
          },
          {
            guard: 'orderingHasPending',
            target: 'cart',
            actions: ['orderingAddPending', 'orderingStartCart', 'orderingSayClosed'],
          },
          { target: 'browsing', actions: ['orderingLoaded', 'orderingSayClosed'] },
        ],
        onError: {
          target: '#root.menu',
          actions: [{ type: 'orderingSay', params: 'ordering:menuUnavailable' }, 'orderingDropPending'],
        },
      },
    },
    browsing: {
      tags: 'awaiting-input',
      entry: ['orderingShowBrowse', 'orderingRememberBrowse'],
      on: {
        ...picks(),
        'user.location': TAP_A_DISH,
        'user.media': TAP_A_DISH,
        'user.unsupported': TAP_A_DISH,
      },
    },
    clarifying: { tags: 'awaiting-input', entry: 'orderingShowClarify', on: picks() },
    /**
     * An order typed at the greeting or the main menu: read once the catalog is loaded. Items go to the
     * cart (or one item to "How many?"), a category or "I want to order" to the menu; text that names
     * nothing on the menu goes back to the root, which answers it as it would have.
     */
    reading: {
      invoke: {
        src: 'loadCatalog',
        onDone: [
          // Closed and not taking orders for later: when it opens, with the menu (as a tap on *Order*).
          {
            guard: 'orderingTypedWhileClosed',
            target: '#root.menu',
            actions: ['understood', 'orderingLoaded', 'orderingSayClosed', 'orderingForgetTyped'],
          },
          // Closed but taking orders for later: the order goes on as a pre-order, the closed line said.
          {
            guard: 'orderingTypedLines',
            target: 'cart',
            actions: ['understood', 'orderingUseTyped', 'orderingStartCart', 'orderingSayClosed'],
          },
          {
            guard: 'orderingTypedItem',
            target: 'quantity',
            actions: ['understood', 'orderingUseTyped', 'orderingSayClosed'],
          },
          {
            guard: 'orderingTypedBrowse',
            target: 'browsing',
            actions: ['understood', 'orderingUseTyped', 'orderingSayClosed'],
          },
          // Not an order after all: the root's resting state takes the text again (it says nothing on
          // entry), and answers it as it would have (an AI, or the greeting and menu, or "not understood").
          { target: '#root.idle', actions: 'orderingHandBack' },
        ],
        onError: {
          target: '#root.menu',
          actions: [{ type: 'orderingSay', params: 'ordering:menuUnavailable' }, 'orderingForgetTyped'],
        },
      },
    },
    /** A native catalogue order: read once the catalog is loaded; at least one item we sell → the cart. */
    importing: {
      invoke: {
        src: 'loadCatalog',
        onDone: [
          // Closed and not taking orders for later: said when it opens, with the menu (as `loading` does).
          {
            guard: 'orderingClosedNoPreOrders',
            target: '#root.menu',
            actions: ['understood', 'orderingLoaded', 'orderingSayClosed', 'orderingForgetNative'],
          },
          {
            guard: 'orderingNativeLines',
            target: 'cart',
            actions: ['understood', 'orderingUseNative', 'orderingStartCart', 'orderingSayClosed'],
          },
          { target: 'browsing', actions: ['understood', 'orderingUseNative', 'orderingSayClosed'] },
        ],
        onError: {
          target: '#root.menu',
          actions: [{ type: 'orderingSay', params: 'ordering:menuUnavailable' }, 'orderingForgetNative'],
        },
      },
    },
    quantity: {
      tags: 'awaiting-input',
      entry: ['orderingAskQuantity', 'clearNotice'],
      on: {
        'user.button': [
          {
            guard: 'orderingQuantityGiven',
            target: 'afterQuantity',
            actions: ['orderingSetQuantity', 'orderingStartCart'],
          },
          { target: 'quantity', reenter: true, actions: 'orderingRememberQuantityError' },
        ],
        'user.text': [
          {
            guard: 'orderingQuantityGiven',
            target: 'afterQuantity',
            actions: ['orderingSetQuantity', 'orderingStartCart'],
          },
          ...quantityAlternatives(),
          { target: 'quantity', reenter: true, actions: 'orderingRememberQuantityError' },
        ],
        // A tap on another dish (an earlier list) switches to that dish.
        'user.list': pickTransitions(),
      },
    },
    afterQuantity: {
      always: [{ guard: 'orderingEditing', target: 'cart' }, { target: 'added' }],
    },
    added: { tags: 'awaiting-input', entry: 'orderingShowAdded', on: picks() },
    cart: { tags: 'awaiting-input', entry: ['orderingShowCart', 'clearNotice'], on: picks() },
    editing: { tags: 'awaiting-input', entry: ['orderingShowEdit', 'orderingRememberEdit'], on: picks() },
    confirmCancel: {
      tags: 'awaiting-input',
      entry: 'orderingAskCancel',
      on: { 'user.button': cancelAnswer(), 'user.text': cancelAnswer() },
    },
    checkout: checkoutStates,
  },
});

/** "Order": browse, pick, cart, checkout; its cart outlives a detour to the menu until it is abandoned. */
export const orderingConcern = defineConcern({
  id: 'ordering',
  version: orderingVersion,
  actors: orderingActors,
  impl: orderingImpl,
  states: () => orderingStates,
  initial: orderingInitial,
  // The abandoned cart's deadline is the pending one whenever no person is handling the chat.
  ownsDeadline: true,
  on: {
    // The abandoned-cart deadline of a customer who left ordering with *menu*: discard the cart quietly.
    'system.timeout': { actions: 'orderingReset' },
  },
  menu: {
    row: { id: 'menu.order', title: 'ordering:menu.row', description: 'ordering:menu.rowDescription' },
    words: ['order', 'pedir', 'pedido', 'commander', 'bestellen'],
    // "Can I see the menu?", "quiero ver el menú": the menu of dishes, as a tap on *Order* shows it.
    asks: 'browse',
    help: 'ordering:menu.help',
    offer: 'ordering',
    lead: true,
  },
});
