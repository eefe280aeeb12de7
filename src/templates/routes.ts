import express from 'express';
import type { Request, Router } from 'express';
import type { AdminAuth } from '../admin/auth.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { phoneNumberIdParam } from '../businesses/schema.js';
import type { TemplateMapping, TemplateRecord, TemplateSync } from '../db/models/template.model.js';
import { AppError } from '../errors.js';
import { parseOrThrow, requireJson } from '../http/validation.js';
import type { Counters } from '../metrics.js';
import { mappingsInput } from './mappings.js';
import type { TemplateRegistry } from './registry.js';

export interface TemplateRoutesDeps {
  auth: AdminAuth;
  directory: BusinessDirectory;
  templates: TemplateRegistry;
  counters: Counters;
}

/** A template as the admin API shows it. */
export function templateView(t: TemplateRecord) {
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    ...(t.reason ? { reason: t.reason } : {}),
    body: t.body,
    parameterFormat: t.parameterFormat,
    parameters: t.parameters,
    buttons: t.buttons,
    ...(t.unsupported ? { unsupported: t.unsupported } : {}),
    updatedAt: t.updatedAt.toISOString(),
  };
}

const syncView = (s: TemplateSync | undefined) =>
  s ? { at: s.at.toISOString(), count: s.count, ...(s.error ? { error: s.error } : {}) } : null;

const mappingView = (m: TemplateMapping) => ({
  purpose: m.purpose,
  template: m.template,
  parameters: m.parameters,
  buttons: m.buttons,
});

/**
 * The business's templates and mappings, for the operator or the business's own key: list them, sync them
 * from Meta (`POST …/templates/sync`), and replace the mappings (`PUT …/template-mappings`), each checked
 * against the templates (placeholder counts, quick-reply buttons) before anything is saved.
 */
export function templatesRouter(deps: TemplateRoutesDeps): Router {
  const router = express.Router();
  const business = deps.auth.business;
  const json = express.json({ limit: '32kb', type: () => true });

  async function businessId(req: Request): Promise<string> {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    if (!(await deps.directory.get(id)))
      throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    return id;
  }

  router.get('/admin/businesses/:phoneNumberId/templates', business, async (req, res) => {
    const id = await businessId(req);
    const [templates, setup] = await Promise.all([deps.templates.list(id), deps.templates.setup(id)]);
    res.json({
      templates: templates.map(templateView),
      lastSync: syncView(setup.lastSync),
      mappings: setup.mappings.map(mappingView),
    });
  });

  router.post('/admin/businesses/:phoneNumberId/templates/sync', business, async (req, res) => {
    const id = await businessId(req);
    const outcome = await deps.templates.sync(id);
    deps.counters.add(outcome.ok ? 'admin.templates.synced' : 'admin.templates.sync_failed');
    if (outcome.ok) {
      res.json({ count: outcome.count, skipped: outcome.skipped });
      return;
    }
    res.status(502).json({ error: { code: 'TEMPLATE_SYNC_FAILED', message: outcome.error } });
  });

  router.get('/admin/businesses/:phoneNumberId/template-mappings', business, async (req, res) => {
    const id = await businessId(req);
    res.json({ mappings: (await deps.templates.setup(id)).mappings.map(mappingView) });
  });

  router.put(
    '/admin/businesses/:phoneNumberId/template-mappings',
    business,
    requireJson,
    json,
    async (req, res) => {
      const input = parseOrThrow(mappingsInput, req.body, 'body');
      const id = await businessId(req);
      const problems = await deps.templates.check(id, input.mappings);
      if (problems.length > 0) {
        throw new AppError(
          'VALIDATION_FAILED',
          `invalid mappings: ${problems.map((p) => p.message).join('; ')}`,
          { fields: problems.map((p) => ({ field: p.path.join('.'), message: p.message })) },
        );
      }
      await deps.templates.saveMappings(id, input.mappings);
      deps.counters.add('admin.templates.mapped');
      res.json({ mappings: input.mappings.map(mappingView) });
    },
  );

  return router;
}
