import { randomBytes, randomInt } from 'node:crypto';

/** Unix seconds as Meta writes them: a string. */
export function nowSeconds(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds);
}

export function newWamid(): string {
  return `wamid.E2E${randomBytes(12).toString('hex')}`;
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

interface MessageOptions {
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
    id: options.wamid ?? newWamid(),
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

/** A status webhook for one of our outbound messages. */
export function statusUpdate(
  phoneNumberId: string,
  wamid: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  errors?: Array<{ code: number; title: string }>,
): Record<string, unknown> {
  return messagesChange(phoneNumberId, {
    statuses: [
      {
        id: wamid,
        status,
        timestamp: nowSeconds(),
        recipient_id: '12025550143',
        ...(errors ? { errors: errors.map((e) => ({ ...e, message: e.title })) } : {}),
      },
    ],
  });
}

/** Rewrites every message and status timestamp in a fixture to now (a fixture's dates are months old). */
export function freshen<T>(payload: T): T {
  const copy = JSON.parse(JSON.stringify(payload)) as T;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.timestamp === 'string') record.timestamp = nowSeconds();
      Object.values(record).forEach(visit);
    }
  };
  visit(copy);
  return copy;
}

/** Random decimal digits, e.g. for ids a test owns alone. */
function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(randomInt(10));
  return out;
}

/** A 15-digit phone number id no other test uses: one business per test keeps tests independent. */
export function newPhoneNumberId(): string {
  return `9${digits(14)}`;
}

/** A customer's wa_id (12 digits) no other test uses. */
export function newWaId(): string {
  return `3${digits(11)}`;
}
