import { z } from 'zod';
import type { TemplateStatusUpdate } from '../core/templates.js';
import { DAY_MS } from '../core/time.js';
import type {
  CustomerIdentity,
  DeliveryStatus,
  InboundEvent,
  InboundMessage,
  StatusUpdate,
} from '../core/vocabulary.js';

/**
 * Something in a valid payload that produces no event: reactions, system notices, other webhook fields,
 * malformed items, unknown statuses. The route logs these at `info` (ids and `kind` only, never content)
 * and still answers 200, because a non-200 only makes Meta retry the same body for days.
 */
export interface IgnoredItem {
  /**
   * What it was: `message:malformed`, `message:no-sender`, `reaction` (one Meta could not render),
   * `system:<system.type>`, `status:malformed`, `status:<unknown status>`, `error:malformed`, `field:<field>`,
   * `template-status:malformed`.
   */
  kind: string;
  phoneNumberId?: string;
  /** The item's wamid when it had a readable one, so the log line can name it. */
  wamid?: string;
}

/** A `value.errors[]` entry: a system-, app- or account-level problem Meta reports (e.g. 130429). */
export interface WebhookError {
  code: number;
  title: string;
  phoneNumberId?: string;
}

/** Everything one webhook POST carried, in payload order, already translated into the bot's vocabulary. */
export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  ignored: IgnoredItem[];
  errors: WebhookError[];
  /** `message_template_status_update` changes: a template approved, rejected, paused… (no personal data). */
  templateStatus: TemplateStatusUpdate[];
}

/**
 * The body is not a WhatsApp Business Account webhook at all (wrong `object`, no `entry` array, a
 * `messages` change without `metadata.phone_number_id`, ...). Meta never sends that, so the route answers
 * 400. The message lists paths and zod's type-level descriptions only, never payload values.
 */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
  /** For the error middleware; matches the `AppError` code catalogue style. */
  readonly code = 'WEBHOOK_BAD_PAYLOAD';
  readonly status = 400;
  /** `path: problem` lines, at most {@link MAX_REPORTED_ISSUES}. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid webhook payload: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

const MAX_REPORTED_ISSUES = 5;

// ---------------------------------------------------------------------------------------------------------
// Envelope: strict. Failing here throws WebhookPayloadError.
// ---------------------------------------------------------------------------------------------------------

/** `null` is tolerated as "absent"; anything else that is not an array is a structural error. */
const itemList = z.array(z.unknown()).nullish();

/** A `messages` change must say which business number it belongs to; items inside are checked one by one. */
const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1) }),
  contacts: itemList,
  messages: itemList,
  statuses: itemList,
  errors: itemList,
});
type MessagesValue = z.infer<typeof messagesValueSchema>;

/** Other subscribable fields have their own shapes, often without `metadata`; only the number is kept. */
const otherValueSchema = z.object({
  metadata: z
    .object({ phone_number_id: z.string().min(1) })
    .optional()
    .catch(undefined),
});

/**
 * A `message_template_status_update` value (Meta's webhook reference for that field): the template's id
 * (a number in Meta's examples), name, language, the new status as `event`, and a `reason` ("NONE" or null
 * when there is none). Read on its own: a malformed one is ignored, never a 400.
 */
const templateStatusValueSchema = z.object({
  event: z.string().min(1),
  message_template_id: z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]),
  message_template_name: z.string().min(1),
  message_template_language: z.string().min(1),
  reason: z.string().nullish().catch(undefined),
});
const TEMPLATE_STATUS_FIELD = 'message_template_status_update';

type Change =
  | { field: 'messages'; value: MessagesValue }
  | { field: typeof TEMPLATE_STATUS_FIELD; template: Omit<TemplateStatusUpdate, 'wabaId'> | undefined }
  | { field: string; phoneNumberId?: string };

