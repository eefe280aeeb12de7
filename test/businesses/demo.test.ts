import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeDays } from '../../src/appointments/slots.js';
import {
  DEMO_CLINIC_PHONE_NUMBER_ID,
  DEMO_PHONE_NUMBER_ID,
  demoClinicData,
  seedDemoBusiness,
  seedDemoClinic,
} from '../../src/businesses/demo.js';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText } from '../helpers/payloads.js';

interface SendBody {
  to?: string;
  type?: string;
  text?: { body?: string };
  interactive?: { body?: { text?: string } };
}

describe('demo business seed', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('demo', { bot: { seedDemo: true } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('when the bot starts with seedDemo, then the demo business exists with its catalog in minor units', async () => {
    const stored = await t.bot.models.Business.find({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).lean().exec();
    expect(stored).toHaveLength(1);
    const demo = stored[0];
    expect(demo?.name).toBe('Polus Pizzeria (demo)');
    expect(demo?.currency).toBe('EUR');
    expect(demo?.catalog.find((item) => item.id === 'margherita')?.priceMinor).toBe(950);
    // The fee its FAQ promises is the one the bot charges: €2.50, free from €20.
    expect(demo?.deliveryFeeMinor).toBe(250);
    expect(demo?.freeDeliveryOverMinor).toBe(2000);
    expect(demo?.catalog.find((item) => item.id === 'water')?.priceMinor).toBe(180);
    expect(t.logs.filter((line) => line.includes('"msg":"demo business seeded"'))).toHaveLength(1);

    const res = await t.admin('GET', `/admin/businesses/${DEMO_PHONE_NUMBER_ID}`);
    expect(res.status).toBe(200);
  });

  it('when a customer texts the demo number, then the bot answers them once', async () => {
    const waId = '447700900321';
    const before = t.graph.requests.length;
    const res = await t.postWebhook(
      inboundText({ phoneNumberId: DEMO_PHONE_NUMBER_ID, waId, name: 'Demo Tester' }, 'hello pizza'),
    );
    expect(res.status).toBe(200);
    await t.settled();

    const sends = t.graph.requests
      .slice(before)
      .filter((r) => r.method === 'POST' && r.path.endsWith(`/${DEMO_PHONE_NUMBER_ID}/messages`));
    expect(sends).toHaveLength(1);
    const body = sends[0]?.json as SendBody;
    expect(body.to?.replace(/^\+/, '')).toBe(waId);
    // The greeting and the main menu arrive as one interactive list message.
    expect(body.type).toBe('interactive');
    expect(body.interactive?.body?.text).toContain('Polus Pizzeria (demo)');
  });

  it('when the demo was edited and is seeded again, then it is neither duplicated nor overwritten', async () => {
    const current = (await (
      await t.admin('GET', `/admin/businesses/${DEMO_PHONE_NUMBER_ID}`)
    ).json()) as Record<string, unknown>;
    const { phoneNumberId: _id, ...editable } = current;
    const put = await t.admin('PUT', `/admin/businesses/${DEMO_PHONE_NUMBER_ID}`, {
      ...editable,
      name: 'My Own Pizzeria',
    });
    expect(put.status).toBe(200);

    const directory = new BusinessDirectory(t.bot.models.Business);
    expect(await seedDemoBusiness(directory)).toBe(false);
    expect(await seedDemoBusiness(directory)).toBe(false);

    const stored = await t.bot.models.Business.find({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).lean().exec();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.name).toBe('My Own Pizzeria');
    expect(stored[0]?.catalog).toHaveLength(6);
  });

  it('when the demo is missing, then seeding creates it exactly once', async () => {
    await t.bot.models.Business.deleteOne({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).exec();
    const directory = new BusinessDirectory(t.bot.models.Business);
    expect(await seedDemoBusiness(directory)).toBe(true);
    expect(await seedDemoBusiness(directory)).toBe(false);
    const stored = await t.bot.models.Business.find({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).lean().exec();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.name).toBe('Polus Pizzeria (demo)');
  });
});

describe('demo clinic seed', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('demo-clinic', { bot: { seedDemo: true } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('when the bot starts with seedDemo, then the clinic exists beside the pizzeria, offering appointments only', async () => {
    const clinic = await t.bot.models.Business.findOne({ phoneNumberId: DEMO_CLINIC_PHONE_NUMBER_ID })
      .lean()
      .exec();
    expect(clinic).toMatchObject({
      name: 'Clínica Sonrisa (demo)',
      locale: 'es',
      timeZone: 'Europe/Madrid',
      offering: { offers: ['appointments'] },
    });
    expect(await t.bot.models.Business.countDocuments({ phoneNumberId: DEMO_PHONE_NUMBER_ID })).toBe(1);
    expect(clinic?.booking?.services.map((s) => [s.id, s.durationMinutes])).toEqual([
      ['limpieza', 45],
      ['revision', 30],
      ['blanqueamiento', 60],
    ]);
    expect(clinic?.booking?.resources.map((r) => r.kind)).toEqual(['staff', 'staff', 'staff']);
    expect(t.logs.filter((line) => line.includes('"msg":"demo clinic seeded"'))).toHaveLength(1);
    // The admin API reads it back, and the simulator lists both businesses.
    expect((await t.admin('GET', `/admin/businesses/${DEMO_CLINIC_PHONE_NUMBER_ID}`)).status).toBe(200);
  });

  it('when seeded again, then the clinic is neither duplicated nor overwritten', async () => {
    await t.admin('PATCH', `/admin/businesses/${DEMO_CLINIC_PHONE_NUMBER_ID}`, { name: 'Mi Clínica' });
    const directory = new BusinessDirectory(t.bot.models.Business);
    expect(await seedDemoClinic(directory)).toBe(false);
    const stored = await t.bot.models.Business.find({ phoneNumberId: DEMO_CLINIC_PHONE_NUMBER_ID })
      .lean()
      .exec();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.name).toBe('Mi Clínica');
  });
});

describe('demo clinic configuration', () => {
  const clinic = demoClinicData();
  const booking = clinic.booking;

  it('when its services are read, then each is named in the five languages and performed by an existing resource', () => {
    expect(booking).toBeDefined();
    const resourceIds = new Set(booking?.resources.map((r) => r.id));
    for (const service of booking?.services ?? []) {
      for (const language of ['en', 'pt', 'fr', 'de'] as const)
        expect(service.translations?.[language]?.name, `${service.id} in ${language}`).toBeTruthy();
      expect(service.resourceIds.every((id) => resourceIds.has(id))).toBe(true);
    }
    expect(booking?.services.find((s) => s.id === 'blanqueamiento')?.priceMinor).toBe(25_000);
  });

  it('when a week is asked for from a Monday morning, then every service has free days to book', () => {
    // Monday 7 December 2026, 08:00 in Madrid.
    const now = new Date('2026-12-07T07:00:00Z');
    for (const service of booking?.services ?? []) {
      const days = freeDays(
        { config: booking!, timeZone: 'Europe/Madrid', serviceId: service.id, now, busy: [] },
        { limit: 5 },
      );
      expect(days, service.id).toHaveLength(5);
      expect(days[0]?.date).toBe('2026-12-07');
    }
    // Christmas is a holiday for everyone.
    const december = freeDays(
      { config: booking!, timeZone: 'Europe/Madrid', serviceId: 'revision', now, busy: [] },
      { limit: 20 },
    );
    expect(december.map((d) => d.date)).not.toContain('2026-12-25');
  });
});
