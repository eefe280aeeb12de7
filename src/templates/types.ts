import type { Language } from '../language/languages.js';
export type TemplatePurpose =
  'order.status' | 'staff.newOrder' | 'staff.handoff' | 'staff.cancellation' | 'staff.reply' | 'reminder';
export interface TemplateChoice {
  name: string;
  language: string;
  bodyParameters: string[];
  buttonPayloads?: string[];
}
export type TemplateMiss = 'no-mapping' | 'not-approved' | 'no-language' | 'missing-value';
export interface TemplateResolver {
  /** The APPROVED template mapped to `purpose` for the business, in `language` if it has that variant, else the business's language, else any approved variant; parameters filled from `values`. */
  resolve(
    phoneNumberId: string,
    purpose: TemplatePurpose,
    language: Language,
    values: Record<string, string>,
  ): Promise<{ ok: true; choice: TemplateChoice } | { ok: false; miss: TemplateMiss }>;
}
// eslint-disable-next-line @typescript-eslint/require-await -- the interface is async; this one has nothing to wait for
export const noTemplates: TemplateResolver = { resolve: async () => ({ ok: false, miss: 'no-mapping' }) };
