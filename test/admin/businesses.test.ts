import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

interface BusinessBody {
  phoneNumberId: string;
  name: string;
  currency: string;
  catalog: Array<{ id: string; name: string; price: number; available: boolean; category?: string }>;
  fulfilment: { pickup: boolean; delivery: boolean };
  adminNumbers: string[];
  aiReplies: boolean;
  locale: string;
  faq: Array<{ question: string; answer: string }>;
}

let nextId = 300_100_000_000_000;
/** A phone number id no other test uses (data isolation). */
function freshId(): string {
  nextId += 1;
  return String(nextId);
}

function validBusiness(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Casa Ana',
    currency: 'EUR',
    catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
    ...overrides,
  };
}

describe('admin API: businesses', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('admin-businesses');
  });
  afterAll(async () => {
    await t.close();
  });

  async function errorOf(res: Response): Promise<ErrorBody['error']> {
    return ((await res.json()) as ErrorBody).error;
  }

  /** PUTs a body that must be refused; returns the error, after checking the status and code. */
  async function refused(body: unknown, id = freshId()): Promise<ErrorBody['error']> {
    const res = await t.admin('PUT', `/admin/businesses/${id}`, body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    // Nothing was stored for a refused body.
    expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    return error;
  }

  describe('PUT and GET /admin/businesses/:phoneNumberId', () => {
    it('when a business is PUT for the first time, then it is created (201), and a second PUT replaces it (200)', async () => {
      const id = freshId();
      const first = await t.admin('PUT', `/admin/businesses/${id}`, validBusiness());
      expect(first.status).toBe(201);
      expect(((await first.json()) as BusinessBody).name).toBe('Casa Ana');

      const second = await t.admin(
        'PUT',
        `/admin/businesses/${id}`,
        validBusiness({ name: 'Casa Ana II', catalog: [{ id: 'tea', name: 'Tea', price: 2 }] }),
      );
      expect(second.status).toBe(200);

      const got = await t.admin('GET', `/admin/businesses/${id}`);
      expect(got.status).toBe(200);
      const body = (await got.json()) as BusinessBody;
      expect(body.name).toBe('Casa Ana II');
      // Replaced, not merged: the first catalog is gone.
      expect(body.catalog.map((item) => item.id)).toEqual(['tea']);
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(1);
    });

    it('when a business is read back, then it has every field with defaults filled in', async () => {
      const id = freshId();
      await t.admin('PUT', `/admin/businesses/${id}`, validBusiness({ locale: 'pt-br' }));
      const body = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as BusinessBody;
      expect(body).toEqual({
        phoneNumberId: id,
        name: 'Casa Ana',
        currency: 'EUR',
        catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2, available: true }],
        fulfilment: { pickup: true, delivery: false },
        adminNumbers: [],
        aiReplies: false,
        persona: '',
        aiDisclosure: '',
        aiIncludeName: false,
        aiDailyTokenBudget: 50000,
        locale: 'pt-BR',
        faq: [],
        orderRetentionYears: 10,
        timeZone: 'UTC',
        openingHours: null,
        openingHoursOff: false,
        closedDays: [],
        closedMessage: '',
        preOrders: false,
        deliveryFee: 0,
        freeDeliveryOver: null,
        minimumOrder: 0,
        wabaId: null,
        booking: null,
        offering: null,
      });
    });

    it.each([
      { currency: 'EUR', price: 9.5, priceMinor: 950 },
      { currency: 'EUR', price: 0.3, priceMinor: 30 },
      { currency: 'JPY', price: 1200, priceMinor: 1200 },
      { currency: 'BHD', price: 1.234, priceMinor: 1234 },
    ])(
      'when a price of $price $currency is PUT, then $priceMinor minor units are stored and GET shows $price',
      async ({ currency, price, priceMinor }) => {
        const id = freshId();
        const put = await t.admin(
          'PUT',
          `/admin/businesses/${id}`,
          validBusiness({ currency, catalog: [{ id: 'item', name: 'Item', price }] }),
        );
        expect(put.status).toBe(201);

        const stored = await t.bot.models.Business.findOne({ phoneNumberId: id }).lean().exec();
        expect(stored?.currency).toBe(currency);
        expect(stored?.catalog[0]?.priceMinor).toBe(priceMinor);

        const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as BusinessBody;
        expect(got.catalog[0]?.price).toBe(price);
      },
    );

    it('when admin numbers are written with "+", spaces and punctuation, then digits only are stored', async () => {
      const id = freshId();
      const put = await t.admin(
        'PUT',
        `/admin/businesses/${id}`,
        validBusiness({ adminNumbers: ['+34 600 111 222', '+1 (202) 555-0143', '34600111222'] }),
      );
      expect(put.status).toBe(201);
      const stored = await t.bot.models.Business.findOne({ phoneNumberId: id }).lean().exec();
      // Normalised and de-duplicated.
      expect(stored?.adminNumbers).toEqual(['34600111222', '12025550143']);
      const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as BusinessBody;
      expect(got.adminNumbers).toEqual(['34600111222', '12025550143']);
    });

    it('when the business does not exist, then GET answers 404', async () => {
      const res = await t.admin('GET', `/admin/businesses/${freshId()}`);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    });
  });

  describe('authentication', () => {
    const WRONG_TOKEN = 'wrong-token-that-must-not-be-echoed-0123';

    async function expectUnauthorized(res: Response, secret?: string): Promise<void> {
      expect(res.status).toBe(401);
      const text = await res.text();
      const body = JSON.parse(text) as ErrorBody;
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(text).not.toContain(TEST_ADMIN_TOKEN);
      if (secret !== undefined) expect(text).not.toContain(secret);
    }

    function withAuthorization(method: string, path: string, authorization: string): Promise<Response> {
      return fetch(`${t.bot.url}${path}`, { method, headers: { authorization } });
    }

    it('when no token is sent, then every admin route answers 401 and nothing is written', async () => {
      const id = freshId();
      await expectUnauthorized(await t.admin('GET', `/admin/businesses/${id}`, undefined, null));
      await expectUnauthorized(await t.admin('PUT', `/admin/businesses/${id}`, validBusiness(), null));
      await expectUnauthorized(await t.admin('GET', '/admin/metrics', undefined, null));
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    });

    it('when a wrong token is sent, then 401, and the body does not echo the token', async () => {
      const id = freshId();
      await expectUnauthorized(
        await t.admin('PUT', `/admin/businesses/${id}`, validBusiness(), WRONG_TOKEN),
        WRONG_TOKEN,
      );
      await expectUnauthorized(
        await t.admin('GET', `/admin/businesses/${id}`, undefined, WRONG_TOKEN),
        WRONG_TOKEN,
      );
      // A prefix or an extension of the right token is still wrong.
      await expectUnauthorized(
        await t.admin('GET', '/admin/metrics', undefined, TEST_ADMIN_TOKEN.slice(0, -1)),
      );
      await expectUnauthorized(await t.admin('GET', '/admin/metrics', undefined, `${TEST_ADMIN_TOKEN}x`));
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    });

    it('when the Authorization header is malformed, then 401', async () => {
      const basic = `Basic ${Buffer.from(`operator:${TEST_ADMIN_TOKEN}`).toString('base64')}`;
      await expectUnauthorized(await withAuthorization('GET', '/admin/metrics', basic));
      await expectUnauthorized(await withAuthorization('GET', '/admin/metrics', `Basic ${TEST_ADMIN_TOKEN}`));
      await expectUnauthorized(await withAuthorization('GET', '/admin/metrics', 'Bearer'));
      await expectUnauthorized(await withAuthorization('GET', '/admin/metrics', 'Bearer '));
      await expectUnauthorized(await withAuthorization('GET', '/admin/metrics', TEST_ADMIN_TOKEN));
      await expectUnauthorized(
        await withAuthorization('GET', '/admin/metrics', `Bearer ${TEST_ADMIN_TOKEN} extra`),
      );
    });

    it('when the right token is sent as "Bearer <token>", then the request is let through', async () => {
      const res = await withAuthorization('GET', '/admin/metrics', `Bearer ${TEST_ADMIN_TOKEN}`);
      expect(res.status).toBe(200);
    });
  });

  describe('validation', () => {
    it('when the name is missing, then 400 names the field "name"', async () => {
      const error = await refused({ currency: 'EUR' });
      expect(error.fields?.map((f) => f.field)).toEqual(['name']);
      expect(error.message).toContain('name');
    });

    it('when the currency is "EURO", then 400 names the field "currency"', async () => {
      // With a catalog, as a real configuration has: the price check must not trip over the bad code.
      const error = await refused(validBusiness({ currency: 'EURO' }));
      expect(error.fields?.map((f) => f.field)).toEqual(['currency']);
      expect(error.fields?.[0]?.message).toContain('ISO 4217');
      const bare = await refused({ name: 'Casa Ana', currency: 'EURO' });
      expect(bare.fields?.map((f) => f.field)).toEqual(['currency']);
    });

    it('when a price has more decimals than the currency allows, then 400 names catalog.0.price', async () => {
      const error = await refused(validBusiness({ catalog: [{ id: 'a', name: 'A', price: 9.999 }] }));
      expect(error.fields?.map((f) => f.field)).toEqual(['catalog.0.price']);
      expect(error.fields?.[0]?.message).toContain('EUR');
      const yen = await refused(
        validBusiness({ currency: 'JPY', catalog: [{ id: 'a', name: 'A', price: 1200.5 }] }),
      );
      expect(yen.fields?.map((f) => f.field)).toEqual(['catalog.0.price']);
    });

    it('when a price is negative, then 400 names its field', async () => {
      const error = await refused(
        validBusiness({
          catalog: [
            { id: 'a', name: 'A', price: 1 },
            { id: 'b', name: 'B', price: -1 },
          ],
        }),
      );
      expect(error.fields).toEqual([{ field: 'catalog.1.price', message: 'must not be negative' }]);
    });

    it('when two catalog items share an id, then 400 names catalog.1.id', async () => {
      const error = await refused(
        validBusiness({
          catalog: [
            { id: 'pizza', name: 'Pizza', price: 9 },
            { id: 'pizza', name: 'Another pizza', price: 10 },
          ],
        }),
      );
      expect(error.fields).toEqual([{ field: 'catalog.1.id', message: 'duplicate item id' }]);
    });

    it('when the body has an unknown top-level key, then 400 names that key', async () => {
      const error = await refused(validBusiness({ colour: 'red' }));
      expect(error.fields).toEqual([{ field: 'colour', message: 'is not a known field' }]);
      expect(error.message).toContain('colour');
    });

    it('when neither pickup nor delivery is offered, then 400 names fulfilment', async () => {
      const error = await refused(validBusiness({ fulfilment: { pickup: false, delivery: false } }));
      expect(error.fields).toEqual([
        { field: 'fulfilment', message: 'at least one of pickup or delivery must be offered' },
      ]);
    });

    it('when an admin number is not a phone number, then 400 names adminNumbers.<index>', async () => {
      const error = await refused(validBusiness({ adminNumbers: ['+34 600 111 222', 'call me'] }));
      expect(error.fields?.map((f) => f.field)).toEqual(['adminNumbers.1']);
      const short = await refused(validBusiness({ adminNumbers: ['12345'] }));
      expect(short.fields?.map((f) => f.field)).toEqual(['adminNumbers.0']);
    });

    it('when the locale is not a language tag, then 400 names locale', async () => {
      const error = await refused(validBusiness({ locale: 'en_US' }));
      expect(error.fields?.map((f) => f.field)).toEqual(['locale']);
    });

    it('when the phoneNumberId in the path is not numeric, then 400 names phoneNumberId', async () => {
      const put = await t.admin('PUT', '/admin/businesses/not-a-number', validBusiness());
      expect(put.status).toBe(400);
      const error = await errorOf(put);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.fields?.map((f) => f.field)).toEqual(['phoneNumberId']);
      const get = await t.admin('GET', '/admin/businesses/not-a-number');
      expect(get.status).toBe(400);
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: 'not-a-number' }).exec()).toBe(0);
    });

    it('when the body is not valid JSON, then 400 BAD_JSON', async () => {
      const id = freshId();
      const res = await t.admin('PUT', `/admin/businesses/${id}`, '{"name": "Casa Ana",');
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('BAD_JSON');
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    });

    it('when the body is sent as text/plain, then 415', async () => {
      const id = freshId();
      const res = await fetch(`${t.bot.url}/admin/businesses/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/plain' },
        body: JSON.stringify(validBusiness()),
      });
      expect(res.status).toBe(415);
      expect((await errorOf(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    });

    it('when the body is over 1 MB, then 413', async () => {
      const id = freshId();
      const big = JSON.stringify(validBusiness({ faq: [{ question: 'q', answer: 'x'.repeat(1_100_000) }] }));
      const res = await t.admin('PUT', `/admin/businesses/${id}`, big);
      expect(res.status).toBe(413);
      expect((await errorOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
      expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    });
  });

  describe('GET /admin/metrics', () => {
    it('when called with the token, then it returns the counters, including admin writes', async () => {
      const before = (await (await t.admin('GET', '/admin/metrics')).json()) as Record<string, number>;
      const id = freshId();
      expect((await t.admin('PUT', `/admin/businesses/${id}`, validBusiness())).status).toBe(201);
      expect((await t.admin('PUT', `/admin/businesses/${id}`, validBusiness())).status).toBe(200);

      const res = await t.admin('GET', '/admin/metrics');
      expect(res.status).toBe(200);
      const after = (await res.json()) as Record<string, number>;
      expect(after['admin.business.created']).toBe((before['admin.business.created'] ?? 0) + 1);
      expect(after['admin.business.replaced']).toBe((before['admin.business.replaced'] ?? 0) + 1);
      for (const value of Object.values(after)) expect(typeof value).toBe('number');
    });
  });
});
