import { TEMPLATE_BUTTON_ACTIONS, TEMPLATE_BUTTON_PAYLOADS } from '../core/templates.js';
import type { TemplateButtonAction } from '../core/templates.js';
import type { TemplatePurpose } from './types.js';

export { TEMPLATE_BUTTON_ACTIONS, TEMPLATE_BUTTON_PAYLOADS };
export type { TemplateButtonAction };

/** Every message the bot may have to send outside the 24-hour window, in the order the portal lists them. */
export const TEMPLATE_PURPOSES = [
  'order.status',
  'staff.newOrder',
  'staff.handoff',
  'staff.cancellation',
  'staff.reply',
  'reminder',
  'staff.booking',
  'appointment.notice',
] as const satisfies readonly TemplatePurpose[];

/** A value the sender supplies for a purpose, and how the portal names it. */
export interface PurposeValue {
  name: string;
  label: string;
}

export interface PurposeInfo {
  /** The portal's name for the purpose (English, like the rest of the portal). */
  label: string;
  /** Who gets it and when. */
  hint: string;
  /** The values a template's parameters can be filled with. */
  values: readonly PurposeValue[];
}

const businessName: PurposeValue = { name: 'businessName', label: 'Business name' };
const orderNumber: PurposeValue = { name: 'orderNumber', label: 'Order number' };

/** What each purpose is and which values its sender fills in. */
export const PURPOSES: Readonly<Record<TemplatePurpose, PurposeInfo>> = {
  'order.status': {
    label: 'Order status notice',
    hint: 'To the customer when their order changes status, more than 24 hours after they last wrote.',
    values: [orderNumber, { name: 'status', label: 'Status in words (customer’s language)' }, businessName],
  },
  'staff.newOrder': {
    label: 'Staff alert: new order',
    hint: 'To your staff numbers when an order comes in and a staff number has not written in 24 hours.',
    values: [
      orderNumber,
      { name: 'items', label: 'Items' },
      { name: 'total', label: 'Total' },
      { name: 'fulfilment', label: 'Pickup or delivery' },
    ],
  },
  'staff.handoff': {
    label: 'Staff alert: customer wants a person',
    hint: 'To your staff numbers when a customer asks for a person.',
    values: [businessName],
  },
  'staff.cancellation': {
    label: 'Staff alert: order cancelled',
    hint: 'To your staff numbers when a customer cancels an order.',
    values: [orderNumber],
  },
  'staff.reply': {
    label: 'Staff reply outside the window',
    hint: 'To the customer when a person answered them more than 24 hours after they last wrote: it reopens the chat.',
    values: [businessName],
  },
  reminder: {
    label: 'Reminder',
    hint: 'Appointment reminders to customers whose last message is more than 24 hours old: when, what, business.',
    values: [businessName, { name: 'when', label: 'When' }, { name: 'what', label: 'What' }],
  },
  'staff.booking': {
    label: 'Staff alert: appointment booked or moved',
    hint: 'To your staff numbers when a customer books or moves an appointment in chat and a staff number has not written in 24 hours.',
    values: [
      { name: 'appointmentNumber', label: 'Appointment number' },
      { name: 'service', label: 'Service' },
      { name: 'when', label: 'When' },
    ],
  },
  'appointment.notice': {
    label: 'Appointment notice',
    hint: 'To the customer when you book, move or cancel their appointment (in the portal or by the API) and they have not written in 24 hours.',
    values: [
      businessName,
      { name: 'appointmentNumber', label: 'Appointment number' },
      { name: 'what', label: 'Service (customer’s language)' },
      { name: 'when', label: 'When' },
      { name: 'change', label: 'Booked, moved or cancelled, in words (customer’s language)' },
    ],
  },
};

/** How the portal names each button action. */
export const BUTTON_ACTION_LABELS: Readonly<Record<TemplateButtonAction, string>> = {
  track: 'Track my order',
  menu: 'Show the menu',
  person: 'Talk to a person',
  optout: 'Stop messages (opt-out)',
};

export const isPurpose = (value: string): value is TemplatePurpose =>
  (TEMPLATE_PURPOSES as readonly string[]).includes(value);

export const isButtonAction = (value: string): value is TemplateButtonAction =>
  (TEMPLATE_BUTTON_ACTIONS as readonly string[]).includes(value);