const changeSchema = z
  .object({ field: z.string().min(1), value: z.looseObject({}) })
  .transform((change, ctx): Change => {
    if (change.field === TEMPLATE_STATUS_FIELD) {
      const v = templateStatusValueSchema.safeParse(change.value);
      if (!v.success) return { field: TEMPLATE_STATUS_FIELD, template: undefined };
      const { event, message_template_id, message_template_name, message_template_language, reason } = v.data;
      return {
        field: TEMPLATE_STATUS_FIELD,
        template: {
          templateId: message_template_id,
          name: message_template_name,
          language: message_template_language,
          event: event.toUpperCase(),
          ...(reason ? { reason } : {}),
        },
      };
    }
    if (change.field !== 'messages') {
      const pnid = otherValueSchema.parse(change.value).metadata?.phone_number_id;
      return pnid === undefined ? { field: change.field } : { field: change.field, phoneNumberId: pnid };
    }
    const value = messagesValueSchema.safeParse(change.value);
    if (value.success) return { field: 'messages', value: value.data };
    for (const issue of value.error.issues) {
      ctx.issues.push({
        code: 'custom',
        message: issue.message,
        path: ['value', ...issue.path],
        input: undefined,
      });
    }
    return z.NEVER;
  });

const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      // The WhatsApp Business Account id: template changes carry no phone number id, only this.
      id: z
        .union([z.string(), z.number().transform(String)])
        .optional()
        .catch(undefined),
      changes: z.array(changeSchema),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------------
// Items: lenient. Failing here sends one item to `ignored` and leaves its neighbours alone.
// ---------------------------------------------------------------------------------------------------------

/** Optional display text: a wrong type is dropped rather than failing the whole item. */
const optionalText = z.string().optional().catch(undefined);

/**
 * How far ahead of this server's clock a message's timestamp may be; later ones are clamped to it. Meta's
 * clock and ours disagree by seconds; a day more is a forged or broken value, not skew.
 */
export const MAX_FUTURE_TIMESTAMP_MS = DAY_MS;

/** Meta sends a string of Unix seconds; a plain number is accepted too. Result: epoch milliseconds. */
const timestampMs = z
  .union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()])
  .transform((seconds) => Number(seconds) * 1000);

const contactSchema = z.object({
  wa_id: optionalText,
  user_id: optionalText,
  profile: z.object({ name: optionalText }).optional().catch(undefined),
});

const messageBaseSchema = z.object({
  id: z.string().min(1),
  timestamp: timestampMs,
  type: z.string().min(1),
  from: optionalText,
  from_user_id: optionalText,
  context: z.object({ id: optionalText }).optional().catch(undefined),
});
type MessageBase = z.infer<typeof messageBaseSchema>;

const textSchema = z.object({ text: z.object({ body: z.string() }) });

const interactiveSchema = z.object({ interactive: z.looseObject({ type: z.string().min(1) }) });
const buttonReplySchema = z.object({ button_reply: z.object({ id: z.string().min(1), title: z.string() }) });
const listReplySchema = z.object({
  list_reply: z.object({ id: z.string().min(1), title: z.string(), description: optionalText }),
});

/** Template quick reply. `payload` is what was set at send time; Meta's own example repeats the label. */
const templateButtonSchema = z.object({ button: z.object({ payload: optionalText, text: z.string() }) });

/** A number, or a plain decimal string (whatsapp-api-js types coordinates as strings), within range. */
const coordinate = (limit: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/)
        .transform(Number),
    ])
    .pipe(z.number().min(-limit).max(limit));

const locationSchema = z.object({
  location: z.object({
    latitude: coordinate(90),
    longitude: coordinate(180),
    name: optionalText,
    address: optionalText,
  }),
});

/** A count or price Meta writes as a number or a numeric string (its docs show both). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);

/** Lines of one native order at most: Meta's cart holds fewer; more is a broken or forged payload. */
const MAX_ORDER_ITEMS = 100;

/** A native catalogue order (`type: "order"`). */
const orderSchema = z.object({
  order: z.object({
    catalog_id: z.string().min(1),
    text: optionalText,
    product_items: z
      .array(
        z.object({
          product_retailer_id: z.string().min(1).max(200),
          quantity: numeric.pipe(z.number().int().positive().max(10_000)),
          item_price: numeric.pipe(z.number().nonnegative().finite()),
          currency: z.string().regex(/^[A-Z]{3}$/),
        }),
      )
      .min(1)
      .max(MAX_ORDER_ITEMS),
  }),
});

/** A WhatsApp Flows reply: `response_json` is a JSON string, read below. */
const nfmReplySchema = z.object({
  nfm_reply: z.object({ response_json: z.string(), name: optionalText, body: optionalText }),
});

