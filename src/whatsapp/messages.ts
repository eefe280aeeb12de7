/**
 * `OutboundMessage` → Graph API JSON, as pure functions. This is the only module that knows Meta's
 * send format (STYLE.md: translate at the edges), and it checks Meta's limits first, so a message that
 * Meta would reject with error 100 fails here, with the field named, before anything is sent.
 *
 * Lengths are counted in UTF-16 code units (`string.length`). Meta does not say how it counts; an
 * emoji is one character for Meta and two here, so the check is at worst stricter than Meta's.
 */
import type { ListSection, OutboundMessage, Recipient, ReplyButton } from '../core/vocabulary.js';
import { WhatsAppValidationError } from './errors.js';

/** Meta's limits for the message types the bot sends (reference sections 5.2–5.8). */
export const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  buttonsMax: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButtonLabel: 20,
  listSectionsMax: 10,
  listRowsMax: 10,
  listSectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  caption: 1024,
  documentBytes: 100 * 1024 * 1024,
  /** A template has at most 10 buttons (indexes 0–9). */
  templateButtons: 10,
  /** A quick-reply payload we set: kept as short as an interactive button id. */
  buttonPayload: 256,
} as const;

/** The JSON body of one `POST /{phone-number-id}/messages`. */
export type GraphMessagePayload = GraphEnvelope &
  (
    | { type: 'text'; text: { preview_url?: boolean; body: string } }
    | { type: 'interactive'; interactive: GraphInteractive }
    | { type: 'template'; template: GraphTemplate }
    | { type: 'document'; document: { id: string; filename: string; caption?: string } }
  );

/** The fields every send shares: who gets it and, optionally, which message it quotes. */
export interface GraphEnvelope {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  /** Phone number in E.164 with `+`; Meta prepends the business's country code when `+` is missing. */
  to?: string;
  /** A business-scoped user id (BSUID), for customers whose phone number Meta no longer shares. */
  recipient?: string;
  context?: { message_id: string };
  /**
   * Our own tag for the message (at most 512 characters), echoed by Meta in every status webhook about it:
   * the bot puts the outbox record's id here, so a send whose answer was lost is still recognised.
   */
  biz_opaque_callback_data?: string;
}

/** Reply buttons or a list; Meta's `interactive` object. */
export type GraphInteractive =
  | {
      type: 'button';
      header?: { type: 'text'; text: string };
      body: { text: string };
      footer?: { text: string };
      action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> };
    }
  | {
      type: 'list';
      header?: { type: 'text'; text: string };
      body: { text: string };
      footer?: { text: string };
      action: {
        button: string;
        sections: Array<{
          title?: string;
          rows: Array<{ id: string; title: string; description?: string }>;
        }>;
      };
    };

/** An approved template with positional body parameters (`{{1}}`, `{{2}}`…). */
export interface GraphTemplate {
  name: string;
  language: { code: string };
  components?: Array<
    | { type: 'body'; parameters: Array<{ type: 'text'; text: string }> }
    | {
        type: 'button';
        sub_type: 'quick_reply';
        index: number;
        parameters: Array<{ type: 'payload'; payload: string }>;
      }
  >;
}

/** The JSON body of `POST /{phone-number-id}/messages` that marks an inbound message as read. */
export interface GraphMarkReadPayload {
  messaging_product: 'whatsapp';
  status: 'read';
  message_id: string;
  typing_indicator?: { type: 'text' };
}

type Fail = (field: string, rule: string, limit?: number, actual?: number) => never;

/** A `fail(field, rule, limit?, actual?)` that throws `WhatsAppValidationError` about `subject`. */
function validationFailure(subject: string): Fail {
  return (field, rule, limit, actual) => {
    throw new WhatsAppValidationError({
      subject,
      field,
      rule,
      ...(limit === undefined ? {} : { limit }),
      ...(actual === undefined ? {} : { actual }),
    });
  };
}

function checkLength(fail: Fail, field: string, value: string, max: number): void {
  if (value.length === 0) fail(field, 'non-empty');
  if (value.length > max) fail(field, `at most ${max} characters`, max, value.length);
}

function checkOptionalLength(fail: Fail, field: string, value: string | undefined, max: number): void {
  if (value !== undefined) checkLength(fail, field, value, max);
}

