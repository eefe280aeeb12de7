import type { CorrectableField, FlowEvent, OutboundMessage } from '../../src/core/vocabulary.js';
import type { OpenOrderStatus, OrderStatus } from '../../src/core/order-status.js';
import { t } from '../../src/language/i18n.js';
import type { MessageKey } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { addressText } from '../ordering/address.js';
import type { DeliveryAddress } from '../ordering/address.js';

/** The customer's profile as the correction steps show it (loaded by `loadProfile`). */
export interface ProfileView {
  name?: string;
  addresses: DeliveryAddress[];
}

/**
 * An order the customer has open when they ask to delete their data, and what the erasure will do to it:
 * `cancel` (the business has not started it) or `handover` (under way: it goes ahead, and only what its
 * handover needs is kept until it is finished).
 */
export interface OpenOrderOutcome {
  orderNumber: number;
  status: OpenOrderStatus;
  outcome: 'cancel' | 'handover';
}

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

/** How an order's status reads to the customer (the access summary), in the catalogue. */
export const ORDER_STATUS_KEY: Readonly<Record<OrderStatus, MessageKey>> = {
  placed: 'privacy:orderStatus.placed',
  confirmed: 'privacy:orderStatus.confirmed',
  preparing: 'privacy:orderStatus.preparing',
  ready: 'privacy:orderStatus.ready',
  out_for_delivery: 'privacy:orderStatus.outForDelivery',
  completed: 'privacy:orderStatus.completed',
  cancelled: 'privacy:orderStatus.cancelled',
};

/** How an open order's status reads in the erasure offer: "placed" reads "not started yet" there. */
const OPEN_STATUS_KEY: Readonly<Record<OpenOrderStatus, MessageKey>> = {
  ...ORDER_STATUS_KEY,
  placed: 'privacy:orderStatus.notStarted',
};

/** The open orders an erasure would touch, one line each, said before the customer confirms. */
export function openOrdersText(orders: readonly OpenOrderOutcome[], language: Language): string {
  const lines = orders.map((o) =>
    t(
      language,
      o.outcome === 'cancel' ? 'privacy:erase.openOrders.cancel' : 'privacy:erase.openOrders.handover',
      {
        number: o.orderNumber,
        status: t(language, OPEN_STATUS_KEY[o.status]),
      },
    ),
  );
  return [t(language, 'privacy:erase.openOrders.title', { total: orders.length }), ...lines].join('\n');
}

/** The "My data & privacy" menu: each row is a privacy request (src/privacy/intents.ts reads the ids). */
export function privacyMenu(language: Language): OutboundMessage {
  const row = (id: string, name: 'access' | 'correct' | 'erase' | 'stop' | 'start') => ({
    id,
    title: t(language, `privacy:menu.${name}.row`),
    description: t(language, `privacy:menu.${name}.rowDescription`),
  });
  return {
    type: 'reply.list',
    text: t(language, 'privacy:menu.body'),
    button: t(language, 'privacy:menu.button'),
    sections: [
      {
        title: t(language, 'privacy:menu.section.row'),
        rows: [
          row('pv.access', 'access'),
          row('pv.correct', 'correct'),
          row('pv.erase', 'erase'),
          row('pv.stop', 'stop'),
          row('pv.start', 'start'),
        ],
      },
    ],
  };
}

export const REMOVE =
  /^(remove|delete|borrar|eliminar|remover|apagar|supprimer|effacer|löschen|loschen|entfernen)$/i;

/** A name as typed: 1–80 characters with at least one letter, no line breaks. */
export function validName(typed: string): boolean {
  const name = cleanName(typed);
  return name.length >= 1 && name.length <= 80 && /\p{L}/u.test(name);
}

export function cleanName(typed: string): string {
  return typed.replace(/\s+/g, ' ').trim();
}

/** The saved address a tapped row (`pv.fix.addr:<n>`) or a typed number (1-based) picks. */
export function savedIndex(event: FlowEvent): number | undefined {
  if (event.type === 'user.list' || event.type === 'user.button') {
    const match = /^pv\.fix\.addr:(\d)$/.exec(event.id);
    return match ? Number(match[1]) : undefined;
  }
  if (event.type === 'user.text' && /^\d$/.test(event.text.trim())) return Number(event.text.trim()) - 1;
  return undefined;
}

/** Before and after, so the customer sees exactly what *Save* will change. */
export function correctionSummary(draft: CorrectionDraft | undefined, language: Language): string {
  const none = t(language, 'privacy:correct.none');
  if (draft?.field === 'address') {
    const before = draft.profile?.addresses[draft.index ?? 0];
    return t(language, 'privacy:correct.confirm.address', {
      before: addressText(before, language) || none,
      after: draft.remove ? t(language, 'privacy:correct.removed') : addressText(draft.address, language),
    });
  }
  return t(language, 'privacy:correct.confirm.name', {
    before: draft?.profile?.name ?? none,
    after: draft?.name ?? '',
  });
}

export function correctionRequest(draft: CorrectionDraft | undefined): CorrectionRequest {
  if (draft?.field === 'address') {
    return {
      field: 'address',
      index: draft.index ?? 0,
      ...(draft.remove || !draft.address ? {} : { value: draft.address }),
    };
  }
  return { field: 'name', value: draft?.name ?? '' };
}
