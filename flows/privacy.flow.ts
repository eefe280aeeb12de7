import { ERASE_NO, ERASE_YES } from '../src/core/vocabulary.js';
import type { OutboundMessage } from '../src/core/vocabulary.js';
import { defineConcern } from './concerns.js';
import type { Menu } from './menu.js';
import { addressText } from './ordering/address.js';
import {
  PHONE_CANNOT_CHANGE,
  PRIVACY_MENU,
  REMOVE,
  cleanName,
  correctionRequest,
  correctionSummary,
  openOrdersText,
  savedIndex,
  validName,
} from './privacy/messages.js';
import type {
  CorrectionDraft,
  CorrectionRequest,
  OpenOrderOutcome,
  ProfileView,
} from './privacy/messages.js';
import { base, notProvided, outputOf, text } from './setup.js';
import type { GuardArgs } from './setup.js';

export type {
  CorrectionDraft,
  CorrectionRequest,
  OpenOrderOutcome,
  ProfileView,
} from './privacy/messages.js';
export { openOrdersText } from './privacy/messages.js';

/** Bump whenever the privacy states or its context slice change shape: only privacy restarts. */
export const privacyVersion = 1;

/** What `privacyAccess` returns: the readable summary and the export document, in sending order. */
export interface AccessAnswer {
  messages: OutboundMessage[];
}

/**
 * What `offerErasure` returns: what will be deleted and kept, the customer's open orders and what happens
 * to each, and the token the *Delete* button carries.
 */
export type ErasureOffer =
  | { kind: 'offer'; text: string; token: string; openOrders: OpenOrderOutcome[] }
  | { kind: 'in-progress'; text: string };

/** What a tap on *Delete my data* / *Keep my data* achieved: nothing, when its token is stale or used. */
export type ErasureDecision =
  { kind: 'confirmed'; requestId: string } | { kind: 'cancelled' } | { kind: 'stale' };

/** Privacy's own state: the erasure's other-person flag, a tapped token, a correction being made. */
export interface PrivacySlice {
  otherPerson?: boolean;
  token?: string;
  correction?: CorrectionDraft;
}

declare module './setup.js' {
  interface RootContext {
    privacy: PrivacySlice;
  }
}

export const privacyInitial = (): PrivacySlice => ({});

/** The effects privacy requests invoke (supplied by src/conversation/effects/privacy.ts). */
export const privacyActors = {
  privacyAccess: notProvided<AccessAnswer, void>('privacyAccess'),
  offerErasure: notProvided<ErasureOffer, { otherPerson: boolean }>('offerErasure'),
  decideErasure: notProvided<ErasureDecision, { token: string; confirm: boolean }>('decideErasure'),
  setOptOut: notProvided<void, { optedOut: boolean }>('setOptOut'),
  loadProfile: notProvided<ProfileView, void>('loadProfile'),
  applyCorrection: notProvided<void, CorrectionRequest>('applyCorrection'),
};

const privacy = base(privacyActors);

/** Sets part of the correction being made. */
function correcting(
  context: { privacy: PrivacySlice },
  field: CorrectionDraft['field'],
  change: Partial<CorrectionDraft>,
) {
  return { ...context.privacy, correction: { ...(context.privacy.correction ?? { field }), ...change } };
}

