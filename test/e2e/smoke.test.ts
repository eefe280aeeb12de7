import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureJson } from '../webhook/fixtures.js';
import { startTestBot } from '../helpers/bot.js';
import { freshen } from '../helpers/payloads.js';
import type { TestBot } from '../helpers/bot.js';

describe('intake smoke', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('smoke');
  });
  afterAll(async () => {
    await t.close();
  });

  it('when a configured business receives a text, then it is answered once', async () => {
    const put = await t.admin('PUT', '/admin/businesses/112233445566778', {
      name: 'Casa Ana',
      currency: 'EUR',
      catalog: [{ id: 'a', name: 'Coffee', price: 1.2 }],
    });
    expect(put.status).toBe(201);
    const res = await t.postWebhook(freshen(fixtureJson('inbound-text.json')) as object);
    expect(res.status).toBe(200);
    await t.settled();
    const sends = t.graph.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sends).toHaveLength(1);
    const again = await t.postWebhook(freshen(fixtureJson('inbound-text.json')) as object);
    expect(again.status).toBe(200);
    await t.settled();
    expect(t.graph.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(1);
  });
});
