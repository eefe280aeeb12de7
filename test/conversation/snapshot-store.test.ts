/**
 * STYLE.md §4: the persisted XState snapshot must come back from the database restorable. Mongoose's
 * default `minimize: true` drops the snapshot's empty `children: {}` and `historyValue: {}`, and the
 * restored actor then fails. These tests store real `runStep` snapshots through the real model, and prove
 * with a throwaway model that differs only in `minimize` that the guard can fail.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { AnyStateMachine, Snapshot } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult } from '../../src/conversation/runner.js';
import type { FlowEmitted } from '../../src/conversation/types.js';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';

const PHONE_NUMBER_ID = '100000000000099';
const business = toBusinessData(
  PHONE_NUMBER_ID,
  businessInput.parse({ name: 'Padaria Sol', currency: 'EUR' }),
);
const flow = rootFlowDefinition(business, 'customer-ref', fakeFlowDeps(business));
/** As the runner sees it: restoring takes a snapshot only, no input. */
const machine: AnyStateMachine = rootFlow;

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

function record(id: string, result: StepResult): ConversationDoc {
  const now = new Date();
  return {
    _id: id,
    phoneNumberId: PHONE_NUMBER_ID,
    flowId: flow.id,
    flowVersion: flow.version,
    snapshot: result.snapshot,
    version: 1,
    processed: [],
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 24 * 3_600_000),
  };
}

/** Restores the stored snapshot into a live actor, sends the next message, and reports what happened. */
function restoreAndSend(snapshot: Record<string, unknown> | undefined): {
  value: unknown;
  status: string;
  emitted: FlowEmitted[];
} {
  const emitted: FlowEmitted[] = [];
  const actor = createActor(machine, { snapshot: snapshot as unknown as Snapshot<unknown> });
  actor.on('*', (message: FlowEmitted) => {
    emitted.push(message);
  });
  actor.start();
  actor.send({ type: 'user.text', text: 'qwerty' });
  const { value, status } = actor.getSnapshot() as { value: unknown; status: string };
  actor.stop();
  return { value, status, emitted };
}

describe('conversation snapshot store', () => {
  it("when runStep's snapshot is upserted with findOneAndUpdate and read back lean, then it restores and takes the next message", async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'user.text', text: 'hi' });
    const { _id, ...fields } = record(id, first);

    await models.Conversation.findOneAndUpdate({ _id }, { $set: fields }, { upsert: true });
    const stored = await models.Conversation.findById(id).lean<ConversationDoc>().exec();

    expect(stored?.snapshot).toMatchObject({
      status: 'active',
      value: 'menu',
      children: {},
      historyValue: {},
    });
    const next = restoreAndSend(stored?.snapshot);
    expect(next).toMatchObject({ status: 'active', value: 'menu' });
    expect(next.emitted).toHaveLength(1);
    expect(next.emitted[0]).toMatchObject({ type: 'reply.list' });
  });

  it("when runStep's snapshot is saved with create and read back lean, then its empty objects survive and it restores", async () => {
    const id = newId();
    const first = await runStep(flow, null, { type: 'command.human' });

    await models.Conversation.create(record(id, first));
    const stored = await models.Conversation.findById(id).lean<ConversationDoc>().exec();

    expect(stored?.snapshot).toMatchObject({ value: 'handoff', children: {}, historyValue: {} });
    expect(stored?.snapshot).toEqual(JSON.parse(JSON.stringify(first.snapshot)));
    const next = await runStep(
      flow,
      { flowId: stored?.flowId, flowVersion: stored?.flowVersion, snapshot: stored?.snapshot },
      { type: 'command.cancel' },
    );
    expect(next.restarted).toBe(false);
    expect(next.snapshot).toMatchObject({ value: 'menu' });
    expect(next.emitted).toHaveLength(1);
  });

  it("when the same schema keeps mongoose's default minimize, then create drops children and the snapshot no longer restores", async () => {
    const definition = models.Conversation.schema.obj;
    const minimizing = connection.model<ConversationDoc>(
      'ConversationMinimized',
      new Schema<ConversationDoc>(definition, { collection: 'conversations_minimized', versionKey: false }),
    );
    expect(minimizing.schema.get('minimize')).toBe(true);
    expect(models.Conversation.schema.get('minimize')).toBe(false);
    const id = newId();
    const first = await runStep(flow, null, { type: 'user.text', text: 'hi' });

    await minimizing.create(record(id, first));
    const stored = await minimizing.findById(id).lean<ConversationDoc>().exec();

    expect(stored?.snapshot).toMatchObject({ status: 'active', value: 'menu' });
    expect(stored?.snapshot).not.toHaveProperty('children');
    expect(stored?.snapshot).not.toHaveProperty('historyValue');
    // Not started: a started actor in error would report the error from a timer, outside this test.
    const actor = createActor(machine, { snapshot: stored?.snapshot as unknown as Snapshot<unknown> });
    const broken = actor.getSnapshot();
    expect(broken.status).toBe('error');
    expect(String(broken.error)).toMatch(/Cannot convert undefined or null to object/);
  });
});
