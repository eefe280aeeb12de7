/**
 * One customer, whichever WhatsApp id a payload carries.
 *
 * Since 2026 Meta's payloads carry the business-scoped user id (BSUID, `from_user_id` / contact `user_id`),
 * the phone number (`wa_id`, `from`), or both, and which ones varies over time for the same person. Every
 * place that needs "this customer" (the webhook intake, `/resume`, the admin resume route, business-made
 * privacy requests, staff notices, the simulator) asks this module, which keeps one alias per id and
 * business in `customer_ids` (src/db/models/customer-id.model.ts): a keyed hash of the id pointing to the
 * customer's one reference. Whichever id came first, the others join it.
 *
 * How a reference is chosen, in order:
 * 1. An alias of any id the payload (or the person asking) gives.
 * 2. Data stored before aliases existed (lazy migration): a customer record or conversation under the key
 *    each id would have had (`customerKey`), and for lookups by a person also a customer record holding the
 *    id. It is adopted and aliases are written for it.
 * 3. A new customer: the reference of `customerKey` (BSUID first), as before aliases existed.
 *
 * When two ids of one payload already point to different references (the customer was seen by `wa_id`
 * alone and by BSUID alone before a payload linked them), the older alias wins and the other customer is
 * merged into it: aliases, orders, an opt-out, pending messages and the ids on the customer record move
 * over; an idle conversation of the other is dropped. Every step is idempotent, so two processes doing the
 * same merge agree.
 */
import { createHmac } from 'node:crypto';
import type { Collection } from 'mongodb';
import { keyedCustomerRef, presentId as present } from '../core/identity.js';
import type { CustomerIds } from '../core/identity.js';
import { DAY_MS, days } from '../core/time.js';
import { isDuplicateKey } from '../db/errors.js';
import type { CustomerIdDoc, CustomerIdKind } from '../db/models/customer-id.model.js';
import type { Models } from '../db/models/index.js';

/** Default customer retention (CUSTOMER_RETENTION_DAYS): aliases outlive the customer record by a day. */
const DEFAULT_RETENTION_MS = days(365);
/** Customers read per batch by the startup backfill. */
const BACKFILL_BATCH = 500;
/** The counters document that records the backfill ran (its `seq` is the migration's version). */
export const BACKFILL_MARKER = 'migration:customer-ids';

/** The `_id` of an alias: a keyed hash of business, kind and id, never the id. */
export function customerIdKey(
  pepper: string,
  phoneNumberId: string,
  kind: CustomerIdKind,
  id: string,
): string {
  return createHmac('sha256', pepper)
    .update(`customer-id\u0000${phoneNumberId}\u0000${kind}\u0000${id}`)
    .digest('base64url');
}

const NUMBER = /^\+?[\d\s().-]+$/;
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]+$/;

/**
 * A customer as a person writes them: a WhatsApp number with or without `+`, spaces, dashes, dots or
 * brackets (`+34 611-11 11 11` → wa_id `34611111111`), or a business-scoped user id (`US.1349…`).
 * Undefined for anything else.
 */
export function parseCustomerId(input: string): { waId: string } | { userId: string } | undefined {
  const text = input.trim();
  if (text.length === 0 || text.length > 100) return undefined;
  if (NUMBER.test(text)) {
    const digits = text.replace(/\D/g, '');
    return digits.length >= 7 && digits.length <= 15 ? { waId: digits } : undefined;
  }
  return BSUID.test(text) ? { userId: text } : undefined;
}

/** The aliases one customer's ids would have: kind, id and alias key. */
function idsOf(pepper: string, phoneNumberId: string, customer: CustomerIds) {
  const out: Array<{ kind: CustomerIdKind; id: string; key: string }> = [];
  const waId = present(customer.waId);
  const userId = present(customer.userId);
  if (userId !== undefined)
    out.push({ kind: 'bsuid', id: userId, key: customerIdKey(pepper, phoneNumberId, 'bsuid', userId) });
  if (waId !== undefined)
    out.push({ kind: 'wa', id: waId, key: customerIdKey(pepper, phoneNumberId, 'wa', waId) });
  return out;
}

export interface CustomerIdentitiesDeps {
  models: Pick<
    Models,
    'CustomerId' | 'Customer' | 'Conversation' | 'Order' | 'Suppression' | 'Inbox' | 'Counter'
  >;
  pepper: string;
  /** CUSTOMER_RETENTION_DAYS in ms: how long an alias lives after the customer's last message. */
  retentionMs?: number;
  now?: () => number;
}

