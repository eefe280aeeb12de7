import type { Language } from '../language/languages.js';
export type TemplatePurpose =
  | 'order.status'
  | 'staff.newOrder'
  | 'staff.handoff'
  | 'staff.cancellation'
  | 'staff.reply'
  | 'reminder'
  | 'staff.booking'
  | 'appointment.notice';
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
// Not `async () => …` as first sketched: the linter wants an await in async functions; the value is the same.
export const noTemplates: TemplateResolver = {
  resolve: () => Promise.resolve({ ok: false, miss: 'no-mapping' } as const),
};
