/**
 * The staff's notice about open orders an erasure cancelled: in the business's language (its locale), like
 * every staff notice, whatever language the customer wrote in. The database is replaced by a small fake of
 * the two model calls the notice makes; the sealer is the real one.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../src/core/sealing.js';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import type { CustomerIdentities } from '../../src/customers/identity.js';
import type { Models } from '../../src/db/models/index.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import type { PrivacyRequest, ReceiptLine } from '../../src/db/models/privacy-request.model.js';
import { outboxContext, outboxFallbackContext } from '../../src/outbox/record.js';
import type { TemplateFallback } from '../../src/outbox/record.js';
import { ErasureNotices } from '../../src/privacy/erasure-notices.js';

const sealer = createSealer(randomBytes(32));

/** The notice's text each staff number is sent, for a business with `locale` and the cancelled orders. */
async function staffNotices(
  locale: string | undefined,
  cancelledOrders: number[],
  stored: OutboxEntry[] = [],
  cancelledAppointments: string[] = [],
): Promise<string[]> {
  const sent: string[] = [];
  const chain = <T>(value: T) => ({ sort: () => chain(value), lean: () => chain(value), exec: () => value });
  const models = {
    Business: {
      findOne: () => chain({ adminNumbers: ['34600000001', '34600000002'], ...(locale ? { locale } : {}) }),
    },
    Outbox: {
      insertMany: (records: OutboxEntry[]) => {
        stored.push(...records);
        return Promise.resolve(records);
      },
      find: () => chain(Promise.resolve(stored.filter((r) => r.status === 'pending'))),
    },
  } as unknown as Pick<Models, 'Business' | 'Outbox'>;
  const notices = new ErasureNotices({
    models,
    sealer,
    pepper: 'pepper',
    deliver: (entry: OutboxEntry) => {
      const message = sealer.open<OutboundMessage>(entry.sealedMessage ?? '', outboxContext(entry._id));
      sent.push(message.type === 'reply.text' ? message.text : message.type);
      return Promise.resolve('sent' as const);
    },
    identities: {
      staffRefs: (_pnid: string, numbers: readonly string[]) =>
        Promise.resolve(numbers.map((n) => `staff-${n}`)),
    } as unknown as CustomerIdentities,
    now: () => Date.parse('2025-05-01T10:00:00Z'),
  });
  const request = { _id: `pr_${randomBytes(4).toString('hex')}`, phoneNumberId: '100000000000501' };
  const lines: ReceiptLine[] = [
    { collection: 'orders', deleted: 0, anonymised: 0, kept: 0, cancelledOrders },
    { collection: 'appointments', deleted: 0, anonymised: 0, kept: 0, cancelledAppointments },
  ];
  await notices.tellStaffOfCancellations(request as PrivacyRequest, lines);
  return sent;
}