/** Longest `response_json` read: a form's answers, not a document. */
const MAX_FORM_JSON = 20_000;
/** Fields of a form answer kept at most, and characters per text. */
const MAX_FORM_FIELDS = 50;
const formScalar = z.union([z.string().max(2000), z.number().finite(), z.boolean()]);
/** The answers: a record of text, numbers, yes/no or lists of them; nothing nested deeper. */
const formResponseSchema = z
  .record(z.string().min(1).max(100), z.union([formScalar, z.array(formScalar).max(50)]))
  .refine((record) => Object.keys(record).length <= MAX_FORM_FIELDS, 'too many fields');

/**
 * Meta's address message (`nfm_reply` named `address_message`) nests its fields in `values`: they are read
 * as the form's own fields (the form's top-level ones win), so an address form and a Flow read alike.
 */
function flattenValues(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const { values, ...rest } = json as Record<string, unknown>;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return json;
  return { ...(values as Record<string, unknown>), ...rest };
}

/** The form reply as `user.form`, or `user.unsupported` when its JSON is broken (answered, never a crash). */
function toFormEvent(interactive: unknown): EventOrKind {
  const broken = { event: { type: 'user.unsupported', kind: 'interactive:nfm_reply' } } as const;
  const r = nfmReplySchema.safeParse(interactive);
  if (!r.success || r.data.nfm_reply.response_json.length > MAX_FORM_JSON) return broken;
  let json: unknown;
  try {
    json = JSON.parse(r.data.nfm_reply.response_json);
  } catch {
    return broken;
  }
  const answers = formResponseSchema.safeParse(flattenValues(json));
  if (!answers.success) return broken;
  const { flow_token: token, ...response } = answers.data;
  const name = nonEmpty(r.data.nfm_reply.name);
  return {
    event: {
      type: 'user.form',
      response,
      ...(name === undefined ? {} : { name }),
      ...(typeof token === 'string' && token !== '' ? { flowToken: token } : {}),
    },
  };
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);
const mediaObjectSchema = z.object({
  id: z.string().min(1),
  mime_type: optionalText,
  caption: optionalText,
  filename: optionalText,
});

const unsupportedSchema = z.object({
  unsupported: z
    .object({ type: z.string().min(1) })
    .optional()
    .catch(undefined),
});
/** A reaction: `emoji` is absent when the customer removed theirs (Meta's reaction object). */
const reactionSchema = z.object({
  reaction: z.object({ message_id: z.string().min(1), emoji: optionalText }),
});
const systemSchema = z.object({
  system: z
    .object({ type: z.string().min(1) })
    .optional()
    .catch(undefined),
});

const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;
const isDeliveryStatus = (status: string): status is DeliveryStatus =>
  (DELIVERY_STATUSES as readonly string[]).includes(status);

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: timestampMs,
  errors: z.array(z.unknown()).optional().catch(undefined),
  biz_opaque_callback_data: z.string().min(1).max(512).optional().catch(undefined),
});

/** Meta's error object; `message` equals `title` in Meta's examples, so it stands in when `title` is absent. */
const errorSchema = z
  .object({ code: z.number().int(), title: optionalText, message: optionalText })
  .transform((e) => ({ code: e.code, title: e.title ?? e.message ?? '' }));

/** Treats `""` like an absent id: an empty sender id identifies nobody. */
const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

type EventOrKind = { event: InboundEvent } | { ignore: string };

/**
 * One message's event, or why it produces none. Unknown types and types the bot cannot read become
 * `user.unsupported` so the flow can say "I can't read that"; a known type with a broken body is malformed.
 */
