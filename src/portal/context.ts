import express from 'express';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { auditActor } from '../admin/auth.js';
import type { ApiKeys } from '../admin/keys.js';
import { businessView } from '../businesses/directory.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { businessInput, toBusinessData } from '../businesses/schema.js';
import type { BusinessData } from '../businesses/schema.js';
import { SettingsConflictError } from '../businesses/settings.js';
import type { BusinessSettings } from '../businesses/settings.js';
import type { BusinessModel } from '../db/models/business.model.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import type { Counters } from '../metrics.js';
import type { HandoffService } from '../handoff/service.js';
import type { NoticeRow } from '../outbox/notice-log.js';
import type { OrderDesk } from '../orders/desk.js';
import type { OrderService } from '../orders/service.js';
import type { AppointmentDesk } from '../appointments/desk.js';
import type { AppointmentStore } from '../appointments/store.js';
import type { PrivacyService } from '../privacy/service.js';
import type { AddressLimits } from '../rate-limit.js';
import type { TemplateRegistry } from '../templates/registry.js';
import { PortalError } from './error-page.js';
import type { FormInvalid, FormIssue } from './forms.js';
import { sessionGuard } from './session-guard.js';
import type { SessionGuard } from './session-guard.js';
import type { PortalSessions } from './sessions.js';
import type { MarkHandoffSeen } from '../handoff/read-receipt.js';
import type { MediaSource } from '../whatsapp/media.js';

export interface PortalDeps {
  sessions: PortalSessions;
  keys: ApiKeys;
  adminToken: string;
  Business: BusinessModel;
  directory: BusinessDirectory;
  /** Every configuration write goes through here, so AI switches are audited with the actor. */
  settings: BusinessSettings;
  orders: OrderService;
  /** Appointments (src/appointments/store.ts): the calendar pages; without it they say it is not set up. */
  appointments?: AppointmentStore;
  /**
   * The calendar's customer labels, free times and staff writes (src/appointments/desk.ts; its optional
   * `notify` tells customers of staff changes); without it the calendar pages say they are not set up.
   */
  appointmentDesk?: AppointmentDesk;
  /** The orders pages' reads: views, date ranges, the dashboard, customer details (recorded in the access log). */
  desk: OrderDesk;
  privacy: PrivacyService;
  /** The staff inbox (src/handoff/); without it the inbox pages say it is not set up. */
  handoffs?: HandoffService;
  /**
   * The business's own messages of the last days with their outcome in words (src/outbox/notice-log.ts):
   * the notices page; without it the page says it is not set up.
   */
  notices?: (phoneNumberId: string, now: number) => Promise<NoticeRow[]>;
  /** Templates and their mappings (src/templates/); without it the templates page says it is not set up. */
  templates?: TemplateRegistry;
  /** Opening a handoff conversation marks the customer's latest message read (src/handoff/read-receipt.ts). */
  markHandoffSeen?: MarkHandoffSeen;
  /** Customers' media fetched from the Graph API on demand for the inbox's *Show* (src/whatsapp/media.ts). */
  media?: MediaSource;
  counters: Counters;
  logger: Logger;
  /** Whether an AI endpoint is configured: the AI switch's status says so when it is not. */
  aiConfigured?: boolean;
  /** Production: cookies are always `Secure` (also whenever the request came over https). */
  production: boolean;
  /** Its origin is accepted in `Origin` headers, besides the request's own. */
  publicBaseUrl: string;
  /** Per-address limits shared by every process (src/rate-limit.ts). */
  limits: AddressLimits;
  /** Failed sign-ins allowed per client address and window (default 5 per 15 minutes). */
  signInLimit?: { failures: number; windowMs: number };
  now?: () => number;
}

/** A change of the business configuration as the body of PUT /admin/businesses/… would give it. */
export type ConfigChange = (input: Record<string, unknown>) => Record<string, unknown>;
/** How a form maps the configuration's zod issues onto its own fields. */
export type ToFormInvalid = (issues: FormIssue[]) => FormInvalid;

/** What every page of the portal is built from: its dependencies, the session guard and the shared writes. */
export interface Portal extends SessionGuard {
  deps: PortalDeps;
  now: () => number;
  /** The body parser of every form POST: urlencoded, small, few fields. */
  form: RequestHandler;
  /** A configuration write through the settings service (audited with the actor), refused as a form. */
  write(
    session: PortalSession,
    business: BusinessData,
    change: ConfigChange,
    invalid: ToFormInvalid,
  ): Promise<void>;
  /** A form with problems of its own (a price that is no number): all its other problems too, nothing written. */
  refuse(business: BusinessData, change: ConfigChange, invalid: ToFormInvalid): never;
}

/** Builds the portal's shared parts once per router, so every page uses the same guard, parser and writes. */
export function createPortal(deps: PortalDeps): Portal {
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  async function write(
    session: PortalSession,
    business: BusinessData,
    change: ConfigChange,
    invalid: ToFormInvalid,
  ): Promise<void> {
    const id = business.phoneNumberId;
    try {
      const result = await deps.settings.update(
        id,
        (current) => {
          if (!current) return null;
          const { phoneNumberId: _id, ...input } = businessView(current);
          const parsed = businessInput.safeParse(change(input));
          if (!parsed.success) throw invalid(parsed.error.issues);
          return toBusinessData(id, parsed.data);
        },
        auditActor(session.actor),
      );
      if (!result) throw new PortalError(404, 'No such business.');
    } catch (err) {
      if (err instanceof SettingsConflictError)
        throw new PortalError(409, 'The configuration kept changing meanwhile; try again.');
      throw err;
    }
  }

  function refuse(business: BusinessData, change: ConfigChange, invalid: ToFormInvalid): never {
    const { phoneNumberId: _id, ...input } = businessView(business);
    const parsed = businessInput.safeParse(change(input));
    throw invalid(parsed.success ? [] : parsed.error.issues);
  }

  return { ...sessionGuard(deps), deps, now: deps.now ?? Date.now, form, write, refuse };
}