/** What a lookup by a person (staff, admin) found. */
export interface FoundCustomer {
  ref: string;
  /** The ids given, plus those on the customer record: what an erasure scans for. */
  ids: CustomerIds;
  /** False when nothing is stored for this id: `ref` is then the reference a new customer would get. */
  known: boolean;
}

interface Alias {
  ref: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A message's business number and sender, as intake has them. */
export interface Sender {
  phoneNumberId: string;
  customer: CustomerIds;
}

/**
 * Every reference a customer with these ids may have had: the one each id alone would give (wa_id, BSUID)
 * and the one both together give. An erasure deletes the aliases, so a check that must still recognise the
 * erased customer afterwards (the erasure tombstone) looks under all of them.
 */
export function possibleRefs(pepper: string, phoneNumberId: string, customer: CustomerIds): string[] {
  const waId = present(customer.waId);
  const userId = present(customer.userId);
  const refs: string[] = [];
  if (waId !== undefined || userId !== undefined) {
    refs.push(keyedCustomerRef(pepper, phoneNumberId, customer));
  }
  if (waId !== undefined) refs.push(keyedCustomerRef(pepper, phoneNumberId, { waId }));
  if (userId !== undefined) refs.push(keyedCustomerRef(pepper, phoneNumberId, { userId }));
  return [...new Set(refs)];
}

/** Resolves WhatsApp ids to the one reference of their customer (see the module comment). */
export class CustomerIdentities {
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(private readonly d: CustomerIdentitiesDeps) {
    this.retentionMs = d.retentionMs ?? DEFAULT_RETENTION_MS;
    this.now = d.now ?? Date.now;
  }

  private get aliases(): Collection<CustomerIdDoc> {
    return this.d.models.CustomerId.collection as unknown as Collection<CustomerIdDoc>;
  }

  private async readAliases(keys: readonly string[]): Promise<Map<string, Alias>> {
    const map = new Map<string, Alias>();
    if (keys.length === 0) return map;
    const docs = await this.aliases
      .find({ _id: { $in: [...new Set(keys)] } }, { projection: { ref: 1, createdAt: 1, expiresAt: 1 } })
      .toArray();
    for (const doc of docs)
      map.set(doc._id, { ref: doc.ref, createdAt: doc.createdAt, expiresAt: doc.expiresAt });
    return map;
  }

  /**
   * The reference of each message's sender, in order, for one webhook body: one read of the aliases of
   * every id in the body, one read of legacy records for senders not seen before, one insert of the
   * aliases not yet stored. Race-safe across processes: aliases are inserted, never overwritten, and read
   * back when another process stored one first.
   */
  async resolveSenders(senders: readonly Sender[]): Promise<string[]> {
    const { pepper } = this.d;
    const ids = senders.map((s) => idsOf(pepper, s.phoneNumberId, s.customer));
    const known = await this.readAliases(ids.flat().map((i) => i.key));

    // Legacy references of senders with no alias at all, checked together.
    const legacy = new Map<string, { customerAt?: Date; conversationAt?: Date }>();
    senders.forEach((sender, index) => {
      if (ids[index]?.some((i) => known.has(i.key))) return;
      for (const ref of this.legacyRefs(sender)) legacy.set(ref, {});
    });
    if (legacy.size > 0) await this.readLegacy(legacy);

    const now = new Date(this.now());
    const fresh = new Map<string, CustomerIdDoc>();
    const refs = senders.map((sender, index) => {
      const mine = ids[index] ?? [];
      const ref =
        this.pick(mine.map((i) => known.get(i.key)).filter((a): a is Alias => a !== undefined)) ??
        this.adopt(sender, legacy);
      for (const id of mine) {
        if (known.has(id.key)) continue;
        const doc = this.aliasDoc(id.key, ref, sender.phoneNumberId, id.kind, now);
        fresh.set(id.key, doc);
        known.set(id.key, doc);
      }
      return ref;
    });
    if (fresh.size > 0 && (await this.insert([...fresh.values()]))) {
      // Another process stored some of these ids first: theirs stand, so read everything back.
      const stored = await this.readAliases(ids.flat().map((i) => i.key));
      for (const [key, alias] of stored) known.set(key, alias);
      senders.forEach((_sender, index) => {
        const ref = this.pick((ids[index] ?? []).map((i) => known.get(i.key)).filter((a) => a !== undefined));
        if (ref) refs[index] = ref;
      });
    }
    const merged = await this.reconcile(senders, ids, known, now);
    // A message earlier in this body may have named a customer that a later one merged away.
    return refs.map((ref) => {
      let to = ref;
      for (let hops = 0; merged.has(to) && hops < merged.size; hops += 1) to = merged.get(to) ?? to;
      return to;
    });
  }