function toEvent(type: string, raw: unknown): EventOrKind {
  const malformed = { ignore: 'message:malformed' } as const;
  switch (type) {
    case 'text': {
      const m = textSchema.safeParse(raw);
      return m.success ? { event: { type: 'user.text', text: m.data.text.body } } : malformed;
    }
    case 'interactive': {
      const m = interactiveSchema.safeParse(raw);
      if (!m.success) return malformed;
      const kind = m.data.interactive.type;
      if (kind === 'button_reply') {
        const r = buttonReplySchema.safeParse(m.data.interactive);
        if (!r.success) return malformed;
        return {
          event: { type: 'user.button', id: r.data.button_reply.id, title: r.data.button_reply.title },
        };
      }
      if (kind === 'list_reply') {
        const r = listReplySchema.safeParse(m.data.interactive);
        if (!r.success) return malformed;
        const { id, title, description } = r.data.list_reply;
        return {
          event: { type: 'user.list', id, title, ...(description === undefined ? {} : { description }) },
        };
      }
      if (kind === 'nfm_reply') return toFormEvent(m.data.interactive);
      // call_permission_reply, ...: nothing this bot sent asks for them.
      return { event: { type: 'user.unsupported', kind: `interactive:${kind}` } };
    }
    case 'button': {
      const m = templateButtonSchema.safeParse(raw);
      if (!m.success) return malformed;
      const { payload, text } = m.data.button;
      return { event: { type: 'user.button', id: nonEmpty(payload) ?? text, title: text } };
    }
    case 'location': {
      const m = locationSchema.safeParse(raw);
      if (!m.success) return malformed;
      const { latitude, longitude, name, address } = m.data.location;
      return {
        event: {
          type: 'user.location',
          latitude,
          longitude,
          ...(name === undefined ? {} : { name }),
          ...(address === undefined ? {} : { address }),
        },
      };
    }
    case 'order': {
      const m = orderSchema.safeParse(raw);
      // A broken order is still the customer's attempt to buy: answered, not dropped.
      if (!m.success) return { event: { type: 'user.unsupported', kind: 'order' } };
      const { catalog_id: catalogId, text, product_items: items } = m.data.order;
      return {
        event: {
          type: 'user.order',
          catalogId,
          ...(text === undefined || text === '' ? {} : { text }),
          items: items.map((item) => ({
            retailerId: item.product_retailer_id,
            quantity: item.quantity,
            itemPrice: item.item_price,
            currency: item.currency,
          })),
        },
      };
    }
    case 'unsupported': {
      const m = unsupportedSchema.safeParse(raw);
      const kind = m.success ? (m.data.unsupported?.type ?? 'unsupported') : 'unsupported';
      // A reaction Meta could not render is still a reaction: no reply for it.
      return kind === 'reaction' ? { ignore: 'reaction' } : { event: { type: 'user.unsupported', kind } };
    }
    case 'reaction': {
      const m = reactionSchema.safeParse(raw);
      if (!m.success) return malformed;
      const { message_id: messageWamid, emoji } = m.data.reaction;
      return { event: { type: 'user.reaction', emoji: emoji ?? '', messageWamid } };
    }
    case 'request_welcome':
      return { event: { type: 'user.welcome' } };
    default: {
      if (isMediaType(type)) return toMediaEvent(type, raw);
      // contacts, and any type Meta adds later.
      return { event: { type: 'user.unsupported', kind: type } };
    }
  }
}

function toMediaEvent(mediaType: MediaType, raw: unknown): EventOrKind {
  const m = z.object({ [mediaType]: mediaObjectSchema }).safeParse(raw);
  const media = m.success ? m.data[mediaType] : undefined;
  if (media === undefined) return { ignore: 'message:malformed' };
  return {
    event: {
      type: 'user.media',
      mediaType,
      mediaId: media.id,
      ...(media.mime_type === undefined ? {} : { mimeType: media.mime_type }),
      ...(media.caption === undefined ? {} : { caption: media.caption }),
      ...(media.filename === undefined ? {} : { filename: media.filename }),
    },
  };
}

/** System notices never get a reply: checked before the sender so they are reported as what they are. */
function silentKind(base: MessageBase, raw: unknown): string | undefined {
  if (base.type === 'system') {
    const m = systemSchema.safeParse(raw);
    const systemType = m.success ? m.data.system?.type : undefined;
    return systemType === undefined ? 'system' : `system:${systemType}`;
  }
  return undefined;
}

interface Contact {
  waId?: string;
  userId?: string;
  profileName?: string;
}

/**
 * The value's contacts indexed by id, for matching senders to contacts by id, never by array index, since
 * nothing says `contacts[i]` belongs to `messages[i]`. The first contact with an id wins. Maps keep a
 * 1000-message batch linear.
 */
class ContactBook {
  private readonly byWaId = new Map<string, Contact>();
  private readonly byUserId = new Map<string, Contact>();

  /**
   * @param soleContact Meta warns that `wa_id` and `from` may differ (Brazilian numbers are the known case),
   *   so when a value has exactly one contact and all its messages come from one sender, that contact is
   *   the sender's even without an id match.
   */
  constructor(
    contacts: readonly Contact[],
    private readonly soleContact: Contact | undefined,
  ) {
    for (const contact of contacts) {
      if (contact.waId !== undefined && !this.byWaId.has(contact.waId))
        this.byWaId.set(contact.waId, contact);
      if (contact.userId !== undefined && !this.byUserId.has(contact.userId)) {
        this.byUserId.set(contact.userId, contact);
      }
    }
  }