/** Privacy's named actions and guards, for the root to compose (`base(…).extend(privacyImpl)`). */
export const privacyImpl = {
  actions: {
    privacyShowMenu: privacy.emit(() => PRIVACY_MENU),
    privacyAskWhich: privacy.emit(() => ({
      type: 'reply.buttons',
      text: 'What would you like to correct?',
      buttons: [
        { id: 'pv.correct.name', title: 'My name' },
        { id: 'pv.correct.address', title: 'A saved address' },
        { id: 'pv.correct.phone', title: 'My phone number' },
      ],
    })),
    privacySendAccess: privacy.enqueueActions(({ enqueue, event }) => {
      for (const message of outputOf<AccessAnswer>(event).messages) enqueue.emit(message);
    }),
    /** Open orders first, in a message of their own (the buttons' text has a 1024-character limit). */
    privacyOfferErasure: privacy.enqueueActions(({ enqueue, event }) => {
      const offer = outputOf<ErasureOffer>(event);
      if (offer.kind === 'offer' && offer.openOrders.length > 0)
        enqueue.emit(text(openOrdersText(offer.openOrders.slice(0, 20))));
      enqueue.emit(
        offer.kind === 'offer'
          ? {
              type: 'reply.buttons',
              text: offer.text,
              buttons: [
                { id: `${ERASE_YES}${offer.token}`, title: 'Delete my data' },
                { id: `${ERASE_NO}${offer.token}`, title: 'Keep my data' },
              ],
            }
          : text(offer.text),
      );
    }),
    privacyRememberErase: privacy.assign({
      privacy: ({ context, event }) => ({
        ...context.privacy,
        token: undefined,
        otherPerson: event.type === 'privacy.erase' && event.otherPerson === true,
      }),
    }),
    privacyRememberToken: privacy.assign({
      privacy: ({ context, event }) => ({
        ...context.privacy,
        otherPerson: undefined,
        token:
          event.type === 'privacy.eraseConfirm' || event.type === 'privacy.eraseCancel'
            ? event.token
            : undefined,
      }),
    }),
    /** The token is used (or stale) once decided: it is not kept in the stored conversation. */
    privacyForgetRequest: privacy.assign({
      privacy: ({ context }) => ({ ...context.privacy, otherPerson: undefined, token: undefined }),
    }),
    privacyErasing: privacy.enqueueActions(({ enqueue, event }) => {
      const decision = outputOf<ErasureDecision>(event);
      enqueue.emit(text('Deleting your data now. I will confirm here in a moment.'));
      enqueue.emit({
        type: 'effect.erase',
        requestId: decision.kind === 'confirmed' ? decision.requestId : '',
      });
    }),
    privacyStartCorrection: privacy.assign({
      privacy: ({ context, event }) => ({
        ...context.privacy,
        correction: { field: event.type === 'privacy.correct' ? (event.field ?? 'name') : 'name' },
      }),
    }),
    privacyForgetCorrection: privacy.assign({
      privacy: ({ context }) => ({ ...context.privacy, correction: undefined }),
    }),
    privacyRememberProfile: privacy.assign({
      privacy: ({ context, event }) => correcting(context, 'name', { profile: outputOf<ProfileView>(event) }),
    }),
    privacyRememberSavedIndex: privacy.assign({
      privacy: ({ context, event }) => correcting(context, 'address', { index: savedIndex(event) }),
    }),
    privacyRememberName: privacy.assign({
      privacy: ({ context, event }) =>
        correcting(context, 'name', { name: event.type === 'user.text' ? cleanName(event.text) : '' }),
    }),
    privacyRememberRemoval: privacy.assign({
      privacy: ({ context }) => correcting(context, 'address', { remove: true, address: undefined }),
    }),
    privacyRememberAddress: privacy.assign({
      privacy: ({ context, event }) =>
        correcting(context, 'address', {
          remove: false,
          address: { text: event.type === 'user.text' ? event.text.trim() : '' },
        }),
    }),
    privacyAskName: privacy.emit(({ context }) => {
      const name = context.privacy.correction?.profile?.name;
      return text(
        `${name ? `The name we have for you is *${name}*.` : 'We have no name for you.'} ` +
          'Type your name as you would like us to use it, or *cancel*.',
      );
    }),
    privacyAskAddress: privacy.emit(({ context }) => ({
      type: 'reply.list',
      text: 'Which saved address do you want to correct or remove?',
      button: 'Addresses',
      sections: [
        {
          rows: (context.privacy.correction?.profile?.addresses ?? []).map((address, index) => ({
            id: `pv.fix.addr:${index}`,
            title: `Address ${index + 1}`,
            description: addressText(address).slice(0, 72),
          })),
        },
      ],
    })),
    privacyAskConfirm: privacy.emit(({ context }) => ({
      type: 'reply.buttons',
      text: correctionSummary(context.privacy.correction),
      buttons: [
        { id: 'pv.fix.yes', title: 'Save' },
        { id: 'pv.fix.no', title: 'Cancel' },
      ],
    })),
  },
  guards: {
    privacyNamesField: ({ event }: GuardArgs) =>
      event.type === 'privacy.correct' && event.field !== undefined,
    privacyConfirmed: ({ event }: GuardArgs) => outputOf<ErasureDecision>(event).kind === 'confirmed',
    privacyCancelled: ({ event }: GuardArgs) => outputOf<ErasureDecision>(event).kind === 'cancelled',
    privacyFixing: ({ context }: GuardArgs, field: CorrectionDraft['field']) =>
      context.privacy.correction?.field === field,
    privacyNoAddresses: ({ event }: GuardArgs) => outputOf<ProfileView>(event).addresses.length === 0,
    privacyPickedSavedAddress: ({ context, event }: GuardArgs) => {
      const index = savedIndex(event);
      return index !== undefined && index < (context.privacy.correction?.profile?.addresses.length ?? 0);
    },
    privacyValidName: ({ event }: GuardArgs) => event.type === 'user.text' && validName(event.text),
    privacySaidRemove: ({ event }: GuardArgs) => event.type === 'user.text' && REMOVE.test(event.text.trim()),
    privacyAddressTyped: ({ event }: GuardArgs) =>
      event.type === 'user.text' && event.text.trim().length >= 5 && event.text.trim().length <= 300,
  },
};

