/**
 * Child process for test/appointments/race-two-processes.test.ts: a second bot process's appointment store,
 * on its own connection to the same database.
 *
 *   node --import tsx test/appointments/race-child.ts <mongodb uri> <database name>
 *
 * Seals with a key of its own (the race books without intake). Prints `ready` once connected. Then reads one JSON line on stdin (the bookings to make, dates as ISO
 * strings), makes them all at once, prints `results <JSON array of {status, id?, start?}>` and exits.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { AppointmentStore } from '../../src/appointments/store.js';
import type { BookInput } from '../../src/appointments/store.js';
import { createSealer } from '../../src/core/sealing.js';
import { createModels } from '../../src/db/models/index.js';

type WireInput = Omit<BookInput, 'start' | 'end'> & { start: string; end: string };

async function main(): Promise<void> {
  const [uri, dbName] = process.argv.slice(2);
  if (!uri || !dbName) throw new Error('usage: race-child.ts <uri> <dbName>');
  setTimeout(() => process.exit(3), 30_000).unref();
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const models = createModels(connection);
  const store = new AppointmentStore({
    models,
    sealer: createSealer(randomBytes(32)),
    logger: pino({ level: 'silent' }),
  });
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) {
    const inputs = JSON.parse(line) as WireInput[];
    const results = await Promise.all(
      inputs.map((i) => store.book({ ...i, start: new Date(i.start), end: new Date(i.end) })),
    );
    const out = results.map((r) =>
      r.status === 'booked'
        ? { status: r.status, id: r.appointment.id, start: r.appointment.start.toISOString() }
        : { status: r.status },
    );
    process.stdout.write(`results ${JSON.stringify(out)}\n`);
    break;
  }
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
