/**
 * Portal sessions and the sign-in limiter with a hand-moved clock: idle expiry, the maximum age, a
 * revoked key ending its sessions, and the failure window.
 */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../../src/admin/keys.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { PORTAL_IDLE_MS, PORTAL_MAX_AGE_MS, PortalSessions } from '../../src/portal/sessions.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

const MINUTE = 60_000;
let testDb: TestDatabase;
let connection: Connection;
let models: Models;
let clock = Date.parse('2026-11-25T10:00:00Z');
const now = () => clock;

beforeAll(async () => {
  testDb = await useTestDatabase('portal-sessions');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await models.PortalSession.init();
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

describe('portal sessions', () => {
  it('end after the idle time; each use (a minute apart or more) extends them', async () => {
    const sessions = new PortalSessions({ PortalSession: models.PortalSession, ApiKey: models.ApiKey, now });
    const { id } = await sessions.create({ kind: 'operator' });
    expect(await models.PortalSession.countDocuments({ _id: id }).exec()).toBe(0); // stored by hash only
    clock += PORTAL_IDLE_MS - MINUTE;
    expect(await sessions.find(id)).not.toBeNull();
    clock += PORTAL_IDLE_MS - MINUTE;
    expect(await sessions.find(id)).not.toBeNull();
    clock += PORTAL_IDLE_MS + 1;
    expect(await sessions.find(id)).toBeNull();
  });

  it('end at the maximum age however active, and at sign-out', async () => {
    const sessions = new PortalSessions({ PortalSession: models.PortalSession, ApiKey: models.ApiKey, now });
    const { id } = await sessions.create({ kind: 'operator' });
    const end = clock + PORTAL_MAX_AGE_MS;
    while (clock + 20 * MINUTE < end) {
      clock += 20 * MINUTE;
      expect(await sessions.find(id)).not.toBeNull();
    }
    clock = end;
    expect(await sessions.find(id)).toBeNull();
    const second = await sessions.create({ kind: 'operator' });
    await sessions.destroy(second.id);
    expect(await sessions.find(second.id)).toBeNull();
  });

  it('end when the key they were opened with is revoked', async () => {
    const keys = new ApiKeys({ ApiKey: models.ApiKey, logger: pino({ level: 'silent' }), now });
    const pnid = newPhoneNumberId();
    const { record } = await keys.create(pnid, 'till');
    const sessions = new PortalSessions({ PortalSession: models.PortalSession, ApiKey: models.ApiKey, now });
    const { id } = await sessions.create({ kind: 'key', id: record._id, phoneNumberId: pnid });
    expect((await sessions.find(id))?.actor).toEqual({ kind: 'key', id: record._id, phoneNumberId: pnid });
    await keys.revoke(pnid, record._id);
    expect(await sessions.find(id)).toBeNull();
  });
});
