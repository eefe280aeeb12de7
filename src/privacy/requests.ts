import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { DAY_MS } from '../core/time.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../db/models/index.js';
import type {
  PrivacyChannel,
  PrivacyRequest,
  PrivacyRequestStatus,
  PrivacyRequestType,
} from '../db/models/privacy-request.model.js';
import { PRIVACY_REQUEST_RETENTION_DAYS } from '../db/models/privacy-request.model.js';

/** GDPR Art. 12(3): answer within one month. */
const DUE_DAYS = 30;
/** Written into every receipt, so a receipt says which code produced it. */
export const SOFTWARE = 'polus-bot privacy/1';

/**
 * How the ledger keeps a token or a fingerprint (confirm token, status token, the profile a correction
 * saw): a SHA-256, never the value itself.
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * `DSR` and ten characters of an alphabet without look-alikes (0/O, 1/I/L): purely alphanumeric, as Meta's
 * callback wants, and easy to read out or type (about 49 bits: a reference, not a secret).
 */
function confirmationCode(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const bytes = randomBytes(10);
  let code = '';
  for (const byte of bytes) code += alphabet[byte % alphabet.length];
  return `DSR${code}`;
}

/** A request as the customer (export) and the business (admin API) see it: no keys, tokens or identifiers. */
export function requestSummary(r: PrivacyRequest) {
  return {
    id: r._id,
    type: r.type,
    status: r.status,
    channel: r.channel,
    confirmationCode: r.confirmationCode,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    ...(r.completedAt ? { completedAt: r.completedAt.toISOString() } : {}),
  };
}

export interface PrivacyRequestsDeps {
  models: Pick<Models, 'PrivacyRequest'>;
  logger: Logger;
  now: () => number;
}

/**
 * The ledger of data subject requests (`privacyRequests`): at most one open request per type and subject
 * at a business, each with its code, due date and status. Every right (access, correction, opt-out,
 * erasure, the Meta callback) records itself here; the ledger keeps no personal data.
 */
export class PrivacyRequests {
  constructor(private readonly d: PrivacyRequestsDeps) {}

  /**
   * The open request of this type for this subject, or a new one. The partial unique index on open requests
   * makes this safe across processes: the loser of a race reads the winner's. With a `stepKey` (a chat
   * step's effect, see `PrivacyRequest.stepKey`), the request that step already opened or took over comes
   * first, whatever its status: a step run again after a failure sees its own request, completed or not.
   */
  async open(
    type: PrivacyRequestType,
    phoneNumberId: string,
    subjectKey: string,
    channel: PrivacyChannel,
    extra: Partial<PrivacyRequest> = {},
    stepKey?: string,
  ): Promise<{ request: PrivacyRequest; created: boolean }> {
    const { PrivacyRequest } = this.d.models;
    const mine = await this.ofStep(stepKey);
    if (mine) return { request: mine, created: false };
    const existing = await PrivacyRequest.findOne({ phoneNumberId, subjectKey, type, open: true })
      .lean<PrivacyRequest>()
      .exec();
    if (existing) {
      if (!stepKey) return { request: existing, created: false };
      // This step takes the open request over: a retry of it must find this one.
      await PrivacyRequest.updateOne(
        { _id: existing._id },
        { $set: { stepKey }, $unset: { appliedTo: 1 } },
      ).exec();
      const { appliedTo: _earlier, ...taken } = existing;
      return { request: { ...taken, stepKey }, created: false };
    }
    const receivedAt = new Date(this.d.now());
    const request: PrivacyRequest = {
      _id: `pr_${randomBytes(12).toString('base64url')}`,
      type,
      phoneNumberId,
      subjectKey,
      channel,
      status: 'received',
      open: true,
      confirmationCode: confirmationCode(),
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + DUE_DAYS * DAY_MS),
      steps: [],
      attempts: 0,
      expiresAt: new Date(receivedAt.getTime() + PRIVACY_REQUEST_RETENTION_DAYS * DAY_MS),
      ...(stepKey ? { stepKey } : {}),
      ...extra,
    };
    try {
      await PrivacyRequest.create(request);
      this.d.logger.info(
        { requestId: request._id, type, channel, phoneNumberId },
        'privacy request received',
      );
      return { request, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner =
        (await this.ofStep(stepKey)) ??
        (await PrivacyRequest.findOne({ phoneNumberId, subjectKey, type, open: true })
          .lean<PrivacyRequest>()
          .exec());
      if (!winner) throw err;
      return { request: winner, created: false };
    }
  }

  /** The request a chat step's effect opened, decided or took over, if any. */
  async ofStep(stepKey: string | undefined): Promise<PrivacyRequest | null> {
    if (!stepKey) return null;
    return this.d.models.PrivacyRequest.findOne({ stepKey }).lean<PrivacyRequest>().exec();
  }

  /** Records a request that was answered on the spot (access, correction, opt-out, opt-in). */
  async complete(id: string, extra: Partial<PrivacyRequest> = {}): Promise<void> {
    await this.d.models.PrivacyRequest.updateOne(
      { _id: id },
      { $set: { status: 'completed', completedAt: new Date(this.d.now()), ...extra }, $unset: { open: 1 } },
    ).exec();
  }

  /** A business's requests, newest first, without the sealed identifiers, token hashes or lease. */
  async list(
    phoneNumberId: string,
    filter: { status?: PrivacyRequestStatus; type?: PrivacyRequestType; limit: number; before?: Date },
  ): Promise<PrivacyRequest[]> {
    return this.d.models.PrivacyRequest.find(
      {
        phoneNumberId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.before ? { receivedAt: { $lt: filter.before } } : {}),
      },
      { identifiers: 0, confirmTokenHash: 0, statusTokenHash: 0, lease: 0 },
    )
      .sort({ receivedAt: -1 })
      .limit(filter.limit)
      .lean<PrivacyRequest[]>()
      .exec();
  }
}
