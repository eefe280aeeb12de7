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
  resolve(
    phoneNumberId: string,
    purpose: TemplatePurpose,
    language: Language,
    values: Record<string, string>,
  ): Promise<{ ok: true; choice: TemplateChoice } | { ok: false; miss: TemplateMiss }>;
}
export const noTemplates: TemplateResolver = { resolve: async () => ({ ok: false, miss: 'no-mapping' }) };
