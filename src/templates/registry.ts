import type { Logger } from 'pino';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { Config } from '../config.js';
import { TEMPLATE_BUTTON_PAYLOADS } from '../core/templates.js';
import type { TemplateStatusUpdate } from '../core/templates.js';
import type {
  TemplateMapping,
  TemplateModel,
  TemplateRecord,
  TemplateSetupModel,
  TemplateSync,
} from '../db/models/template.model.js';
import { languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { WhatsAppApiError, WhatsAppNetworkError } from '../whatsapp/errors.js';
import { createTemplateFetcher } from '../whatsapp/templates.js';
import type { FetchTemplates } from '../whatsapp/templates.js';
import { PURPOSES } from './purposes.js';
import type { TemplateChoice, TemplateMiss, TemplatePurpose, TemplateResolver } from './types.js';

export interface TemplateRegistryDeps {
  Template: TemplateModel;
  TemplateSetup: TemplateSetupModel;
  directory: Pick<BusinessDirectory, 'get'>;
  /** Reads an account's templates from Meta; absent when no access token is configured. */
  fetch: FetchTemplates | undefined;
  logger: Logger;
  now?: () => number;
}

export type SyncOutcome = { ok: true; count: number; skipped: number } | { ok: false; error: string };

/** A problem of a mapping, by where it is (`mappings.0.parameters.1`) and in words. */
export interface MappingProblem {
  path: Array<string | number>;
  message: string;
}

/** The template reader of the configuration: the sends' Graph base URL, version and token; none without a token. */
export function templateFetcherFor(whatsapp: Config['whatsapp']): FetchTemplates | undefined {
  if (!whatsapp.accessToken) return undefined;
  return createTemplateFetcher({
    baseUrl: whatsapp.graphBaseUrl,
    apiVersion: whatsapp.apiVersion,
    accessToken: whatsapp.accessToken,
  });
}

/** A template can carry a message when it is approved and asks for nothing the bot does not fill. */
export const usable = (t: Pick<TemplateRecord, 'status' | 'unsupported'>): boolean =>
  t.status === 'APPROVED' && t.unsupported === undefined;

/** The bot language of a Meta language code (`pt_BR` → `pt`), or the code's first part. */
export const baseLanguage = (code: string): string => (code.split(/[_-]/)[0] ?? code).toLowerCase();

/** Meta refuses parameter text with line breaks, tabs or more than four spaces in a row (132018). */
const parameterText = (value: string): string =>
  value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {4,}/g, '   ')
    .trim();

/** What a failed sync says to the person who pressed the button. */
export function syncErrorText(err: unknown): string {
  if (err instanceof WhatsAppNetworkError)
    return err.timedOut
      ? 'Meta did not answer in time. Try again in a few minutes.'
      : 'Meta could not be reached. Try again in a few minutes.';
  if (err instanceof WhatsAppApiError) {
    const code = err.code;
    if (code === 190) return 'Meta refused the access token: it has expired or was revoked. Renew it.';
    if (code === 10 || (code !== undefined && code >= 200 && code <= 299))
      return 'The access token may not read this account’s templates (it needs whatsapp_business_management).';
    if (code === 100)
      return 'Meta does not know this WhatsApp Business Account id, or the token has no access to it. Check the id.';
    if (code === 4 || code === 80007 || code === 130429)
      return 'Meta is limiting requests right now. Try again in a few minutes.';
    if (err.retryable) return `Meta had a problem (HTTP ${err.httpStatus}). Try again later.`;
    return code === undefined
      ? `Meta gave an answer the bot could not read (HTTP ${err.httpStatus}).`
      : `Meta refused the request (error ${code}: ${err.title}).`;
  }
  return 'The templates could not be read.';
}

/**
 * Each business's templates (synced from its WhatsApp Business Account, kept current by the status
 * webhooks) and its mappings: which template carries which business-initiated message. Resolves a purpose
 * to a template ready to send.
 */
export class TemplateRegistry implements TemplateResolver {
  private readonly now: () => number;

  constructor(private readonly d: TemplateRegistryDeps) {
    this.now = d.now ?? Date.now;
  }

  /** The business's templates, by name then language. */
  async list(phoneNumberId: string): Promise<TemplateRecord[]> {
    return this.d.Template.find({ phoneNumberId }, { _id: 0 })
      .sort({ name: 1, language: 1 })
      .lean<TemplateRecord[]>()
      .exec();
  }

