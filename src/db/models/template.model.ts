import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { TEMPLATE_BUTTON_ACTIONS } from '../../core/templates.js';
import type { TemplateButtonAction } from '../../core/templates.js';

/** Meta's template statuses (upper case, as the API and the status webhooks write them). */
export const TEMPLATE_STATUSES = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'FLAGGED',
  'LIMIT_EXCEEDED',
  'PENDING_DELETION',
  'DELETED',
  'ARCHIVED',
  'LOCKED',
] as const;

/** One button of a template, in the template's order (a quick reply's `index` when sending is its position here). */
export interface TemplateButton {
  /** `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `COPY_CODE`, … as Meta writes it. */
  type: string;
  text: string;
}

/**
 * One approved (or pending, rejected…) template of a business's WhatsApp Business Account, in one language:
 * what the registry knows of it from the last sync and the status webhooks since. No personal data.
 */
export interface TemplateRecord {
  phoneNumberId: string;
  wabaId: string;
  /** Meta's template id (the same for every business sharing the account). */
  metaId: string;
  name: string;
  /** Meta's language code, e.g. `en_US`, `es`, `pt_BR`. */
  language: string;
  /** `UTILITY`, `MARKETING`, `AUTHENTICATION`. */
  category: string;
  /** One of TEMPLATE_STATUSES, or whatever new status Meta reports. */
  status: string;
  /** Why Meta rejected or paused it, when it said. */
  reason?: string;
  /** The body text with its placeholders (`{{1}}` or `{{order_number}}`). */
  body: string;
  /** `positional` ({{1}}, {{2}}…) or `named` ({{order_number}}…). */
  parameterFormat: 'positional' | 'named';
  /** The body's parameters in order: `1`, `2`… or the names. */
  parameters: string[];
  buttons: TemplateButton[];
  /** Why the bot cannot send it (a header that needs a picture, a header variable…); absent when it can. */
  unsupported?: string;
  syncedAt: Date;
  updatedAt: Date;
}

/** Which template carries one purpose and what fills it. */
export interface TemplateMapping {
  purpose: string;
  /** The template's name; the language variant is chosen when sending. */
  template: string;
  /** For each body parameter in order, the name of the purpose's value that fills it. */
  parameters: string[];
  /** For each button of the template in order, its action; `''` for none (URL buttons, unused ones). */
  buttons: Array<TemplateButtonAction | ''>;
}

/** The outcome of the last sync from Meta. */
export interface TemplateSync {
  at: Date;
  /** Templates received. */
  count: number;
  /** What went wrong, in words; absent when the sync succeeded. */
  error?: string;
}

/** A business's template settings: its mappings and the last sync. `_id` is the phone number id. */
export interface TemplateSetup {
  _id: string;
  mappings: TemplateMapping[];
  lastSync?: TemplateSync;
  updatedAt: Date;
}

const templateSchema = new Schema<TemplateRecord>(
  {
    phoneNumberId: { type: String, required: true },
    wabaId: { type: String, required: true },
    metaId: { type: String, required: true },
    name: { type: String, required: true },
    language: { type: String, required: true },
    category: { type: String, default: '' },
    status: { type: String, required: true },
    reason: String,
    body: { type: String, default: '' },
    parameterFormat: { type: String, enum: ['positional', 'named'], default: 'positional' },
    parameters: { type: [String], default: [] },
    buttons: {
      type: [new Schema<TemplateButton>({ type: String, text: String }, { _id: false })],
      default: [],
    },
    unsupported: String,
    syncedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'templates', versionKey: false },
);
templateSchema.index({ phoneNumberId: 1, name: 1, language: 1 }, { unique: true });
templateSchema.index({ metaId: 1 });
templateSchema.index({ wabaId: 1, name: 1, language: 1 });

const mappingSchema = new Schema<TemplateMapping>(
  {
    purpose: { type: String, required: true },
    template: { type: String, required: true },
    parameters: { type: [String], default: [] },
    buttons: { type: [{ type: String, enum: [...TEMPLATE_BUTTON_ACTIONS, ''] }], default: [] },
  },
  { _id: false },
);

const templateSetupSchema = new Schema<TemplateSetup>(
  {
    _id: { type: String, required: true },
    mappings: { type: [mappingSchema], default: [] },
    lastSync: {
      type: new Schema<TemplateSync>(
        { at: { type: Date, required: true }, count: { type: Number, required: true }, error: String },
        { _id: false },
      ),
      default: undefined,
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'template_settings', versionKey: false },
);

export type TemplateModel = Model<TemplateRecord>;
export type TemplateSetupModel = Model<TemplateSetup>;

export function templateModel(connection: Connection): TemplateModel {
  return connection.models.Template ?? connection.model<TemplateRecord>('Template', templateSchema);
}

export function templateSetupModel(connection: Connection): TemplateSetupModel {
  return (
    connection.models.TemplateSetup ?? connection.model<TemplateSetup>('TemplateSetup', templateSetupSchema)
  );
}
