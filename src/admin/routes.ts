import express from 'express';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { businessView } from '../businesses/directory.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { businessInput, businessPatch, phoneNumberIdParam, toBusinessData } from '../businesses/schema.js';
import type { BusinessData } from '../businesses/schema.js';
import { settingsChangeView, SettingsConflictError } from '../businesses/settings.js';
import type { BusinessSettings, SettingsUpdate } from '../businesses/settings.js';
import { AUDITED_SETTINGS } from '../db/models/settings-change.model.js';
import { AppError } from '../errors.js';
import type { Counters } from '../metrics.js';
import { customerParam, parseOrThrow, requireJson } from '../http/validation.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { actorOf, auditActor } from './auth.js';
import type { AdminAuth } from './auth.js';
import { KEY_ID_PATTERN, keyView, TooManyKeysError } from './keys.js';
import type { ApiKeys } from './keys.js';

export interface AdminDeps {
  /** Who may call what (src/admin/auth.ts): the operator token or a business API key. */
  auth: AdminAuth;
  keys: ApiKeys;
  directory: BusinessDirectory;
  /** Writes of a configuration, with the audit of AI settings changes (src/businesses/settings.ts). */
  settings: BusinessSettings;
  counters: Counters;
  pepper: string;
  /** Finds a customer by either of their ids (src/customers/identity.ts). */
  identities: Pick<CustomerIdentities, 'lookup'>;
  /** Hands a conversation back to the bot after "talk to a person"; false when there is none. */
  resumeConversation: (phoneNumberId: string, customerRef: string) => Promise<boolean>;
}

/** The body of `POST …/keys`. */
const keyBody = z.strictObject({ label: z.string().trim().min(1, 'must not be empty').max(100) });

const keyIdParam = z.string().regex(KEY_ID_PATTERN, 'must be a key id (16 hex digits)');

/** `?limit=&before=&field=` of the settings changes list. */
const changesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ error: 'must be an ISO date-time' }).optional(),
  field: z.enum(AUDITED_SETTINGS).optional(),
});

/** A stored configuration as the body of PUT would give it: the base a PATCH is merged onto. */
function asInput(business: BusinessData): Record<string, unknown> {
  const { phoneNumberId: _id, ...input } = businessView(business);
  return input;
}

/**
 * The admin API: business configuration, API keys, the AI settings audit, conversation resume and metrics.
 * Each route states who may call it (src/admin/auth.ts): the operator, or the operator and the business's
 * own keys.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  const { auth } = deps;
  const json = express.json({ limit: '1mb', type: () => true });
  const smallJson = express.json({ limit: '4kb', type: () => true });

  async function existing(req: Request): Promise<BusinessData> {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const business = await deps.directory.get(id);
    if (!business) throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    return business;
  }

  async function write(
    req: Request,
    id: string,
    build: (current: BusinessData | null) => BusinessData | null,
  ): Promise<SettingsUpdate | null> {
    try {
      return await deps.settings.update(id, build, auditActor(actorOf(req)));
    } catch (err) {
      if (err instanceof SettingsConflictError) throw new AppError('CONFLICT', err.message, { cause: err });
      throw err;
    }
  }

  router.get('/admin/businesses/:phoneNumberId', auth.business, async (req, res) => {
    res.json(businessView(await existing(req)));
  });

  router.put('/admin/businesses/:phoneNumberId', auth.operator, requireJson, json, async (req, res) => {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const input = parseOrThrow(businessInput, req.body, 'business');
    const data = toBusinessData(id, input);
    const result = await write(req, id, () => data);
    const created = result?.created ?? false;
    deps.counters.add(created ? 'admin.business.created' : 'admin.business.replaced');
    res.status(created ? 201 : 200).json(businessView(data));
  });

  router.patch('/admin/businesses/:phoneNumberId', auth.business, requireJson, json, async (req, res) => {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const patch = parseOrThrow(businessPatch, req.body, 'business');
    if (Object.keys(patch).length === 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'invalid business: (body) must name at least one field to change',
        {
          fields: [{ field: '(body)', message: 'must name at least one field to change' }],
        },
      );
    }
    if (patch.adminNumbers !== undefined && actorOf(req).kind !== 'operator') {
      throw new AppError('FORBIDDEN', 'adminNumbers can only be changed with the operator token');
    }
    // The account's templates are read with the operator's token: a business key must not point it elsewhere.
    if (patch.wabaId !== undefined && actorOf(req).kind !== 'operator') {
      throw new AppError('FORBIDDEN', 'wabaId can only be changed with the operator token');
    }
    const result = await write(req, id, (current) =>
      // Checked again as a whole: prices against the (new) currency, duplicate item ids.
      current
        ? toBusinessData(id, parseOrThrow(businessInput, { ...asInput(current), ...patch }, 'business'))
        : null,
    );
    if (!result) throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    deps.counters.add('admin.business.patched');
    res.json(businessView(result.business));
  });

  router.get('/admin/businesses/:phoneNumberId/settings-changes', auth.business, async (req, res) => {
    const query = parseOrThrow(changesQuery, req.query, 'query');
    const business = await existing(req);
    const changes = await deps.settings.changes(business.phoneNumberId, {
      limit: query.limit,
      before: query.before ? new Date(query.before) : undefined,
      field: query.field,
    });
    res.json({ changes: changes.map(settingsChangeView) });
  });

  // Keys: made by the operator only (a leaked key cannot make itself a successor); the business's own keys
  // may list them and revoke any of them (a business can stop a leaked key at once).
  router.post(
    '/admin/businesses/:phoneNumberId/keys',
    auth.operator,
    requireJson,
    smallJson,
    async (req, res) => {
      const body = parseOrThrow(keyBody, req.body, 'body');
      const business = await existing(req);
      let created: Awaited<ReturnType<ApiKeys['create']>>;
      try {
        created = await deps.keys.create(business.phoneNumberId, body.label);
      } catch (err) {
        if (err instanceof TooManyKeysError) throw new AppError('CONFLICT', err.message, { cause: err });
        throw err;
      }
      deps.counters.add('admin.key.created');
      res
        .status(201)
        .set('Cache-Control', 'no-store')
        .json({ ...keyView(created.record), key: created.key });
    },
  );

  router.get('/admin/businesses/:phoneNumberId/keys', auth.business, async (req, res) => {
    const business = await existing(req);
    const keys = await deps.keys.list(business.phoneNumberId);
    res.json({ keys: keys.map(keyView) });
  });

  router.delete('/admin/businesses/:phoneNumberId/keys/:keyId', auth.business, async (req, res) => {
    const keyId = parseOrThrow(keyIdParam, req.params.keyId, 'keyId');
    const business = await existing(req);
    const key = await deps.keys.revoke(business.phoneNumberId, keyId);
    if (!key) throw new AppError('NOT_FOUND', 'this business has no key with that id');
    deps.counters.add('admin.key.revoked');
    res.json(keyView(key));
  });

  router.post(
    '/admin/businesses/:phoneNumberId/conversations/:customer/resume',
    auth.business,
    async (req, res) => {
      const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
      const customer = parseOrThrow(customerParam, req.params.customer, 'customer');
      await existing(req);
      const { ref } = await deps.identities.lookup(id, customer);
      if (!(await deps.resumeConversation(id, ref)))
        throw new AppError('NOT_FOUND', 'no conversation with that customer');
      deps.counters.add('admin.conversation.resumed');
      res.status(202).json({ status: 'resuming' });
    },
  );

  router.get('/admin/metrics', auth.operator, async (_req, res) => {
    res.json(await deps.counters.report());
  });

  return router;
}
