/**
 * PROCESS_TYPE: a `web` process stores and acknowledges but handles nothing; a `worker` on the same database
 * finds what the web process stored by polling the inbox, and answers every message once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { repliesTo, settledAcross, startSecondInstance, waitUntil } from '../helpers/engine.js';
import type { ExtraInstance } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let web: TestBot;
let worker: ExtraInstance | undefined;

beforeAll(async () => {
  web = await startTestBot('process-types', { env: { PROCESS_TYPE: 'web' }, bot: { sweepIntervalMs: 100 } });
});
afterAll(async () => {
  await worker?.close();
  await web?.close();
});

describe('a web process and a worker', () => {
  it('when a web process stores messages, then it answers none of them and a worker answers each once, in order', async () => {
    expect(web.config.processType).toBe('web');
    const pnid = newPhoneNumberId();
    await configureBusiness(web, pnid, 'Casa Web');
    const waId = newWaId();
    for (const text of ['hola', 'menu']) {
      const res = await web.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, text));
      expect(res.status).toBe(200);
    }
    // Several of the web process's sweep intervals pass: it was told of both messages and handles neither.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await web.bot.models.Inbox.countDocuments({ phoneNumberId: pnid, status: 'pending' }).exec()).toBe(
      2,
    );
    expect(repliesTo(web.graph.requests, pnid, waId)).toEqual([]);

    worker = await startSecondInstance(web, {}, { processType: 'worker', enginePollMs: 20 });
    await waitUntil(
      () => repliesTo(web.graph.requests, pnid, waId).length >= 2,
      'the worker to answer both messages',
    );
    await settledAcross(web.bot.models, [worker.bot]);
    const replies = repliesTo(web.graph.requests, pnid, waId);
    // The greeting first (hola), then the menu again (menu): once each, in the order they were sent.
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/Casa Web/);
    expect(await web.bot.models.Inbox.countDocuments({ phoneNumberId: pnid, status: 'done' }).exec()).toBe(2);
  });
});
