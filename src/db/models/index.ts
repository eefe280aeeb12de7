import type { Connection } from 'mongoose';
import { accessLogModel } from './access-log.model.js';
import { aiCallModel } from './ai-call.model.js';
import { apiKeyModel } from './api-key.model.js';
import { appointmentModel } from './appointment.model.js';
import { businessModel } from './business.model.js';
import { conversationModel } from './conversation.model.js';
import { counterModel } from './counter.model.js';
import { customerModel } from './customer.model.js';
import { customerIdModel } from './customer-id.model.js';
import { handoffModel } from './handoff.model.js';
import { inboxModel } from './inbox.model.js';
import { liveEventModel } from './live-event.model.js';
import { orderModel } from './order.model.js';
import { outboxModel } from './outbox.model.js';
import { portalSessionModel } from './portal-session.model.js';
import { privacyRequestModel } from './privacy-request.model.js';
import { rateLimitModel } from './rate-limit.model.js';
import { settingsChangeModel } from './settings-change.model.js';
import { slotClaimModel } from './slot-claim.model.js';
import { suppressionModel } from './suppression.model.js';
import { templateModel, templateSetupModel } from './template.model.js';

export type Models = ReturnType<typeof createModels>;

/** Registers every model on one connection (tests get their own connection, so their own models). */
export function createModels(connection: Connection) {
  return {
    Business: businessModel(connection),
    Conversation: conversationModel(connection),
    Customer: customerModel(connection),
    // One customer, whichever WhatsApp id a payload carries (src/customers/identity.ts): keyed hashes only.
    CustomerId: customerIdModel(connection),
    Inbox: inboxModel(connection),
    Outbox: outboxModel(connection),
    // Orders (src/orders/): the orders and their per-business number counters.
    Order: orderModel(connection),
    Counter: counterModel(connection),
    // Privacy (src/privacy/): data subject requests and opt-out / erasure suppressions.
    PrivacyRequest: privacyRequestModel(connection),
    Suppression: suppressionModel(connection),
    // AI (src/ai/): one record per call to the provider, without content.
    AiCall: aiCallModel(connection),
    // Business controls (src/admin/, src/staff/): API keys and the audit of AI settings changes.
    ApiKey: apiKeyModel(connection),
    SettingsChange: settingsChangeModel(connection),
    // Business portal (src/portal/): signed-in sessions (operator or key id, CSRF token; no customer data).
    PortalSession: portalSessionModel(connection),
    // Per-address limits (src/rate-limit.ts): hit counts by keyed hash of the address, shared by processes.
    RateLimit: rateLimitModel(connection),
    // Staff inbox (src/handoff/): conversations handed to a person and their messages (sealed).
    Handoff: handoffModel(connection),
    // Views of customers' details in the portal (src/orders/desk.ts): who, which order, when; no customer data.
    AccessLog: accessLogModel(connection),
    // Live portal updates (src/live/): what happened at a business (kind and id), kept an hour; no customer data.
    LiveEvent: liveEventModel(connection),
    // Templates (src/templates/): each business's WhatsApp templates and which one carries which message.
    Template: templateModel(connection),
    TemplateSetup: templateSetupModel(connection),
    // Appointments (src/appointments/): the bookings, and the slot claims that keep one seat from being booked twice.
    Appointment: appointmentModel(connection),
    SlotClaim: slotClaimModel(connection),
  };
}

/** Creates collections and indexes before traffic, so the first webhook does not race index builds. */
export async function initModels(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model) => model.init()));
}
