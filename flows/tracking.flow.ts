import { defineConcern } from './concerns.js';
import type { Menu } from './menu.js';
import { t } from '../src/language/i18n.js';
import type { Language } from '../src/language/languages.js';
import { base, notProvided, outputOf } from './setup.js';
import type { GuardArgs } from './setup.js';

/** Bump whenever the tracking states or its context slice change shape: only tracking restarts. */
export const trackingVersion = 2;

/** What `recentOrders` returns: the text to show (in the language it was asked for), and the numbers of orders still `placed` (cancellable). */
export interface TrackedOrders {
  text: string;
  cancellable: string[];
  /** Per cancellable order number, its items and total as the confirmation says them ("2× Margherita, €19.00"). */
  summaries?: Record<string, string>;
}

/** Tracking's own state: the orders as last shown, and the order number a *Cancel order* tap names. */
export interface TrackingSlice {
  /** With the language they were written in: shown again in another, they are fetched again. */
  orders?: TrackedOrders & { language?: Language };
  cancelling?: string;
  /** The order being cancelled, in words, for "Cancel order 1003 (2× Margherita, €19.00)?". */
  summary?: string;
}

declare module './setup.js' {
  interface RootContext {
    tracking: TrackingSlice;
  }
}

export const trackingInitial = (): TrackingSlice => ({});

/** The effects tracking invokes (supplied by src/conversation/effects/tracking.ts). */
export const trackingActors = {
  recentOrders: notProvided<TrackedOrders, { language: Language }>('recentOrders'),
  cancelPlacedOrder: notProvided<void, { orderNumber: string }>('cancelPlacedOrder'),
};

const CANCEL_PLACED = 'order.cancelPlaced:';
/** The confirmation's buttons (typed yes or no works too: the `tappedOrSaid` guard). */
const CANCEL_YES = 'order.cancelPlaced.yes';
const CANCEL_NO = 'order.cancelPlaced.no';

/** The order number of a *Cancel order* tap on an order shown as still cancellable (never a forged or stale one). */
function tappedCancel(context: GuardArgs['context'], event: GuardArgs['event']): string | undefined {
  if (event.type !== 'user.button' || !event.id.startsWith(CANCEL_PLACED)) return undefined;
  const number = event.id.slice(CANCEL_PLACED.length);
  return (context.tracking.orders?.cancellable ?? []).includes(number) ? number : undefined;
}

const tracking = base(trackingActors);

/** Tracking's named actions and guards, for the root to compose (`base(…).extend(trackingImpl)`). */
export const trackingImpl = {
  actions: {
    trackingRemember: tracking.assign({
      tracking: ({ context, event }) => ({
        orders: { ...outputOf<TrackedOrders>(event), language: context.language },
      }),
    }),
    trackingSayOrders: tracking.assign({ notice: ({ event }) => outputOf<TrackedOrders>(event).text }),
    trackingSayFailed: tracking.assign({
      notice: ({ context }) => t(context.language, 'tracking:orders.failed'),
    }),
    // Orders written in another language than the conversation's are not shown: `tracked` fetches them again.
    trackingShow: tracking.enqueueActions(({ context, enqueue }) => {
      if (context.tracking.orders?.language !== context.language) return;
      enqueue.emit({
        type: 'reply.buttons',
        text: `${context.tracking.orders.text}\n\n${t(context.language, 'tracking:orders.cancelHint')}`,
        buttons: [
          ...context.tracking.orders.cancellable.slice(0, 2).map((n) => ({
            id: `${CANCEL_PLACED}${n}`,
            title: t(context.language, 'tracking:cancel.button', { number: n }).slice(0, 20),
          })),
          { id: 'cmd.menu', title: t(context.language, 'tracking:menu.button') },
        ],
      });
    }),
    /**
     * Leaving the list: the orders shown are forgotten. A *Cancel order* tap keeps that order's number and
     * its summary for the confirmation (this runs before the transition's own actions, so it is kept here).
     */
    trackingForget: tracking.assign({
      tracking: ({ context, event }) => {
        const number = tappedCancel(context, event);
        const summary = number ? context.tracking.orders?.summaries?.[number] : undefined;
        return {
          orders: undefined,
          ...(number ? { cancelling: number } : {}),
          ...(summary ? { summary } : {}),
        };
      },
    }),
    /** "Cancel order 1003 (2× Margherita, €19.00)?" with *Yes, cancel* and *No, keep it*. */
    trackingAskCancel: tracking.emit(({ context }) => {
      const number = context.tracking.cancelling ?? '';
      const summary = context.tracking.summary;
      return {
        type: 'reply.buttons' as const,
        text: summary
          ? t(context.language, 'tracking:cancel.confirm', { number, summary })
          : t(context.language, 'tracking:cancel.confirmBare', { number }),
        buttons: [
          { id: CANCEL_YES, title: t(context.language, 'tracking:cancel.yes.button') },
          { id: CANCEL_NO, title: t(context.language, 'tracking:cancel.no.button') },
        ],
      };
    }),
    /** *No, keep it*: nothing changes, said with the menu. */
    trackingKept: tracking.assign({
      notice: ({ context }) =>
        t(context.language, 'tracking:cancel.kept', { number: context.tracking.cancelling ?? '' }),
      tracking: () => ({}),
    }),
    /** Anything else at the confirmation: the order is not cancelled, and nothing is kept for it. */
    trackingDropCancel: tracking.assign({ tracking: () => ({}) }),
    /** Cancelled: the customer hears it with the menu, and the staff are told not to prepare it. */
    trackingCancelled: tracking.enqueueActions(({ context, enqueue }) => {
      const number = context.tracking.cancelling ?? '';
      enqueue.emit({
        type: 'notify.staff',
        text: t(context.staffLanguage ?? 'en', 'staff:notice.customerCancelled', { number }),
        template: { purpose: 'staff.cancellation', values: { orderNumber: number } },
      });
      enqueue.assign({
        notice: t(context.language, 'tracking:cancel.done', { number }),
        tracking: { ...context.tracking, cancelling: undefined, summary: undefined },
      });
    }),
    trackingNotCancelled: tracking.assign({
      notice: ({ context }) =>
        t(context.language, 'tracking:cancel.refused', {
          number: context.tracking.cancelling ?? '',
          person: t(context.language, 'root:menu.human.row'),
        }),
      tracking: ({ context }) => ({ ...context.tracking, cancelling: undefined, summary: undefined }),
    }),
  },
  guards: {
    trackingSomeCancellable: ({ event }: GuardArgs) => outputOf<TrackedOrders>(event).cancellable.length > 0,
    /** The conversation changed language since the orders were written: fetch them again in it. */
    trackingInOtherLanguage: ({ context }: GuardArgs) =>
      context.tracking.orders !== undefined && context.tracking.orders.language !== context.language,
    /** A *Cancel order* tap on an order shown as still cancellable (never a forged or stale number). */
    trackingTappedCancel: ({ context, event }: GuardArgs) => tappedCancel(context, event) !== undefined,
  },
};