  /** `from` against `wa_id`, then `from_user_id` against `user_id`, then the sole contact. */
  find(from: string | undefined, fromUserId: string | undefined): Contact | undefined {
    return (
      (from === undefined ? undefined : this.byWaId.get(from)) ??
      (fromUserId === undefined ? undefined : this.byUserId.get(fromUserId)) ??
      this.soleContact
    );
  }
}

function readContacts(raw: readonly unknown[]): Contact[] {
  const contacts: Contact[] = [];
  for (const item of raw) {
    const c = contactSchema.safeParse(item);
    if (!c.success) continue; // a broken contact only costs the profile name
    const waId = nonEmpty(c.data.wa_id);
    const userId = nonEmpty(c.data.user_id);
    const profileName = c.data.profile?.name;
    contacts.push({
      ...(waId === undefined ? {} : { waId }),
      ...(userId === undefined ? {} : { userId }),
      ...(profileName === undefined ? {} : { profileName }),
    });
  }
  return contacts;
}

/** A wamid to name an item in logs even when the rest of it is unreadable. */
function readableWamid(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return undefined;
  return typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
}

function ignoredItem(kind: string, phoneNumberId: string, wamid: string | undefined): IgnoredItem {
  return wamid === undefined ? { kind, phoneNumberId } : { kind, phoneNumberId, wamid };
}

function readMessages(value: MessagesValue, phoneNumberId: string, out: ParsedWebhook, latest: number): void {
  const rawMessages = value.messages ?? [];
  const contacts = readContacts(value.contacts ?? []);
  const bases = rawMessages.map((raw) => messageBaseSchema.safeParse(raw));

  const senders = new Set<string>();
  for (const base of bases) {
    if (base.success) senders.add(`${base.data.from ?? ''}\u0000${base.data.from_user_id ?? ''}`);
  }
  const book = new ContactBook(
    contacts,
    contacts.length === 1 && senders.size === 1 ? contacts[0] : undefined,
  );

  rawMessages.forEach((raw, index) => {
    const base = bases[index];
    if (base === undefined || !base.success) {
      out.ignored.push(ignoredItem('message:malformed', phoneNumberId, readableWamid(raw)));
      return;
    }
    const message = base.data;
    const silent = silentKind(message, raw);
    if (silent !== undefined) {
      out.ignored.push(ignoredItem(silent, phoneNumberId, message.id));
      return;
    }
    const from = nonEmpty(message.from);
    const fromUserId = nonEmpty(message.from_user_id);
    if (from === undefined && fromUserId === undefined) {
      out.ignored.push(ignoredItem('message:no-sender', phoneNumberId, message.id));
      return;
    }
    const result = toEvent(message.type, raw);
    if ('ignore' in result) {
      out.ignored.push(ignoredItem(result.ignore, phoneNumberId, message.id));
      return;
    }

    const contact = book.find(from, fromUserId);
    const waId = from ?? contact?.waId;
    const userId = fromUserId ?? contact?.userId;
    const profileName = contact?.profileName;
    const customer: CustomerIdentity = {
      ...(waId === undefined ? {} : { waId }),
      ...(userId === undefined ? {} : { userId }),
      ...(profileName === undefined ? {} : { profileName }),
    };
    const contextWamid = nonEmpty(message.context?.id);
    out.messages.push({
      wamid: message.id,
      phoneNumberId,
      customer,
      // A signed timestamp far ahead would push every clock started from it (retention, the reply window).
      timestamp: Math.min(message.timestamp, latest),
      ...(contextWamid === undefined ? {} : { contextWamid }),
      event: result.event,
    });
  });
}