  /** The business's mappings and last sync. */
  async setup(phoneNumberId: string): Promise<{ mappings: TemplateMapping[]; lastSync?: TemplateSync }> {
    const doc = await this.d.TemplateSetup.findById(phoneNumberId).lean().exec();
    return { mappings: doc?.mappings ?? [], ...(doc?.lastSync ? { lastSync: doc.lastSync } : {}) };
  }

  /**
   * Reads the account's templates from Meta and replaces the business's registry with them (templates no
   * longer there are dropped). The outcome is kept as the last sync, errors in words.
   */
  async sync(phoneNumberId: string): Promise<SyncOutcome> {
    const at = new Date(this.now());
    const business = await this.d.directory.get(phoneNumberId);
    let outcome: SyncOutcome;
    if (!business) return { ok: false, error: 'No such business.' };
    if (!business.wabaId) {
      outcome = { ok: false, error: 'No WhatsApp Business Account id is set for this business.' };
    } else if (!this.d.fetch) {
      outcome = { ok: false, error: 'Sending WhatsApp messages is not set up (no access token).' };
    } else {
      try {
        const listing = await this.d.fetch(business.wabaId);
        await this.replace(phoneNumberId, business.wabaId, listing.templates, at);
        outcome = { ok: true, count: listing.templates.length, skipped: listing.skipped };
      } catch (err) {
        const code = err instanceof WhatsAppApiError ? err.code : undefined;
        this.d.logger.warn(
          { phoneNumberId, code, error: err instanceof Error ? err.name : 'unknown' },
          'template sync failed',
        );
        outcome = { ok: false, error: syncErrorText(err) };
      }
    }
    const lastSync: TemplateSync = outcome.ok
      ? { at, count: outcome.count }
      : { at, count: 0, error: outcome.error };
    await this.d.TemplateSetup.updateOne(
      { _id: phoneNumberId },
      { $set: { lastSync, updatedAt: at }, $setOnInsert: { mappings: [] } },
      { upsert: true },
    ).exec();
    return outcome;
  }

  private async replace(
    phoneNumberId: string,
    wabaId: string,
    templates: ReadonlyArray<Omit<TemplateRecord, 'phoneNumberId' | 'wabaId' | 'syncedAt' | 'updatedAt'>>,
    at: Date,
  ): Promise<void> {
    if (templates.length > 0) {
      await this.d.Template.bulkWrite(
        templates.map((t) => {
          const { unsupported, reason: _reason, ...fields } = t;
          return {
            updateOne: {
              filter: { phoneNumberId, name: t.name, language: t.language },
              update: {
                $set: {
                  ...fields,
                  wabaId,
                  syncedAt: at,
                  updatedAt: at,
                  ...(unsupported ? { unsupported } : {}),
                },
                $unset: {
                  ...(unsupported ? {} : { unsupported: 1 }),
                  // A reason belongs to a refusal: an approved template has none.
                  ...(t.status === 'APPROVED' ? { reason: 1 } : {}),
                },
              },
              upsert: true,
            },
          };
        }),
        { ordered: false },
      );
    }
    await this.d.Template.deleteMany({ phoneNumberId, syncedAt: { $ne: at } }).exec();
  }

  /**
   * Applies `message_template_status_update` webhooks: the status (and Meta's reason) of the template in
   * every business of that account. A template not synced yet is left for the next sync.
   */
  async applyStatus(updates: readonly TemplateStatusUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    const at = new Date(this.now());
    const result = await this.d.Template.bulkWrite(
      updates.map((u) => {
        const reason = u.reason && u.reason.toUpperCase() !== 'NONE' ? u.reason : undefined;
        const byName = u.wabaId ? [{ wabaId: u.wabaId, name: u.name, language: u.language }] : [];
        return {
          updateMany: {
            filter: { $or: [{ metaId: u.templateId }, ...byName] },
            update: {
              $set: { status: u.event.toUpperCase(), updatedAt: at, ...(reason ? { reason } : {}) },
              ...(reason ? {} : { $unset: { reason: 1 } }),
            },
          },
        };
      }),
      { ordered: false },
    );
    return result.matchedCount;
  }

