import PDFDocument from 'pdfkit';
import { ORDER_STATUS_KEY } from '../../flows/privacy/messages.js';
import { formatMoney } from '../core/money.js';
import { formatDate, formatDateTime } from '../language/dates.js';
import { t } from '../language/i18n.js';
import type { MessageKey, MessageValues } from '../language/i18n.js';
import type { Language } from '../language/languages.js';
import type { DataExport } from './export.js';
import { HANDOFF_RETENTION_DAYS } from '../db/models/handoff.model.js';

/**
 * The data export in the customer's words: the lines the chat summary and the readable document share
 * (profile, preferences, conversation, statuses), and the document itself, a PDF a phone opens from the
 * chat. The JSON file stays the complete, machine-readable copy; this one is for a person.
 */

const REQUEST_TYPE: Readonly<Record<string, MessageKey>> = {
  access: 'privacy:requestType.access',
  correction: 'privacy:requestType.correction',
  erasure: 'privacy:requestType.erasure',
  'opt-out': 'privacy:requestType.optOut',
  'opt-in': 'privacy:requestType.optIn',
};

const REQUEST_STATUS: Readonly<Record<string, MessageKey>> = {
  received: 'privacy:requestStatus.received',
  awaiting_confirmation: 'privacy:requestStatus.awaitingConfirmation',
  in_progress: 'privacy:requestStatus.inProgress',
  completed: 'privacy:requestStatus.completed',
  failed: 'privacy:requestStatus.failed',
  cancelled: 'privacy:requestStatus.cancelled',
};

const HANDOFF_STATUS: Readonly<Record<string, MessageKey>> = {
  waiting: 'privacy:handoffStatus.waiting',
  taken: 'privacy:handoffStatus.taken',
  returned: 'privacy:handoffStatus.returned',
  closed: 'privacy:handoffStatus.closed',
};

/** Where a conversation is, in the customer's words: the machine's state names are for the JSON only. */
const PLACES: Readonly<Record<string, MessageKey>> = {
  ordering: 'privacy:place.ordering',
  ai: 'privacy:place.ordering',
  tracking: 'privacy:place.tracking',
  privacy: 'privacy:place.privacy',
  handoff: 'privacy:place.handoff',
};

/** A status or type in the customer's words; a value with no words yet is shown as stored. */
function labelOf(language: Language, labels: Readonly<Record<string, MessageKey>>, value: string): string {
  const key = labels[value];
  return key ? t(language, key) : value;
}

/** An order's status in words ("being prepared"), as the customer's tracking shows it. */
export const orderStatusWords = (language: Language, status: string) =>
  labelOf(language, ORDER_STATUS_KEY, status);
/** A privacy request's type in words ("delete my data"). */
export const requestTypeWords = (language: Language, type: string) => labelOf(language, REQUEST_TYPE, type);
/** A privacy request's status in words ("waiting for your confirmation"). */
export const requestStatusWords = (language: Language, status: string) =>
  labelOf(language, REQUEST_STATUS, status);

/** A chat with a person's state in words ("a person is answering"). */
export const handoffStatusWords = (language: Language, status: string) =>
  labelOf(language, HANDOFF_STATUS, status);

type SavedAddress = DataExport['subject']['savedAddresses'][number];

/** An address as typed, or a shared location by its coordinates. */
export function addressText(address: SavedAddress, language: Language): string {
  if (address.text) return address.text;
  return t(language, 'privacy:summary.location', {
    latitude: address.latitude?.toFixed(5) ?? '',
    longitude: address.longitude?.toFixed(5) ?? '',
  });
}

/** The WhatsApp number and the name line of the profile, as the chat summary says them. */
export function profileLines(data: DataExport, language: Language): string[] {
  const { subject } = data;
  return [
    subject.whatsappId
      ? t(language, 'privacy:summary.number', { number: `+${subject.whatsappId}` })
      : t(language, 'privacy:summary.notStored'),
    subject.name === undefined
      ? t(language, 'privacy:summary.noName')
      : t(
          language,
          subject.nameSource === 'whatsapp-profile'
            ? 'privacy:summary.nameFromProfile'
            : 'privacy:summary.name',
          { name: subject.name },
        ),
  ];
}

