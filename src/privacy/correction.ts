import type { BusinessData } from '../businesses/schema.js';
import type { CustomerProfiles, ProfileChange } from '../customers/profiles.js';
import { correctedProfile } from '../customers/profiles.js';
import type { Models } from '../db/models/index.js';
import type { PrivacyRequests } from './requests.js';
import { sha256 } from './requests.js';

export interface PrivacyCorrectionDeps {
  models: Pick<Models, 'PrivacyRequest'>;
  requests: PrivacyRequests;
  profiles: CustomerProfiles;
}

/** The right to rectification (GDPR Art. 16): the customer corrects their name or a saved address. */
export class PrivacyCorrection {
  constructor(private readonly d: PrivacyCorrectionDeps) {}

  /**
   * Changes the customer's name or one saved address, recorded as a completed correction request. With the
   * chat step's `stepKey`, once: a retried step finds its request completed, or finds the profile already
   * rewritten since the change was computed (`PrivacyRequest.appliedTo`), so a removal or a replacement by
   * position is never applied to the list a second time.
   */
  async apply(
    business: BusinessData,
    ref: string,
    change: ProfileChange,
    options: { stepKey?: string } = {},
  ): Promise<void> {
    const { request } = await this.d.requests.open(
      'correction',
      business.phoneNumberId,
      ref,
      'chat',
      {},
      options.stepKey,
    );
    const fields = [change.field === 'name' ? 'profile.name' : 'profile.addresses'];
    if (request.status === 'completed') return;
    const stored = await this.d.profiles.readSealed(ref);
    const before = sha256(stored ?? '');
    if (request.appliedTo !== undefined && request.appliedTo !== before) {
      // An earlier run of this step wrote the profile (every write seals it anew), then stopped.
      await this.d.requests.complete(request._id, { fields });
      return;
    }
    const next = correctedProfile(this.d.profiles.open(ref, stored), change);
    if (options.stepKey) {
      await this.d.models.PrivacyRequest.updateOne(
        { _id: request._id },
        { $set: { appliedTo: before } },
      ).exec();
    }
    await this.d.profiles.write(ref, next);
    await this.d.requests.complete(request._id, { fields });
  }
}
