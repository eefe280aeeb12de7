import { z } from 'zod';
import { TEMPLATE_BUTTON_ACTIONS } from '../core/templates.js';
import type { TemplateMapping } from '../db/models/template.model.js';
import { PURPOSES, TEMPLATE_PURPOSES } from './purposes.js';

/** Meta's template names: lower case letters, digits and underscores. */
export const templateName = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,512}$/, 'must be a template name (lower case letters, digits and _)');

/** One purpose's template, the value of each placeholder in order, and the action of each button in order. */
const mappingInput = z
  .strictObject({
    purpose: z.enum(TEMPLATE_PURPOSES, 'must be one of ' + TEMPLATE_PURPOSES.join(', ')),
    template: templateName,
    parameters: z.array(z.string()).max(20, 'at most 20 placeholders').default([]),
    buttons: z
      .array(z.enum([...TEMPLATE_BUTTON_ACTIONS, ''], 'must be track, menu, person, optout or ""'))
      .max(10, 'at most 10 buttons')
      .default([]),
  })
  .superRefine((mapping, ctx) => {
    const allowed = PURPOSES[mapping.purpose].values.map((v) => v.name);
    mapping.parameters.forEach((value, i) => {
      if (!allowed.includes(value))
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', i],
          message: `must be one of ${allowed.join(', ')}`,
        });
    });
  }) satisfies z.ZodType<TemplateMapping, unknown>;

/** The body of `PUT /admin/businesses/:id/template-mappings`: every mapping of the business (a purpose at most once). */
export const mappingsInput = z
  .strictObject({ mappings: z.array(mappingInput).max(TEMPLATE_PURPOSES.length) })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.mappings.forEach((m, i) => {
      if (seen.has(m.purpose))
        ctx.addIssue({ code: 'custom', path: ['mappings', i, 'purpose'], message: 'is mapped twice' });
      seen.add(m.purpose);
    });
  });

export type MappingsInput = z.infer<typeof mappingsInput>;