/** Messages stopped or not, and what the AI may do with the customer's messages. */
export function preferenceLines(data: DataExport, language: Language): string[] {
  const { preferences } = data;
  return [
    t(language, preferences.optedOut ? 'privacy:summary.messagesStopped' : 'privacy:summary.messagesOn'),
    preferences.noAi
      ? t(language, 'privacy:summary.aiNever')
      : preferences.aiReplies === 'on'
        ? t(language, 'privacy:summary.aiOn', { count: data.aiCalls.length })
        : t(language, 'privacy:summary.aiOff'),
  ];
}

/** The conversation in progress (where, and the cart's size) and the counts of message records. */
export function conversationLines(data: DataExport, language: Language): string[] {
  const { conversation } = data;
  const place = conversation
    ? t(language, PLACES[conversation.state.split('.')[0] ?? ''] ?? 'privacy:place.menu')
    : '';
  return [
    !conversation
      ? t(language, 'privacy:summary.noConversation')
      : conversation.cart.length > 0
        ? t(language, 'privacy:summary.inProgressCart', {
            place,
            count: conversation.cart.reduce((n, line) => n + line.quantity, 0),
          })
        : t(language, 'privacy:summary.inProgress', { place }),
    // Chats with a person are kept with their messages for a while: said, with how long, when there are any.
    data.handoffs.length > 0
      ? t(language, 'privacy:summary.handoffs', { count: data.handoffs.length, days: HANDOFF_RETENTION_DAYS })
      : t(language, 'privacy:summary.noHistory'),
    t(language, 'privacy:summary.records', {
      received: data.messages.received.length,
      sent: data.messages.sent.length,
      statuses: data.messages.sent.reduce((n, m) => n + m.deliveries.length, 0),
    }),
  ];
}

/** Characters Helvetica's WinAnsi encoding has besides Latin-1 (0x80–0x9F in Windows-1252). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Common characters outside WinAnsi with a plain equivalent inside it. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  // Intl writes a narrow no-break space in French amounts ("1 234,50 €"): keep it unbreakable.
  '\u202f': '\u00a0',
  '\u2007': '\u00a0',
  '\u2060': '',
  // Latin letters that Unicode does not decompose into a letter and a mark.
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
};

function isWinAnsi(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * Text the PDF's built-in Helvetica can show (WinAnsi: Latin-1 plus €, curly quotes, dashes, bullet…),
 * which covers English, Spanish, Portuguese, French and German. pdfkit writes any other character as the
 * hex of its UTF-16 code, which a viewer shows as garbage, so: known look-alikes are replaced (a
 * narrow space, a minus, an arrow), a letter with a mark WinAnsi lacks loses the mark ("ő" → "o"), a
 * letter of another script becomes "?" so a name is not silently emptied, and emoji, symbols and
 * control characters are left out (with the spaces they leave folded, and none at a line's ends). Line breaks are kept.
 * The JSON copy keeps the exact text.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch === '\n' || isWinAnsi(ch)) {
      out += ch;
      continue;
    }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) out += replacement;
    else if (ch === '\t' || /\p{Zs}/u.test(ch)) out += ' ';
    else if (/[\p{L}\p{N}]/u.test(ch)) {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base.length > 0 && [...base].every(isWinAnsi) ? base : '?';
    }
    // Anything else (emoji, their joiners and variation selectors, symbols, controls) is left out.
  }
  return out.replace(/ {2,}/g, ' ').replace(/^ +| +$/gm, '');
}

/** The pieces of a chat line: WhatsApp's `*bold*` spans become bold runs, the asterisks go. */
function runs(line: string): Array<{ text: string; bold: boolean }> {
  const pieces: Array<{ text: string; bold: boolean }> = [];
  let last = 0;
  for (const match of line.matchAll(/\*([^*\n]+)\*/g)) {
    if (match.index > last) pieces.push({ text: line.slice(last, match.index), bold: false });
    pieces.push({ text: match[1] ?? '', bold: true });
    last = match.index + match[0].length;
  }
  if (last < line.length) pieces.push({ text: line.slice(last), bold: false });
  return pieces;
}

