/**
 * STYLE.md §4: the persisted XState snapshot must come back from the database restorable, empty objects
 * included (`children: {}`, `historyValue: {}`; mongoose's `minimize` once dropped them and the restored
 * actor failed). The snapshot is now stored sealed (AES-256-GCM, src/privacy/sealing.ts) because it holds
 * what the customer typed mid-flow: these tests store real `runStep` snapshots through the real model and
 * check that they restore, that no typed text is readable in the database, and that a sealed snapshot
 * moved to another conversation or altered does not open.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import type { AnyStateMachine, Snapshot } from 'xstate';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult } from '../../src/conversation/runner.js';
import type { FlowEmitted } from '../../src/core/vocabulary.js';
import { AWAITING_INPUT } from '../../src/core/vocabulary.js';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { SealError } from '../../src/core/sealing.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';

const PHONE_NUMBER_ID = '100000000000099';
const business = toBusinessData(
  PHONE_NUMBER_ID,
  businessInput.parse({ name: 'Padaria Sol', currency: 'EUR' }),
);
const flow = rootFlowDefinition(business, 'customer-ref', fakeFlowDeps(business));
/**
 * As the runner sees it: restoring takes a snapshot only, no input; its effects (here fakes, with no AI) are
 * bound around each step.
 */
const machine: AnyStateMachine = flow.machine;

let testDb: TestDatabase;
let connection: Connection;
let models: Models;

beforeAll(async () => {
  testDb = await useTestDatabase('snapshot-store');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
});
afterAll(async () => {
  await connection.close();
  await testDb.close();
});

const newId = (): string => `conv-${randomBytes(6).toString('hex')}`;
const sealer = testSealer();
const context = (id: string) => `conversation:${id}`;

function record(id: string, result: StepResult): ConversationDoc {
  const now = new Date();
  return {
    _id: id,
    phoneNumberId: PHONE_NUMBER_ID,
    flowId: flow.id,
    flowVersion: flow.version,
    sealedSnapshot: sealer.seal(result.snapshot, context(id)),
    version: 1,
    processed: [],
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 24 * 3_600_000),
  };
}

/**
 * Restores the stored snapshot into a live actor, sends the next message, waits until it needs the next one
 * (typed text the menu does not take is first given to the AI step, which here answers nothing), and reports
 * what happened. Unlike `runStep`, a snapshot that does not restore fails here instead of restarting.
 */
async function restoreAndSend(snapshot: Record<string, unknown> | undefined): Promise<{
  value: unknown;
  status: string;
  emitted: FlowEmitted[];
}> {
  const around = flow.around ?? (<T>(step: () => Promise<T>) => step());
  return around(async () => {
    const emitted: FlowEmitted[] = [];
    const actor = createActor(machine, { snapshot: snapshot as unknown as Snapshot<unknown> });
    actor.on('*', (message: FlowEmitted) => {
      emitted.push(message);
    });
    actor.start();
    try {
      actor.send({ type: 'user.text', text: 'qwerty' });
      const { value, status } = (await waitFor(
        actor,
        (s) => s.status !== 'active' || s.hasTag(AWAITING_INPUT),
        { timeout: 5_000 },
      )) as { value: unknown; status: string };
      return { value, status, emitted };
    } finally {
      actor.stop();
    }
  });
}

describe('conversation snapshot store', () => {
  it("when runStep's snapshot is upserted sealed and read back lean, then it opens with its empty objects and takes the next message", async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'user.text', text: 'hi' });
    const { _id, ...fields } = record(id, first);

    await models.Conversation.findOneAndUpdate({ _id }, { $set: fields }, { upsert: true });
    const stored = await models.Conversation.findById(id).lean<ConversationDoc>().exec();
    const snapshot = sealer.open<Record<string, unknown>>(stored?.sealedSnapshot ?? '', context(id));

    expect(snapshot).toMatchObject({ status: 'active', value: 'menu', children: {}, historyValue: {} });
    const next = await restoreAndSend(snapshot);
    expect(next).toMatchObject({ status: 'active', value: 'menu' });
    expect(next.emitted).toHaveLength(1);
    expect(next.emitted[0]).toMatchObject({ type: 'reply.list' });
    expect((next.emitted[0] as { text?: string }).text).toContain("Sorry, I didn't understand that.");
  });

  it('when a snapshot holding what the customer typed is stored, then the database document does not contain the text', async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'command.human' });
    const snapshot = {
      ...first.snapshot,
      context: { ...(first.snapshot.context as object), notice: 'Rua das Flores 12' },
    };

    await models.Conversation.create({
      ...record(id, first),
      sealedSnapshot: sealer.seal(snapshot, context(id)),
    });
    const raw = await connection.db?.collection('conversations').findOne({ _id: id as never });

    expect(raw).not.toBeNull();
    expect(JSON.stringify(raw)).not.toContain('Rua das Flores');
    expect(JSON.stringify(raw)).not.toContain('handoff');
    const restored = sealer.open<Record<string, unknown>>(String(raw?.sealedSnapshot), context(id));
    expect(restored).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });

  it("when runStep's snapshot is saved with create and read back, then it restores and the conversation continues", async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'command.human' });

    await models.Conversation.create(record(id, first));
    const stored = await models.Conversation.findById(id).lean<ConversationDoc>().exec();
    const snapshot = sealer.open<Record<string, unknown>>(stored?.sealedSnapshot ?? '', context(id));

    expect(snapshot).toEqual(JSON.parse(JSON.stringify(first.snapshot)));
    const next = await runStep(
      flow,
      { flowId: stored?.flowId, flowVersion: stored?.flowVersion, snapshot },
      { type: 'command.cancel' },
    );
    expect(next.restarted).toBe(false);
    expect(next.snapshot).toMatchObject({ value: 'menu' });
    expect(next.emitted).toHaveLength(1);
  });

  it('when a sealed snapshot is copied to another conversation or altered, then it does not open', async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'user.text', text: 'hi' });
    const sealed = record(id, first).sealedSnapshot ?? '';

    expect(() => sealer.open(sealed, context(newId()))).toThrow(SealError);
    const parts = sealed.split('.');
    const body = parts[4] ?? '';
    const flipped = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}`;
    expect(() => sealer.open([...parts.slice(0, 4), flipped].join('.'), context(id))).toThrow(SealError);
    expect(sealer.open(sealed, context(id))).toMatchObject({ value: 'menu' });
  });
});
