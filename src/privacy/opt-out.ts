import type { BusinessData } from '../businesses/schema.js';
import type { Models } from '../db/models/index.js';
import type { PrivacyChannel } from '../db/models/privacy-request.model.js';
import type { PrivacyRequests } from './requests.js';

export interface PrivacyOptOutDeps {
  models: Pick<Models, 'Suppression'>;
  requests: PrivacyRequests;
  now: () => number;
}

/**
 * The right to object to messages the customer did not ask for (GDPR Art. 21): "stop" and "start", kept as
 * a suppression the sender checks before every unsolicited message.
 */
export class PrivacyOptOut {
  constructor(private readonly d: PrivacyOptOutDeps) {}

  /**
   * "stop" / "start": the suppression set or lifted, recorded as a completed request. With the chat step's
   * `stepKey`, a retried step finds its request and does not record a second one.
   */
  async set(
    business: BusinessData,
    ref: string,
    optedOut: boolean,
    channel: PrivacyChannel = 'chat',
    options: { stepKey?: string } = {},
  ) {
    const { Suppression } = this.d.models;
    const { request } = await this.d.requests.open(
      optedOut ? 'opt-out' : 'opt-in',
      business.phoneNumberId,
      ref,
      channel,
      {},
      options.stepKey,
    );
    if (request.status === 'completed') {
      return {
        ...request,
        status: 'completed' as const,
        completedAt: request.completedAt ?? new Date(this.d.now()),
      };
    }
    if (optedOut) {
      await Suppression.updateOne(
        { _id: ref },
        {
          $set: {
            phoneNumberId: business.phoneNumberId,
            reason: 'opted-out',
            createdAt: new Date(this.d.now()),
          },
          $unset: { expiresAt: 1 },
        },
        { upsert: true },
      ).exec();
    } else {
      await Suppression.deleteOne({ _id: ref, reason: 'opted-out' }).exec();
    }
    await this.d.requests.complete(request._id);
    return { ...request, status: 'completed' as const, completedAt: new Date(this.d.now()) };
  }
}
