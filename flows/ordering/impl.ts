import { assign, emit } from 'xstate';
import { HOUR_MS } from '../../src/core/time.js';
import { after, base, outputOf, text } from '../setup.js';
import type { GuardArgs, RootContext } from '../setup.js';
import type { FlowEmitted, FlowEvent } from '../../src/core/vocabulary.js';
import {
  addLine,
  addedMessage,
  cartEditMessage,
  cartMessage,
  changesMessage,
  clear,
  parseQuantity,
  quantityMessage,
  reconcile,
  setQuantity,
} from './cart.js';
import { catalogIn, clarifyMessage, findAvailableItem } from './catalog.js';
import { itemIn } from '../../src/core/catalog.js';
import { parseChoiceId, shownIds } from './ids.js';
import { formatMoney } from '../../src/core/money.js';
import { t } from '../../src/language/i18n.js';
import type { MessageKey } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import {
  NO_NOTE,
  addTyped,
  addressQuestion,
  browseFor,
  currencyOf,
  currentItem,
  decide,
  emptyDraft,
  moneyIn,
  notFoundText,
  orderingActors,
  pickedSavedAddress,
  saidFulfilment,
  shownCart,
  summaryMessage,
} from './steps.js';
import type { Decision, OrderDraft, OrderingCatalog, PlacedOrder } from './steps.js';
import { MAX_ORDER_TEXT, looksLikeOrder, readOrder, saysOrder } from './quantities.js';
import { cartTermsText, cartTotalText, openingWords, orderTotal } from './terms.js';
import { termsImpl } from './terms-impl.js';
import { MAX_NATIVE_LINES, nativeNotice, readNativeOrder } from './native.js';
import { formAddress } from './address.js';

/** A decision a guard can test: what `decide` says, with a cart action spelled `cart.<action>`. */
export type DecisionKind =
  Decision['kind'] | 'cart.add' | 'cart.view' | 'cart.checkout' | 'cart.clear' | 'cart.edit';

/** A text of the ordering namespace (src/language/catalogue/ordering.ts). */
export type OrderingKey = Extract<MessageKey, `ordering:${string}`>;

const ordering = base(orderingActors);

/** The order typed at the greeting or the main menu, read against `catalog` in the conversation's language. */
const readTyped = (context: RootContext, catalog: OrderingCatalog) =>
  readOrder(catalog, context.ordering.typed ?? '', context.language);
/** The longest part of a typed address a staff notice repeats (the portal shows it whole). */
const NOTICE_ADDRESS_CHARS = 80;

/**
 * How the staff's new-order notice says pickup or delivery: a delivery with the address in short, or a map
 * link for a shared location (the exact address is on the order's page in the portal).
 */