const privacySetup = privacy.extend(privacyImpl);

const HINT =
  'Please answer the question above by typing, or type *cancel* to leave your details as they are.';

/** *Save* / *Cancel* under the before/after, tapped or typed. */
function confirmAnswer() {
  return [
    { guard: { type: 'tappedOrSaid' as const, params: 'pv.fix.yes' }, target: 'saving' },
    {
      guard: { type: 'tappedOrSaid' as const, params: 'pv.fix.no' },
      target: '#root.menu',
      actions: { type: 'say' as const, params: 'OK, nothing was changed.' },
    },
    { target: 'confirm', reenter: true },
  ];
}

/**
 * Privacy requests, from any state (also while a person handles the chat): answered at once. The root
 * puts these in its own `on`.
 */
const privacyRequests = {
  'privacy.menu': { target: '.privacy', actions: 'understood' },
  'privacy.access': { target: '.privacy.access', actions: 'understood' },
  'privacy.erase': { target: '.privacy.erase', actions: ['understood', 'privacyRememberErase'] },
  'privacy.eraseConfirm': { target: '.privacy.decide', actions: ['understood', 'privacyRememberToken'] },
  'privacy.eraseCancel': { target: '.privacy.decide', actions: ['understood', 'privacyRememberToken'] },
  'privacy.correct': [
    {
      guard: 'privacyNamesField',
      target: '.privacy.correcting',
      reenter: true,
      actions: ['understood', 'privacyStartCorrection'],
    },
    { target: '.privacy.correctWhich', actions: 'understood' },
  ],
  'privacy.optOut': { target: '.privacy.optingOut', actions: 'understood' },
  'privacy.optIn': { target: '.privacy.optingIn', actions: 'understood' },
} as const;