  /**
   * The customer a person names (staff `/resume`, the admin routes, the simulator) by one id. Never writes
   * an alias for someone unknown, so typing a stranger's number stores nothing about them.
   */
  async lookup(phoneNumberId: string, customer: CustomerIds): Promise<FoundCustomer> {
    const mine = idsOf(this.d.pepper, phoneNumberId, customer);
    const known = await this.readAliases(mine.map((i) => i.key));
    const aliased = this.pick(mine.map((i) => known.get(i.key)).filter((a) => a !== undefined));
    const record = await this.findRecord(phoneNumberId, customer, aliased);
    const waId = present(customer.waId) ?? record?.waId;
    const userId = present(customer.userId) ?? record?.userId;
    const ids: CustomerIds = { ...(waId ? { waId } : {}), ...(userId ? { userId } : {}) };
    if (aliased) return { ref: aliased, ids, known: true };
    if (record) {
      // Stored before aliases existed: adopt it, and remember every id it holds.
      await this.remember(phoneNumberId, record._id, ids);
      return { ref: record._id, ids, known: true };
    }
    const legacy = new Map<string, { customerAt?: Date; conversationAt?: Date }>();
    for (const ref of this.legacyRefs({ phoneNumberId, customer })) legacy.set(ref, {});
    await this.readLegacy(legacy);
    const ref = this.adopt({ phoneNumberId, customer }, legacy);
    const exists = legacy.get(ref);
    if (exists?.customerAt || exists?.conversationAt) {
      await this.remember(phoneNumberId, ref, ids);
      return { ref, ids, known: true };
    }
    return { ref, ids, known: false };
  }

  /**
   * Which of `numbers` (wa_ids) belongs to the same customer as `customer`'s ids, by aliases alone (one
   * read); undefined when none does or the ids were never seen together.
   */
  async sameCustomer(
    phoneNumberId: string,
    customer: CustomerIds,
    numbers: readonly string[],
  ): Promise<string | undefined> {
    const mine = idsOf(this.d.pepper, phoneNumberId, customer).map((i) => i.key);
    const theirs = numbers.map((waId) => ({
      waId,
      key: customerIdKey(this.d.pepper, phoneNumberId, 'wa', waId),
    }));
    const found = await this.readAliases([...mine, ...theirs.map((t) => t.key)]);
    const ref = this.pick(mine.map((key) => found.get(key)).filter((a) => a !== undefined));
    return ref === undefined ? undefined : theirs.find((t) => found.get(t.key)?.ref === ref)?.waId;
  }

  /**
   * Where each staff number's chat is (staff notices), whichever of their ids the staff member first wrote
   * with; in the order of `numbers`.
   */
  async staffRefs(phoneNumberId: string, numbers: readonly string[]): Promise<string[]> {
    const refs: string[] = [];
    for (const waId of numbers) refs.push((await this.lookup(phoneNumberId, { waId })).ref);
    return refs;
  }

  /** The reference of a number or user id as a person writes it; undefined when it is neither. */
  async lookupText(phoneNumberId: string, input: string): Promise<FoundCustomer | undefined> {
    const parsed = parseCustomerId(input);
    return parsed ? this.lookup(phoneNumberId, parsed) : undefined;
  }

