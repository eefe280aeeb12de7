/**
 * The live hub across processes: two hubs on two mongoose connections to one database stand for two
 * processes of the bot. An event published on one reaches the other's subscribers of that business only,
 * exactly once although every read overlaps the last, including an event whose id sorts before one already
 * handed out (another process's clock a little behind); the hub reads only while someone watches.
 */
import mongoose, { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { LIVE_EVENT_RETENTION_MS } from '../../src/db/models/live-event.model.js';
import type { LiveEvent } from '../../src/live/events.js';
import { LiveHub } from '../../src/live/hub.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

const logger = pino({ level: 'silent' });
const WAIT = { timeout: 5_000, interval: 10 };

let testDb: TestDatabase;
const connections: Connection[] = [];
let one: Models;
let two: Models;
const hubs: LiveHub[] = [];

async function connect(): Promise<Models> {
  const connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  connections.push(connection);
  const models = createModels(connection);
  await models.LiveEvent.init();
  return models;
}

function hubOn(models: Models): LiveHub {
  const hub = new LiveHub({ LiveEvent: models.LiveEvent, logger, pollMs: 20 });
  hubs.push(hub);
  return hub;
}

/** A subscriber that records what it hears. */
function listener(): { events: LiveEvent[]; closed: number; event(e: LiveEvent): void; close(): void } {
  return {
    events: [],
    closed: 0,
    event(e) {
      this.events.push(e);
    },
    close() {
      this.closed += 1;
    },
  };
}

beforeAll(async () => {
  testDb = await useTestDatabase('live-hub');
  one = await connect();
  two = await connect();
});
afterAll(async () => {
  await Promise.all(hubs.map((hub) => hub.close()));
  await connections[0]?.dropDatabase().catch(() => undefined);
  await Promise.all(connections.map((c) => c.close()));
  await testDb.close();
});

describe('LiveHub', () => {
  it('when one process publishes, then a subscriber of that business on another process hears it once, and no other business does', async () => {
    const publisher = hubOn(one);
    const reader = hubOn(two);
    const business = newPhoneNumberId();
    const elsewhere = newPhoneNumberId();
    const mine = listener();
    const theirs = listener();
    reader.subscribe(business, mine);
    reader.subscribe(elsewhere, theirs);

    await publisher.publish({ business, kind: 'order.placed', ref: '1001' });
    await vi.waitFor(() => expect(mine.events).toHaveLength(1), WAIT);
    // A later event arriving proves later reads (which overlap the first) ran: the first is not repeated.
    await publisher.publish({ business, kind: 'order.updated', ref: '1001' });
    await publisher.publish({ business: elsewhere, kind: 'handoff.opened', ref: 'h-1' });
    await vi.waitFor(() => expect(theirs.events).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(mine.events).toHaveLength(2), WAIT);

    expect(mine.events).toEqual([
      { business, kind: 'order.placed', ref: '1001' },
      { business, kind: 'order.updated', ref: '1001' },
    ]);
    expect(theirs.events).toEqual([{ business: elsewhere, kind: 'handoff.opened', ref: 'h-1' }]);
    // Stored without anything but the event: kind, id, business, dates.
    const stored = await one.LiveEvent.findOne({ business }).lean().exec();
    expect(Object.keys(stored ?? {}).sort()).toEqual(['_id', 'at', 'business', 'expiresAt', 'kind', 'ref']);
    expect(stored!.expiresAt.getTime() - stored!.at.getTime()).toBe(LIVE_EVENT_RETENTION_MS);
  });

  it('when an event’s id sorts before one already handed out (a lagging clock), then it is still heard, once', async () => {
    const reader = hubOn(two);
    const business = newPhoneNumberId();
    const heard = listener();
    reader.subscribe(business, heard);
    const now = new Date();
    await one.LiveEvent.create({
      business,
      kind: 'order.placed',
      ref: 'late-1002',
      at: now,
      expiresAt: new Date(now.getTime() + LIVE_EVENT_RETENTION_MS),
    });
    await vi.waitFor(() => expect(heard.events).toHaveLength(1), WAIT);
    // Written after, by a process whose clock is 2 s behind: its id is smaller than the one already seen.
    const lagging = new Types.ObjectId(Types.ObjectId.generate(Math.floor(now.getTime() / 1000) - 2));
    await one.LiveEvent.create({
      _id: lagging,
      business,
      kind: 'order.placed',
      ref: 'late-1001',
      at: now,
      expiresAt: new Date(now.getTime() + LIVE_EVENT_RETENTION_MS),
    });
    await vi.waitFor(() => expect(heard.events).toHaveLength(2), WAIT);
    await hubOn(one).publish({ business, kind: 'order.updated', ref: 'marker' });
    await vi.waitFor(() => expect(heard.events).toHaveLength(3), WAIT);
    expect(heard.events.map((e) => e.ref)).toEqual(['late-1002', 'late-1001', 'marker']);
  });

  it('when a process publishes, then its own subscribers hear it at once, and its next reads do not repeat it', async () => {
    const hub = hubOn(one);
    const business = newPhoneNumberId();
    const heard = listener();
    hub.subscribe(business, heard);
    await hub.publish({ business, kind: 'handoff.message', ref: 'h-7' });
    expect(heard.events).toEqual([{ business, kind: 'handoff.message', ref: 'h-7' }]);
    // Another process's event afterwards is read by this hub's poll, and the first is still heard once.
    await hubOn(two).publish({ business, kind: 'handoff.updated', ref: 'h-7' });
    await vi.waitFor(() => expect(heard.events).toHaveLength(2), WAIT);
    expect(heard.events.map((e) => e.kind)).toEqual(['handoff.message', 'handoff.updated']);
  });

  it('when nobody watches, then the hub does not read; when the last subscriber leaves, reading stops', async () => {
    // A process of its own: the other tests' hubs still read through theirs.
    const own = await connect();
    const hub = hubOn(own);
    const find = vi.spyOn(own.LiveEvent, 'find');
    try {
      await hubOn(one).publish({ business: newPhoneNumberId(), kind: 'order.placed', ref: '1' });
      expect(hub.polling).toBe(false);
      expect(find).not.toHaveBeenCalled();
      const stop = hub.subscribe(newPhoneNumberId(), listener());
      expect(hub.polling).toBe(true);
      await vi.waitFor(() => expect(find).toHaveBeenCalled(), WAIT);
      stop();
      await vi.waitFor(() => expect(hub.polling).toBe(false), WAIT);
      expect(hub.watching).toBe(0);
    } finally {
      find.mockRestore();
    }
  });

  it('when the hub closes, then every stream is told to end, and a late subscriber is ended at once', async () => {
    const hub = new LiveHub({ LiveEvent: two.LiveEvent, logger, pollMs: 20 });
    const a = listener();
    const b = listener();
    hub.subscribe(newPhoneNumberId(), a);
    hub.subscribe(newPhoneNumberId(), b);
    await hub.close();
    expect([a.closed, b.closed]).toEqual([1, 1]);
    expect(hub.polling).toBe(false);
    const late = listener();
    hub.subscribe(newPhoneNumberId(), late);
    expect(late.closed).toBe(1);
    expect(hub.watching).toBe(0);
  });
});
