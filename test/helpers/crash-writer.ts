/**
 * Child process for test/db/embedded/crash.test.ts.
 *
 *   node --import tsx test/helpers/crash-writer.ts <dataDir> [runTag]
 *
 * Starts the embedded server on <dataDir> (port 0), connects the official driver and writes in a loop
 * until it is killed. After each acknowledged write it prints one line to stdout:
 *
 *   ready <uri>
 *   ack <seq> insert <id>           items.insertOne({ _id: id })                     (id is a number)
 *   ack <seq> inc <value>           counters.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } }) → n
 *   ack <seq> upsert <key>          upserts.updateOne({ _id: key }, { $set }, { upsert: true }) inserted it
 *   ack <seq> set <id>              items.updateOne({ _id: id }, { $set: { touched: true } })
 *   ack <seq> delete <id>           doomed.insertOne({ _id: id }) then doomed.deleteOne({ _id: id })
 *
 * Ids are unique per runTag, so several runs can share one data directory. Exits on its own after
 * 60 s or 200,000 writes, in case the parent died without killing it.
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../../src/db/embedded/index.js';

const CRASH_DB = 'crash';
/** Numeric `_id`s of a run start at runTag * RUN_ID_STRIDE (crash.test.ts relies on this). */
const RUN_ID_STRIDE = 1_000_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: crash-writer.ts <dataDir> [runTag]');
  const runTag = Number(process.argv[3] ?? '1');

  setTimeout(() => process.exit(3), 60_000).unref();

  const server = await startEmbeddedServer({ port: 0, dataDir });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(CRASH_DB);
  const items = db.collection<{ _id: number; run: number; payload: string; touched?: boolean }>('items');
  const counters = db.collection<{ _id: string; n: number }>('counters');
  const upserts = db.collection<{ _id: string; run: number; seq: number; created?: boolean }>('upserts');
  const doomed = db.collection<{ _id: number }>('doomed');
  say(`ready ${server.uri}`);

  let lastInserted: number | undefined;
  for (let seq = 1; seq <= 200_000; seq++) {
    const id = runTag * RUN_ID_STRIDE + seq;
    switch (seq % 5) {
      case 1: {
        await items.insertOne({ _id: id, run: runTag, payload: `payload-${id}-${'x'.repeat(seq % 50)}` });
        lastInserted = id;
        say(`ack ${seq} insert ${id}`);
        break;
      }
      case 2: {
        const after = await counters.findOneAndUpdate(
          { _id: 'counter' },
          { $inc: { n: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!after) throw new Error('counter findOneAndUpdate returned no document');
        say(`ack ${seq} inc ${after.n}`);
        break;
      }
      case 3: {
        const key = `u-${runTag}-${seq}`;
        const res = await upserts.updateOne(
          { _id: key },
          { $set: { run: runTag, seq }, $setOnInsert: { created: true } },
          { upsert: true },
        );
        if (res.upsertedCount !== 1) throw new Error(`upsert of ${key} did not insert`);
        say(`ack ${seq} upsert ${key}`);
        break;
      }
      case 4: {
        if (lastInserted === undefined) throw new Error('no item inserted yet');
        const res = await items.updateOne({ _id: lastInserted }, { $set: { touched: true } });
        if (res.matchedCount !== 1) throw new Error(`item ${lastInserted} not found for $set`);
        say(`ack ${seq} set ${lastInserted}`);
        break;
      }
      default: {
        await doomed.insertOne({ _id: id });
        const res = await doomed.deleteOne({ _id: id });
        if (res.deletedCount !== 1) throw new Error(`doomed ${id} not deleted`);
        say(`ack ${seq} delete ${id}`);
        break;
      }
    }
  }
  await client.close();
  await server.close();
  say('done');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `crash-writer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(2);
});