  /**
   * Problems of mappings against the business's templates: a template that is not in the registry, a
   * parameter count or a button that does not fit one of its language variants, a variant the bot cannot
   * send. Empty when they can be saved.
   */
  async check(phoneNumberId: string, mappings: readonly TemplateMapping[]): Promise<MappingProblem[]> {
    const problems: MappingProblem[] = [];
    const names = [...new Set(mappings.map((m) => m.template))];
    const found = await this.d.Template.find({ phoneNumberId, name: { $in: names } })
      .lean<TemplateRecord[]>()
      .exec();
    mappings.forEach((mapping, index) => {
      const at = (...rest: Array<string | number>) => ['mappings', index, ...rest];
      const label = PURPOSES[mapping.purpose as TemplatePurpose]?.label ?? mapping.purpose;
      const variants = found.filter((t) => t.name === mapping.template);
      if (variants.length === 0) {
        problems.push({
          path: at('template'),
          message: `${label}: there is no template “${mapping.template}”. Sync from Meta first.`,
        });
        return;
      }
      for (const t of variants) {
        if (t.unsupported) {
          problems.push({
            path: at('template'),
            message: `${label}: “${t.name}” (${t.language}) cannot be sent by the bot: ${t.unsupported}.`,
          });
          continue;
        }
        if (t.parameters.length !== mapping.parameters.length) {
          problems.push({
            path: at('parameters'),
            message: `${label}: “${t.name}” (${t.language}) has ${t.parameters.length} placeholder(s), but ${mapping.parameters.length} value(s) were chosen.`,
          });
        }
        mapping.buttons.forEach((action, i) => {
          if (action === '') return;
          const button = t.buttons[i];
          if (button?.type !== 'QUICK_REPLY') {
            problems.push({
              path: at('buttons', i),
              message: `${label}: button ${i + 1} of “${t.name}” (${t.language}) is not a quick-reply button, so it cannot have an action.`,
            });
          }
        });
      }
    });
    return problems;
  }

  /** Replaces the business's mappings (checked first with `check`). */
  async saveMappings(phoneNumberId: string, mappings: readonly TemplateMapping[]): Promise<void> {
    await this.d.TemplateSetup.updateOne(
      { _id: phoneNumberId },
      { $set: { mappings: [...mappings], updatedAt: new Date(this.now()) } },
      { upsert: true },
    ).exec();
  }

  async resolve(
    phoneNumberId: string,
    purpose: TemplatePurpose,
    language: Language,
    values: Record<string, string>,
  ): Promise<{ ok: true; choice: TemplateChoice } | { ok: false; miss: TemplateMiss }> {
    const setup = await this.d.TemplateSetup.findById(phoneNumberId, { mappings: 1 }).lean().exec();
    const mapping = setup?.mappings.find((m) => m.purpose === purpose);
    if (!mapping) return { ok: false, miss: 'no-mapping' };
    const variants = await this.d.Template.find({ phoneNumberId, name: mapping.template })
      .sort({ language: 1 })
      .lean<TemplateRecord[]>()
      .exec();
    // Only variants the mapping still fits: a template edited at Meta since would be refused (132000).
    const sendable = variants.filter(
      (t) =>
        usable(t) &&
        t.parameters.length === mapping.parameters.length &&
        mapping.buttons.every((a, i) => a === '' || t.buttons[i]?.type === 'QUICK_REPLY'),
    );
    if (sendable.length === 0)
      return { ok: false, miss: variants.length === 0 ? 'no-mapping' : 'not-approved' };
    const inLanguage = (wanted: string) =>
      sendable.find((t) => t.language === wanted) ??
      sendable.find((t) => baseLanguage(t.language) === wanted);
    const business = await this.d.directory.get(phoneNumberId);
    const chosen =
      inLanguage(language) ??
      (business ? inLanguage(languageOfLocale(business.locale)) : undefined) ??
      sendable[0];
    if (!chosen) return { ok: false, miss: 'no-language' };
    const bodyParameters: string[] = [];
    for (const name of mapping.parameters) {
      const value = parameterText(values[name] ?? '');
      if (value === '') return { ok: false, miss: 'missing-value' };
      bodyParameters.push(value);
    }
    const payloads = mapping.buttons.map((action) => (action === '' ? '' : TEMPLATE_BUTTON_PAYLOADS[action]));
    while (payloads.length > 0 && payloads[payloads.length - 1] === '') payloads.pop();
    return {
      ok: true,
      choice: {
        name: chosen.name,
        language: chosen.language,
        bodyParameters,
        ...(payloads.length > 0 ? { buttonPayloads: payloads } : {}),
      },
    };
  }
}