function staffFulfilment(
  staff: Language,
  fulfilment: OrderDraft['fulfilment'],
  address: OrderDraft['address'],
): string {
  if (fulfilment !== 'delivery') return t(staff, 'staff:notice.pickup');
  const typed = address?.text?.replace(/\s+/g, ' ').trim();
  if (typed) {
    const short =
      typed.length > NOTICE_ADDRESS_CHARS ? `${typed.slice(0, NOTICE_ADDRESS_CHARS - 1).trimEnd()}…` : typed;
    return t(staff, 'staff:notice.deliveryTo', { address: short });
  }
  if (address?.latitude !== undefined && address.longitude !== undefined) {
    const lat = address.latitude.toFixed(6);
    const lon = address.longitude.toFixed(6);
    return t(staff, 'staff:notice.deliveryLocation', {
      link: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}`,
    });
  }
  return t(staff, 'staff:notice.delivery');
}

const editMessage = (language: Language, draft: OrderDraft) =>
  cartEditMessage(
    language,
    shownCart(draft, language),
    currencyOf(draft),
    moneyIn(language),
    draft.page ?? 1,
  );

/** Ordering's named actions and guards, for its states and for the root (`base(…).extend(orderingImpl)`). */
export const orderingImpl = {
  actions: {
    ...termsImpl.actions,
    /** Keep an ordering text, in the conversation's language, to say with the next message. */
    orderingSay: assign<RootContext, FlowEvent, OrderingKey, FlowEvent, never>(({ context }, key) => ({
      notice: t(context.language, key),
    })),
    /** Say an ordering text on its own, now, in the conversation's language. */
    orderingReply: emit<RootContext, FlowEvent, OrderingKey, FlowEvent, FlowEmitted>(({ context }, key) =>
      text(t(context.language, key)),
    ),
    orderingShowBrowse: ordering.emit(({ context }) =>
      browseFor(context.language, context.ordering, context.notice),
    ),
    orderingRememberBrowse: ordering.assign({
      ordering: ({ context }) => ({
        ...context.ordering,
        shown: shownIds(browseFor(context.language, context.ordering, context.notice)),
      }),
      notice: undefined,
    }),
    /** The cart changed: it is discarded if left alone for the business's abandoned-cart hours. */
    orderingStartCart: ordering.assign({
      deadline: ({ context }) => after(context.now, context.abandonedCartHours * HOUR_MS),
    }),
    orderingReset: ordering.assign({ ordering: () => emptyDraft(), deadline: undefined }),
    orderingResetCart: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, cart: clear() }),
      deadline: undefined,
      notice: ({ context }) => t(context.language, 'ordering:cart.emptied'),
    }),
    orderingApply: ordering.assign({
      ordering: ({ context, event }) => {
        const decision = decide(context.ordering, event, context.language);
        const draft = { ...context.ordering, quantityError: undefined };
        if (decision.kind === 'category') return { ...draft, category: decision.category, page: 1 };
        if (decision.kind === 'more') return { ...draft, category: decision.category, page: decision.page };
        if (decision.kind === 'item') return { ...draft, itemId: decision.itemId, editing: false };
        if (decision.kind === 'line') return { ...draft, itemId: decision.itemId, editing: true };
        if (decision.kind === 'ambiguous') return { ...draft, candidates: decision.candidates };
        if (decision.kind === 'order')
          return { ...draft, cart: addTyped(draft, decision.lines), itemId: undefined, editing: false };
        return draft;
      },
      notice: ({ context, event }) => {
        const decision = decide(context.ordering, event, context.language);
        if (decision.kind === 'order')
          return decision.unknown.length > 0 ? notFoundText(context.language, decision.unknown) : undefined;
        if (decision.kind === 'unavailable') return t(context.language, 'ordering:unavailable');
        if (decision.kind === 'unknown') return t(context.language, 'ordering:unknown');
        return undefined;
      },
    }),
    orderingSetQuantity: ordering.assign({
      ordering: ({ context, event }) => {
        const draft = context.ordering;
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
    orderingRememberQuantityError: ordering.assign({
      ordering: ({ context, event }) => {
        const parsed =
          event.type === 'user.text'
            ? parseQuantity(event.text, { allowZero: context.ordering.editing })
            : undefined;
        return { ...context.ordering, quantityError: parsed && !parsed.ok ? parsed.reason : 'not-a-number' };
      },
    }),
    /** Lines accepted from an AI proposal: added at today's prices, straight to the cart. */
    orderingAddPending: ordering.assign(({ context, event }) => {
      const catalog = outputOf<OrderingCatalog>(event);
      let cart = context.ordering.cart;
      const missing: string[] = [];
      for (const line of context.ordering.pending ?? []) {
        const item = findAvailableItem(catalog, line.itemId);
        if (item) cart = addLine(cart, item, line.quantity);
        else missing.push(line.itemId);
      }
      return {
        ordering: { ...context.ordering, catalog, cart, pending: undefined, category: undefined, page: 1 },
        notice: missing.length > 0 ? t(context.language, 'ordering:pendingMissing') : undefined,
      };
    }),
    /** An order typed at the greeting or the main menu: kept to read once the catalog is loaded. */
    orderingRememberTyped: ordering.assign({
      ordering: ({ context, event }) => ({
        ...context.ordering,
        typed: event.type === 'user.text' ? event.text.slice(0, MAX_ORDER_TEXT) : undefined,
        declined: undefined,
      }),
    }),
    /**
     * The typed order read against the loaded catalog: its lines in the cart, its item (to ask how many),
     * or its category to browse; the words that named nothing said after the greeting, if one is pending.
     */
    orderingUseTyped: ordering.assign(({ context, event }) => {
      const catalog = outputOf<OrderingCatalog>(event);
      const reading = readTyped(context, catalog);
      const loaded: OrderDraft = {
        ...context.ordering,
        catalog,
        typed: undefined,
        category: reading.lines.length === 0 ? reading.category : undefined,
        page: 1,
        quantityError: undefined,
      };
      const single = reading.lines.length === 1 && !reading.quantified ? reading.lines[0] : undefined;
      const ordering: OrderDraft = single
        ? { ...loaded, itemId: single.itemId, editing: false }
        : { ...loaded, cart: addTyped(loaded, reading.lines) };
      const notFound =
        reading.unknown.length > 0 ? notFoundText(context.language, reading.unknown) : undefined;
      const notice = [context.notice, notFound].filter((line): line is string => Boolean(line)).join('\n');
      return { ordering, notice: notice.length > 0 ? notice : undefined };
    }),
    /** A native catalogue order (from anywhere): kept to read once the catalog is loaded. */
    orderingRememberNative: ordering.assign({
      ordering: ({ context, event }) => ({
        ...context.ordering,
        native: event.type === 'user.order' ? event.items.slice(0, MAX_NATIVE_LINES) : undefined,
      }),
    }),
    /**
     * The native order read against the loaded catalog: it becomes the cart (our items, our prices), and
     * what differs from the WhatsApp cart (not available here, another price) is said with the cart.
     */
    orderingUseNative: ordering.assign(({ context, event }) => {
      const catalog = outputOf<OrderingCatalog>(event);
      const reading = readNativeOrder(catalog, context.ordering.native ?? []);
      const told =
        reading.cart.lines.length === 0
          ? t(context.language, 'ordering:native.nothing')
          : nativeNotice(
              context.language,
              // The same reading in the customer's words (the cart keeps the business's names).
              readNativeOrder(catalogIn(catalog, context.language), context.ordering.native ?? []),
              catalog.currency,
              moneyIn(context.language),
            );
      const notice = [context.notice, told].filter((line): line is string => Boolean(line)).join('\n');
      return {
        ordering: {
          ...context.ordering,
          catalog,
          cart: reading.cart.lines.length > 0 ? reading.cart : context.ordering.cart,
          native: undefined,
          itemId: undefined,
          editing: false,
          category: undefined,
          page: 1,
          quantityError: undefined,
        },
        notice: notice.length > 0 ? notice : undefined,
      };
    }),
    orderingForgetNative: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, native: undefined }),
    }),
    /** A form reply (a WhatsApp Flow) at the address step: its address is the delivery address. */
    orderingUseFormAddress: ordering.assign({
      ordering: ({ context, event }) => {
        const text = event.type === 'user.form' ? formAddress(event.response) : undefined;
        return text === undefined ? context.ordering : { ...context.ordering, address: { text } };
      },
    }),
    orderingForgetTyped: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, typed: undefined }),
    }),
    /**
     * The typed text named nothing on the menu: it goes back to the root as the customer's message, where
     * an AI (if the business has one) may still make sense of it, or the root says it did not understand.
     */
    orderingHandBack: ordering.enqueueActions(({ context, enqueue }) => {
      const typed = context.ordering.typed ?? '';
      enqueue.assign({ ordering: { ...context.ordering, typed: undefined, declined: typed } });
      enqueue.raise({ type: 'user.text', text: typed });
    }),
    orderingLoaded: ordering.assign({
      ordering: ({ context, event }) => ({
        ...context.ordering,
        catalog: outputOf<OrderingCatalog>(event),
        category: undefined,
        page: 1,
      }),
    }),
    /** Accepted AI lines are not kept for later when the menu cannot load: the customer asks again. */
    orderingDropPending: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, pending: undefined }),
    }),
    orderingShowClarify: ordering.emit(({ context }) =>
      clarifyMessage(context.language, context.ordering.candidates ?? [], {
        currency: currencyOf(context.ordering),
        formatMoney: moneyIn(context.language),
      }),
    ),
    orderingAskQuantity: ordering.emit(({ context }) => {
      const { language } = context;
      const current = currentItem(context.ordering);
      const item = current
        ? itemIn(current, language)
        : { name: t(language, 'ordering:quantity.thisItem'), priceMinor: 0 };
      const message = quantityMessage(language, item, currencyOf(context.ordering), moneyIn(language), {
        ...(context.ordering.quantityError ? { error: context.ordering.quantityError } : {}),
        editing: context.ordering.editing === true,
      });
      // A pending line (the greeting before a first message's dish) goes in the same message.
      return context.notice && message.type === 'reply.buttons'
        ? { ...message, text: `${context.notice}\n\n${message.text}`.slice(0, 1024) }
        : message;
    }),
    orderingShowAdded: ordering.emit(({ context }) =>
      addedMessage(
        context.language,
        shownCart(context.ordering, context.language),
        context.ordering.itemId ?? '',
        currencyOf(context.ordering),
        moneyIn(context.language),
      ),
    ),
    orderingShowCart: ordering.emit(({ context }) => {
      const message = cartMessage(
        context.language,
        shownCart(context.ordering, context.language),
        currencyOf(context.ordering),
        moneyIn(context.language),
        cartTermsText(
          context.language,
          context.ordering.cart,
          context.ordering,
          currencyOf(context.ordering),
          moneyIn(context.language),
        ),
        cartTotalText(
          context.language,
          context.ordering.cart,
          context.ordering,
          currencyOf(context.ordering),
          moneyIn(context.language),
        ),
      );
      return context.notice && 'text' in message
        ? { ...message, text: `${context.notice}\n\n${message.text}`.slice(0, 1024) }
        : message;
    }),
    orderingShowEdit: ordering.emit(({ context }) => editMessage(context.language, context.ordering)),
    orderingRememberEdit: ordering.assign({
      ordering: ({ context }) => ({
        ...context.ordering,
        shown: shownIds(editMessage(context.language, context.ordering)),
      }),
    }),
    orderingAskCancel: ordering.emit(({ context }) => ({
      type: 'reply.buttons',
      text: t(context.language, 'ordering:cancel.question'),
      buttons: [
        { id: 'order.cancel.yes', title: t(context.language, 'ordering:cancel.yes.button') },
        { id: 'order.cancel.no', title: t(context.language, 'ordering:cancel.no.button') },
      ],
    })),
    // Checkout.
    orderingRefresh: ordering.assign({
      ordering: ({ context, event }) => {
        const catalog = outputOf<OrderingCatalog>(event);
        const { cart, changes } = reconcile(context.ordering.cart, catalog);
        // Said in the customer's words: the changed items' names as the catalog shows them in their language.
        const shown = catalogIn(catalog, context.language).items;
        const named = changes.map((change) => ({
          ...change,
          name: shown.find((item) => item.id === change.itemId)?.name ?? change.name,
        }));
        const told = changesMessage(context.language, named, catalog.currency, moneyIn(context.language));
        return { ...context.ordering, catalog, cart, ...(told ? { changes: told } : { changes: undefined }) };
      },
    }),
    orderingSayEmptied: ordering.assign({
      notice: ({ context }) =>
        `${context.ordering.changes ?? ''}\n${t(context.language, 'ordering:cart.emptied')}`.trim(),
    }),
    orderingPickup: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, fulfilment: 'pickup' as const }),
    }),
    orderingDelivery: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, fulfilment: 'delivery' as const }),
    }),
    orderingAskFulfilment: ordering.emit(({ context }) => ({
      type: 'reply.buttons',
      text: [context.notice, t(context.language, 'ordering:fulfilment.question')]
        .filter((line): line is string => Boolean(line))
        .join('\n'),
      buttons: [
        { id: 'order.pickup', title: t(context.language, 'ordering:fulfilment.pickup.button') },
        { id: 'order.delivery', title: t(context.language, 'ordering:fulfilment.delivery.button') },
      ],
    })),
    orderingAskAddress: ordering.emit(({ context }) =>
      addressQuestion(context.language, context.ordering.catalog?.savedAddresses),
    ),
    orderingUseSavedAddress: ordering.assign({
      ordering: ({ context, event }) => {
        const picked = pickedSavedAddress(context.ordering, event);
        return picked ? { ...context.ordering, address: picked } : context.ordering;
      },
    }),
    orderingUseTypedAddress: ordering.assign({
      ordering: ({ context, event }) => ({
        ...context.ordering,
        address: { text: event.type === 'user.text' ? event.text.trim() : '' },
      }),
    }),
    orderingUseLocation: ordering.assign({
      ordering: ({ context, event }) =>
        event.type === 'user.location'
          ? {
              ...context.ordering,
              address: {
                latitude: event.latitude,
                longitude: event.longitude,
                ...(event.address ? { text: event.address } : event.name ? { text: event.name } : {}),
              },
            }
          : context.ordering,
    }),
    orderingAskNote: ordering.emit(({ context }) => ({
      type: 'reply.buttons',
      text: t(context.language, 'ordering:note.question'),
      buttons: [{ id: 'order.nonote', title: t(context.language, 'ordering:note.none.button') }],
    })),
    orderingNoNote: ordering.assign({
      ordering: ({ context }) => ({ ...context.ordering, note: undefined }),
    }),
    orderingTakeNote: ordering.assign({
      ordering: ({ context, event }) => {
        const typed = event.type === 'user.text' ? event.text.trim() : '';
        return { ...context.ordering, note: NO_NOTE.test(typed) ? undefined : typed.slice(0, 300) };
      },
    }),
    orderingShowSummary: ordering.emit(({ context }) =>
      summaryMessage(context.language, context.ordering, context.notice),
    ),
    /** The order is placed: the staff are told, and the customer hears it with the menu. */
    orderingPlaced: ordering.enqueueActions(({ context, event, enqueue }) => {
      const { orderNumber, preOrder } = outputOf<PlacedOrder>(event);
      const draft = context.ordering;
      // The staff's notice is in the business's language; the customer's in theirs.
      const staff = context.staffLanguage ?? 'en';
      const values = {
        number: orderNumber,
        lines: draft.cart.lines.map((l) => `${l.quantity}× ${l.name}`).join(', '),
        total: formatMoney(orderTotal(draft), currencyOf(draft), staff),
        fulfilment: staffFulfilment(staff, draft.fulfilment, draft.address),
      };
      enqueue.emit({
        type: 'notify.staff',
        text: [
          t(staff, 'staff:notice.newOrder', values),
          ...(draft.note ? [t(staff, 'staff:notice.orderNote', { note: draft.note })] : []),
          ...(preOrder ? [t(staff, 'staff:notice.preOrder', openingWords(staff, preOrder))] : []),
        ].join('\n'),
        // Outside the staff number's 24-hour window: the business's approved template carries it.
        template: {
          purpose: 'staff.newOrder',
          values: {
            orderNumber: values.number,
            items: values.lines,
            total: values.total,
            fulfilment: values.fulfilment,
          },
        },
      });
      const placed = t(context.language, 'ordering:placed', {
        number: orderNumber,
        total: moneyIn(context.language)(orderTotal(draft), currencyOf(draft)),
      });
      enqueue.assign({
        notice: preOrder
          ? `${placed}\n${t(context.language, 'ordering:placed.preOrder', openingWords(context.language, preOrder))}`
          : placed,
      });
    }),
  },
  guards: {
    ...termsImpl.guards,
    orderingDecides: ({ context, event }: GuardArgs, kind: DecisionKind) => {
      const decision = decide(context.ordering, event, context.language);
      return decision.kind === 'cart' ? `cart.${decision.action}` === kind : decision.kind === kind;
    },
    orderingQuantityGiven: ({ context, event }: GuardArgs) => {
      if (event.type === 'user.button') {
        const choice = parseChoiceId(event.id);
        return choice?.kind === 'quantity' && (choice.quantity > 0 || context.ordering.editing === true);
      }
      return (
        event.type === 'user.text' && parseQuantity(event.text, { allowZero: context.ordering.editing }).ok
      );
    },
    orderingCartEmpty: ({ context }: GuardArgs) => context.ordering.cart.lines.length === 0,
    orderingEditing: ({ context }: GuardArgs) => context.ordering.editing === true,
    orderingHasPending: ({ context }: GuardArgs) => (context.ordering.pending?.length ?? 0) > 0,
    /** Typed text that reads as an order before the catalog is known ("quiero pedir…", "2 margaritas…"). */
    orderingLooksLikeOrder: ({ context, event }: GuardArgs) =>
      event.type === 'user.text' &&
      event.text.slice(0, MAX_ORDER_TEXT) !== context.ordering.declined &&
      looksLikeOrder(event.text),
    /** The typed order names items with quantities, or several items: they go to the cart. */
    orderingTypedLines: ({ context, event }: GuardArgs) => {
      const reading = readTyped(context, outputOf<OrderingCatalog>(event));
      return reading.lines.length > 1 || (reading.lines.length === 1 && reading.quantified);
    },
    /** The typed order names one item without a quantity: how many is asked. */
    orderingTypedItem: ({ context, event }: GuardArgs) =>
      readTyped(context, outputOf<OrderingCatalog>(event)).lines.length === 1,
    /**
     * The typed order named no item, but a category, or said it was an order ("quiero pedir"): the menu.
     * Otherwise it was not an order after all ("tengo dos preguntas"), and the root answers it.
     */
    orderingTypedBrowse: ({ context, event }: GuardArgs) =>
      readTyped(context, outputOf<OrderingCatalog>(event)).category !== undefined ||
      saysOrder(context.ordering.typed ?? ''),
    /**
     * The typed order names something on the menu, but the business is closed and takes no orders for
     * later: the same answer as a tap on *Order* then (when it opens), not "not understood".
     */
    orderingTypedWhileClosed: (args: GuardArgs) => {
      if (!termsImpl.guards.orderingClosedNoPreOrders(args)) return false;
      const reading = readTyped(args.context, outputOf<OrderingCatalog>(args.event));
      return (
        reading.lines.length > 0 ||
        reading.category !== undefined ||
        saysOrder(args.context.ordering.typed ?? '')
      );
    },
    /** The native order names at least one item we sell: it becomes the cart. */
    orderingNativeLines: ({ context, event }: GuardArgs) =>
      readNativeOrder(outputOf<OrderingCatalog>(event), context.ordering.native ?? []).cart.lines.length > 0,
    /** A form reply that holds a delivery address. */
    orderingFormAddress: ({ event }: GuardArgs) =>
      event.type === 'user.form' && formAddress(event.response) !== undefined,
    orderingOffersBoth: ({ context }: GuardArgs) =>
      Boolean(context.ordering.catalog?.fulfilment.pickup && context.ordering.catalog.fulfilment.delivery),
    orderingDeliveryOnly: ({ context }: GuardArgs) =>
      Boolean(context.ordering.catalog?.fulfilment.delivery && !context.ordering.catalog.fulfilment.pickup),
    orderingTapped: ({ event }: GuardArgs, id: string) => event.type === 'user.button' && event.id === id,
    orderingSaidPickup: ({ event }: GuardArgs) =>
      event.type === 'user.text' && saidFulfilment(event.text) === 'pickup',
    orderingSaidDelivery: ({ event }: GuardArgs) =>
      event.type === 'user.text' && saidFulfilment(event.text) === 'delivery',
    orderingPickedSavedAddress: ({ context, event }: GuardArgs) =>
      pickedSavedAddress(context.ordering, event) !== undefined,
    orderingAddressTyped: ({ event }: GuardArgs) =>
      event.type === 'user.text' && event.text.trim().length >= 5 && event.text.trim().length <= 300,
  },
};

/** Ordering's setup with its actions and guards: what its state files build on. */
export const orderingSetup = ordering.extend(orderingImpl);
