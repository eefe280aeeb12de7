import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { parseCustomerId } from '../customers/identity.js';
import { AppError } from '../errors.js';

/**
 * A customer as the business knows them: a WhatsApp number (with or without `+`, spaces, dashes) or a
 * business-scoped user id. Parsed to the id it names; either finds the same customer. Shared by the admin,
 * privacy and staff-command inputs, so every way of naming a customer accepts the same forms.
 */
export const customerParam = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const id = parseCustomerId(value);
    if (id) return id;
    ctx.addIssue({ code: 'custom', message: 'must be a WhatsApp number or a business-scoped user id' });
    return z.NEVER;
  });

/** zod issues as `{ field, message }`, with the field as a dotted path (`catalog.2.price`). */
export function fieldProblems(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return { field: keys.join(', '), message: 'is not a known field' };
    }
    return { field: path || '(body)', message: issue.message };
  });
}

/**
 * The parsed value, or a `VALIDATION_FAILED` AppError naming every field that is wrong. Every JSON API (admin,
 * orders, privacy, simulator) parses with it, so every 400 reads the same.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    // A path parameter is checked on its own: its problems have no path, so name it.
    const fields = fieldProblems(result.error).map((f) =>
      f.field === '(body)' && what !== 'business' ? { ...f, field: what } : f,
    );
    throw new AppError(
      'VALIDATION_FAILED',
      `invalid ${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      {
        fields,
      },
    );
  }
  return result.data;
}

/** Requests with a body must say it is JSON (415 otherwise). */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'expected application/json'));
  else next();
}