describe('the staff notice of orders cancelled by an erasure', () => {
  it('when the business is English, then each staff number is told which order not to prepare', async () => {
    expect(await staffNotices('en-GB', [1001])).toEqual([
      'Order 1001 cancelled: the customer deleted their data before you started it. Please do not prepare it.',
      'Order 1001 cancelled: the customer deleted their data before you started it. Please do not prepare it.',
    ]);
  });

  it('when a staff number is outside its 24-hour window, then each record carries the cancellation template with the order numbers, in the business language, to that number', async () => {
    const stored: OutboxEntry[] = [];
    await staffNotices('es-ES', [1001, 1002], stored);
    expect(stored.map((r) => r.templatePurpose)).toEqual(['staff.cancellation', 'staff.cancellation']);
    const fallbacks = stored.map((r) =>
      sealer.open<TemplateFallback>(r.sealedFallback ?? '', outboxFallbackContext(r._id)),
    );
    expect(fallbacks).toEqual([
      {
        purpose: 'staff.cancellation',
        language: 'es',
        values: { orderNumber: '1001 y 1002' },
        to: { waId: '34600000001' },
      },
      {
        purpose: 'staff.cancellation',
        language: 'es',
        values: { orderNumber: '1001 y 1002' },
        to: { waId: '34600000002' },
      },
    ]);
  });

  it('when the business is Spanish, then the notice is in Spanish, with the plural and the list as Spanish writes them', async () => {
    const [notice] = await staffNotices('es-ES', [1001, 1002, 1003]);
    expect(notice).toBe(
      'Pedidos 1001, 1002 y 1003 cancelados: el cliente borró sus datos antes de que empezarais a prepararlos. Por favor, no los preparéis.',
    );
  });

  it.each([
    ['pt-BR', 'Pedidos 1001 e 1002 cancelados'],
    ['fr-FR', 'Commandes 1001 et 1002 annulées'],
    ['de-DE', 'Bestellungen 1001 und 1002 storniert'],
  ])('when the business locale is %s, then the notice is in its language', async (locale, start) => {
    const [notice] = await staffNotices(locale, [1001, 1002]);
    expect(notice?.startsWith(start)).toBe(true);
  });

  it('when the business has no locale we speak, then the notice is in English', async () => {
    const [notice] = await staffNotices(undefined, [7, 8]);
    expect(notice).toBe(
      'Orders 7 and 8 cancelled: the customer deleted their data before you started them. Please do not prepare them.',
    );
  });

  it('when the erasure cancelled nothing, then no notice is sent', async () => {
    expect(await staffNotices('es', [])).toEqual([]);
  });
});

describe('the appointments an erasure cancelled', () => {
  it('when an erasure cancelled two future appointments, then each staff number is told their numbers, in the business language', async () => {
    const stored: OutboxEntry[] = [];
    const [notice] = await staffNotices('es-ES', [], stored, ['A-1001', 'A-1002']);
    expect(notice).toBe(
      'Citas A-1001 y A-1002 canceladas: el cliente borró sus datos. Las horas vuelven a estar libres.',
    );
    expect(stored.map((r) => r.templatePurpose)).toEqual(['staff.cancellation', 'staff.cancellation']);
  });

  it('when the customer gets the receipt, then it names the appointments cancelled', async () => {
    const stored: OutboxEntry[] = [];
    const sent: string[] = [];
    const chain = <T>(value: T) => ({
      sort: () => chain(value),
      lean: () => chain(value),
      exec: () => value,
    });
    const models = {
      Business: { findOne: () => chain(null) },
      Outbox: {
        insertMany: (records: OutboxEntry[]) => {
          stored.push(...records);
          return Promise.resolve(records);
        },
        findById: () => chain(Promise.resolve({ wamids: [] })),
        updateOne: () => chain(Promise.resolve({})),
      },
    } as unknown as Pick<Models, 'Business' | 'Outbox'>;
    const notices = new ErasureNotices({
      models,
      sealer,
      pepper: 'pepper',
      deliver: (entry: OutboxEntry) => {
        const message = sealer.open<OutboundMessage>(entry.sealedMessage ?? '', outboxContext(entry._id));
        sent.push(message.type === 'reply.text' ? message.text : message.type);
        return Promise.resolve('sent' as const);
      },
      identities: {} as CustomerIdentities,
      now: () => Date.parse('2025-05-01T10:00:00Z'),
    });
    const request = {
      _id: `pr_${randomBytes(4).toString('hex')}`,
      phoneNumberId: '100000000000501',
      channel: 'chat',
      language: 'en',
      confirmationCode: 'K7Q2',
    } as unknown as PrivacyRequest;
    await notices.sendReceipt(
      request,
      { waId: '34600000009' },
      [
        { collection: 'orders', deleted: 0, anonymised: 0, kept: 0 },
        { collection: 'appointments', deleted: 0, anonymised: 2, kept: 2, cancelledAppointments: ['A-1042'] },
      ],
      false,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(
      'Cancelled: appointment A-1042, because your data was deleted; the business has been told.',
    );
  });
});