export interface ExportDocumentInput {
  data: DataExport;
  language: Language;
  /** "Why we keep it and for how long", one line per kind of data (access.ts `retentionLines`). */
  retention: readonly string[];
  /** Who receives the data, one line each, in `language`. */
  recipients: readonly string[];
  /** The IANA time zone dates are shown in; UTC when none. */
  timeZone?: string;
  /** False leaves the pages' text uncompressed, so a test can read it back. Default true. */
  compress?: boolean;
}

/** How each appointment status reads in the export. */
const APPOINTMENT_STATUS_WORDS = {
  booked: 'appointments:status.booked',
  cancelled: 'appointments:status.cancelled',
  completed: 'appointments:status.completed',
  no_show: 'appointments:status.noShow',
} as const satisfies Record<DataExport['appointments'][number]['status'], MessageKey>;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MARGIN = 56;
const INK = '#111111';
const MUTED = '#555555';

/**
 * The export as a PDF (A4, more pages as needed, numbered) in the customer's language: who holds the data
 * and the request's code, then the profile, preferences, orders with their items and amounts, the
 * conversation, the message records, the chats with a person (not their words), the privacy requests,
 * why and how long each kind is kept, who receives it, the customer's rights, and a last line pointing to
 * the JSON file. Deterministic: the document's creation date (and with it the file id pdfkit derives from
 * it) is the export's `generatedAt`, so the same export gives the same bytes.
 */
