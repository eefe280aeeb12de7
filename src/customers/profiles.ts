import type { Logger } from 'pino';
import type { BusinessData } from '../businesses/schema.js';
import type { Customer, CustomerProfile, SavedAddress } from '../db/models/customer.model.js';
import { MAX_SAVED_ADDRESSES } from '../db/models/customer.model.js';
import type { Models } from '../db/models/index.js';
import type { Sealer } from '../core/sealing.js';

/** The sealing context of a customer's profile: a profile opens only on its own customer record. */
export const profileContext = (ref: string) => `customer:${ref}`;

/** A change the customer asked for: a new name, or one saved address replaced (value) or removed (none). */
export type ProfileChange =
  { field: 'name'; value: string } | { field: 'address'; index: number; value?: SavedAddress };

/**
 * The profile after a change. A corrected name is marked so WhatsApp's profile name no longer overwrites
 * it. Throws for an address position that is not in the list (the chat only offers saved ones).
 */
export function correctedProfile(profile: CustomerProfile, change: ProfileChange): CustomerProfile {
  if (change.field === 'name') return { ...profile, name: change.value, nameCorrected: true };
  if (change.index < 0 || change.index >= profile.addresses.length) {
    throw new Error('no saved address at that position');
  }
  const addresses = [...profile.addresses];
  if (change.value) addresses[change.index] = change.value;
  else addresses.splice(change.index, 1);
  return { ...profile, addresses };
}

export interface CustomerProfilesDeps {
  models: Pick<Models, 'Customer'>;
  sealer: Sealer;
  logger: Logger;
}

/**
 * The customer's profile at one business (name, saved addresses), sealed at rest on their customer record,
 * and their "no AI" preference. The one place that reads and writes these fields, so the chat, the
 * privacy rights and the export all see the same profile.
 */
export class CustomerProfiles {
  constructor(private readonly d: CustomerProfilesDeps) {}

  /** The profile as stored, still sealed (a correction fingerprints it to notice its own earlier write). */
  async readSealed(ref: string): Promise<string | undefined> {
    const doc = await this.d.models.Customer.findById(ref, { profile: 1 })
      .lean<Pick<Customer, 'profile'>>()
      .exec();
    return doc?.profile;
  }

  /** The customer's profile; an empty one for a customer without a record or profile. */
  async read(ref: string): Promise<CustomerProfile> {
    return this.open(ref, await this.readSealed(ref));
  }

  /** Opens a sealed profile read with the customer record (no second read). */
  open(ref: string, sealed: string | undefined): CustomerProfile {
    if (!sealed) return { addresses: [] };
    return this.d.sealer.open<CustomerProfile>(sealed, profileContext(ref));
  }

  /** Seals a profile for its customer record (the intake writes it with the record's first upsert). */
  seal(ref: string, profile: CustomerProfile): string {
    return this.d.sealer.seal(profile, profileContext(ref));
  }

  /** Replaces the stored profile; every write seals it anew. */
  async write(ref: string, profile: CustomerProfile): Promise<void> {
    await this.d.models.Customer.updateOne(
      { _id: ref },
      { $set: { profile: this.seal(ref, profile) } },
    ).exec();
  }

  /** WhatsApp's profile name, unless the customer corrected their name (theirs then wins). */
  async noteName(ref: string, sealed: string | undefined, name: string): Promise<void> {
    const profile = this.open(ref, sealed);
    if (profile.nameCorrected || profile.name === name) return;
    await this.write(ref, { ...profile, name });
  }

  /** A delivery address just used: first in the saved list, without duplicates. */
  async saveAddress(ref: string, address: SavedAddress): Promise<void> {
    const profile = await this.read(ref);
    const key = JSON.stringify(address);
    const addresses = [address, ...profile.addresses.filter((a) => JSON.stringify(a) !== key)].slice(
      0,
      MAX_SAVED_ADDRESSES,
    );
    await this.write(ref, { ...profile, addresses });
  }

  /** "No AI" (or "AI is fine"): kept on the customer's record, respected even when the business uses AI. */
  async setNoAi(business: BusinessData, ref: string, noAi: boolean): Promise<void> {
    await this.d.models.Customer.updateOne(
      { _id: ref, phoneNumberId: business.phoneNumberId },
      noAi ? { $set: { noAi: true } } : { $unset: { noAi: 1 } },
    ).exec();
    this.d.logger.info({ phoneNumberId: business.phoneNumberId, noAi }, 'customer AI preference set');
  }
}