function readStatuses(value: MessagesValue, phoneNumberId: string, out: ParsedWebhook): void {
  for (const raw of value.statuses ?? []) {
    const s = statusSchema.safeParse(raw);
    if (!s.success) {
      out.ignored.push(ignoredItem('status:malformed', phoneNumberId, readableWamid(raw)));
      continue;
    }
    const { id, status, timestamp } = s.data;
    if (!isDeliveryStatus(status)) {
      out.ignored.push(ignoredItem(`status:${status}`, phoneNumberId, id));
      continue;
    }
    const errors: StatusUpdate['errors'] = [];
    for (const rawError of s.data.errors ?? []) {
      const e = errorSchema.safeParse(rawError);
      if (e.success) errors.push(e.data); // an unreadable error entry cannot change what `failed` means
    }
    const callbackData = s.data.biz_opaque_callback_data;
    out.statuses.push({
      wamid: id,
      phoneNumberId,
      status,
      timestamp,
      errors,
      ...(callbackData === undefined ? {} : { callbackData }),
    });
  }
}

function readErrors(value: MessagesValue, phoneNumberId: string, out: ParsedWebhook): void {
  for (const raw of value.errors ?? []) {
    const e = errorSchema.safeParse(raw);
    if (e.success) out.errors.push({ ...e.data, phoneNumberId });
    else out.ignored.push({ kind: 'error:malformed', phoneNumberId });
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Turns one webhook body (already signature-checked and `JSON.parse`d) into the bot's events.
 *
 * Why two levels of strictness: the envelope (`object`, `entry[]`, `changes[]`, and for `messages` changes
 * `metadata.phone_number_id` plus array-typed `contacts`/`messages`/`statuses`/`errors`) is checked with
 * zod and a failure throws, because such a body is not from Meta. Inside a valid envelope every
 * `entry × change × message/status` is read on its own, so one malformed or unknown item never hides its
 * neighbours: it lands in `ignored` (or becomes `user.unsupported`) while the rest are returned.
 *
 * Mapping: text → `user.text`; interactive `button_reply` and template quick replies (`type: "button"`,
 * `id` = payload) → `user.button`; `list_reply` → `user.list`; location (numbers or numeric strings, in
 * range) → `user.location`; image/video/audio/document/sticker → `user.media`; a native catalogue `order`
 * → `user.order`; a Flows reply (`interactive.nfm_reply`, its `response_json` parsed and checked) →
 * `user.form` (either broken → `user.unsupported`, answered); unsupported, contacts, other interactive
 * kinds and unknown types → `user.unsupported` with `kind`; reactions → `user.reaction` (recorded, answered
 * only where a flow wants them); `request_welcome` → `user.welcome`. System notices go to `ignored` because
 * no reply should be sent for them. `message_template_status_update` changes become `templateStatus` (with
 * the account id of their entry). Other webhook fields (`user_preferences`, ...) are ignored as
 * `field:<name>` and never throw, so
 * subscribing to them later cannot turn into 400s and a week of retries.
 *
 * Identity: contacts are matched to messages by `wa_id`/`user_id`, never by index; `waId` comes from
 * `from` (else the contact's `wa_id`), `userId` from `from_user_id` (else the contact's `user_id`). A
 * message with neither `from` nor `from_user_id` is ignored as `message:no-sender`. Timestamps become epoch
 * milliseconds; a message's is clamped to `now` + MAX_FUTURE_TIMESTAMP_MS (it starts retention clocks).
 * Text is kept whole: WhatsApp caps it at 4096 characters and nothing here depends on length.
 *
 * @throws WebhookPayloadError when the envelope is invalid (the route answers 400).
 */
export function parseWebhook(body: unknown, now: number = Date.now()): ParsedWebhook {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new WebhookPayloadError(describeIssues(envelope.error));

  const out: ParsedWebhook = { messages: [], statuses: [], ignored: [], errors: [], templateStatus: [] };
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if ('template' in change) {
        if (change.template === undefined) out.ignored.push({ kind: 'template-status:malformed' });
        else
          out.templateStatus.push(
            entry.id ? { wabaId: entry.id, ...change.template } : { ...change.template },
          );
        continue;
      }
      if (!('value' in change)) {
        out.ignored.push(
          change.phoneNumberId === undefined
            ? { kind: `field:${change.field}` }
            : { kind: `field:${change.field}`, phoneNumberId: change.phoneNumberId },
        );
        continue;
      }
      const phoneNumberId = change.value.metadata.phone_number_id;
      readMessages(change.value, phoneNumberId, out, now + MAX_FUTURE_TIMESTAMP_MS);
      readStatuses(change.value, phoneNumberId, out);
      readErrors(change.value, phoneNumberId, out);
    }
  }
  return out;
}