/** Recent orders, with a *Cancel order* button for each one the business has not confirmed yet. */
const trackingStates = ({ choices }: Menu) =>
  tracking.extend(trackingImpl).createStateConfig({
    id: 'tracking',
    initial: 'loading',
    states: {
      loading: {
        invoke: {
          src: 'recentOrders',
          input: ({ context }) => ({ language: context.language }),
          onDone: [
            { guard: 'trackingSomeCancellable', target: 'tracked', actions: 'trackingRemember' },
            { target: '#root.menu', actions: 'trackingSayOrders' },
          ],
          onError: {
            target: '#root.menu',
            actions: 'trackingSayFailed',
          },
        },
      },
      tracked: {
        tags: 'awaiting-input',
        entry: 'trackingShow',
        exit: 'trackingForget',
        always: { guard: 'trackingInOtherLanguage', target: 'loading' },
        on: {
          'user.button': [
            { guard: 'trackingTappedCancel', target: 'confirmCancel' },
            { target: '#root.menu' },
          ],
          'user.list': [...choices, { target: '#root.menu' }],
          'user.text': [...choices, { target: '#root.confused' }],
          'user.location': { target: '#root.menu' },
          'user.media': { target: '#root.menu' },
          'user.unsupported': { target: '#root.menu' },
        },
      },
      /** "Cancel order 1003 (2× Margherita, €19.00)?": only *Yes, cancel* (or a typed yes) cancels it. */
      confirmCancel: {
        tags: 'awaiting-input',
        entry: 'trackingAskCancel',
        on: {
          'user.button': [
            { guard: { type: 'tappedOrSaid', params: CANCEL_YES }, target: 'cancelling' },
            {
              guard: { type: 'tappedOrSaid', params: CANCEL_NO },
              target: '#root.menu',
              actions: 'trackingKept',
            },
            { target: '#root.menu', actions: 'trackingDropCancel' },
          ],
          'user.text': [
            { guard: { type: 'tappedOrSaid', params: CANCEL_YES }, target: 'cancelling' },
            {
              guard: { type: 'tappedOrSaid', params: CANCEL_NO },
              target: '#root.menu',
              actions: 'trackingKept',
            },
            ...choices.map((choice) => ({
              ...choice,
              actions: ['trackingDropCancel', 'understood'] as const,
            })),
            { target: '#root.confused', actions: 'trackingDropCancel' },
          ],
          'user.list': [
            ...choices.map((choice) => ({
              ...choice,
              actions: ['trackingDropCancel', 'understood'] as const,
            })),
            { target: '#root.menu', actions: 'trackingDropCancel' },
          ],
          'user.location': { target: '#root.menu', actions: 'trackingDropCancel' },
          'user.media': { target: '#root.menu', actions: 'trackingDropCancel' },
          'user.unsupported': { target: '#root.menu', actions: 'trackingDropCancel' },
        },
      },
      cancelling: {
        invoke: {
          src: 'cancelPlacedOrder',
          input: ({ context }) => ({ orderNumber: context.tracking.cancelling ?? '' }),
          onDone: { target: '#root.menu', actions: 'trackingCancelled' },
          onError: { target: '#root.menu', actions: 'trackingNotCancelled' },
        },
      },
    },
  });

/** "Track my order": the customer's recent orders, and cancelling one not yet confirmed. */
export const trackingConcern = defineConcern({
  id: 'tracking',
  version: trackingVersion,
  actors: trackingActors,
  impl: trackingImpl,
  states: trackingStates,
  initial: trackingInitial,
  menu: {
    row: { id: 'menu.track', title: 'tracking:menu.row', description: 'tracking:menu.rowDescription' },
    words: ['track', 'seguir', 'acompanhar', 'suivre', 'verfolgen'],
    // "Where is my order?", "¿cómo va mi pedido?": the customer's recent orders.
    asks: 'track',
    help: 'tracking:menu.help',
    // Orders are tracked where orders are taken.
    offer: 'ordering',
  },
});