export function renderExportDocument(input: ExportDocumentInput): Promise<Buffer> {
  const { data, language, timeZone } = input;
  const L = (key: MessageKey, values: MessageValues = {}) => t(language, key, values);
  const date = (iso: string) => formatDate(language, iso, timeZone);
  const business = data.controller.name;
  const code = data.request.confirmationCode;

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: input.compress ?? true,
    bufferPages: true,
    lang: language,
    displayTitle: true,
    info: {
      Title: L('privacy:document.title', { business }),
      Author: business,
      Subject: code,
      CreationDate: new Date(data.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const paragraph = (line: string, options: { indent?: number; color?: string; size?: number } = {}) => {
    const pieces = runs(toWinAnsi(line)).filter((p) => p.text.length > 0);
    if (pieces.length === 0) return;
    doc.fontSize(options.size ?? 10).fillColor(options.color ?? INK);
    pieces.forEach((piece, i) => {
      doc.font(piece.bold ? BOLD : REGULAR).text(piece.text, {
        continued: i < pieces.length - 1,
        width: width - (options.indent ?? 0),
        indent: 0,
        lineGap: 2,
      });
    });
  };
  const heading = (text: string) => {
    doc.moveDown(0.8);
    doc.font(BOLD).fontSize(13).fillColor(INK).text(toWinAnsi(text), { width });
    doc.moveDown(0.2);
  };
  /** A chat text of several lines: a line that is all `*bold*` is a heading there, and here. */
  const chatBlock = (text: string) => {
    for (const line of text.split('\n')) {
      const whole = /^\*([^*\n]+)\*$/.exec(line);
      if (whole) heading(whole[1] ?? '');
      else paragraph(line);
    }
  };
  const indented = (line: string) => {
    doc.x = MARGIN + 14;
    paragraph(line, { indent: 14 });
    doc.x = MARGIN;
  };

  doc
    .font(BOLD)
    .fontSize(18)
    .fillColor(INK)
    .text(toWinAnsi(L('privacy:document.title', { business })), {
      width,
    });
  doc.moveDown(0.2);
  paragraph(L('privacy:document.subtitle', { code, date: date(data.generatedAt) }), {
    color: MUTED,
    size: 11,
  });
  doc.moveDown(0.4);
  paragraph(L('privacy:document.intro', { business }));

  heading(L('privacy:document.profile'));
  for (const line of profileLines(data, language)) paragraph(line);
  const addresses = data.subject.savedAddresses;
  if (addresses.length === 0) paragraph(L('privacy:summary.noAddresses'));
  else {
    paragraph(L('privacy:document.addresses'));
    for (const address of addresses) indented(`– ${addressText(address, language)}`);
  }
  if (data.subject.firstContact)
    paragraph(L('privacy:document.firstContact', { date: date(data.subject.firstContact) }));
  if (data.subject.lastMessage)
    paragraph(L('privacy:document.lastMessage', { date: date(data.subject.lastMessage) }));

  heading(L('privacy:document.preferences'));
  for (const line of preferenceLines(data, language)) paragraph(line);

  heading(L('privacy:document.orders', { total: data.orders.length }));
  if (data.orders.length === 0) paragraph(L('privacy:document.noOrders'));
  for (const order of data.orders) {
    const money = (minor: number) => formatMoney(minor, order.currency, language);
    doc.moveDown(0.3);
    paragraph(
      `*${L('privacy:document.order', {
        number: order.orderNumber,
        date: date(order.placedAt),
        status: orderStatusWords(language, order.status),
      })}*`,
    );
    for (const item of order.items)
      indented(
        L('privacy:document.item', {
          quantity: item.quantity,
          name: item.name,
          price: money(item.unitPriceMinor),
          total: money(item.lineTotalMinor),
        }),
      );
    indented(`*${L('privacy:document.total', { total: money(order.totalMinor) })}*`);
    if (order.fulfilment === 'pickup') indented(L('privacy:document.pickup'));
    else if (order.deliveryAddress)
      indented(L('privacy:document.delivery', { address: addressText(order.deliveryAddress, language) }));
    else indented(L('privacy:document.deliveryNoAddress'));
    if (order.note) indented(L('privacy:document.note', { note: order.note }));
    if (order.keptUntil) indented(L('privacy:document.keptUntil', { date: date(order.keptUntil) }));
  }

  // Appointments: one line each, times on the business's clock; intake answers are in the JSON file.
  heading(L('appointments:document.heading', { total: data.appointments.length }));
  if (data.appointments.length === 0) paragraph(L('appointments:document.none'));
  for (const a of data.appointments)
    paragraph(
      `• ${L('appointments:document.line', {
        number: a.number,
        service: a.service,
        resource: a.with,
        when: formatDateTime(language, a.start, timeZone),
        status: L(APPOINTMENT_STATUS_WORDS[a.status]),
      })}`,
    );

  heading(L('privacy:document.conversation'));
  for (const line of conversationLines(data, language)) paragraph(line);

  // Chats with a person: when, where they stand and how many messages; the words are in the JSON file only.
  heading(L('privacy:document.handoffs', { total: data.handoffs.length }));
  if (data.handoffs.length === 0) paragraph(L('privacy:document.noHandoffs'));
  for (const handoff of data.handoffs)
    paragraph(
      `• ${L('privacy:document.handoff', {
        date: date(handoff.openedAt),
        status: handoffStatusWords(language, handoff.status),
        count: handoff.messages.length,
      })}`,
    );
  if (data.handoffs.some((h) => h.messages.length > 0)) paragraph(L('privacy:document.handoffTexts'));

  heading(L('privacy:document.requests'));
  for (const request of data.privacyRequests)
    paragraph(
      L('privacy:summary.request', {
        date: date(request.receivedAt),
        type: requestTypeWords(language, request.type),
        status: requestStatusWords(language, request.status),
        code: request.confirmationCode,
      }),
    );

  heading(L('privacy:document.why'));
  for (const line of input.retention) paragraph(line);

  heading(L('privacy:document.recipients'));
  for (const line of input.recipients) paragraph(line);

  chatBlock(L('privacy:summary.rights'));

  doc.moveDown(1);
  paragraph(L('privacy:document.closing'), { color: MUTED });

  // Page numbers, written once the number of pages is known, in the bottom margin (lifted for the
  // line, so writing there does not start a new page).
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        toWinAnsi(L('privacy:document.page', { page: i + 1, pages: count })),
        MARGIN,
        doc.page.height - 36,
        {
          width,
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