function checkNotBlank(fail: Fail, field: string, value: string): void {
  if (value.trim().length === 0) fail(field, 'non-blank');
}

function checkButtons(fail: Fail, buttons: ReplyButton[]): void {
  if (buttons.length < 1) fail('buttons', 'at least 1 button', 1, 0);
  if (buttons.length > LIMITS.buttonsMax) {
    fail('buttons', `at most ${LIMITS.buttonsMax} buttons`, LIMITS.buttonsMax, buttons.length);
  }
  const ids = new Map<string, number>();
  const titles = new Map<string, number>();
  buttons.forEach((button, i) => {
    checkLength(fail, `buttons[${i}].id`, button.id, LIMITS.buttonId);
    if (button.id.trim() !== button.id) fail(`buttons[${i}].id`, 'free of leading and trailing spaces');
    checkLength(fail, `buttons[${i}].title`, button.title, LIMITS.buttonTitle);
    checkNotBlank(fail, `buttons[${i}].title`, button.title);
    const sameId = ids.get(button.id);
    if (sameId !== undefined) fail(`buttons[${i}].id`, `unique (same as buttons[${sameId}].id)`);
    ids.set(button.id, i);
    const sameTitle = titles.get(button.title);
    if (sameTitle !== undefined) fail(`buttons[${i}].title`, `unique (same as buttons[${sameTitle}].title)`);
    titles.set(button.title, i);
  });
}

