import { DAY_MS } from '../core/time.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import type { TemplateMiss, TemplatePurpose } from '../templates/types.js';

/** How far back the portal's notices page looks. */
export const NOTICE_LOG_DAYS = 7;
/** At most this many rows, newest first. */
const LIMIT = 300;

/** One message the business started (a customer's status notice, a staff alert), as the portal shows it. */
export interface NoticeRow {
  id: string;
  at: Date;
  audience: 'customer' | 'staff';
  /** What it was, in words ("Order status notice: ready"); never its text. */
  kind: string;
  /** What became of it, in words. */
  outcome: string;
  /** True when it did not reach (and will not reach) the recipient. */
  problem: boolean;
}

const PURPOSE: Record<TemplatePurpose, string> = {
  'order.status': 'Order status notice',
  'staff.newOrder': 'New order alert to staff',
  'staff.handoff': '“Talk to a person” alert to staff',
  'staff.cancellation': 'Cancellation alert to staff',
  'staff.reply': 'Staff reply (template)',
  reminder: 'Reminder',
  'staff.booking': 'Appointment alert to staff',
  'appointment.notice': 'Appointment notice',
};

const MISS: Record<TemplateMiss, string> = {
  'no-mapping': 'no template is mapped',
  'not-approved': 'the mapped template is not approved by Meta',
  'no-language': 'the mapped template has no approved version in the recipient’s language',
  'missing-value': 'a value the template needs was missing',
};

/** Order status words in the record's synthetic id (`order:<id>:<status>`). */
const STATUS_WORDS: Record<string, string> = {
  placed: 'placed',
  confirmed: 'confirmed',
  preparing: 'being prepared',
  ready: 'ready',
  out_for_delivery: 'out for delivery',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** Appointment events in a notice's synthetic id (`appointment:<id>:<event>`). */
const APPOINTMENT_WORDS: Record<string, string> = {
  booked: 'booked',
  moved: 'moved',
  cancelled: 'cancelled',
};

type Row = Pick<
  OutboxEntry,
  | '_id'
  | 'audience'
  | 'inboundWamid'
  | 'templatePurpose'
  | 'status'
  | 'template'
  | 'templateMiss'
  | 'skippedReason'
  | 'expiredReason'
  | 'error'
  | 'deliveries'
  | 'createdAt'
>;

/** What the message was, in words. */
export function noticeKind(row: Pick<Row, 'audience' | 'inboundWamid' | 'templatePurpose'>): string {
  if (row.inboundWamid.startsWith('order:')) {
    const status = STATUS_WORDS[row.inboundWamid.split(':')[2] ?? ''];
    return status ? `Order status notice: ${status}` : PURPOSE['order.status'];
  }
  if (row.inboundWamid.startsWith('appointment:')) {
    // `appointment:<id>:<event>[:staff]` (src/appointments/notices.ts) or `…:reminder:<at>` (reminders.ts).
    const event = row.inboundWamid.split(':')[2] ?? '';
    if (event === 'reminder') return 'Appointment reminder';
    const words = APPOINTMENT_WORDS[event];
    if (words)
      return row.audience === 'staff'
        ? `Appointment alert to staff: ${words}`
        : `Appointment notice: ${words}`;
  }
  const purpose = row.templatePurpose;
  if (purpose && purpose in PURPOSE) return PURPOSE[purpose as TemplatePurpose];
  return row.audience === 'staff' ? 'Alert to staff' : 'Message to the customer';
}

/** Why a message was not sent, in words; the reasons the sender records (src/outbox/sender.ts). */
function notSent(reason: string | undefined, miss: string | undefined): string {
  switch (reason) {
    case 'outside-24h-window':
    case 'window-closed':
      return `outside the 24-hour window and ${miss && miss in MISS ? MISS[miss as TemplateMiss] : 'no template is mapped'}`;
    case 'opted-out':
      return 'the customer asked not to get messages';
    case 'erased':
      return 'the customer erased their data';
    case 'no-recipient':
      return 'there is no one to send it to (the customer’s data was erased)';
    case 'whatsapp-not-configured':
      return 'sending to WhatsApp is not set up on this server';
    default:
      return 'it could not be sent';
  }
}

/** What became of the message, in words, and whether that is a problem. */
export function noticeOutcome(row: Row): { outcome: string; problem: boolean } {
  const by = row.template ? ` by template “${row.template.name}”` : '';
  switch (row.status) {
    case 'sent': {
      const last = row.deliveries.at(-1)?.status;
      const seen = last === 'read' ? ' · read' : last === 'delivered' ? ' · delivered' : '';
      return { outcome: `Sent${by}${seen}`, problem: last === 'failed' };
    }
    case 'pending':
    case 'sending':
      return { outcome: `Being sent${by}`, problem: false };
    case 'retrying':
      return { outcome: `Waiting to be sent again${by} (after a passing error)`, problem: false };
    case 'skipped':
    case 'expired':
      return {
        outcome: `Not sent: ${notSent(row.skippedReason ?? row.expiredReason, row.templateMiss)}`,
        problem: true,
      };
    case 'failed': {
      const meaning = row.error?.meaning;
      if (row.template)
        return {
          outcome: `Template “${row.template.name}” rejected by Meta: ${meaning ?? `error ${row.error?.code ?? 'unknown'}`}`,
          problem: true,
        };
      return {
        outcome: `Refused by WhatsApp: ${meaning ?? `error ${row.error?.code ?? 'unknown'}`}`,
        problem: true,
      };
    }
  }
}

/**
 * The business's own messages of the last {@link NOTICE_LOG_DAYS} days (customer status notices, staff
 * alerts, template replies) with their outcome in words, newest first. Reads only what the outbox keeps in
 * clear (purpose, status, reasons, template name): never the text, which is sealed and gone once settled.
 */
export async function recentNotices(
  Outbox: OutboxModel,
  phoneNumberId: string,
  now: number,
): Promise<NoticeRow[]> {
  const rows = await Outbox.find(
    {
      phoneNumberId,
      createdAt: { $gte: new Date(now - NOTICE_LOG_DAYS * DAY_MS) },
      $or: [
        { templatePurpose: { $exists: true } },
        { audience: 'staff' },
        { inboundWamid: /^order:/ },
        { inboundWamid: /^appointment:/ },
      ],
    },
    {
      audience: 1,
      inboundWamid: 1,
      templatePurpose: 1,
      status: 1,
      template: 1,
      templateMiss: 1,
      skippedReason: 1,
      expiredReason: 1,
      error: 1,
      deliveries: 1,
      createdAt: 1,
    },
  )
    .sort({ createdAt: -1 })
    .limit(LIMIT)
    .lean<Row[]>()
    .exec();
  return rows.map((r) => ({
    id: String(r._id),
    at: r.createdAt,
    audience: r.audience,
    kind: noticeKind(r),
    ...noticeOutcome(r),
  }));
}
