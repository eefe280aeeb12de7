/**
 * No double booking across processes: this test's process and a child process (test/appointments/race-child.ts),
 * each with its own connection and AppointmentStore, book on one database at the same moment, as two bot
 * processes would. Twenty customers tap one of five slots, half through each process: exactly five are
 * booked, each slot once, and the fifteen others are told `taken`. Runs unchanged on a real MongoDB with
 * MONGODB_URI.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
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
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const childScript = fileURLToPath(new URL('./race-child.ts', import.meta.url));

let testDb: TestDatabase;
let connection: Connection;
let store: AppointmentStore;
let child: ChildProcessWithoutNullStreams | undefined;
let childOut = '';
let childErr = '';

/** Resolves with the first stdout line of the child matching `pattern` (bounded, not measured). */
function childLine(pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child never said ${String(pattern)}; stderr:\n${childErr}`)),
      20_000,
    );
    const check = () => {
      const match = pattern.exec(childOut);
      if (!match) return;
      clearTimeout(timer);
      child?.stdout.off('data', check);
      resolve(match);
    };
    child?.stdout.on('data', check);
    child?.once('exit', (code) => reject(new Error(`child exited (${String(code)}); stderr:\n${childErr}`)));
    check();
  });
}

beforeAll(async () => {
  testDb = await useTestDatabase('appointments-race');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  const models = createModels(connection);
  await Promise.all([models.Appointment.init(), models.SlotClaim.init(), models.Counter.init()]);
  store = new AppointmentStore({ models, sealer: testSealer(), logger: pino({ level: 'silent' }) });
  child = spawn(process.execPath, ['--import', 'tsx', childScript, testDb.uri, testDb.dbName], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (childOut += chunk));
  child.stderr.on('data', (chunk: string) => (childErr += chunk));
  await childLine(/^ready$/m);
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  await testDb?.close();
});

type Outcome = { status: 'booked'; id: string; start: string } | { status: 'taken' | 'not_found' };

describe('booking across two processes', () => {
  it('when 20 customers race for 5 slots through two processes, then exactly 5 are booked, each slot once, and the 15 others are told taken', async () => {
    const pnid = newPhoneNumberId();
    const first = Date.parse('2030-05-06T08:00:00Z');
    // Five 30-minute slots with a 15-minute buffer, 45 minutes apart: each buffer ends where the next slot starts.
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
    // Every slot is wanted by two customers in each process.
    const mine = inputs.filter((_, c) => c % 2 === 0);
    const theirs = inputs.filter((_, c) => c % 2 === 1);

    const childResults = childLine(/^results (.*)$/m);
    child?.stdin.write(`${JSON.stringify(theirs)}\n`);
    const local = await Promise.all(mine.map((input) => store.book(input)));
    const remote = JSON.parse((await childResults)[1] ?? '[]') as Outcome[];

    const outcomes: Outcome[] = [
      ...local.map((r): Outcome =>
        r.status === 'booked'
          ? { status: 'booked', id: r.appointment.id, start: r.appointment.start.toISOString() }
          : { status: r.status },
      ),
      ...remote,
    ];
    expect(outcomes).toHaveLength(20);
    const winners = outcomes.flatMap((o) => (o.status === 'booked' ? [o] : []));
    expect(winners).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'taken')).toHaveLength(15);
    expect(new Set(winners.map((w) => w.start)).size).toBe(5);
    // The database agrees with what the customers were told.
    const stored = await store.forRange(pnid, new Date(first), new Date(first + 5 * 45 * MIN));
    expect(stored.map((a) => a.id).sort()).toEqual(winners.map((w) => w.id).sort());
    expect(new Set(stored.map((a) => a.number)).size).toBe(5);
  });
});
