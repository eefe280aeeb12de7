import type { RetentionSettings } from './data-map.js';
import type { Logger } from 'pino';
import { CustomerIdentities } from '../customers/identity.js';
import { CustomerProfiles } from '../customers/profiles.js';
import type { Models } from '../db/models/index.js';
import { OrderRetention } from '../orders/retention.js';
import type { Deliver } from '../outbox/sender.js';
import { PrivacyAccess } from './access.js';
import { PrivacyCorrection } from './correction.js';
import { ErasureJob } from './erasure.js';
import { ErasureNotices } from './erasure-notices.js';
import { verifyErasure } from './erasure-verify.js';
import { MetaDeletionCallback } from './meta-callback.js';
import { PrivacyOptOut } from './opt-out.js';
import { PrivacyRequests } from './requests.js';
import type { Sealer } from '../core/sealing.js';

export { profileContext } from '../customers/profiles.js';
export { requestSummary } from './requests.js';

export interface PrivacyServiceDeps {
  models: Models;
  sealer: Sealer;
  pepper: string;
  deliver: Deliver;
  logger: Logger;
  publicBaseUrl: string;
  /** Whether an AI endpoint is configured at all (businesses must still switch AI on). */
  llmConfigured: boolean;
  retention?: RetentionSettings;
  now?: () => number;
  leaseMs?: number;
  /** Resolves staff numbers to their chats; one is made from `models` and `pepper` when not given. */
  identities?: CustomerIdentities;
}

/**
 * Data subject requests for one business's customers (the business is the controller): see, correct,
 * erase, opt out; the Meta data deletion callback; and the admin's view. The subject is always the verified
 * sender of a signed webhook, scoped to the receiving business: nothing here takes a subject from text.
 *
 * A facade: each right lives in its own module (access.ts, correction.ts, opt-out.ts, erasure.ts,
 * meta-callback.ts) over the request ledger (requests.ts) and the customer's profile
 * (src/customers/profiles.ts); this class wires them once and keeps the one API its callers use.
 */
export class PrivacyService {
  readonly profiles: CustomerProfiles;
  readonly requests: PrivacyRequests;
  readonly erasure: ErasureJob;
  private readonly accessRight: PrivacyAccess;
  private readonly correction: PrivacyCorrection;
  private readonly optOut: PrivacyOptOut;
  private readonly metaCallback: MetaDeletionCallback;
  private readonly retention: OrderRetention;
  private readonly now: () => number;

  constructor(private readonly d: PrivacyServiceDeps) {
    const { models, sealer, pepper, logger } = d;
    const now = (this.now = d.now ?? Date.now);
    const identities = d.identities ?? new CustomerIdentities({ models, pepper });
    this.profiles = new CustomerProfiles({ models, sealer, logger });
    this.requests = new PrivacyRequests({ models, logger, now });
    const { profiles, requests } = this;
    this.accessRight = new PrivacyAccess({
      models,
      sealer,
      requests,
      profiles,
      llmConfigured: d.llmConfigured,
      ...(d.retention ? { retention: d.retention } : {}),
      now,
    });
    this.correction = new PrivacyCorrection({ models, requests, profiles });
    this.optOut = new PrivacyOptOut({ models, requests, now });
    const notices = new ErasureNotices({ models, sealer, pepper, deliver: d.deliver, identities, now });
    this.erasure = new ErasureJob({
      ...{ models, sealer, pepper, logger, requests, profiles, notices, now },
      leaseMs: d.leaseMs ?? 60_000,
    });
    this.metaCallback = new MetaDeletionCallback({
      models,
      requests,
      pepper,
      publicBaseUrl: d.publicBaseUrl,
    });
    this.retention = new OrderRetention({ Order: models.Order, logger, now });
  }

  // Profile (src/customers/profiles.ts)
  readProfile(...a: Parameters<CustomerProfiles['read']>) {
    return this.profiles.read(...a);
  }
  openProfile(...a: Parameters<CustomerProfiles['open']>) {
    return this.profiles.open(...a);
  }
  sealProfile(...a: Parameters<CustomerProfiles['seal']>) {
    return this.profiles.seal(...a);
  }
  noteProfileName(...a: Parameters<CustomerProfiles['noteName']>) {
    return this.profiles.noteName(...a);
  }
  saveAddress(...a: Parameters<CustomerProfiles['saveAddress']>) {
    return this.profiles.saveAddress(...a);
  }
  setAiPreference(...a: Parameters<CustomerProfiles['setNoAi']>) {
    return this.profiles.setNoAi(...a);
  }

  // Requests (requests.ts)
  openRequest(...a: Parameters<PrivacyRequests['open']>) {
    return this.requests.open(...a);
  }
  list(...a: Parameters<PrivacyRequests['list']>) {
    return this.requests.list(...a);
  }

  // Access, correction, opt-out
  buildExport(...a: Parameters<PrivacyAccess['buildExport']>) {
    return this.accessRight.buildExport(...a);
  }
  access(...a: Parameters<PrivacyAccess['answer']>) {
    return this.accessRight.answer(...a);
  }
  applyCorrection(...a: Parameters<PrivacyCorrection['apply']>) {
    return this.correction.apply(...a);
  }
  setOptOut(...a: Parameters<PrivacyOptOut['set']>) {
    return this.optOut.set(...a);
  }

  // Erasure (erasure.ts)
  offerErasure(...a: Parameters<ErasureJob['offer']>) {
    return this.erasure.offer(...a);
  }
  decideErasure(...a: Parameters<ErasureJob['decide']>) {
    return this.erasure.decide(...a);
  }
  runErasure(...a: Parameters<ErasureJob['run']>) {
    return this.erasure.run(...a);
  }
  resumePending() {
    return this.erasure.resumePending();
  }
  eraseForBusiness(...a: Parameters<ErasureJob['forBusiness']>) {
    return this.erasure.forBusiness(...a);
  }
  erasedMessage(...a: Parameters<ErasureJob['erasedMessage']>) {
    return this.erasure.erasedMessage(...a);
  }
  /** The verification scan an erasure ends with (erasure-verify.ts), by default of what exists now. */
  verify(
    request: Parameters<typeof verifyErasure>[1],
    identifiers: Parameters<typeof verifyErasure>[2],
    since: Date = new Date(this.now()),
  ) {
    return verifyErasure(this.d.models, request, identifiers, since);
  }

  // Meta data deletion callback (meta-callback.ts)
  statusToken(requestId: string) {
    return this.metaCallback.statusToken(requestId);
  }
  statusUrl(requestId: string) {
    return this.metaCallback.statusUrl(requestId);
  }
  metaDeletion(appScopedUserId: string) {
    return this.metaCallback.handle(appScopedUserId);
  }
  byStatusToken(token: string) {
    return this.metaCallback.byStatusToken(token);
  }

  // Order contact retention (src/orders/retention.ts), swept with the erasures until bot.ts starts it itself
  expireOrderContacts() {
    return this.retention.expireOrderContacts();
  }

  /** Starts the sweeps this service owns: interrupted erasures every `intervalMs`, order contacts hourly. */
  start(intervalMs: number): void {
    this.erasure.start(intervalMs);
    this.retention.start();
  }

  stop(): void {
    this.erasure.stop();
    this.retention.stop();
  }
}
