/**
 * The bot's own vocabulary, independent of Meta's wire format: the webhook parser turns payloads into
 * `InboundMessage`/`StatusUpdate`, flows consume `InboundEvent` and emit `OutboundMessage`, and the
 * WhatsApp client turns `OutboundMessage` into Graph API JSON. Everything here survives JSON round trips.
 */
import type { CustomerIdentity } from './identity.js';

export type { CustomerIdentity };

/** What the customer did, as a flow sees it. Event names are dotted and namespaced. */
export type InboundEvent =
  | { type: 'user.text'; text: string }
  /** A tap on an interactive reply button, or on a template quick-reply button (`payload` as `id`). */
  | { type: 'user.button'; id: string; title: string }
  | { type: 'user.list'; id: string; title: string; description?: string }
  | { type: 'user.location'; latitude: number; longitude: number; name?: string; address?: string }
  | {
      type: 'user.media';
      mediaType: 'image' | 'video' | 'audio' | 'document' | 'sticker';
      mediaId: string;
      mimeType?: string;
      caption?: string;
      filename?: string;
    }
  /** Anything the bot cannot read (reactions, polls, contacts, unknown types); `kind` says what it was. */
  | { type: 'user.unsupported'; kind: string }
  /**
   * A native catalogue order (Meta's `order` message, from the commerce catalogue linked to the number):
   * the products by retailer id, with the quantities and the prices Meta showed (major units, as sent).
   */
  | { type: 'user.order'; catalogId: string; text?: string; items: NativeOrderItem[] }
  /**
   * A WhatsApp Flows reply (`interactive.nfm_reply`): the form's answers by field name; `flowToken` is the
   * token the flow was sent with, `name` Meta's name for the reply (`flow`, `address_message`).
   */
  | { type: 'user.form'; name?: string; response: FormResponse; flowToken?: string }
  /**
   * A reaction to one of the bot's messages (`messageWamid`); `emoji` is empty when the customer removed it.
   * The engine records it on the outbox record (`outboxId`, when it is one of ours) and the flows stay
   * silent unless a step wants it: a 👍 on the order summary is not a confirmation.
   */
  | { type: 'user.reaction'; emoji: string; messageWamid: string; outboxId?: string }
  /** The customer opened the chat for the first time (Meta's `request_welcome`): answered as a first "hi". */
  | { type: 'user.welcome' };

/** One line of a native catalogue order. */
export interface NativeOrderItem {
  /** Meta's `product_retailer_id`: the item's content id in the commerce catalogue. */
  retailerId: string;
  quantity: number;
  /** The unit price Meta showed, in major units (12.5), and its currency. */
  itemPrice: number;
  currency: string;
}

/** One answer of a form: what a WhatsApp Flow can return for a field. */
export type FormValue = string | number | boolean | Array<string | number | boolean>;
/** A form's answers by field name. */
export type FormResponse = Record<string, FormValue>;