  /**
   * Writes the aliases of every stored customer that has none yet, once per database (a marker in
   * `counters` records it ran). Most recently active customers first, so when two legacy records hold
   * the same id (one under its `wa:` key, one under its `bsuid:` key) the one in use wins.
   * @returns how many aliases were written.
   */
  async backfill(): Promise<number> {
    const { Customer, Counter } = this.d.models;
    if (await Counter.exists({ _id: BACKFILL_MARKER }).exec()) return 0;
    const now = new Date(this.now());
    let written = 0;
    type Row = { _id: string; phoneNumberId: string; waId?: string; userId?: string };
    let batch: Row[] = [];
    const flush = async () => {
      const keyed = batch.map((c) => ({ customer: c, ids: idsOf(this.d.pepper, c.phoneNumberId, c) }));
      const existing = await this.readAliases(keyed.flatMap((k) => k.ids.map((i) => i.key)));
      const missing: CustomerIdDoc[] = [];
      for (const { customer, ids } of keyed) {
        // An id already aliased to another record: the same person stored twice under old keys.
        const other = ids
          .map((i) => existing.get(i.key)?.ref)
          .find((ref) => ref !== undefined && ref !== customer._id);
        if (other) {
          await this.merge(customer.phoneNumberId, customer._id, other);
          continue;
        }
        for (const id of ids) {
          if (existing.has(id.key)) continue;
          const doc = this.aliasDoc(id.key, customer._id, customer.phoneNumberId, id.kind, now);
          existing.set(id.key, doc);
          missing.push(doc);
        }
      }
      if (missing.length > 0) {
        await this.insert(missing);
        written += missing.length;
      }
      batch = [];
    };
    const cursor = Customer.find({}, { _id: 1, phoneNumberId: 1, waId: 1, userId: 1 })
      .sort({ lastInboundAt: -1 })
      .lean<Row[]>()
      .cursor();
    for await (const customer of cursor) {
      batch.push(customer);
      if (batch.length >= BACKFILL_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await Counter.updateOne({ _id: BACKFILL_MARKER }, { $max: { seq: 1 } }, { upsert: true }).exec();
    return written;
  }

  // ------------------------------------------------------------------------------------------------------

  /** The keys this sender's data may be stored under from before aliases: its `customerKey`, then `wa:`. */
  private legacyRefs(sender: Sender): string[] {
    const { pepper } = this.d;
    const { phoneNumberId, customer } = sender;
    const refs = [keyedCustomerRef(pepper, phoneNumberId, customer)];
    const waId = present(customer.waId);
    if (waId !== undefined && present(customer.userId) !== undefined) {
      refs.push(keyedCustomerRef(pepper, phoneNumberId, { waId }));
    }
    return refs;
  }

  private async readLegacy(legacy: Map<string, { customerAt?: Date; conversationAt?: Date }>): Promise<void> {
    const refs = [...legacy.keys()];
    const [customers, conversations] = await Promise.all([
      this.d.models.Customer.find({ _id: { $in: refs } }, { _id: 1, lastInboundAt: 1 })
        .lean<Array<{ _id: string; lastInboundAt?: Date }>>()
        .exec(),
      this.d.models.Conversation.find({ _id: { $in: refs } }, { _id: 1, updatedAt: 1 })
        .lean<Array<{ _id: string; updatedAt?: Date }>>()
        .exec(),
    ]);
    for (const c of customers)
      legacy.set(c._id, { ...legacy.get(c._id), customerAt: c.lastInboundAt ?? new Date(0) });
    for (const c of conversations) {
      legacy.set(c._id, { ...legacy.get(c._id), conversationAt: c.updatedAt ?? new Date(0) });
    }
  }

  /** A legacy reference with a customer record (most recent first), else with a conversation, else the new one. */
  private adopt(sender: Sender, legacy: Map<string, { customerAt?: Date; conversationAt?: Date }>): string {
    const refs = this.legacyRefs(sender);
    const latest = (field: 'customerAt' | 'conversationAt') =>
      refs
        .filter((ref) => legacy.get(ref)?.[field])
        .sort(
          (a, b) => (legacy.get(b)?.[field]?.getTime() ?? 0) - (legacy.get(a)?.[field]?.getTime() ?? 0),
        )[0];
    return latest('customerAt') ?? latest('conversationAt') ?? (refs[0] as string);
  }

  /** Of several aliases of one customer, the reference that stands: the oldest alias's (ties: by ref). */
  private pick(aliases: readonly Alias[]): string | undefined {
    let best: Alias | undefined;
    for (const a of aliases) {
      const t = a.createdAt.getTime();
      const bt = best?.createdAt.getTime();
      if (!best || bt === undefined || t < bt || (t === bt && a.ref < best.ref)) best = a;
    }
    return best?.ref;
  }

  private aliasDoc(
    key: string,
    ref: string,
    phoneNumberId: string,
    kind: CustomerIdKind,
    now: Date,
  ): CustomerIdDoc {
    return {
      _id: key,
      ref,
      phoneNumberId,
      kind,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.retentionMs + DAY_MS),
    };
  }

  /** Inserts aliases that are not there yet. True when some already were (stored by someone else). */
  private async insert(docs: CustomerIdDoc[]): Promise<boolean> {
    try {
      await this.aliases.insertMany(docs, { ordered: false });
      return false;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return true;
    }
  }

  /** Aliases for a customer found by a lookup, where missing. */
  private async remember(phoneNumberId: string, ref: string, ids: CustomerIds): Promise<void> {
    const now = new Date(this.now());
    const mine = idsOf(this.d.pepper, phoneNumberId, ids);
    const existing = await this.readAliases(mine.map((i) => i.key));
    const missing = mine
      .filter((i) => !existing.has(i.key))
      .map((i) => this.aliasDoc(i.key, ref, phoneNumberId, i.kind, now));
    if (missing.length > 0) await this.insert(missing);
  }

  /** A customer record holding this id (legacy data, or the aliased customer's record for its other id). */
  private async findRecord(
    phoneNumberId: string,
    customer: CustomerIds,
    aliased: string | undefined,
  ): Promise<{ _id: string; waId?: string; userId?: string } | null> {
    const { Customer } = this.d.models;
    const projection = { _id: 1, waId: 1, userId: 1 };
    if (aliased)
      return Customer.findById(aliased, projection)
        .lean<{ _id: string; waId?: string; userId?: string }>()
        .exec();
    const waId = present(customer.waId);
    const userId = present(customer.userId);
    const or = [...(waId ? [{ waId }] : []), ...(userId ? [{ userId }] : [])];
    if (or.length === 0) return null;
    // Only when no alias exists (data from before aliases): a scan of this business's customers.
    return Customer.findOne({ phoneNumberId, $or: or }, projection)
      .sort({ lastInboundAt: -1 })
      .lean<{ _id: string; waId?: string; userId?: string }>()
      .exec();
  }

  /**
   * After intake: merges customers that one payload showed to be the same person, and renews aliases
   * that were last renewed more than a day ago (they expire with the customer). Returns loser → winner.
   */
  private async reconcile(
    senders: readonly Sender[],
    ids: ReadonlyArray<ReadonlyArray<{ key: string }>>,
    known: Map<string, Alias>,
    now: Date,
  ): Promise<Map<string, string>> {
    const renewBefore = now.getTime() + this.retentionMs;
    const renew: string[] = [];
    const merged = new Map<string, string>();
    for (const [index, sender] of senders.entries()) {
      const mine = (ids[index] ?? []).map((i) => ({ key: i.key, alias: known.get(i.key) }));
      const winner = this.pick(mine.map((m) => m.alias).filter((a) => a !== undefined));
      if (!winner) continue;
      for (const m of mine) {
        if (m.alias && m.alias.ref !== winner) {
          await this.merge(sender.phoneNumberId, m.alias.ref, winner);
          merged.set(m.alias.ref, winner);
          m.alias.ref = winner;
        }
        if (m.alias && m.alias.expiresAt.getTime() < renewBefore) {
          renew.push(m.key);
          m.alias.expiresAt = new Date(renewBefore + DAY_MS);
        }
      }
    }
    if (renew.length > 0) {
      await this.aliases.updateMany(
        { _id: { $in: [...new Set(renew)] } },
        { $max: { expiresAt: new Date(renewBefore + DAY_MS) } },
      );
    }
    return merged;
  }

  /**
   * Makes `loser` part of `winner`: its aliases point to the winner, its orders and pending messages move,
   * an opt-out carries over, the winner's record gains its ids, and its customer record and idle
   * conversation are dropped. What is lost: the loser's saved profile (name, addresses) and a conversation
   * in progress under it (the winner's continues). Idempotent.
   */
  private async merge(phoneNumberId: string, loser: string, winner: string): Promise<void> {
    const { CustomerId, Customer, Conversation, Order, Suppression, Inbox } = this.d.models;
    await CustomerId.updateMany({ ref: loser }, { $set: { ref: winner } }).exec();
    await Order.updateMany({ phoneNumberId, customerRef: loser }, { $set: { customerRef: winner } }).exec();
    await Inbox.updateMany(
      { phoneNumberId, customerRef: loser, status: 'pending' },
      { $set: { customerRef: winner } },
    ).exec();
    const optOut = await Suppression.findOne({ _id: loser, reason: 'opted-out' }).lean().exec();
    if (optOut) {
      await Suppression.updateOne(
        { _id: winner },
        { $setOnInsert: { phoneNumberId, reason: 'opted-out', createdAt: optOut.createdAt } },
        { upsert: true },
      ).exec();
    }
    const old = await Customer.findById(loser, { waId: 1, userId: 1, lastInboundAt: 1, expiresAt: 1 })
      .lean<{ waId?: string; userId?: string; lastInboundAt: Date; expiresAt?: Date }>()
      .exec();
    if (old) {
      await Customer.updateOne(
        { _id: winner },
        {
          $set: {
            phoneNumberId,
            ...(old.waId ? { waId: old.waId } : {}),
            ...(old.userId ? { userId: old.userId } : {}),
          },
          $max: { lastInboundAt: old.lastInboundAt, ...(old.expiresAt ? { expiresAt: old.expiresAt } : {}) },
        },
        { upsert: true },
      ).exec();
      await Customer.deleteOne({ _id: loser }).exec();
    }
    await Conversation.deleteOne({
      _id: loser,
      $or: [{ lease: null }, { 'lease.until': { $lt: new Date(this.now()) } }],
    }).exec();
  }
}
