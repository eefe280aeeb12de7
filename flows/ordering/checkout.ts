import { orderingSetup } from './impl.js';

/** Said before the question again when an answer is not one of its choices. */
const UNCLEAR_CHOICE = { type: 'orderingSay', params: 'ordering:fulfilment.notUnderstood' } as const;

/**
 * Checkout, inside ordering: prices refreshed, pickup or delivery, the address, a note, the summary, and
 * the order placed only on *Confirm*.
 */
export const checkoutStates = orderingSetup.createStateConfig({
  initial: 'refreshing',
  states: {
    /** Prices and availability may have changed since the items were added: apply them now. */
    refreshing: {
      invoke: {
        src: 'loadCatalog',
        onDone: { target: 'route', actions: 'orderingRefresh' },
        onError: {
          target: '#ordering.cart',
          actions: { type: 'orderingSay', params: 'ordering:checkout.unavailable' },
        },
      },
    },
    route: {
      always: [
        { guard: 'orderingCartEmpty', target: '#ordering.browsing', actions: 'orderingSayEmptied' },
        // Closed meanwhile (and no orders for later), or below the minimum order: back to the cart, saying why.
        { guard: 'orderingClosedNoPreOrders', target: '#ordering.cart', actions: 'orderingSayClosed' },
        { guard: 'orderingBelowMinimum', target: '#ordering.cart', actions: 'orderingSayMinimum' },
        { guard: 'orderingOffersBoth', target: 'fulfilment' },
        {
          guard: 'orderingDeliveryOnly',
          target: 'address',
          actions: 'orderingDelivery',
        },
        { target: 'note', actions: 'orderingPickup' },
      ],
    },
    fulfilment: {
      tags: 'awaiting-input',
      entry: ['orderingAskFulfilment', 'clearNotice'],
      on: {
        'user.button': [
          {
            guard: { type: 'orderingTapped', params: 'order.pickup' },
            target: 'note',
            actions: 'orderingPickup',
          },
          {
            guard: { type: 'orderingTapped', params: 'order.delivery' },
            target: 'address',
            actions: 'orderingDelivery',
          },
          { target: 'fulfilment', reenter: true, actions: UNCLEAR_CHOICE },
        ],
        'user.text': [
          {
            guard: 'orderingSaidPickup',
            target: 'note',
            actions: 'orderingPickup',
          },
          {
            guard: 'orderingSaidDelivery',
            target: 'address',
            actions: 'orderingDelivery',
          },
          // Not a choice ("pikup" is one, "tomorrow" is not): said so, and the choices shown again.
          { target: 'fulfilment', reenter: true, actions: UNCLEAR_CHOICE },
        ],
      },
    },
    address: {
      tags: ['awaiting-input', 'data-entry', 'takes-location'],
      entry: 'orderingAskAddress',
      on: {
        // A tapped saved address; any other tap gets the ordering hint.
        'user.list': {
          guard: 'orderingPickedSavedAddress',
          target: 'note',
          actions: 'orderingUseSavedAddress',
        },
        'user.text': [
          { guard: 'orderingAddressTyped', target: 'note', actions: 'orderingUseTypedAddress' },
          { target: 'address', reenter: true },
        ],
        'user.location': { target: 'note', actions: 'orderingUseLocation' },
        // A WhatsApp Flow used as an address form: its address (any other form is thanked, and asked again).
        'user.form': { guard: 'orderingFormAddress', target: 'note', actions: 'orderingUseFormAddress' },
      },
    },
    note: {
      tags: 'awaiting-input',
      entry: 'orderingAskNote',
      on: {
        'user.button': [
          {
            guard: { type: 'orderingTapped', params: 'order.nonote' },
            target: 'summary',
            actions: 'orderingNoNote',
          },
          // A tap on an older message is not an answer: ask again.
          { target: 'note', reenter: true },
        ],
        'user.text': { target: 'summary', actions: 'orderingTakeNote' },
      },
    },
    summary: {
      tags: 'awaiting-input',
      entry: ['orderingShowSummary', 'clearNotice'],
      on: {
        'user.button': [
          { guard: { type: 'orderingTapped', params: 'order.confirm' }, target: 'placing' },
          { guard: { type: 'orderingTapped', params: 'order.edit' }, target: '#ordering.cart' },
          { guard: { type: 'orderingTapped', params: 'order.cancel' }, target: '#ordering.confirmCancel' },
          { target: 'summary', reenter: true },
        ],
        'user.text': [
          { guard: { type: 'tappedOrSaid', params: 'order.confirm' }, target: 'placing' },
          // Anything else typed (a question, "editar"): say what this step takes, then the summary again.
          {
            target: 'summary',
            reenter: true,
            actions: { type: 'orderingSay', params: 'ordering:summary.useButtons' },
          },
        ],
      },
    },
    placing: {
      invoke: {
        src: 'placeOrder',
        input: ({ context }) => ({
          cart: context.ordering.cart,
          fulfilment: context.ordering.fulfilment ?? 'pickup',
          ...(context.ordering.address ? { address: context.ordering.address } : {}),
          ...(context.ordering.note ? { note: context.ordering.note } : {}),
        }),
        onDone: { target: '#root.menu', actions: ['orderingPlaced', 'orderingReset'] },
        onError: {
          target: 'summary',
          actions: { type: 'orderingSay', params: 'ordering:placeFailed' },
        },
      },
    },
  },
});
