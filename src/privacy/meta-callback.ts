import { createHash, createHmac } from 'node:crypto';
import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../db/models/index.js';
import type { PrivacyReceipt, PrivacyRequest } from '../db/models/privacy-request.model.js';
import type { PrivacyRequests } from './requests.js';
import { SOFTWARE, sha256 } from './requests.js';

export interface MetaDeletionCallbackDeps {
  models: Pick<Models, 'PrivacyRequest'>;
  requests: PrivacyRequests;
  pepper: string;
  publicBaseUrl: string;
}

/**
 * Meta's data deletion callback (the app's "User data deletion" setting) and the status page it links to.
 * Its own module: it is the one privacy request that comes from Meta, not from a customer of a business.
 */
export class MetaDeletionCallback {
  constructor(private readonly d: MetaDeletionCallbackDeps) {}

  /** The status page token of a request: derived from the pepper, so it is reproducible but never stored. */
  statusToken(requestId: string): string {
    return createHmac('sha256', this.d.pepper).update(`status\u0000${requestId}`).digest('base64url');
  }

  /** The public address of a request's status page, as Meta's callback answer gives it. */
  statusUrl(requestId: string): string {
    return `${this.d.publicBaseUrl}/data-deletion/status/${this.statusToken(requestId)}`;
  }

  /**
   * Meta's data deletion callback for an app-scoped Facebook user id. This service stores no Facebook user
   * ids (customers are known by WhatsApp number, staff by number), so nothing is linked to it: the request
   * is recorded as completed with nothing deleted, and its status page says how customers delete their
   * data in the chat. Idempotent per user id: a repeated callback gets the same code and URL.
   */
  async handle(appScopedUserId: string): Promise<{ url: string; confirmationCode: string }> {
    const subjectKey = createHmac('sha256', this.d.pepper)
      .update(`meta-asid\u0000${appScopedUserId}`)
      .digest('base64url');
    const existing = await this.d.models.PrivacyRequest.findOne({ subjectKey, channel: 'meta-callback' })
      .lean<PrivacyRequest>()
      .exec();
    if (existing) return { url: this.statusUrl(existing._id), confirmationCode: existing.confirmationCode };
    // One id per user id (keyed, like the subject key): concurrent callbacks (Meta retries) collide on it
    // instead of each creating a record with its own code, or failing once the first is completed.
    const id = `pr_${createHmac('sha256', this.d.pepper).update(`meta-request\u0000${appScopedUserId}`).digest('base64url').slice(0, 16)}`;
    let request: PrivacyRequest;
    try {
      ({ request } = await this.d.requests.open('erasure', '', subjectKey, 'meta-callback', { _id: id }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.d.models.PrivacyRequest.findById(id).lean<PrivacyRequest>().exec();
      if (!winner) throw err;
      return { url: this.statusUrl(winner._id), confirmationCode: winner.confirmationCode };
    }
    const receipt: PrivacyReceipt = {
      lines: [],
      scan: { collections: 0, documents: 0, findings: [] },
      software: SOFTWARE,
      sha256: createHash('sha256')
        .update(JSON.stringify({ requestId: request._id, lines: [] }))
        .digest('hex'),
    };
    await this.d.requests.complete(request._id, {
      receipt,
      statusTokenHash: sha256(this.statusToken(request._id)),
    });
    return { url: this.statusUrl(request._id), confirmationCode: request.confirmationCode };
  }

  /** The request behind a status page token; null for a malformed or unknown one. */
  async byStatusToken(token: string): Promise<PrivacyRequest | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    return this.d.models.PrivacyRequest.findOne({ statusTokenHash: sha256(token) })
      .lean<PrivacyRequest>()
      .exec();
  }
}
