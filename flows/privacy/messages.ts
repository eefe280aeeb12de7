import type { CorrectableField, FlowEvent, OutboundMessage } from '../../src/core/vocabulary.js';
import type { OpenOrderStatus } from '../../src/core/order-status.js';
import { ORDER_STATUS_PHRASE } from '../../src/language/order-status.js';
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

/** How an open order's status reads in the erasure offer: "placed" reads "not started yet" there. */
const OPEN_STATUS_TEXT: Record<OpenOrderStatus, string> = {
  ...ORDER_STATUS_PHRASE,
  placed: 'not started yet',
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

/** The "My data & privacy" menu: each row is a privacy request (src/privacy/intents.ts reads the ids). */
export const PRIVACY_MENU: OutboundMessage = {
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

export const PHONE_CANNOT_CHANGE =
  'Your phone number cannot be changed here: it is how WhatsApp tells us this chat is yours, so nobody can ' +
  'move your data to another number by typing it. To use another number, just write to us from it. ' +
  'You can also have this number’s data deleted: type *delete my data*.';

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
export function correctionSummary(draft: CorrectionDraft | undefined): string {
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
