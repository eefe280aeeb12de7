import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}
interface CatalogBody {
  catalog: Array<{ id: string; name: string; translations?: Record<string, Record<string, string>> }>;
}

const business = (translations: unknown) => ({
  name: 'Casa Ana',
  currency: 'EUR',
  catalog: [
    { id: 'pizza', name: 'Margherita', price: 9 },
    { id: 'water', name: 'Still water', price: 1.8, category: 'Drinks', translations },
  ],
});

/** Translations of catalog items ("Agua sin gas" for Still water) through the admin API: stored, bounded. */
describe('admin API: catalog item translations', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('admin-translations');
  });
  afterAll(async () => {
    await t.close();
  });

  async function refused(body: unknown): Promise<Array<{ field: string; message: string }>> {
    const id = newPhoneNumberId();
    const res = await t.admin('PUT', `/admin/businesses/${id}`, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(await t.bot.models.Business.countDocuments({ phoneNumberId: id }).exec()).toBe(0);
    return error.fields ?? [];
  }

  it('when an item has translations, then they are stored trimmed, blank ones dropped, and read back', async () => {
    const id = newPhoneNumberId();
    const res = await t.admin(
      'PUT',
      `/admin/businesses/${id}`,
      business({
        es: { name: ' Agua sin gas ', category: 'Bebidas', description: '' },
        fr: { name: 'Eau plate' },
        de: { name: '  ' },
      }),
    );
    expect(res.status).toBe(201);

    const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as CatalogBody;
    expect(got.catalog.find((i) => i.id === 'water')?.translations).toEqual({
      es: { name: 'Agua sin gas', category: 'Bebidas' },
      fr: { name: 'Eau plate' },
    });
    expect(got.catalog.find((i) => i.id === 'pizza')).not.toHaveProperty('translations');
    const stored = await t.bot.models.Business.findOne({ phoneNumberId: id }).lean().exec();
    expect(stored?.catalog.find((i) => i.id === 'water')?.translations).toEqual({
      es: { name: 'Agua sin gas', category: 'Bebidas' },
      fr: { name: 'Eau plate' },
    });
    expect(stored?.catalog.find((i) => i.id === 'pizza')).not.toHaveProperty('translations');
  });

  it('when translations are changed with PATCH, then the new ones replace the old', async () => {
    const id = newPhoneNumberId();
    await t.admin('PUT', `/admin/businesses/${id}`, business({ es: { name: 'Agua' } }));

    const res = await t.admin('PATCH', `/admin/businesses/${id}`, {
      catalog: business({ pt: { name: 'Água sem gás' } }).catalog,
    });

    expect(res.status).toBe(200);
    const body = (await res.json()) as CatalogBody;
    expect(body.catalog.find((i) => i.id === 'water')?.translations).toEqual({
      pt: { name: 'Água sem gás' },
    });
  });

  it('when a translated text is longer than its base field allows, then 400 names it', async () => {
    const fields = await refused(
      business({ es: { name: 'x'.repeat(101), description: 'y'.repeat(501), category: 'z'.repeat(101) } }),
    );
    expect(fields.map((f) => f.field).sort()).toEqual([
      'catalog.1.translations.es.category',
      'catalog.1.translations.es.description',
      'catalog.1.translations.es.name',
    ]);
  });

  it('when a translation is in a language the bot does not speak, or has an unknown field, then 400 names it', async () => {
    const language = await refused(business({ it: { name: 'Acqua naturale' } }));
    expect(language).toHaveLength(1);
    expect(language[0]?.field).toBe('catalog.1.translations.it');

    const field = await refused(business({ es: { title: 'Agua' } }));
    expect(field).toHaveLength(1);
    expect(field[0]?.field).toBe('catalog.1.translations.es.title');

    expect((await refused(business('Agua sin gas'))).map((f) => f.field)).toEqual(['catalog.1.translations']);
  });
});