export interface InboundMessage {
  /** Meta's message id (`wamid.…`): the idempotency key for the whole pipeline. */
  wamid: string;
  /** The receiving business number: which business this message belongs to. */
  phoneNumberId: string;
  customer: CustomerIdentity;
  /** Unix epoch milliseconds, from Meta's string of seconds. */
  timestamp: number;
  /** The wamid of our message the customer replied to or tapped, when Meta sends one. */
  contextWamid?: string;
  event: InboundEvent;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface StatusUpdate {
  /** The wamid of our outbound message. */
  wamid: string;
  phoneNumberId: string;
  status: DeliveryStatus;
  timestamp: number;
  errors: Array<{ code: number; title: string }>;
  /** Meta's echo of the send's `biz_opaque_callback_data`: the bot's outbox record id. */
  callbackData?: string;
}

export interface ReplyButton {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

/** What the bot says, as data. The WhatsApp client validates limits before anything is sent. */
export type OutboundMessage =
  | { type: 'reply.text'; text: string; previewUrl?: boolean }
  | { type: 'reply.buttons'; text: string; header?: string; footer?: string; buttons: ReplyButton[] }
  | {
      type: 'reply.list';
      text: string;
      header?: string;
      footer?: string;
      /** The label of the button that opens the list. */
      button: string;
      sections: ListSection[];
    }
  /** The only kind allowed outside the 24-hour customer-service window. */
  /**
   * An approved template: positional body parameters, and optionally the payload of each button by the button's
   * index in the template (`''` leaves that button, a link or an unused one, without a payload).
   */
  | {
      type: 'reply.template';
      name: string;
      language: string;
      bodyParameters?: string[];
      buttonPayloads?: string[];
    }
  /** A document: an uploaded media id, or content the client uploads first. */
  | {
      type: 'reply.document';
      filename: string;
      caption?: string;
      mediaId?: string;
      content?: { base64: string; mimeType: string };
    };

/** Where a message goes: a phone number id (sender) and the customer (recipient). */
export interface Recipient {
  waId?: string;
  userId?: string;
}

/** Commands recognised at every step of every flow, from text in several languages or from taps. */
export type CommandEvent =
  | { type: 'command.menu' }
  | { type: 'command.help' }
  | { type: 'command.cancel' }
  | { type: 'command.human' };

/**
 * Events the runner generates: a deadline stored in context has passed; the business handed the chat back;
 * a staff member took the chat in the portal.
 */
export type SystemEvent = { type: 'system.timeout' } | { type: 'system.resume' } | { type: 'system.taken' };

/** The personal data a customer can ask to correct in chat (the phone number is explained, not changed). */
export type CorrectableField = 'name' | 'address' | 'phone';

/**
 * A privacy request, recognised before anything else from typed text (five languages) or a tap. The
 * subject is always the verified sender: no event carries a phone number or names another person.
 */
export type PrivacyEvent =
  | { type: 'privacy.menu' }
  | { type: 'privacy.access' }
  /** `otherPerson`: the text seemed to name someone else (a phone number); the answer says why it can't. */
  | { type: 'privacy.erase'; otherPerson?: boolean }
  | { type: 'privacy.correct'; field?: CorrectableField }
  | { type: 'privacy.optOut' }
  | { type: 'privacy.optIn' }
  /** "No AI": never have replies phrased by an AI; "AI is fine" reverses it. */
  | { type: 'privacy.noAi' }
  | { type: 'privacy.aiOk' }
  /** A tap on the *Delete my data* button: its single-use token. */
  | { type: 'privacy.eraseConfirm'; token: string }
  | { type: 'privacy.eraseCancel'; token: string };

/**
 * A tap on a button of an appointment reminder (`appt.confirm:<id>`, as an interactive reply or a template's
 * quick reply): answered from any step. `id` is only what the tap says: the effects check that the
 * appointment is the sender's own and still open.
 */
export type AppointmentEvent =
  | { type: 'appointment.confirm'; id: string }
  | { type: 'appointment.move'; id: string }
  | { type: 'appointment.cancel'; id: string };

/** Everything a flow can receive. */
export type FlowEvent = InboundEvent | CommandEvent | SystemEvent | PrivacyEvent | AppointmentEvent;

/** A message for the business's own staff (its admin numbers), not for the customer. */
export interface StaffNotification {
  type: 'notify.staff';
  text: string;
  /** A handoff: the staff are also told how to hand the chat back (`/resume <customer>`). */
  handoff?: boolean;
  /**
   * What carries the alert to a staff number whose 24-hour window is closed: the purpose of the business's
   * approved template and its parameters' values (src/templates/ maps them).
   */
  template?: {
    purpose: 'staff.newOrder' | 'staff.handoff' | 'staff.cancellation';
    values: Record<string, string>;
  };
}

/**
 * The customer confirmed the erasure of their data: the engine runs the erasure job (src/privacy/) after
 * this step instead of saving the conversation, which the job deletes.
 */
export interface ErasureEffect {
  type: 'effect.erase';
  requestId: string;
}

/** Everything a flow can emit: replies to the customer, notifications to the staff, and the erasure. */
export type FlowEmitted = OutboundMessage | StaffNotification | ErasureEffect;

/** Prefixes of the button ids that carry an erasure's single-use token (*Delete my data* / *Keep my data*). */
export const ERASE_YES = 'pv.erase.yes:';
export const ERASE_NO = 'pv.erase.no:';

/** The tag every state that waits for the customer carries; the runner settles on it. */
export const AWAITING_INPUT = 'awaiting-input';
