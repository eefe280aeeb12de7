import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { days } from '../core/time.js';
import { isDuplicateKey } from '../db/errors.js';
import type { BusinessModel } from '../db/models/business.model.js';
import { AUDITED_SETTINGS, SETTINGS_CHANGE_RETENTION_DAYS } from '../db/models/settings-change.model.js';
import type {
  AuditedSetting,
  SettingsActor,
  SettingsChange,
  SettingsChangeModel,
  SettingValue,
} from '../db/models/settings-change.model.js';
import type { BusinessDirectory } from './directory.js';
import type { BusinessData } from './schema.js';

/** Tries before a write that keeps losing to concurrent writes gives up (SettingsConflictError). */
const WRITE_ATTEMPTS = 10;

/** The value a recorded setting has when the business never set it (the defaults of businessInput). */
export const AI_SETTING_DEFAULTS: Readonly<Record<AuditedSetting, SettingValue>> = {
  aiReplies: false,
  persona: '',
  aiDisclosure: '',
  aiIncludeName: false,
  aiDailyTokenBudget: 50_000,
  timeZone: 'UTC',
  openingHours: null,
  openingHoursOff: false,
  closedDays: '[]',
  closedMessage: '',
  preOrders: false,
  deliveryFeeMinor: 0,
  freeDeliveryOverMinor: null,
  minimumOrderMinor: 0,
  booking: null,
  offering: null,
};