function checkSections(fail: Fail, sections: ListSection[]): void {
  if (sections.length < 1) fail('sections', 'at least 1 section', 1, 0);
  if (sections.length > LIMITS.listSectionsMax) {
    fail('sections', `at most ${LIMITS.listSectionsMax} sections`, LIMITS.listSectionsMax, sections.length);
  }
  const rowCount = sections.reduce((sum, section) => sum + section.rows.length, 0);
  if (rowCount > LIMITS.listRowsMax) {
    fail('sections[].rows', `at most ${LIMITS.listRowsMax} rows in total`, LIMITS.listRowsMax, rowCount);
  }
  const rowIds = new Map<string, string>();
  sections.forEach((section, s) => {
    if (section.title === undefined) {
      if (sections.length > 1) fail(`sections[${s}].title`, 'present when there is more than one section');
    } else {
      checkLength(fail, `sections[${s}].title`, section.title, LIMITS.listSectionTitle);
    }
    if (section.rows.length === 0) fail(`sections[${s}].rows`, 'at least 1 row', 1, 0);
    section.rows.forEach((row, r) => {
      const path = `sections[${s}].rows[${r}]`;
      checkLength(fail, `${path}.id`, row.id, LIMITS.rowId);
      const same = rowIds.get(row.id);
      if (same !== undefined) fail(`${path}.id`, `unique (same as ${same}.id)`);
      rowIds.set(row.id, path);
      checkLength(fail, `${path}.title`, row.title, LIMITS.rowTitle);
      checkNotBlank(fail, `${path}.title`, row.title);
      checkOptionalLength(fail, `${path}.description`, row.description, LIMITS.rowDescription);
    });
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/**
 * Checks one message against Meta's limits and throws `WhatsAppValidationError` naming the first
 * broken rule. Why here and not at Meta: Meta's answer (error 100, "Param ... must be at most N
 * characters") arrives after a network round trip and does not say which button was too long.
 *
 * `reply.text` is checked as one Graph message (at most 4096 characters); `toGraphPayloads` and the
 * client split longer text first, so callers that send through them may pass any length.
 */
export function validateOutbound(message: OutboundMessage): void {
  const fail: Fail = validationFailure(message.type);
  switch (message.type) {
    case 'reply.text':
      checkLength(fail, 'text', message.text, LIMITS.textBody);
      checkNotBlank(fail, 'text', message.text);
      return;
    case 'reply.buttons':
      checkLength(fail, 'text', message.text, LIMITS.interactiveBody);
      checkNotBlank(fail, 'text', message.text);
      checkOptionalLength(fail, 'header', message.header, LIMITS.header);
      checkOptionalLength(fail, 'footer', message.footer, LIMITS.footer);
      checkButtons(fail, message.buttons);
      return;
    case 'reply.list':
      checkLength(fail, 'text', message.text, LIMITS.interactiveBody);
      checkNotBlank(fail, 'text', message.text);
      checkOptionalLength(fail, 'header', message.header, LIMITS.header);
      checkOptionalLength(fail, 'footer', message.footer, LIMITS.footer);
      checkLength(fail, 'button', message.button, LIMITS.listButtonLabel);
      checkNotBlank(fail, 'button', message.button);
      checkSections(fail, message.sections);
      return;
    case 'reply.template':
      if (message.name.trim().length === 0) fail('name', 'present');
      if (message.language.trim().length === 0) fail('language', 'present');
      (message.bodyParameters ?? []).forEach((parameter, i) => {
        if (parameter.length === 0) fail(`bodyParameters[${i}]`, 'non-empty');
      });
      if (message.buttonPayloads !== undefined) {
        const payloads = message.buttonPayloads;
        if (payloads.length > LIMITS.templateButtons)
          fail(
            'buttonPayloads',
            `at most ${LIMITS.templateButtons} entries`,
            LIMITS.templateButtons,
            payloads.length,
          );
        payloads.forEach((payload, i) => {
          if (payload.length > LIMITS.buttonPayload)
            fail(
              `buttonPayloads[${i}]`,
              `at most ${LIMITS.buttonPayload} characters`,
              LIMITS.buttonPayload,
              payload.length,
            );
        });
        if (payloads.every((payload) => payload === ''))
          fail('buttonPayloads', 'at least one non-empty payload');
      }
      return;
    case 'reply.document': {
      if (message.filename.trim().length === 0) fail('filename', 'present');
      checkOptionalLength(fail, 'caption', message.caption, LIMITS.caption);
      if (message.mediaId !== undefined) {
        if (message.mediaId.trim().length === 0) fail('mediaId', 'non-empty');
        return;
      }
      if (message.content === undefined) fail('mediaId', 'present, or content given to upload');
      const { base64, mimeType } = message.content;
      if (!MIME_TYPE.test(mimeType)) fail('content.mimeType', 'a MIME type like application/pdf');
      if (base64.length === 0 || !BASE64.test(base64)) fail('content.base64', 'non-empty base64');
      const bytes = Math.floor((base64.length * 3) / 4);
      if (bytes > LIMITS.documentBytes) {
        fail('content.base64', `at most ${LIMITS.documentBytes} bytes`, LIMITS.documentBytes, bytes);
      }
      return;
    }
  }
}

/**
 * Checks that a recipient can be addressed: a `waId` (digits, optionally with a leading `+`) or, for
 * customers known only by their business-scoped user id, a `userId`.
 */
export function validateRecipient(recipient: Recipient): void {
  const fail: Fail = validationFailure('recipient');
  if (recipient.waId !== undefined) {
    if (!/^\+?\d{5,20}$/.test(recipient.waId)) fail('recipient.waId', 'digits, optionally with a leading +');
    return;
  }
  if (recipient.userId === undefined) fail('recipient', 'a waId or a userId');
  if (recipient.userId.trim().length === 0) fail('recipient.userId', 'non-empty');
}

/** A file to upload to `POST /{phone-number-id}/media`. */
export interface MediaUpload {
  data: Buffer;
  mimeType: string;
  filename: string;
}

/** Checks a media upload before it is sent: an empty file or MIME type would only fail at Meta (131053). */
export function validateMediaUpload(media: MediaUpload): void {
  const fail: Fail = validationFailure('media');
  if (media.data.length === 0) fail('data', 'non-empty');
  if (media.data.length > LIMITS.documentBytes) {
    fail('data', `at most ${LIMITS.documentBytes} bytes`, LIMITS.documentBytes, media.data.length);
  }
  if (!MIME_TYPE.test(media.mimeType)) fail('mimeType', 'a MIME type like application/pdf');
  if (media.filename.trim().length === 0) fail('filename', 'present');
}

type WhitespaceLevel = 0 | 1 | 2 | 3;
const PARAGRAPH = 0;
const LINE = 1;
const SENTENCE = 2;
const SPACE = 3;
const SENTENCE_END = /[.!?…。！？]/;
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);

function levelOf(text: string, start: number, end: number): WhitespaceLevel {
  const run = text.slice(start, end);
  const newlines = run.split('\n').length - 1;
  if (newlines >= 2) return PARAGRAPH;
  if (newlines === 1) return LINE;
  let i = start - 1;
  while (i > 0 && CLOSERS.has(text.charAt(i))) i -= 1;
  return SENTENCE_END.test(text.charAt(i)) ? SENTENCE : SPACE;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The last grapheme boundary at or before `limit`, so a forced cut never breaks an emoji or accent. */
function hardCut(text: string, limit: number): number {
  let cut = 0;
  for (const segment of graphemes.segment(text.slice(0, limit + 32))) {
    if (segment.index > limit) break;
    cut = segment.index;
  }
  if (cut > 0) return cut;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** Where to end the next part (`end`) and where the part after it starts (`next`). */
function findCut(text: string, limit: number): { end: number; next: number } {
  const runs: Array<{ start: number; end: number; level: WhitespaceLevel }> = [];
  const whitespace = /\s+/g;
  for (let match = whitespace.exec(text); match !== null; match = whitespace.exec(text)) {
    if (match.index > limit) break;
    if (match.index === 0) continue;
    const end = match.index + match[0].length;
    runs.push({ start: match.index, end, level: levelOf(text, match.index, end) });
  }
  // Prefer a good boundary in the second half of the window; a paragraph break after 10 characters
  // would leave a tiny message, and every extra message counts against Meta's pair rate limit.
  for (const minEnd of [Math.floor(limit / 2), 1]) {
    for (let level = PARAGRAPH; level <= SPACE; level += 1) {
      for (let i = runs.length - 1; i >= 0; i -= 1) {
        const run = runs[i];
        if (run === undefined || run.start < minEnd) break;
        if (run.level <= level) return { end: run.start, next: run.end };
      }
    }
  }
  const cut = hardCut(text, limit);
  return { end: cut, next: cut };
}

/**
 * Splits text into parts of at most `limit` characters, for text longer than one WhatsApp message.
 * It cuts at the last paragraph break that fits, else a line break, else a sentence end, else a space
 * (looking first in the second half of the window, so parts are not needlessly short); only a single
 * "word" longer than `limit` is cut inside, and then at a grapheme boundary.
 *
 * Guarantee: `text` equals `w0 + parts[0] + w1 + parts[1] + … + parts[n-1] + wn` where every `w` is
 * whitespace only, usually empty except between parts (empty after a forced cut inside a word). So
 * whitespace at a split point is dropped, nothing else is lost or reordered, and no part is empty or
 * whitespace only (unless `text` is, which `validateOutbound` rejects).
 */
export function splitText(text: string, limit: number = LIMITS.textBody): string[] {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError('splitText: limit must be an integer >= 2');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { end, next } = findCut(rest, limit);
    const part = rest.slice(0, end);
    // Only when the text opens with more than `limit` whitespace characters: that is no message.
    if (part.trim().length > 0) parts.push(part);
    rest = rest.slice(next);
  }
  if (parts.length === 0 || rest.trim().length > 0) parts.push(rest);
  return parts;
}

/**
 * The Graph messages one `OutboundMessage` becomes: `reply.text` longer than 4096 characters becomes
 * several `reply.text` parts (see `splitText`); everything else stays one message.
 */
export function splitOutbound(message: OutboundMessage): OutboundMessage[] {
  if (message.type !== 'reply.text' || message.text.length <= LIMITS.textBody) return [message];
  return splitText(message.text).map((text) => ({ ...message, text }));
}

/** Meta's limit for `biz_opaque_callback_data`. */
const CALLBACK_DATA_MAX = 512;

/** What a send may add to the envelope besides the recipient. */
export interface SendOptions {
  /** Quotes the customer's message (first part only). */
  contextWamid?: string;
  /** Echoed by Meta in the status webhooks of every part (`biz_opaque_callback_data`). */
  callbackData?: string;
  /** Parts already accepted by Meta in an earlier try of the same reply: start after them. */
  fromPart?: number;
}

function envelope(
  recipient: Recipient,
  contextWamid: string | undefined,
  callbackData?: string,
): GraphEnvelope {
  const address =
    recipient.waId === undefined
      ? { recipient: recipient.userId ?? '' }
      : { to: recipient.waId.startsWith('+') ? recipient.waId : `+${recipient.waId}` };
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...address,
    ...(contextWamid === undefined ? {} : { context: { message_id: contextWamid } }),
    ...(callbackData === undefined ? {} : { biz_opaque_callback_data: callbackData }),
  };
}

function headerAndFooter(message: { header?: string; footer?: string }): {
  header?: { type: 'text'; text: string };
  footer?: { text: string };
} {
  return {
    ...(message.header === undefined ? {} : { header: { type: 'text', text: message.header } }),
    ...(message.footer === undefined ? {} : { footer: { text: message.footer } }),
  };
}

function toGraphPayload(message: OutboundMessage, base: GraphEnvelope): GraphMessagePayload {
  switch (message.type) {
    case 'reply.text':
      return {
        ...base,
        type: 'text',
        text: {
          ...(message.previewUrl === undefined ? {} : { preview_url: message.previewUrl }),
          body: message.text,
        },
      };
    case 'reply.buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          ...headerAndFooter(message),
          body: { text: message.text },
          action: {
            buttons: message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
          },
        },
      };
    case 'reply.list':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list',
          ...headerAndFooter(message),
          body: { text: message.text },
          action: {
            button: message.button,
            sections: message.sections.map((section) => ({
              ...(section.title === undefined ? {} : { title: section.title }),
              rows: section.rows.map((row) => ({
                id: row.id,
                title: row.title,
                ...(row.description === undefined ? {} : { description: row.description }),
              })),
            })),
          },
        },
      };
    case 'reply.template': {
      const parameters = message.bodyParameters ?? [];
      const components: NonNullable<GraphTemplate['components']> = [];
      if (parameters.length > 0)
        components.push({ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) });
      (message.buttonPayloads ?? []).forEach((payload, index) => {
        if (payload !== '')
          components.push({
            type: 'button',
            sub_type: 'quick_reply',
            index,
            parameters: [{ type: 'payload', payload }],
          });
      });
      return {
        ...base,
        type: 'template',
        template: {
          name: message.name,
          language: { code: message.language },
          ...(components.length === 0 ? {} : { components }),
        },
      };
    }
    case 'reply.document':
      if (message.mediaId === undefined) {
        // validateOutbound accepted `content`: the client uploads it and passes the media id back in.
        throw new WhatsAppValidationError({
          subject: message.type,
          field: 'mediaId',
          rule: 'present (upload content with the client first)',
        });
      }
      return {
        ...base,
        type: 'document',
        document: {
          id: message.mediaId,
          filename: message.filename,
          ...(message.caption === undefined ? {} : { caption: message.caption }),
        },
      };
  }
}

