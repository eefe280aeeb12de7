import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/** How long a change of a business's AI settings is kept: accountability for when AI was on, and who said so. */
export const SETTINGS_CHANGE_RETENTION_DAYS = 3 * 365;

/**
 * The settings whose every change is recorded: the AI settings, and what changes what customers are
 * told and charged (hours as JSON text, amounts in minor units), and what customers can book (the booking
 * configuration and the offering, as JSON text with sorted keys).
 */
export const AUDITED_SETTINGS = [
  'aiReplies',
  'persona',
  'aiDisclosure',
  'aiIncludeName',
  'aiDailyTokenBudget',
  'timeZone',
  'openingHours',
  'openingHoursOff',
  'closedDays',
  'closedMessage',
  'preOrders',
  'deliveryFeeMinor',
  'freeDeliveryOverMinor',
  'minimumOrderMinor',
  'booking',
  'offering',
] as const;
export type AuditedSetting = (typeof AUDITED_SETTINGS)[number];

/**
 * Who changed a setting: the operator (ADMIN_TOKEN), a business API key (its id), or one of the business's
 * admin numbers in chat (a keyed hash of the number, privacy/refs.ts `logRef`; never the number).
 */
export type SettingsActor =
  { kind: 'operator' } | { kind: 'key'; id: string } | { kind: 'admin-number'; id: string };

export type SettingValue = boolean | number | string | null;

/**
 * One change of one AI setting of one business: when, who, the value before and after. `from` is null when
 * the business was created with a value other than the default. No customer data.
 */
export interface SettingsChange {
  _id: string;
  phoneNumberId: string;
  at: Date;
  actor: SettingsActor;
  field: AuditedSetting;
  from: SettingValue;
  to: SettingValue;
  /** `at` + SETTINGS_CHANGE_RETENTION_DAYS (TTL). */
  expiresAt: Date;
}

const settingsChangeSchema = new Schema<SettingsChange>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    at: { type: Date, required: true },
    actor: {
      _id: false,
      kind: { type: String, enum: ['operator', 'key', 'admin-number'], required: true },
      id: String,
    },
    field: { type: String, enum: AUDITED_SETTINGS, required: true },
    from: Schema.Types.Mixed,
    to: Schema.Types.Mixed,
    expiresAt: { type: Date, required: true },
  },
  { collection: 'settings_changes', versionKey: false, minimize: false },
);
settingsChangeSchema.index({ phoneNumberId: 1, at: -1 });
settingsChangeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SettingsChangeModel = Model<SettingsChange>;

export function settingsChangeModel(connection: Connection): SettingsChangeModel {
  return (
    connection.models.SettingsChange ??
    connection.model<SettingsChange>('SettingsChange', settingsChangeSchema)
  );
}
