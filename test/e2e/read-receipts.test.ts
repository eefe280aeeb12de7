/**
 * Issue 16, read and typing: through the real webhook, the whole bot and the loopback Graph API, every
 * customer message the bot answers is marked read with "typing…" once; a redelivered message, a reaction
 * and a message during a handoff are not (the bot ignores them); staff opening the handoff in the portal
 * mark the customer's latest message read, without "typing…". A reaction is kept on the message it reacts to.
 * A voice note during the handoff reaches the inbox, and staff play it on demand through the portal.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { repliesTo, waitUntil } from '../helpers/engine.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import { inboundMessage, inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
const PNID = newPhoneNumberId();

beforeAll(async () => {
  t = await startTestBot('read-receipts');
  await configureBusiness(t, PNID, 'Casa Leída');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

interface ReadReceipt {
  status?: string;
  message_id?: string;
  typing_indicator?: { type?: string };
}
const receipt = (r: RecordedRequest): ReadReceipt => r.json ?? {};

/** The read receipts the stub received for one message. */
const readsOf = (wamid: string) => t.graph.reads.filter((r) => receipt(r).message_id === wamid);

async function post(body: Record<string, unknown>): Promise<void> {
  const res = await t.postWebhook(body);
  expect(res.status).toBe(200);
  await t.settled();
}

/** A text from `waId` that the bot answers; waits for its read receipt (sent without waiting for it). */
async function answered(waId: string, text: string): Promise<string> {
  const wamid = newWamid();
  await post(inboundText({ phoneNumberId: PNID, waId, wamid }, text));
  await waitUntil(() => readsOf(wamid).length > 0, `the read receipt of "${text}"`);
  return wamid;
}

