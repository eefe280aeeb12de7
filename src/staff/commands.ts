import type { Logger } from 'pino';
import { customerParam } from '../http/validation.js';
import { formatMoney } from '../core/money.js';
import type { BusinessData } from '../businesses/schema.js';
import type { BusinessSettings } from '../businesses/settings.js';
import type { InboxPayload } from '../db/models/inbox.model.js';
import type { SettingsActor, SettingsChange } from '../db/models/settings-change.model.js';
import type { Counters } from '../metrics.js';
import type { OrderService } from '../orders/service.js';
import { logRef } from '../core/identity.js';
import type { CustomerIdentity, OutboundMessage } from '../core/vocabulary.js';
import type { CustomerIdentities } from '../customers/identity.js';
import type { OrderStatus } from '../core/order-status.js';
import { DateTime } from 'luxon';
import { formatDateTime } from '../language/dates.js';
import { t } from '../language/i18n.js';
import type { MessageKey } from '../language/i18n.js';
import { languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';

/** Orders listed by `/orders`; beyond them the reply says how many more there are. */
const ORDERS_SHOWN = 20;

/** A staff command, parsed from a message's text. */
export type StaffCommand =
  | { name: 'ai'; action: 'on' | 'off' | 'status' }
  | { name: 'orders' }
  | { name: 'resume'; customer: string }
  /** `/ai`, `/orders` or `/resume` written some other way: answered with the list of commands. */
  | { name: 'usage' };

/** The list of commands, in English (a malformed command gets it in the staff's language). */
export const STAFF_USAGE = t('en', 'staff:usage');

/** How a status reads in the `/orders` list (`staff:orders.status.*`). */
const STATUS: Record<OrderStatus, MessageKey> = {
  placed: 'staff:orders.status.placed',
  confirmed: 'staff:orders.status.confirmed',
  preparing: 'staff:orders.status.preparing',
  ready: 'staff:orders.status.ready',
  out_for_delivery: 'staff:orders.status.outForDelivery',
  completed: 'staff:orders.status.completed',
  cancelled: 'staff:orders.status.cancelled',
};

/** The staff's language: the one of the business's locale (English when the bot does not speak it). */
export function staffLanguage(business: Pick<BusinessData, 'locale'>): Language {
  return languageOfLocale(business.locale);
}

/**
 * The command a text is, or undefined when it is none (then it is an ordinary message). Only `/ai`,
 * `/orders` and `/resume` are commands, in any case; a malformed one (`/ai maybe`) gets the usage.
 */
export function parseStaffCommand(text: string): StaffCommand | undefined {
  const match = /^\/(ai|orders|resume)(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const name = match[1].toLowerCase();
  const arg = (match[2] ?? '').trim();
  if (name === 'ai') {
    const action = arg.toLowerCase();
    return action === 'on' || action === 'off' || action === 'status'
      ? { name: 'ai', action }
      : { name: 'usage' };
  }
  if (name === 'orders') return arg === '' ? { name: 'orders' } : { name: 'usage' };
  return arg === '' ? { name: 'usage' } : { name: 'resume', customer: arg.replace(/[\s().-]/g, '') };
}

export interface StaffCommandsDeps {
  settings: BusinessSettings;
  orders: OrderService;
  pepper: string;
  /**
   * Finds a customer by either id (`/resume`), and a staff member who writes with a user id only: their
   * user id and an admin number are the same person when both point to one customer.
   */
  identities: Pick<CustomerIdentities, 'lookup' | 'sameCustomer'>;
  /** Whether an AI endpoint is configured: without one, AI on still means the standard replies. */
  aiConfigured: boolean;
  /** Hands a conversation back to the bot (the engine's resume); false when there is none. */
  resume: (phoneNumberId: string, customerRef: string) => Promise<boolean>;
  logger: Logger;
  counters?: Counters;
  now?: () => number;
}

const text = (body: string): OutboundMessage[] => [{ type: 'reply.text', text: body }];

/**
 * In-chat controls for a business's staff: a text from one of its admin numbers (the verified sender's
 * wa_id, compared with `adminNumbers`) to its own bot that is a staff command is answered here, and the
 * conversation flow never sees it. Everyone else, and every other text, gets the customer experience.
 * `/ai on|off` go through BusinessSettings, so the change is recorded (actor: a keyed hash of the number)
 * and the local directory cache is dropped; the next customer message uses the new setting.
 */
export class StaffCommands {
  private readonly now: () => number;

  constructor(private readonly deps: StaffCommandsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * The replies to a staff command, or undefined when this message is not one from an admin number.
   * Safe to repeat for the same message (a retry after a crash): a setting already in effect is not
   * changed again, and its record is keyed by the message's wamid.
   */
  async handle(
    business: BusinessData,
    sender: CustomerIdentity | undefined,
    event: InboxPayload['event'],
    wamid: string,
  ): Promise<OutboundMessage[] | undefined> {
    if (event.type !== 'user.text' || !sender) return undefined;
    const command = parseStaffCommand(event.text);
    if (!command) return undefined;
    const waId = await this.staffNumber(business, sender);
    if (!waId) return undefined;
    const staff = logRef(this.deps.pepper, waId);
    const name = command.name === 'ai' ? `ai ${command.action}` : command.name;
    this.deps.counters?.add(`staff.command.${name.replace(' ', '_')}`);
    this.deps.logger.info({ phoneNumberId: business.phoneNumberId, staff, command: name }, 'staff command');
    const actor: SettingsActor = { kind: 'admin-number', id: staff };
    const language = staffLanguage(business);
    switch (command.name) {
      case 'ai':
        if (command.action === 'status') return text(await this.status(business, language));
        return text(await this.switchAi(business, language, command.action === 'on', actor, wamid));
      case 'orders':
        return text(await this.openOrders(business, language));
      case 'resume':
        return text(await this.resume(business, language, command.customer));
      case 'usage':
        return text(t(language, 'staff:usage'));
    }
  }

  /**
   * The admin number this sender writes from, or undefined when they are not staff. A payload without the
   * number (a username user, BSUID only) still counts when the BSUID belongs to the customer an admin
   * number does: both ids were seen together before.
   */
  private async staffNumber(business: BusinessData, sender: CustomerIdentity): Promise<string | undefined> {
    if (sender.waId) return business.adminNumbers.includes(sender.waId) ? sender.waId : undefined;
    if (!sender.userId || business.adminNumbers.length === 0) return undefined;
    return this.deps.identities.sameCustomer(
      business.phoneNumberId,
      { userId: sender.userId },
      business.adminNumbers,
    );
  }

  private async switchAi(
    business: BusinessData,
    language: Language,
    on: boolean,
    actor: SettingsActor,
    wamid: string,
  ): Promise<string> {
    let was: boolean | undefined;
    const update = await this.deps.settings.update(
      business.phoneNumberId,
      (current) => {
        was = current?.aiReplies;
        return current && current.aiReplies !== on ? { ...current, aiReplies: on } : null;
      },
      actor,
      // The wamid encodes the sender's number: the record id carries only its keyed hash.
      { auditKey: logRef(this.deps.pepper, wamid) },
    );
    // This message switched it on an earlier try (a retry after a failure): answered as that try would be.
    if (update?.changes.some((change) => change.field === 'aiReplies' && change.to === on)) was = !on;
    if (was === undefined) return t(language, 'staff:ai.notConfigured');
    if (!on) return t(language, was ? 'staff:ai.offNow' : 'staff:ai.alreadyOff');
    const notes = [
      ...(this.deps.aiConfigured ? [] : [t(language, 'staff:ai.noEndpoint')]),
      ...(business.aiDailyTokenBudget === 0 ? [t(language, 'staff:ai.noBudget')] : []),
    ];
    const head = t(language, was ? 'staff:ai.alreadyOn' : 'staff:ai.onNow');
    return [head, ...notes].join('\n');
  }

  private async status(business: BusinessData, language: Language): Promise<string> {
    const [last] = await this.deps.settings.changes(business.phoneNumberId, { limit: 1, field: 'aiReplies' });
    const lines = [
      t(language, business.aiReplies ? 'staff:status.repliesOn' : 'staff:status.repliesOff'),
      t(
        language,
        this.deps.aiConfigured ? 'staff:status.endpointConfigured' : 'staff:status.endpointMissing',
      ),
      t(language, 'staff:status.budget', { tokens: business.aiDailyTokenBudget.toLocaleString(language) }),
      t(language, business.aiIncludeName ? 'staff:status.namesYes' : 'staff:status.namesNo'),
      business.aiDisclosure
        ? t(language, 'staff:status.disclosure', { line: business.aiDisclosure })
        : t(language, 'staff:status.disclosureNone'),
      t(language, business.persona ? 'staff:status.personaSet' : 'staff:status.personaNone'),
      ...(last ? [lastSwitched(language, last, business.timeZone ?? 'UTC')] : []),
    ];
    return lines.join('\n');
  }

  private async openOrders(business: BusinessData, language: Language): Promise<string> {
    // Today on the business's clock, not the server's.
    const midnight = DateTime.fromMillis(this.now(), { zone: business.timeZone ?? 'UTC' })
      .startOf('day')
      .toJSDate();
    const { orders, total } = await this.deps.orders.openOrdersSince(
      business.phoneNumberId,
      midnight,
      ORDERS_SHOWN,
    );
    if (total === 0) return t(language, 'staff:orders.none');
    const lines = orders.map((order) =>
      t(language, 'staff:orders.line', {
        number: order.orderNumber,
        status: t(language, STATUS[order.status]),
        amount: formatMoney(order.totalMinor, order.currency, business.locale),
        items: t(language, 'staff:orders.items', {
          count: order.items.reduce((sum, line) => sum + line.quantity, 0),
        }),
      }),
    );
    const more =
      total > orders.length ? [t(language, 'staff:orders.more', { more: total - orders.length })] : [];
    return [t(language, 'staff:orders.title', { total }), ...lines, ...more].join('\n');
  }

  private async resume(business: BusinessData, language: Language, customer: string): Promise<string> {
    const parsed = customerParam.safeParse(customer);
    if (!parsed.success) return t(language, 'staff:resume.usage');
    const id = business.phoneNumberId;
    const { ref } = await this.deps.identities.lookup(id, parsed.data);
    return t(language, (await this.deps.resume(id, ref)) ? 'staff:resume.done' : 'staff:resume.none');
  }
}

/** When AI was last switched, and by whom. */
function lastSwitched(language: Language, change: SettingsChange, timeZone: string): string {
  const at = formatDateTime(language, change.at, timeZone);
  switch (change.actor.kind) {
    case 'operator':
      return t(language, 'staff:status.switchedByOperator', { at });
    case 'key':
      return t(language, 'staff:status.switchedByKey', { at, key: change.actor.id });
    case 'admin-number':
      return t(language, 'staff:status.switchedByStaff', { at });
  }
}
