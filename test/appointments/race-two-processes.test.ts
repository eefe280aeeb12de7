/**
 * No double booking across processes: two bot processes are two mongoose connections (each its own driver
 * pool, its own sockets) to one database, each with its own AppointmentStore. Twenty customers tap one of
 * five slots at the same moment, half of them through each "process": exactly five are booked, no slot (and
 * no seat of a slot) twice, and every other customer is told `taken`. Runs unchanged on a real MongoDB with
 * MONGODB_URI.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentStore } from '../../src/appointments/store.js';
import type { BookInput } from '../../src/appointments/store.js';
import { createModels } from '../../src/db/models/index.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

const MIN = 60_000;
const logger = pino({ level: 'silent' });

let testDb: TestDatabase;
const connections: Connection[] = [];
const stores: AppointmentStore[] = [];

beforeAll(async () => {
  testDb = await useTestDatabase('appointments-race');
  for (let i = 0; i < 2; i += 1) {
    const connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
    const models = createModels(connection);
    await Promise.all([models.Appointment.init(), models.SlotClaim.init(), models.Counter.init()]);
    connections.push(connection);
    stores.push(new AppointmentStore({ models, sealer: testSealer(), logger }));
  }
});
afterAll(async () => {
  await connections[0]?.dropDatabase().catch(() => undefined);
  await Promise.all(connections.map((c) => c.close()));
  await testDb.close();
});

function a(): AppointmentStore {
  const store = stores[0];
  if (!store) throw new Error('process A did not start');
  return store;
}
function b(): AppointmentStore {
  const store = stores[1];
  if (!store) throw new Error('process B did not start');
  return store;
}

describe('booking across two processes', () => {
  it('when 20 customers race for 5 slots through two processes, then exactly 5 are booked, each slot once, and the 15 others are told taken', async () => {
    const pnid = newPhoneNumberId();
    const first = Date.parse('2030-05-06T08:00:00Z');
    // Five 30-minute slots with a 15-minute buffer, on a 45-minute grid: each slot's buffer ends where the next starts.
    const slots = Array.from({ length: 5 }, (_, i) => new Date(first + i * 45 * MIN));
    const inputs: BookInput[] = Array.from({ length: 20 }, (_, c) => {
      const start = new Date(first + (c % 5) * 45 * MIN);
      return {
        phoneNumberId: pnid,
        customerRef: `customer-${c}-${randomBytes(4).toString('hex')}`,
        service: { id: 'cut', name: 'Haircut', priceMinor: 2000 },
        resourceCandidates: [{ id: 'chair-1', name: 'Chair 1', capacity: 1 }],
        start,
        end: new Date(start.getTime() + 30 * MIN),
        bufferMinutes: 15,
        currency: 'EUR',
        key: `tap-${c}-${randomBytes(4).toString('hex')}`,
        bookedBy: 'customer',
      };
    });

    const results = await Promise.all(inputs.map((input, c) => (c % 2 === 0 ? a() : b()).book(input)));

    const winners = results.flatMap((r) => (r.status === 'booked' ? [r.appointment] : []));
    expect(winners).toHaveLength(5);
    expect(results.filter((r) => r.status === 'taken')).toHaveLength(15);
    expect(new Set(winners.map((w) => w.start.toISOString()))).toEqual(
      new Set(slots.map((s) => s.toISOString())),
    );
    expect(new Set(winners.map((w) => w.number)).size).toBe(5);
    // The database agrees with the answers, read through either process.
    const stored = await a().forRange(pnid, new Date(first), new Date(first + 5 * 45 * MIN));
    expect(stored.map((a) => a.id).sort()).toEqual(winners.map((w) => w.id).sort());
    expect(await b().busy(pnid, new Date(first), new Date(first + 5 * 45 * MIN))).toHaveLength(5);
  });
});
