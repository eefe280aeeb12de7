import { assign, emit } from 'xstate';
import { ERASE_NO, ERASE_YES } from '../src/core/vocabulary.js';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';
import { t } from '../src/language/i18n.js';
import type { MessageKey } from '../src/language/i18n.js';
import type { Language } from '../src/language/languages.js';
import { defineConcern } from './concerns.js';
import type { Menu } from './menu.js';
import { addressText } from './ordering/address.js';
import {
  REMOVE,
  cleanName,
  correctionRequest,
  correctionSummary,
  openOrdersText,
  privacyMenu,
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
import type { GuardArgs, RootContext } from './setup.js';

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
  /** The summary is written in the conversation's language. */
  privacyAccess: notProvided<AccessAnswer, { language: Language }>('privacyAccess'),
  /** The offer is written in `language`, which the request keeps for the receipt sent after the erasure. */
  offerErasure: notProvided<ErasureOffer, { otherPerson: boolean; language: Language }>('offerErasure'),
  decideErasure: notProvided<ErasureDecision, { token: string; confirm: boolean; language: Language }>(
    'decideErasure',
  ),
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
    /** Keep the catalogue text `key` to say with the next message (the menu), in the conversation's language. */
    privacySay: assign<RootContext, FlowEvent, MessageKey, FlowEvent, never>(({ context }, key) => ({
      notice: t(context.language, key),
    })),
    /** Say the catalogue text `key` on its own, now, in the conversation's language. */
    privacyReply: emit<RootContext, FlowEvent, MessageKey, FlowEvent, FlowEmitted>(({ context }, key) =>
      text(t(context.language, key)),
    ),
    privacyShowMenu: privacy.emit(({ context }) => privacyMenu(context.language)),
    privacyAskWhich: privacy.emit(({ context }) => ({
      type: 'reply.buttons',
      text: t(context.language, 'privacy:correct.which'),
      buttons: [
        { id: 'pv.correct.name', title: t(context.language, 'privacy:correct.which.name.button') },
        { id: 'pv.correct.address', title: t(context.language, 'privacy:correct.which.address.button') },
        { id: 'pv.correct.phone', title: t(context.language, 'privacy:correct.which.phone.button') },
      ],
    })),
    privacySendAccess: privacy.enqueueActions(({ enqueue, event }) => {
      for (const message of outputOf<AccessAnswer>(event).messages) enqueue.emit(message);
    }),
    /** Open orders first, in a message of their own (the buttons' text has a 1024-character limit). */
    privacyOfferErasure: privacy.enqueueActions(({ context, enqueue, event }) => {
      const offer = outputOf<ErasureOffer>(event);
      if (offer.kind === 'offer' && offer.openOrders.length > 0)
        enqueue.emit(text(openOrdersText(offer.openOrders.slice(0, 20), context.language)));
      enqueue.emit(
        offer.kind === 'offer'
          ? {
              type: 'reply.buttons',
              text: offer.text,
              buttons: [
                {
                  id: `${ERASE_YES}${offer.token}`,
                  title: t(context.language, 'privacy:erase.delete.button'),
                },
                { id: `${ERASE_NO}${offer.token}`, title: t(context.language, 'privacy:erase.keep.button') },
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
    privacyErasing: privacy.enqueueActions(({ context, enqueue, event }) => {
      const decision = outputOf<ErasureDecision>(event);
      enqueue.emit(text(t(context.language, 'privacy:erase.erasing')));
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
        name
          ? t(context.language, 'privacy:correct.name.known', { name })
          : t(context.language, 'privacy:correct.name.none'),
      );
    }),
    privacyAskAddress: privacy.emit(({ context }) => ({
      type: 'reply.list',
      text: t(context.language, 'privacy:correct.pickAddress'),
      button: t(context.language, 'privacy:correct.pickAddress.button'),
      sections: [
        {
          rows: (context.privacy.correction?.profile?.addresses ?? []).map((address, index) => ({
            id: `pv.fix.addr:${index}`,
            title: t(context.language, 'privacy:correct.address.row', { number: index + 1 }),
            description: addressText(address, context.language).slice(0, 72),
          })),
        },
      ],
    })),
    privacyAskConfirm: privacy.emit(({ context }) => ({
      type: 'reply.buttons',
      text: correctionSummary(context.privacy.correction, context.language),
      buttons: [
        { id: 'pv.fix.yes', title: t(context.language, 'privacy:correct.save.button') },
        { id: 'pv.fix.no', title: t(context.language, 'privacy:correct.cancel.button') },
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

const HINT = { type: 'privacyReply' as const, params: 'privacy:correct.hint' as const };

/** *Save* / *Cancel* under the before/after, tapped or typed. */
function confirmAnswer() {
  return [
    { guard: { type: 'tappedOrSaid' as const, params: 'pv.fix.yes' }, target: 'saving' },
    {
      guard: { type: 'tappedOrSaid' as const, params: 'pv.fix.no' },
      target: '#root.menu',
      actions: { type: 'privacySay' as const, params: 'privacy:correct.unchanged' as const },
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
        entry: { type: 'privacyReply', params: 'privacy:access.ack' },
        invoke: {
          src: 'privacyAccess',
          input: ({ context }) => ({ language: context.language }),
          onDone: { target: '#root.idle', actions: 'privacySendAccess' },
          onError: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:access.failed' },
          },
        },
      },
      /** "Delete my data": what goes, what stays and why, then *Delete my data* / *Keep my data*. */
      erase: {
        invoke: {
          src: 'offerErasure',
          input: ({ context }) => ({
            otherPerson: context.privacy.otherPerson === true,
            language: context.language,
          }),
          onDone: { target: '#root.idle', actions: ['privacyOfferErasure', 'privacyForgetRequest'] },
          onError: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:erase.failed' },
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
            language: context.language,
          }),
          onDone: [
            { guard: 'privacyConfirmed', target: '#root.erased', actions: 'privacyErasing' },
            {
              guard: 'privacyCancelled',
              target: '#root.menu',
              actions: { type: 'privacySay', params: 'privacy:erase.kept' },
            },
            {
              target: '#root.idle',
              actions: { type: 'privacyReply', params: 'privacy:erase.stale' },
            },
          ],
          onError: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:erase.decideFailed' },
          },
        },
      },
      optingOut: {
        invoke: {
          src: 'setOptOut',
          input: () => ({ optedOut: true }),
          onDone: {
            target: '#root.idle',
            actions: { type: 'privacyReply', params: 'privacy:optOut.done' },
          },
          onError: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:optOut.failed' },
          },
        },
      },
      optingIn: {
        invoke: {
          src: 'setOptOut',
          input: () => ({ optedOut: false }),
          onDone: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:optIn.done' },
          },
          onError: {
            target: '#root.menu',
            actions: { type: 'privacySay', params: 'privacy:optIn.failed' },
          },
        },
      },
      /** Correcting the name or a saved address: before/after, then *Save*. The phone number is explained. */
      correcting: {
        initial: 'loading',
        exit: 'privacyForgetCorrection',
        on: {
          'user.location': { actions: HINT },
          'user.media': { actions: HINT },
          'user.unsupported': { actions: HINT },
        },
        states: {
          loading: {
            invoke: {
              src: 'loadProfile',
              onDone: [
                {
                  guard: { type: 'privacyFixing', params: 'phone' },
                  target: '#root.idle',
                  actions: { type: 'privacyReply', params: 'privacy:correct.phone' },
                },
                {
                  guard: { type: 'privacyFixing', params: 'name' },
                  target: 'name',
                  actions: 'privacyRememberProfile',
                },
                {
                  guard: 'privacyNoAddresses',
                  target: '#root.menu',
                  actions: { type: 'privacySay', params: 'privacy:correct.noAddresses' },
                },
                { target: 'pickAddress', actions: 'privacyRememberProfile' },
              ],
              onError: {
                target: '#root.menu',
                actions: { type: 'privacySay', params: 'privacy:correct.loadFailed' },
              },
            },
          },
          name: {
            tags: ['awaiting-input', 'data-entry'],
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
            tags: ['awaiting-input', 'data-entry'],
            entry: { type: 'privacyReply', params: 'privacy:correct.addressPrompt' },
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
                actions: { type: 'privacySay', params: 'privacy:correct.saved' },
              },
              onError: {
                target: '#root.menu',
                actions: { type: 'privacySay', params: 'privacy:correct.saveFailed' },
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
    row: { id: 'menu.privacy', title: 'privacy:menu.row', description: 'privacy:menu.rowDescription' },
    words: ['privacy', 'privacidad', 'privacidade', 'confidentialité', 'datenschutz'],
    help: 'privacy:menu.help',
    // Re-entered when picked again from the privacy menu itself, so the list is shown again.
    reenter: true,
  },
});
