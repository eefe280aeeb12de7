/**
 * The webhook end to end with input Meta should not send (broken JSON, wrong content type, a body that is
 * not a WhatsApp webhook, oversized or empty bodies) and with message kinds the bot does not handle
 * (unsupported types, reactions Meta could not render, system notices): correctly signed, through real HTTP, whole bot running.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../src/webhook/signature.js';
import { startTestBot, TEST_APP_SECRET } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import {
  freshen,
  inboundMessage,
  inboundText,
  newPhoneNumberId,
  newWaId,
  newWamid,
} from '../helpers/payloads.js';
import {
  configureBusiness,
  grew,
  metrics,
  sendBody,
  sendSentinel,
  sendsFor,
  withNewWamids,
  withPhoneNumberId,
  sendText,
} from '../helpers/webhook.js';
import { fixtureTree } from './fixtures.js';

let t: TestBot;
const PNID = newPhoneNumberId();

beforeAll(async () => {
  t = await startTestBot('webhook-input');
  await configureBusiness(t, PNID, 'Casa Entrada');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

const CANT_READ = "can't read that kind of message";

async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}

async function inboxCount(): Promise<number> {
  return t.bot.models.Inbox.countDocuments().exec();
}

describe('POST /webhook with bad input', () => {
  it('when the body is not JSON but correctly signed, then 400 and nothing stored', async () => {
    const before = await inboxCount();

    const res = await t.postWebhook('{"object":"whatsapp_business_account","entry":[');

    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BAD_JSON');
    expect(await inboxCount()).toBe(before);
  });

  it('when a valid signed body comes as text/plain, then 415 and nothing stored', async () => {
    const wamid = newWamid();

    const res = await t.postWebhook(inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'hi'), {
      contentType: 'text/plain',
    });

    expect(res.status).toBe(415);
    expect(await errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await t.bot.models.Inbox.countDocuments({ _id: wamid }).exec()).toBe(0);
  });

  it.each([
    ['a page webhook', { object: 'page', entry: [] }],
    ['entry is not an array', { object: 'whatsapp_business_account', entry: {} }],
    ['entry is missing', { object: 'whatsapp_business_account' }],
    [
      'a messages change has no phone_number_id',
      {
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [] } }] }],
      },
    ],
    ['the body is a JSON array', [{ object: 'whatsapp_business_account' }]],
    ['the body is JSON null', null],
  ])('when %s (schema-invalid, signed), then 400', async (_case, body) => {
    const before = await inboxCount();

    const res = await t.postWebhook(JSON.stringify(body));

    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('WEBHOOK_BAD_PAYLOAD');
    expect(await inboxCount()).toBe(before);
  });

  it('when a signed body is 4 MB, then 413 and the next valid request still works', async () => {
    const huge = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [],
      padding: 'x'.repeat(4 * 1024 * 1024),
    });

    const res = await t.postWebhook(huge);
    const next = await t.postWebhook(inboundText({ phoneNumberId: PNID, waId: newWaId() }, 'still there?'));

    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    expect(next.status).toBe(200);
    await t.settled();
    expect(sendsFor(t, PNID)).toHaveLength(1);
  });

  it("when a signed body of 2.5 MB (under Meta's 3 MB) arrives, then 200 and its message is handled", async () => {
    const waId = newWaId();
    const body = {
      ...inboundText({ phoneNumberId: PNID, waId }, 'big'),
      padding: 'x'.repeat(2.5 * 1024 * 1024),
    };

    const res = await t.postWebhook(body);

    expect(res.status).toBe(200);
    await t.settled();
    expect(sendsFor(t, PNID).map((r) => sendBody(r).to)).toEqual([`+${waId}`]);
  });

  it('when the content type carries a charset (application/json; charset=utf-8), then 200', async () => {
    const wamid = newWamid();

    const res = await t.postWebhook(inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'hi'), {
      contentType: 'application/json; charset=utf-8',
    });

    expect(res.status).toBe(200);
    await t.settled();
    expect(await t.bot.models.Inbox.countDocuments({ _id: wamid }).exec()).toBe(1);
  });

  it('when the body is empty and unsigned, then 401', async () => {
    const res = await t.postWebhook(Buffer.alloc(0), { signature: null });

    expect(res.status).toBe(401);
  });

  it('when the body is empty and signed, then 400', async () => {
    const res = await t.postWebhook(Buffer.alloc(0), { signature: signBody('', TEST_APP_SECRET) });

    expect(res.status).toBe(400);
  });
});

describe('POST /webhook with message kinds the bot does not handle', () => {
  it('when a change of another field (user_preferences) arrives, then 200 and it is counted as ignored', async () => {
    const before = await metrics(t);
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '109876543210001',
          changes: [
            {
              field: 'user_preferences',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100123', phone_number_id: PNID },
                user_preferences: [{ wa_id: newWaId(), category: 'marketing_messages', value: 'stop' }],
              },
            },
          ],
        },
      ],
    };

    const res = await t.postWebhook(body);

    expect(res.status).toBe(200);
    expect(grew(before, await metrics(t), 'webhook.ignored.field:user_preferences')).toBe(1);
  });

  it('when an unsupported message (poll_creation) arrives, then 200, it is stored and gets the "can\'t read" reply', async () => {
    const payload = withPhoneNumberId(freshen(fixtureTree('inbound-unsupported.json')), PNID);
    const [wamid] = withNewWamids(payload);

    const res = await t.postWebhook(payload);

    expect(res.status).toBe(200);
    await t.settled();
    const entry = await t.bot.models.Inbox.findById(wamid).lean().exec();
    expect(entry?.status).toBe('done');
    const sends = sendsFor(t, PNID);
    expect(sends).toHaveLength(1);
    expect(sendBody(sends[0]!).to).toBe('+12025550143');
    expect(sendText(sends[0]!)).toContain(CANT_READ);
  });

  it('when a message of a type nobody knows yet arrives, then 200 and the "can\'t read" reply', async () => {
    const waId = newWaId();

    const res = await t.postWebhook(
      inboundMessage({ phoneNumberId: PNID, waId }, 'hologram', { hologram: { id: '42' } }),
    );

    expect(res.status).toBe(200);
    await t.settled();
    const sends = sendsFor(t, PNID);
    expect(sends.map((r) => sendBody(r).to)).toEqual([`+${waId}`]);
    expect(sendText(sends[0]!)).toContain(CANT_READ);
  });

  it.each([
    [
      'a reaction Meta could not render',
      'unsupported',
      { unsupported: { type: 'reaction' } },
      'webhook.ignored.reaction',
    ],
    [
      'a system notice',
      'system',
      { system: { body: 'User changed their number', wa_id: '34600111222', type: 'user_changed_number' } },
      'webhook.ignored.system:user_changed_number',
    ],
  ])(
    'when %s arrives, then 200, counted as ignored, not stored, no reply',
    async (_case, type, content, counter) => {
      const waId = newWaId();
      const wamid = newWamid();
      const before = await metrics(t);

      const res = await t.postWebhook(inboundMessage({ phoneNumberId: PNID, waId, wamid }, type, content));

      expect(res.status).toBe(200);
      const sentinelTo = await sendSentinel(t, PNID);
      expect(grew(before, await metrics(t), counter)).toBe(1);
      expect(await t.bot.models.Inbox.countDocuments({ _id: wamid }).exec()).toBe(0);
      // Only the sentinel was answered: nothing went to the customer who reacted.
      expect(sendsFor(t, PNID).map((r) => sendBody(r).to)).toEqual([sentinelTo]);
      const health = await fetch(`${t.bot.url}/healthz`);
      expect(health.status).toBe(200);
    },
  );
});