describe('read receipts and typing', () => {
  it('when the bot answers a message, then it is marked read with typing once; a redelivery, a reaction and an ignored message are not', async () => {
    const waId = newWaId();
    const hi = await answered(waId, 'hi');
    expect(readsOf(hi).map(receipt)).toEqual([
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: hi,
        typing_indicator: { type: 'text' },
      },
    ]);
    expect(readsOf(hi)[0]?.path).toMatch(new RegExp(`/${PNID}/messages$`));

    // Meta delivers the same message again: the bot ignores the duplicate, so no second receipt.
    await post(inboundText({ phoneNumberId: PNID, waId, wamid: hi }, 'hi'));

    // A 👍 on the bot's greeting: recorded on that reply, no answer, no receipt.
    const greeting = await t.bot.models.Outbox.findOne({ inboundWamid: hi, 'wamids.0': { $exists: true } })
      .lean<OutboxEntry>()
      .exec();
    expect(greeting).not.toBeNull();
    const reaction = newWamid();
    const before = repliesTo(t.graph.requests, PNID, waId).length;
    await post(
      inboundMessage({ phoneNumberId: PNID, waId, wamid: reaction }, 'reaction', {
        reaction: { message_id: greeting?.wamids[0], emoji: '👍' },
      }),
    );
    const reacted = await t.bot.models.Outbox.findById(greeting?._id).lean<OutboxEntry>().exec();
    expect(reacted?.reaction?.emoji).toBe('👍');
    expect(repliesTo(t.graph.requests, PNID, waId)).toHaveLength(before);

    // A later answered message, whose receipt is awaited: the ones before it were never sent.
    const menu = await answered(waId, 'menu');
    expect(readsOf(hi)).toHaveLength(1);
    expect(readsOf(reaction)).toEqual([]);
    expect(readsOf(menu)).toHaveLength(1);
  });

  it('when the customer writes during a handoff, then no receipt; when staff open the conversation, then their latest message is marked read without typing', async () => {
    const waId = newWaId();
    const asked = await answered(waId, '4'); // Talk to a person: the bot announces it
    expect(readsOf(asked)).toHaveLength(1);
    const during = newWamid();
    await post(inboundText({ phoneNumberId: PNID, waId, wamid: during }, 'Is the terrace open tonight?'));
    const latest = newWamid();
    await post(inboundText({ phoneNumberId: PNID, waId, wamid: latest }, 'For four people'));

    const res = await t.admin('POST', `/admin/businesses/${PNID}/keys`, { label: 'reads' });
    const { key } = (await res.json()) as { key: string };
    const portal = new PortalClient(t.bot.url);
    expect((await portal.signIn(key)).status).toBe(303);
    const inbox = await portal.get(`/portal/b/${PNID}/inbox`);
    const id = /data-testid="handoff-([A-Za-z0-9_-]+)"/.exec(inbox.text)?.[1];
    expect(id).toBeDefined();
    expect((await portal.get(`/portal/b/${PNID}/inbox/${id ?? ''}`)).status).toBe(200);
    await waitUntil(() => readsOf(latest).length > 0, 'the read receipt of the latest message');

    expect(readsOf(latest).map(receipt)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: latest },
    ]);
    // The message in between was read with it (Meta marks earlier ones too): no receipt of its own.
    expect(readsOf(during)).toEqual([]);
  });

  it('when a customer sends a voice note during a handoff, then the inbox shows it with a Show link that streams it from the Graph API, and only that media', async () => {
    const waId = newWaId();
    await answered(waId, '4');
    const mediaId = '7234567890123456';
    const before = repliesTo(t.graph.requests, PNID, waId).length;
    await post(
      inboundMessage({ phoneNumberId: PNID, waId }, 'audio', {
        audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', voice: true },
      }),
    );
    expect(repliesTo(t.graph.requests, PNID, waId)).toHaveLength(before); // the person answers, not the bot
    // Text that looks like a media label makes no link: the id comes from the message, never from its words.
    await post(
      inboundMessage({ phoneNumberId: PNID, waId }, 'text', { text: { body: 'see (media 5550001112)' } }),
    );

    const res = await t.admin('POST', `/admin/businesses/${PNID}/keys`, { label: 'media' });
    const { key } = (await res.json()) as { key: string };
    const portal = new PortalClient(t.bot.url);
    expect((await portal.signIn(key)).status).toBe(303);
    const inbox = await portal.get(`/portal/b/${PNID}/inbox`);
    const ids = [...inbox.text.matchAll(/data-testid="handoff-([A-Za-z0-9_-]{16,64})"/g)].map(
      (m) => m[1] ?? '',
    );
    let thread = '';
    for (const id of ids) {
      const page = await portal.get(`/portal/b/${PNID}/inbox/${id}`);
      if (page.text.includes('🎤 voice note')) thread = `/portal/b/${PNID}/inbox/${id}`;
    }
    expect(thread).not.toBe('');
    const page = await portal.get(thread);
    expect(page.text).toContain(`href="${thread}/media/${mediaId}"`);
    expect(page.text).toContain('see (media 5550001112)');
    expect(page.text).not.toContain('/media/5550001112');

    const bytes = 'OggS fake voice note';
    t.graph.setFallback((request) =>
      request.method !== 'GET'
        ? undefined
        : request.path === `/download/${mediaId}`
          ? { body: Buffer.from(bytes), headers: { 'content-type': 'audio/ogg' } }
          : request.path.endsWith(`/${mediaId}`)
            ? { body: { url: `${t.graph.url}/download/${mediaId}`, mime_type: 'audio/ogg; codecs=opus' } }
            : undefined,
    );
    const played = await portal.get(`${thread}/media/${mediaId}`);
    expect(played.status).toBe(200);
    expect(played.text).toBe(bytes);
    // Both Graph calls carried the token; nothing else was asked.
    const gets = t.graph.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.path)).toEqual([
      expect.stringMatching(new RegExp(`/${mediaId}$`)),
      `/download/${mediaId}`,
    ]);
    expect(gets.every((r) => r.headers.authorization === 'Bearer test-access-token-EAAG0000')).toBe(true);

    // A media id this customer did not send in this conversation is not fetched.
    expect((await portal.get(`${thread}/media/9999999999`)).status).toBe(404);
    expect((await portal.get(`${thread}/media/5550001112`)).status).toBe(404);
    expect(t.graph.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });
});