/**
 * The Graph JSON bodies that send `message` to `recipient`, in order: validated (throws
 * `WhatsAppValidationError` before anything could be sent), long text split, addressed with `to`
 * (`+` and the wa_id) or, when only a BSUID is known, Meta's 2026 `recipient` field.
 *
 * `contextWamid` quotes the customer's message; on split text only the first part quotes it, so the
 * reply reads as one answer. A `reply.document` must carry a `mediaId` here: documents given as
 * `content` are uploaded by the client, which then calls this with the returned id.
 */
export function toGraphPayloads(
  message: OutboundMessage,
  recipient: Recipient,
  options: SendOptions = {},
): GraphMessagePayload[] {
  validateRecipient(recipient);
  if (options.callbackData !== undefined && options.callbackData.length > CALLBACK_DATA_MAX) {
    throw new WhatsAppValidationError({
      subject: 'send',
      field: 'callbackData',
      rule: `at most ${CALLBACK_DATA_MAX} characters`,
      limit: CALLBACK_DATA_MAX,
      actual: options.callbackData.length,
    });
  }
  const parts = splitOutbound(message);
  parts.forEach(validateOutbound);
  return parts
    .map((part, i) =>
      toGraphPayload(
        part,
        envelope(recipient, i === 0 ? options.contextWamid : undefined, options.callbackData),
      ),
    )
    .slice(options.fromPart ?? 0);
}

/** The body that marks an inbound message read, optionally showing "typing…" until the reply. */
export function toMarkReadPayload(wamid: string, options: { typing?: boolean } = {}): GraphMarkReadPayload {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: wamid,
    ...(options.typing === true ? { typing_indicator: { type: 'text' } } : {}),
  };
}
