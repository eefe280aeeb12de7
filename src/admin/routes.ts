import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import { businessView } from '../businesses/directory.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { businessInput, phoneNumberIdParam, toBusinessData } from '../businesses/schema.js';
import { AppError } from '../errors.js';
import type { Counters } from '../metrics.js';
import { customerRef } from '../privacy/refs.js';
import { bearerToken, sameSecret } from '../security.js';
import { customerKey } from '../webhook/parse.js';

export interface AdminDeps {
  adminToken: string;
  directory: BusinessDirectory;
  counters: Counters;
  pepper: string;
  /** Hands a conversation back to the bot after "talk to a person"; false when there is none. */
  resumeConversation: (phoneNumberId: string, customerRef: string) => Promise<boolean>;
}

/** A customer as the business knows them in a URL: a WhatsApp number (wa_id) or a business-scoped user id. */
export const customerParam = z
  .string()
  .min(3)
  .max(100)
  .regex(/^(\+?\d{7,15}|[A-Z]{2}\.[A-Za-z0-9]+)$/, 'must be a WhatsApp number or a business-scoped user id');

/** The identity a validated customer parameter names: a wa_id (digits, "+" dropped) or a user id. */
export function customerIdentity(customer: string): { waId: string } | { userId: string } {
  return /^\+?\d+$/.test(customer) ? { waId: customer.replace(/^\+/, '') } : { userId: customer };
}

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

/** Exported for the other admin routers (src/orders/routes.ts), so every admin 400 reads the same. */
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

/**
 * The operator's bearer token (ADMIN_TOKEN), compared in constant time; 401 otherwise. Exported so that
 * each admin router guards its own routes rather than relying on being mounted after this one.
 */
export function requireOperator(token: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = bearerToken(req.get('authorization'));
    if (!given || !sameSecret(given, token)) {
      next(new AppError('UNAUTHORIZED', 'a valid "Authorization: Bearer <token>" header is required'));
      return;
    }
    next();
  };
}

/** The admin API: business configuration, for the operator. */
export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  router.use('/admin', requireOperator(deps.adminToken));
  const json = express.json({ limit: '1mb', type: () => true });

  router.get('/admin/businesses/:phoneNumberId', async (req, res) => {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const business = await deps.directory.get(id);
    if (!business) throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    res.json(businessView(business));
  });

  router.put('/admin/businesses/:phoneNumberId', (req, _res, next) => {
    if (!req.is('application/json'))
      next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'expected application/json'));
    else next();
  });
  router.put('/admin/businesses/:phoneNumberId', json, async (req, res) => {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const input = parseOrThrow(businessInput, req.body, 'business');
    const data = toBusinessData(id, input);
    const { created } = await deps.directory.put(data);
    deps.counters.add(created ? 'admin.business.created' : 'admin.business.replaced');
    res.status(created ? 201 : 200).json(businessView(data));
  });

  router.post('/admin/businesses/:phoneNumberId/conversations/:customer/resume', async (req, res) => {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const customer = parseOrThrow(customerParam, req.params.customer, 'customer');
    if (!(await deps.directory.get(id)))
      throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    const ref = customerRef(deps.pepper, id, customerKey(id, customerIdentity(customer)));
    if (!(await deps.resumeConversation(id, ref)))
      throw new AppError('NOT_FOUND', 'no conversation with that customer');
    deps.counters.add('admin.conversation.resumed');
    res.status(202).json({ status: 'resuming' });
  });

  router.get('/admin/metrics', (_req, res) => {
    res.json(deps.counters.snapshot());
  });

  return router;
}
