import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SettingsActor } from '../db/models/settings-change.model.js';
import { AppError } from '../errors.js';
import { bearerToken, sameSecret } from '../security.js';
import type { ApiKeys } from './keys.js';

/** Who is calling the admin API: the operator (ADMIN_TOKEN), or a business API key (its id and business). */
export type Actor = { kind: 'operator' } | { kind: 'key'; id: string; phoneNumberId: string };

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the admin authentication (src/admin/auth.ts) once the caller is known. */
    actor?: Actor;
  }
}

export interface AdminAuth {
  /** The operator only (PUT of a whole business, key creation, metrics). A business key gets 403. */
  operator: RequestHandler;
  /** The operator, or a key of the business the path's `:phoneNumberId` names; another business's key gets 403. */
  business: RequestHandler;
  /** Any valid credential: in front of the admin 404, so unknown admin paths tell strangers nothing. */
  any: RequestHandler;
}

/** The caller a guarded route was let in for. */
export function actorOf(req: Request): Actor {
  if (!req.actor) throw new Error('admin route without authentication');
  return req.actor;
}

/** The actor as the settings audit records it (a key by its id, never its secret). */
export function auditActor(actor: Actor): SettingsActor {
  return actor.kind === 'operator' ? { kind: 'operator' } : { kind: 'key', id: actor.id };
}

/** The actor for a log line: `operator` or `key:<id>`. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'operator' ? 'operator' : `key:${actor.id}`;
}

const unauthorized = () =>
  new AppError('UNAUTHORIZED', 'a valid "Authorization: Bearer <token>" header is required');

/**
 * One authentication for every admin route: `Authorization: Bearer <ADMIN_TOKEN>` is the operator (all
 * businesses); `Authorization: Bearer pk_…` is a business API key (src/admin/keys.ts), which reaches only
 * its own business. Missing, wrong or revoked: 401; a key outside its business: 403. Both comparisons are
 * constant-time. The caller is put on the request (`req.actor`) for the audit and the request log line.
 */
export function adminAuth(deps: { adminToken: string; keys: ApiKeys }): AdminAuth {
  async function identify(req: Request): Promise<Actor | undefined> {
    const given = bearerToken(req.get('authorization'));
    if (!given) return undefined;
    if (sameSecret(given, deps.adminToken)) return { kind: 'operator' };
    const key = await deps.keys.verify(given);
    return key ? { kind: 'key', id: key._id, phoneNumberId: key.phoneNumberId } : undefined;
  }

  function guard(allowed: (actor: Actor, req: Request) => string | undefined): RequestHandler {
    return async (req: Request, _res: Response, next: NextFunction) => {
      const actor = await identify(req);
      if (!actor) {
        next(unauthorized());
        return;
      }
      req.actor = actor;
      const refusal = allowed(actor, req);
      if (refusal) next(new AppError('FORBIDDEN', refusal));
      else next();
    };
  }

  return {
    operator: guard((actor) =>
      actor.kind === 'operator' ? undefined : 'this route needs the operator token (ADMIN_TOKEN)',
    ),
    business: guard((actor, req) =>
      actor.kind === 'operator' || actor.phoneNumberId === req.params.phoneNumberId
        ? undefined
        : 'this API key belongs to another business',
    ),
    any: guard(() => undefined),
  };
}
