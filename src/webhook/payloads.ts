/**
 * Builders of Meta-shaped webhook bodies (`whatsapp_business_account` → entry → changes → value): inbound
 * customer messages and status updates. The local simulator posts them to the bot's own signed `/webhook`,
 * and the tests use the same builders, so both exercise exactly the payloads the parser reads.
 */
import { randomBytes } from 'node:crypto';

/** Unix seconds as Meta writes them: a string. */
export function nowSeconds(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds);
}

/** A wamid-looking id, unique per call (`wamid.<prefix><random>`); wamids are opaque to the bot. */
export function randomWamid(prefix = 'SIM'): string {
  return `wamid.${prefix}${randomBytes(12).toString('hex')}`;
}

/** A whole webhook body with one `messages` change for `phoneNumberId` carrying `value`'s arrays. */
export function messagesChange(
  phoneNumberId: string,
  value: Record<string, unknown>,
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '109876543210001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100123', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export interface MessageOptions {
  phoneNumberId: string;
  /** wa_id of the customer; omit and give userId for a BSUID-only sender. */
  waId?: string;
  userId?: string;
  name?: string;
  wamid?: string;
  /** Unix seconds as a string; default now. */
  timestamp?: string;
}

/** A webhook body with one inbound message of any type (`content` is the per-type part, e.g. `{ text: … }`). */
export function inboundMessage(
  options: MessageOptions,
  type: string,
  content: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const contact: Record<string, unknown> = { profile: { name: options.name ?? 'Test Customer' } };
  if (options.waId) contact.wa_id = options.waId;
  if (options.userId) contact.user_id = options.userId;
  const message: Record<string, unknown> = {
    ...(options.waId ? { from: options.waId } : {}),
    ...(options.userId ? { from_user_id: options.userId } : {}),
    id: options.wamid ?? randomWamid(),
    timestamp: options.timestamp ?? nowSeconds(),
    type,
    ...content,
    ...extra,
  };
  return messagesChange(options.phoneNumberId, { contacts: [contact], messages: [message] });
}

export function inboundText(options: MessageOptions, text: string): Record<string, unknown> {
  return inboundMessage(options, 'text', { text: { body: text } });
}

/** A tap on a reply button (`interactive.button_reply`). */
export function inboundButtonReply(
  options: MessageOptions,
  id: string,
  title: string,
): Record<string, unknown> {
  return inboundMessage(options, 'interactive', {
    interactive: { type: 'button_reply', button_reply: { id, title } },
  });
}

/** A tap on a list row (`interactive.list_reply`). */
export function inboundListReply(
  options: MessageOptions,
  row: { id: string; title: string; description?: string },
): Record<string, unknown> {
  return inboundMessage(options, 'interactive', { interactive: { type: 'list_reply', list_reply: row } });
}

/** A shared location. */
export function inboundLocation(
  options: MessageOptions,
  location: { latitude: number; longitude: number; name?: string; address?: string },
): Record<string, unknown> {
  return inboundMessage(options, 'location', { location });
}

/**
 * A status webhook for one of our outbound messages; `callbackData` is the send's
 * `biz_opaque_callback_data`, which Meta echoes in every status about it.
 */
export function statusUpdate(
  phoneNumberId: string,
  wamid: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  errors?: Array<{ code: number; title: string }>,
  recipientId = '12025550143',
  callbackData?: string,
): Record<string, unknown> {
  return messagesChange(phoneNumberId, {
    statuses: [
      {
        id: wamid,
        status,
        timestamp: nowSeconds(),
        recipient_id: recipientId,
        ...(callbackData === undefined ? {} : { biz_opaque_callback_data: callbackData }),
        ...(errors ? { errors: errors.map((e) => ({ ...e, message: e.title })) } : {}),
      },
    ],
  });
}
