import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { MAX_SYNONYMS, MAX_SYNONYM_LENGTH } from '../../src/businesses/schema.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}
interface CatalogBody {
  catalog: Array<{ id: string; name: string; synonyms?: string[] }>;
}

let nextId = 300_400_000_000_000;
/** A phone number id no other test uses (data isolation). */
function freshId(): string {
  nextId += 1;
  return String(nextId);
}

const business = (synonyms: unknown) => ({
  name: 'Casa Ana',
  currency: 'EUR',
  catalog: [
    { id: 'pizza', name: 'Margherita', price: 9 },
    { id: 'cola', name: 'Cola', price: 2.5, synonyms },
  ],
});

/** Synonyms of catalog items ("coke" for Cola) through the admin API: stored, read back, bounded. */
describe('admin API: catalog item synonyms', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('admin-synonyms');
  });
  afterAll(async () => {
    await t.close();
  });

  async function refused(body: unknown): Promise<ErrorBody['error']> {
    const id = freshId();
    const res = await t.admin('PUT', `/admin/businesses/${id}`, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    return error;
  }

  it('when an item has synonyms, then they are stored trimmed, without repeats, and read back; others have none', async () => {
    const id = freshId();
    const res = await t.admin(
      'PUT',
      `/admin/businesses/${id}`,
      business([' coke ', 'Coca Cola', 'COKE', 'refresco']),
    );
    expect(res.status).toBe(201);

    const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as CatalogBody;
    expect(got.catalog.find((i) => i.id === 'cola')?.synonyms).toEqual(['coke', 'Coca Cola', 'refresco']);
    expect(got.catalog.find((i) => i.id === 'pizza')).not.toHaveProperty('synonyms');
    const stored = await t.bot.models.Business.findOne({ phoneNumberId: id }).lean().exec();
    expect(stored?.catalog.find((i) => i.id === 'cola')?.synonyms).toEqual(['coke', 'Coca Cola', 'refresco']);
  });

  it('when synonyms are changed with PATCH, then the new list replaces the old one', async () => {
    const id = freshId();
    await t.admin('PUT', `/admin/businesses/${id}`, business(['coke']));

    const res = await t.admin('PATCH', `/admin/businesses/${id}`, {
      catalog: business(['soda', 'pop']).catalog,
    });

    expect(res.status).toBe(200);
    const body = (await res.json()) as CatalogBody;
    expect(body.catalog.find((i) => i.id === 'cola')?.synonyms).toEqual(['soda', 'pop']);
  });

  it('when a synonym is too long, then 400 names that synonym and the limit', async () => {
    const error = await refused(business(['coke', 'x'.repeat(MAX_SYNONYM_LENGTH + 1)]));
    expect(error.fields).toEqual([
      {
        field: 'catalog.1.synonyms.1',
        message: `each synonym must be at most ${MAX_SYNONYM_LENGTH} characters`,
      },
    ]);
  });

  it('when an item has too many synonyms, then 400 names the list and the limit', async () => {
    const error = await refused(business(Array.from({ length: MAX_SYNONYMS + 1 }, (_, i) => `word ${i}`)));
    expect(error.fields).toEqual([
      { field: 'catalog.1.synonyms', message: `at most ${MAX_SYNONYMS} synonyms per item` },
    ]);
  });

  it('when a synonym is blank or not a text, then 400 names it', async () => {
    expect((await refused(business(['coke', '  ']))).fields?.map((f) => f.field)).toEqual([
      'catalog.1.synonyms.1',
    ]);
    expect((await refused(business('coke'))).fields?.map((f) => f.field)).toEqual(['catalog.1.synonyms']);
  });

  it('when items carry Meta catalogue retailer ids, then they are stored and read back; a repeated one is refused by field', async () => {
    const id = freshId();
    const withIds = {
      ...business(undefined),
      catalog: [
        { id: 'pizza', name: 'Margherita', price: 9, retailerId: ' SKU-1 ' },
        { id: 'cola', name: 'Cola', price: 2.5 },
      ],
    };
    expect((await t.admin('PUT', `/admin/businesses/${id}`, withIds)).status).toBe(201);
    const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as {
      catalog: Array<{ id: string; retailerId?: string }>;
    };
    expect(got.catalog.map((i) => i.retailerId)).toEqual(['SKU-1', undefined]);

    const error = await refused({
      ...withIds,
      catalog: [withIds.catalog[0], { id: 'cola', name: 'Cola', price: 2.5, retailerId: 'SKU-1' }],
    });
    expect(error.fields).toEqual([
      { field: 'catalog.1.retailerId', message: 'duplicate Meta catalogue retailer id' },
    ]);
  });
});