/** JSON with every object's keys sorted: the same configuration reads the same however it was stored. */
const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** A setting as it is recorded: objects (hours) as JSON text, an unset one as its default. */
function recordedValue(business: BusinessData, field: AuditedSetting): SettingValue {
  const value: unknown = business[field];
  if (value === undefined || value === null) return AI_SETTING_DEFAULTS[field];
  // The booking configuration and the offering come back from the database in the schema's key order.
  if (field === 'booking' || field === 'offering') return sortedJson(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value as SettingValue;
}

/** The configuration kept changing under a write, several times in a row. */
export class SettingsConflictError extends Error {
  override name = 'SettingsConflictError';
}

export interface SettingsUpdate {
  business: BusinessData;
  created: boolean;
  /** The AI settings changes recorded with this write. */
  changes: SettingsChange[];
}

/** What the admin API shows of a recorded change. */
export function settingsChangeView(change: SettingsChange) {
  return {
    at: change.at.toISOString(),
    field: change.field,
    from: change.from,
    to: change.to,
    actor: change.actor.kind === 'operator' ? { kind: 'operator' } : { ...change.actor },
  };
}

interface StoredBusiness extends BusinessData {
  __v?: number;
  createdAt?: Date;
}

/**
 * Every write of a business's configuration that may change its AI settings (PUT and PATCH of the admin
 * API, the staff's `/ai on|off` in chat) goes through here, so each change of an AI setting is recorded in
 * `settings_changes`: when, who, old → new.
 *
 * A write reads the configuration with its revision (`__v`), builds the new one, records the AI changes,
 * then replaces the configuration only if the revision is unchanged (otherwise the records are withdrawn
 * and the write is tried again on what is there now). Records are written first: there are no
 * multi-document transactions (the embedded database has none), and a crash between the two writes then
 * leaves a record of a change that was not applied rather than a change without a record. A write given an
 * `auditKey` (the chat message's wamid) records under ids derived from it, so a retried message records once.
 */
export class BusinessSettings {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      Business: BusinessModel;
      SettingsChange: SettingsChangeModel;
      directory: BusinessDirectory;
      logger: Logger;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Builds the new configuration from the stored one (null when there is none) and stores it. `build`
   * returns null to write nothing (e.g. no such business) and may throw to refuse. Null when nothing was
   * written, except for a write with an `auditKey` that an earlier run already made (a retried chat
   * message): that returns the changes recorded then, so the caller answers as it did the first time.
   */
  async update(
    phoneNumberId: string,
    build: (current: BusinessData | null) => BusinessData | null,
    actor: SettingsActor,
    options: { auditKey?: string } = {},
  ): Promise<SettingsUpdate | null> {
    const { Business, SettingsChange } = this.deps;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
      const stored = await Business.findOne({ phoneNumberId }, { _id: 0, updatedAt: 0 })
        .lean<StoredBusiness>()
        .exec();
      const { __v: revision, createdAt, ...current } = stored ?? ({} as StoredBusiness);
      const next = build(stored ? current : null);
      if (!next) {
        const earlier = stored ? await this.recordedUnder(phoneNumberId, options.auditKey) : [];
        return earlier.length > 0 ? { business: current, created: false, changes: earlier } : null;
      }
      const changes = this.changesBetween(stored ? current : null, next, actor, options.auditKey);
      if (changes.length > 0) await this.record(changes);
      let written: boolean;
      if (stored) {
        const result = await Business.replaceOne(
          { phoneNumberId, __v: revision ?? null },
          { ...next, phoneNumberId, ...(createdAt ? { createdAt } : {}), __v: (revision ?? 0) + 1 },
          { runValidators: true },
        ).exec();
        written = result.matchedCount === 1;
      } else {
        try {
          await Business.create({ ...next, phoneNumberId });
          written = true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          written = false; // Created by another request meanwhile: build again on what it stored.
        }
      }
      if (written) {
        this.deps.directory.invalidate(phoneNumberId);
        if (changes.length > 0) {
          this.deps.logger.info(
            {
              phoneNumberId,
              actor: actor.kind === 'operator' ? 'operator' : `${actor.kind}:${actor.id}`,
              fields: changes.map((c) => c.field),
            },
            'business settings changed',
          );
        }
        return { business: next, created: !stored, changes };
      }
      if (changes.length > 0)
        await SettingsChange.deleteMany({ _id: { $in: changes.map((c) => c._id) } }).exec();
    }
    throw new SettingsConflictError(
      `the configuration of business ${phoneNumberId} kept changing during the update; try again`,
    );
  }

  /** The business's recorded changes, newest first. */
  async changes(
    phoneNumberId: string,
    options: { limit: number; before?: Date | undefined; field?: AuditedSetting | undefined },
  ): Promise<SettingsChange[]> {
    return this.deps.SettingsChange.find({
      phoneNumberId,
      ...(options.before ? { at: { $lt: options.before } } : {}),
      ...(options.field ? { field: options.field } : {}),
    })
      .sort({ at: -1, _id: -1 })
      .limit(options.limit)
      .lean<SettingsChange[]>()
      .exec();
  }

  /** The changes recorded under an audit key (ids `<auditKey>:<field>`), in field order. */
  private async recordedUnder(
    phoneNumberId: string,
    auditKey: string | undefined,
  ): Promise<SettingsChange[]> {
    if (!auditKey) return [];
    return this.deps.SettingsChange.find({
      _id: { $in: AUDITED_SETTINGS.map((field) => `${auditKey}:${field}`) },
      phoneNumberId,
    })
      .lean<SettingsChange[]>()
      .exec();
  }

  private changesBetween(
    before: BusinessData | null,
    after: BusinessData,
    actor: SettingsActor,
    auditKey: string | undefined,
  ): SettingsChange[] {
    const at = new Date(this.now());
    const expiresAt = new Date(at.getTime() + days(SETTINGS_CHANGE_RETENTION_DAYS));
    const changes: SettingsChange[] = [];
    for (const field of AUDITED_SETTINGS) {
      const to = recordedValue(after, field);
      // A business created with a setting other than its default: recorded as set from nothing.
      const from: SettingValue = before ? recordedValue(before, field) : null;
      const compared = before ? from : AI_SETTING_DEFAULTS[field];
      if (compared === to) continue;
      changes.push({
        _id: auditKey
          ? `${auditKey}:${field}`
          : `sc_${at.getTime().toString(36)}_${randomBytes(9).toString('base64url')}`,
        phoneNumberId: after.phoneNumberId,
        at,
        actor,
        field,
        from,
        to,
        expiresAt,
      });
    }
    return changes;
  }

  private async record(changes: SettingsChange[]): Promise<void> {
    try {
      await this.deps.SettingsChange.insertMany(changes, { ordered: false });
    } catch (err) {
      // A retried chat message finds the records it wrote before (ids derived from its wamid).
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