/** The "My data & privacy" answers: see, correct, erase, opt out or in. Erasure ends at the root's `erased`. */
const privacyStates = ({ resting }: Menu) =>
  privacySetup.createStateConfig({
    id: 'privacy',
    initial: 'menu',
    states: {
      /** "My data & privacy": its rows are privacy events, handled at the root from any state. */
      menu: { tags: 'awaiting-input', entry: 'privacyShowMenu', on: resting },
      /** "Correct my data" without saying what: name, address, or the phone number (explained). */
      correctWhich: { tags: 'awaiting-input', entry: 'privacyAskWhich', on: resting },
      /** "What data do you have on me?": the readable summary and the export document, to this chat only. */
      access: {
        entry: { type: 'reply', params: 'Got it: you asked to see your data. Putting it together now…' },
        invoke: {
          src: 'privacyAccess',
          onDone: { target: '#root.idle', actions: 'privacySendAccess' },
          onError: {
            target: '#root.menu',
            actions: {
              type: 'say',
              params:
                'Sorry, I could not put your data together right now. Your request is recorded; please ask again in a few minutes.',
            },
          },
        },
      },
      /** "Delete my data": what goes, what stays and why, then *Delete my data* / *Keep my data*. */
      erase: {
        invoke: {
          src: 'offerErasure',
          input: ({ context }) => ({ otherPerson: context.privacy.otherPerson === true }),
          onDone: { target: '#root.idle', actions: ['privacyOfferErasure', 'privacyForgetRequest'] },
          onError: {
            target: '#root.menu',
            actions: {
              type: 'say',
              params:
                'Sorry, something went wrong on our side. Your request is recorded; please ask again in a few minutes.',
            },
          },
        },
      },
      /** A tap on *Delete my data* or *Keep my data*: its token decides; a stale or used one changes nothing. */
      decide: {
        exit: 'privacyForgetRequest',
        invoke: {
          src: 'decideErasure',
          input: ({ context, event }) => ({
            token: context.privacy.token ?? '',
            confirm: event.type === 'privacy.eraseConfirm',
          }),
          onDone: [
            { guard: 'privacyConfirmed', target: '#root.erased', actions: 'privacyErasing' },
            {
              guard: 'privacyCancelled',
              target: '#root.menu',
              actions: { type: 'say', params: 'OK, nothing was deleted. Your data stays as it is.' },
            },
            {
              target: '#root.idle',
              actions: {
                type: 'reply',
                params:
                  'That button has expired or was already used, so nothing changed. Type *delete my data* to start again.',
              },
            },
          ],
          onError: {
            target: '#root.menu',
            actions: {
              type: 'say',
              params: 'Sorry, something went wrong on our side. Please tap the button again.',
            },
          },
        },
      },
      optingOut: {
        invoke: {
          src: 'setOptOut',
          input: () => ({ optedOut: true }),
          onDone: {
            target: '#root.idle',
            actions: {
              type: 'reply',
              params:
                "Done: you won't get order updates or other messages from us unless you write first. " +
                'We still answer when you write. Type *start* to get updates again.',
            },
          },
          onError: {
            target: '#root.menu',
            actions: { type: 'say', params: 'Sorry, please send *stop* again in a moment.' },
          },
        },
      },
      optingIn: {
        invoke: {
          src: 'setOptOut',
          input: () => ({ optedOut: false }),
          onDone: {
            target: '#root.menu',
            actions: { type: 'say', params: "Welcome back: you'll get order updates here again." },
          },
          onError: {
            target: '#root.menu',
            actions: { type: 'say', params: 'Sorry, please send *start* again in a moment.' },
          },
        },
      },
      /** Correcting the name or a saved address: before/after, then *Save*. The phone number is explained. */
      correcting: {
        initial: 'loading',
        exit: 'privacyForgetCorrection',
        on: {
          'user.location': { actions: { type: 'reply', params: HINT } },
          'user.media': { actions: { type: 'reply', params: HINT } },
          'user.unsupported': { actions: { type: 'reply', params: HINT } },
        },
        states: {
          loading: {
            invoke: {
              src: 'loadProfile',
              onDone: [
                {
                  guard: { type: 'privacyFixing', params: 'phone' },
                  target: '#root.idle',
                  actions: { type: 'reply', params: PHONE_CANNOT_CHANGE },
                },
                {
                  guard: { type: 'privacyFixing', params: 'name' },
                  target: 'name',
                  actions: 'privacyRememberProfile',
                },
                {
                  guard: 'privacyNoAddresses',
                  target: '#root.menu',
                  actions: {
                    type: 'say',
                    params:
                      'You have no saved addresses with us. An address is saved when you order for delivery.',
                  },
                },
                { target: 'pickAddress', actions: 'privacyRememberProfile' },
              ],
              onError: {
                target: '#root.menu',
                actions: { type: 'say', params: 'Sorry, I could not load your details right now.' },
              },
            },
          },
          name: {
            tags: 'awaiting-input',
            entry: 'privacyAskName',
            on: {
              'user.text': [
                { guard: 'privacyValidName', target: 'confirm', actions: 'privacyRememberName' },
                { target: 'name', reenter: true },
              ],
              'user.button': { target: 'name', reenter: true },
              'user.list': { target: 'name', reenter: true },
            },
          },
          pickAddress: {
            tags: 'awaiting-input',
            entry: 'privacyAskAddress',
            on: {
              // A tapped row, or its number typed.
              'user.list': [
                {
                  guard: 'privacyPickedSavedAddress',
                  target: 'address',
                  actions: 'privacyRememberSavedIndex',
                },
                { target: 'pickAddress', reenter: true },
              ],
              'user.text': [
                {
                  guard: 'privacyPickedSavedAddress',
                  target: 'address',
                  actions: 'privacyRememberSavedIndex',
                },
                { target: 'pickAddress', reenter: true },
              ],
              'user.button': { target: 'pickAddress', reenter: true },
            },
          },
          address: {
            tags: 'awaiting-input',
            entry: {
              type: 'reply',
              params:
                'Type the corrected address, or *remove* to delete it from your saved addresses (or *cancel*).',
            },
            on: {
              'user.text': [
                { guard: 'privacySaidRemove', target: 'confirm', actions: 'privacyRememberRemoval' },
                { guard: 'privacyAddressTyped', target: 'confirm', actions: 'privacyRememberAddress' },
                { target: 'address', reenter: true },
              ],
              'user.button': { target: 'address', reenter: true },
              'user.list': { target: 'address', reenter: true },
            },
          },
          confirm: {
            tags: 'awaiting-input',
            entry: 'privacyAskConfirm',
            on: {
              'user.button': confirmAnswer(),
              'user.text': confirmAnswer(),
              'user.list': { target: 'confirm', reenter: true },
            },
          },
          saving: {
            invoke: {
              src: 'applyCorrection',
              input: ({ context }) => correctionRequest(context.privacy.correction),
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
    },
  });

/** "My data & privacy": see, correct or delete one's data, opt out or in; its requests work from anywhere. */
export const privacyConcern = defineConcern({
  id: 'privacy',
  version: privacyVersion,
  actors: privacyActors,
  impl: privacyImpl,
  states: privacyStates,
  initial: privacyInitial,
  on: privacyRequests,
  menu: {
    row: { id: 'menu.privacy', title: 'My data & privacy', description: 'See, correct or delete your data' },
    words: ['privacy'],
    help: 'see or delete *your data*',
    // Re-entered when picked again from the privacy menu itself, so the list is shown again.
    reenter: true,
  },
});
