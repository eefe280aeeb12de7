import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ErasureOffer, OpenOrderOutcome } from '../../flows/root.flow.js';
import type { BusinessData } from '../businesses/schema.js';
import type { CustomerIdentity } from '../core/vocabulary.js';
import { DAY_MS } from '../core/time.js';
import type { CustomerProfiles } from '../customers/profiles.js';
import type { Models } from '../db/models/index.js';
import type { HandoverContact, Order } from '../db/models/order.model.js';
import { handoverContext } from '../db/models/order.model.js';
import type {
  ErasureStep,
  PrivacyReceipt,
  PrivacyRequest,
  ReceiptLine,
} from '../db/models/privacy-request.model.js';
import { OPEN_ORDER_STATUSES } from '../orders/service.js';
import { PERSONAL_DATA } from './data-map.js';
import type { ErasureContext } from './data-map.js';
import type { ErasureNotices } from './erasure-notices.js';
import type { SubjectIdentifiers } from './erasure-verify.js';
import { verifyErasure } from './erasure-verify.js';
import type { PrivacyRequests } from './requests.js';
import { SOFTWARE, sha256 } from './requests.js';
import type { Sealer } from '../core/sealing.js';
import { t } from '../language/i18n.js';
import { languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';

/** A *Delete my data* button works for this long, once. */
const CONFIRM_TOKEN_MS = DAY_MS;

/** Where the sealed identifiers of a running erasure open: only on their own request. */
const identifiersContext = (id: string) => `privacy_request:${id}`;

export interface ErasureJobDeps {
  models: Models;
  sealer: Sealer;
  pepper: string;
  logger: Logger;
  requests: PrivacyRequests;
  profiles: CustomerProfiles;
  notices: ErasureNotices;
  now: () => number;
  /** How long a process holds a running erasure before another may take it over. */
  leaseMs: number;
}

/**
 * The right to erasure (GDPR Art. 17), as a job that survives crashes: the offer with what is deleted and
 * what is kept, the single-use confirmation, the data map's steps run in order under a lease and recorded
 * as they finish, the verification scan and the receipt; and the sweep that resumes an erasure a crashed
 * process left, in any process.
 */
export class ErasureJob {
  /** This process's name on the leases it takes. */
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: ErasureJobDeps) {}

  /**
   * "Delete my data": the explanation of what is deleted and what is kept (and why, until when), with a
   * fresh single-use token for the *Delete my data* button. A repeated request returns the open one (same
   * code); its earlier buttons stop working, so only the latest explanation can be confirmed. Written in
   * `options.language` (the conversation's; the business's own by default), which the request keeps for the
   * receipt: that is sent once the customer's data, conversation included, is gone.
   */
  async offer(
    business: BusinessData,
    ref: string,
    otherPerson: boolean,
    options: { stepKey?: string; language?: Language } = {},
  ): Promise<ErasureOffer> {
    const language = options.language ?? languageOfLocale(business.locale);
    const { request } = await this.d.requests.open(
      'erasure',
      business.phoneNumberId,
      ref,
      'chat',
      {},
      options.stepKey,
    );
    if (request.status === 'in_progress') {
      return {
        kind: 'in-progress',
        text: t(language, 'privacy:erase.inProgress', { code: request.confirmationCode }),
      };
    }
    // A retried step offers the very token its first run stored with the replies (the buttons the customer
    // gets): derived from the step's key with the pepper, so it is as unguessable as a random one.
    const token = options.stepKey
      ? createHmac('sha256', this.d.pepper)
          .update(`erasure-token\u0000${request._id}\u0000${options.stepKey}`)
          .digest('base64url')
          .slice(0, 24)
      : randomBytes(18).toString('base64url');
    await this.d.models.PrivacyRequest.updateOne(
      { _id: request._id, status: { $in: ['received', 'awaiting_confirmation'] } },
      {
        $set: {
          status: 'awaiting_confirmation',
          language,
          confirmTokenHash: sha256(token),
          confirmTokenExpiresAt: new Date(this.d.now() + CONFIRM_TOKEN_MS),
        },
      },
    ).exec();
    const [orders, open] = await Promise.all([
      this.d.models.Order.countDocuments({ customerRef: ref, phoneNumberId: business.phoneNumberId }).exec(),
      this.d.models.Order.find(
        { customerRef: ref, phoneNumberId: business.phoneNumberId, status: { $in: OPEN_ORDER_STATUSES } },
        { orderNumber: 1, status: 1 },
      )
        .sort({ placedAt: 1 })
        .lean<Array<Pick<Order, 'orderNumber' | 'status'>>>()
        .exec(),
    ]);
    // What the erasure will do to each open order (the data map's order step decides the same way).
    const openOrders: OpenOrderOutcome[] = open.map((o) => ({
      orderNumber: o.orderNumber,
      status: o.status as OpenOrderOutcome['status'],
      outcome: o.status === 'placed' ? 'cancel' : 'handover',
    }));
    const text = [
      ...(otherPerson ? [t(language, 'privacy:erase.otherPerson'), ''] : []),
      t(language, 'privacy:erase.offer.title', { business: business.name, code: request.confirmationCode }),
      '',
      t(language, 'privacy:erase.offer.deleted'),
      orders > 0
        ? t(language, 'privacy:erase.offer.keptOrders', {
            count: orders,
            period: t(language, 'privacy:duration.years', { count: business.orderRetentionYears }),
          })
        : t(language, 'privacy:erase.offer.noOrders'),
      t(language, 'privacy:erase.offer.keptRequest'),
      '',
      t(language, 'privacy:erase.offer.meta'),
    ].join('\n');
    return { kind: 'offer', text, token, openOrders };
  }

  /**
   * A tap on *Delete my data* (confirm) or *Keep my data*. Only the latest token of this subject's open
   * request at this business works, once: the compare-and-set on the awaiting status makes a replayed or
   * stale tap do nothing. A repeat of the same tap while the job runs (a retried message) finds it running.
   * A confirmation records `options.language` on the request: the receipt is written in it.
   */
  async decide(
    business: BusinessData,
    ref: string,
    token: string,
    confirm: boolean,
    sender: CustomerIdentity | undefined,
    options: { stepKey?: string; language?: Language } = {},
  ): Promise<{ kind: 'confirmed'; requestId: string } | { kind: 'cancelled' } | { kind: 'stale' }> {
    const { PrivacyRequest } = this.d.models;
    const now = new Date(this.d.now());
    // This tap, handled again after a failure: the decision it made stands (not "stale"). A finished
    // erasure deleted the message with the rest, so that message can only be a redelivery: it is stale.
    const decided = await this.d.requests.ofStep(options.stepKey);
    if (decided?.type === 'erasure' && decided.subjectKey === ref) {
      if (decided.status === 'cancelled') return { kind: 'cancelled' };
      if (decided.status === 'in_progress') return { kind: 'confirmed', requestId: decided._id };
    }
    const byStep = options.stepKey ? { stepKey: options.stepKey } : {};
    const filter = {
      phoneNumberId: business.phoneNumberId,
      subjectKey: ref,
      type: 'erasure' as const,
      confirmTokenHash: sha256(token),
    };
    if (!confirm) {
      const res = await PrivacyRequest.updateOne(
        { ...filter, status: 'awaiting_confirmation' },
        {
          $set: { status: 'cancelled', completedAt: now, ...byStep },
          $unset: { open: 1, confirmTokenHash: 1 },
        },
      ).exec();
      return res.modifiedCount > 0 ? { kind: 'cancelled' } : { kind: 'stale' };
    }
    const profile = await this.d.profiles.read(ref);
    const customer = await this.d.models.Customer.findById(ref, { lastInboundAt: 1 }).lean().exec();
    const identifiers: SubjectIdentifiers = {
      ...(sender?.waId ? { waId: sender.waId } : {}),
      ...(sender?.userId ? { userId: sender.userId } : {}),
      ...(profile.name ? { name: profile.name } : {}),
      lastInboundAt: (customer?.lastInboundAt ?? now).toISOString(),
    };
    const taken = await PrivacyRequest.findOneAndUpdate(
      { ...filter, status: 'awaiting_confirmation', confirmTokenExpiresAt: { $gt: now } },
      {
        $set: {
          status: 'in_progress',
          confirmedAt: now,
          lease: { owner: this.owner, until: new Date(now.getTime() + this.d.leaseMs) },
          ...(options.language ? { language: options.language } : {}),
          ...byStep,
        },
      },
      { returnDocument: 'after' },
    )
      .lean<PrivacyRequest>()
      .exec();
    if (taken) {
      await PrivacyRequest.updateOne(
        { _id: taken._id },
        { $set: { identifiers: this.d.sealer.seal(identifiers, identifiersContext(taken._id)) } },
      ).exec();
      this.d.logger.info({ requestId: taken._id }, 'erasure confirmed');
      return { kind: 'confirmed', requestId: taken._id };
    }
    // The same tap handled again after a crash: the job is under way (or resumes from the sweep).
    const running = await PrivacyRequest.findOne({ ...filter, status: 'in_progress' })
      .lean<PrivacyRequest>()
      .exec();
    if (running) return { kind: 'confirmed', requestId: running._id };
    return { kind: 'stale' };
  }

  /**
   * Runs (or resumes) a confirmed erasure: each data map step in order, recorded as it finishes, under a
   * lease so one process runs it; then the verification scan, the receipt, the chat reply with the code,
   * and the sealed identifiers are wiped. Safe to call again at any point: finished steps are skipped.
   */
  async run(requestId: string): Promise<PrivacyRequest | null> {
    const { PrivacyRequest } = this.d.models;
    const now = new Date(this.d.now());
    const request = await PrivacyRequest.findOneAndUpdate(
      {
        _id: requestId,
        status: 'in_progress',
        $or: [{ lease: null }, { 'lease.until': { $lt: now } }, { 'lease.owner': this.owner }],
      },
      {
        $set: { lease: { owner: this.owner, until: new Date(now.getTime() + this.d.leaseMs) } },
        // The first run's start: what exists by then is erased, what comes later is a new contact.
        $min: { startedAt: now },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    )
      .lean<PrivacyRequest>()
      .exec();
    if (!request) return null;
    const log = this.d.logger.child({ requestId });
    const identifiers = request.identifiers
      ? this.d.sealer.open<SubjectIdentifiers>(request.identifiers, identifiersContext(request._id))
      : {};
    const ctx: ErasureContext = {
      models: this.d.models,
      phoneNumberId: request.phoneNumberId,
      subjectKey: request.subjectKey,
      requestId,
      now,
      since: request.startedAt ?? now,
      sealHandover: (orderId) => {
        const contact: HandoverContact = {
          ...(identifiers.name ? { name: identifiers.name } : {}),
          ...(identifiers.waId ? { waId: identifiers.waId } : {}),
          ...(identifiers.userId ? { userId: identifiers.userId } : {}),
        };
        if (Object.keys(contact).length === 0) return undefined;
        return this.d.sealer.seal(contact, handoverContext(orderId));
      },
    };
    const done = new Set(request.steps.map((s) => s.name));
    for (const entry of PERSONAL_DATA) {
      if (done.has(entry.collection) || !entry.erase) continue;
      const outcome = await entry.erase(ctx);
      const step: ErasureStep = {
        name: entry.collection,
        done: true,
        count: outcome.deleted + outcome.anonymised,
        at: new Date(this.d.now()),
        collection: entry.collection,
        deleted: outcome.deleted,
        anonymised: outcome.anonymised,
        kept: outcome.kept,
        ...(outcome.basis ? { basis: outcome.basis } : {}),
        ...(outcome.keptUntil ? { keptUntil: outcome.keptUntil } : {}),
        ...(outcome.cancelledOrders ? { cancelledOrders: outcome.cancelledOrders } : {}),
        ...(outcome.handoverOrders ? { handoverOrders: outcome.handoverOrders } : {}),
        ...(outcome.cancelledAppointments ? { cancelledAppointments: outcome.cancelledAppointments } : {}),
      };
      const recorded = await PrivacyRequest.updateOne(
        { _id: requestId, 'lease.owner': this.owner, 'steps.name': { $ne: entry.collection } },
        {
          $push: { steps: step },
          $set: { 'lease.until': new Date(this.d.now() + this.d.leaseMs) },
        },
      ).exec();
      if (recorded.matchedCount === 0) {
        log.warn({ step: entry.collection }, 'erasure lease lost; another process continues');
        return null;
      }
      request.steps.push(step);
      log.info(
        { step: entry.collection, deleted: outcome.deleted, anonymised: outcome.anonymised },
        'erasure step done',
      );
    }
    const scan = await verifyErasure(this.d.models, request, identifiers, ctx.since);
    const lines: ReceiptLine[] = request.steps.map((s) => ({
      collection: s.name,
      deleted: s.deleted,
      anonymised: s.anonymised,
      kept: s.kept,
      ...(s.basis ? { basis: s.basis } : {}),
      ...(s.keptUntil ? { keptUntil: s.keptUntil } : {}),
      ...(s.cancelledOrders?.length ? { cancelledOrders: s.cancelledOrders } : {}),
      ...(s.handoverOrders?.length ? { handoverOrders: s.handoverOrders } : {}),
      ...(s.cancelledAppointments?.length ? { cancelledAppointments: s.cancelledAppointments } : {}),
    }));
    await this.d.notices.tellStaffOfCancellations(request, lines);
    const body = { requestId, phoneNumberId: request.phoneNumberId, lines, scan, software: SOFTWARE };
    const receipt: PrivacyReceipt = {
      lines,
      scan,
      software: SOFTWARE,
      sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
    };
    const failed = scan.findings.length > 0;
    if (failed) {
      log.error(
        { findings: scan.findings, phoneNumberId: request.phoneNumberId },
        'ERASURE VERIFICATION FAILED: customer identifiers remain after erasure',
      );
    }
    await this.d.notices.sendReceipt(request, identifiers, lines, failed);
    await PrivacyRequest.updateOne(
      { _id: requestId, 'lease.owner': this.owner },
      {
        $set: {
          status: failed ? 'failed' : 'completed',
          completedAt: new Date(this.d.now()),
          receipt,
          ...(failed
            ? {
                failure: `identifiers found in ${scan.findings.map((f) => `${f.collection}.${f.field}`).join(', ')}`,
              }
            : {}),
        },
        // The identifiers stay sealed on a failed request, for the retry after the cause is fixed.
        $unset: { open: 1, lease: 1, confirmTokenHash: 1, ...(failed ? {} : { identifiers: 1 }) },
      },
    ).exec();
    log.info({ status: failed ? 'failed' : 'completed', sha256: receipt.sha256 }, 'erasure finished');
    return PrivacyRequest.findById(requestId).lean<PrivacyRequest>().exec();
  }

  /** Erasures confirmed but not finished (a crashed process): resumed at start-up and by the sweep. */
  async resumePending(): Promise<number> {
    const now = new Date(this.d.now());
    const pending = await this.d.models.PrivacyRequest.find(
      {
        type: 'erasure',
        status: 'in_progress',
        $or: [{ lease: null }, { 'lease.until': { $lt: now } }],
      },
      { _id: 1 },
    )
      .limit(50)
      .lean()
      .exec();
    let resumed = 0;
    for (const { _id } of pending) {
      this.d.logger.info({ requestId: _id }, 'resuming an interrupted erasure');
      if (await this.run(_id)) resumed += 1;
    }
    return resumed;
  }

  /** Opens a confirmed erasure at once, for a request the business verified itself (admin API). */
  async forBusiness(business: BusinessData, ref: string, identifiers: SubjectIdentifiers) {
    const { request } = await this.d.requests.open('erasure', business.phoneNumberId, ref, 'admin');
    const now = new Date(this.d.now());
    await this.d.models.PrivacyRequest.updateOne(
      { _id: request._id, status: { $in: ['received', 'awaiting_confirmation'] } },
      {
        $set: {
          status: 'in_progress',
          confirmedAt: now,
          identifiers: this.d.sealer.seal(identifiers, identifiersContext(request._id)),
        },
        $unset: { confirmTokenHash: 1 },
      },
    ).exec();
    return (await this.run(request._id)) ?? request;
  }

  /**
   * Whether a customer's message belongs to an erased past: signed at or before the latest message an
   * erasure of this customer removed. Meta redelivers unacknowledged webhooks for days, and the erasure
   * deleted the inbox records that would have caught the duplicate; such a message is dropped unanswered.
   */
  async erasedMessage(refs: string | readonly string[], sentAt: Date): Promise<boolean> {
    const ids = typeof refs === 'string' ? [refs] : [...new Set(refs)];
    const found = await this.d.models.Suppression.find(
      { _id: { $in: ids } },
      { reason: 1, createdAt: 1, erasedUpTo: 1 },
    )
      .lean()
      .exec();
    return found.some((s) => {
      const upTo = s.erasedUpTo ?? (s.reason === 'erased' ? s.createdAt : undefined);
      return upTo !== undefined && sentAt.getTime() <= upTo.getTime();
    });
  }

  /** Resumes interrupted erasures now and every `intervalMs`, until stop(). */
  start(intervalMs: number): void {
    this.stop();
    const tick = () => {
      void this.resumePending().catch((err: unknown) => this.d.logger.error({ err }, 'erasure sweep failed'));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
