/**
 * A person really answers, end to end through the real webhook, the portal's routes and the loopback Graph
 * API: a customer asks for a person and writes twice, staff see both messages in the portal's inbox, take
 * the conversation (the customer is told), reply (the customer gets it), hand back (the customer is told),
 * and the bot answers the next message. Also the portal's rules on these routes: CSRF, and a key sees only
 * its own business.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo, replyKind } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { PortalClient, csrfOf } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('handoff-inbox', { bot: { sweepIntervalMs: 200 } });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

async function say(phoneNumberId: string, waId: string, text: string): Promise<void> {
  const res = await t.postWebhook(inboundText({ phoneNumberId, waId, wamid: newWamid() }, text));
  expect(res.status).toBe(200);
}

async function portalFor(pnid: string): Promise<PortalClient> {
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'inbox' });
  expect(res.status).toBe(201);
  const { key } = (await res.json()) as { key: string };
  const c = new PortalClient(t.bot.url);
  expect((await c.signIn(key)).status).toBe(303);
  return c;
}

/** A business, a customer who asked for a person and wrote twice, and the handoff's id from the inbox. */
async function customerWaiting() {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  await configureBusiness(t, pnid, 'Casa Inbox');
  await say(pnid, waId, '4');
  await t.settled();
  await say(pnid, waId, 'Do you have a table for six at nine?');
  await say(pnid, waId, 'It is a birthday <b>party</b>');
  await t.settled();
  const c = await portalFor(pnid);
  const inbox = await c.get(`/portal/b/${pnid}/inbox`);
  expect(inbox.status).toBe(200);
  const id = /data-testid="handoff-([A-Za-z0-9_-]+)"/.exec(inbox.text)?.[1];
  if (!id) throw new Error('no handoff in the inbox');
  return { pnid, waId, c, id, inbox };
}

describe('staff inbox', () => {
  it('when a customer asks for a person, then staff read, take, answer and hand back from the portal, and the bot answers again', async () => {
    const { pnid, waId, c, id, inbox } = await customerWaiting();
    expect(inbox.text).toContain('data-live="handoff.opened,handoff.message,handoff.updated"');
    expect(inbox.text).toContain('Waiting for a person');
    expect(inbox.text).not.toContain(waId); // the number is masked
    const thread = `/portal/b/${pnid}/inbox/${id}`;
    const page = await c.get(thread);
    expect(page.text).toContain('Do you have a table for six at nine?');
    expect(page.text).toContain('It is a birthday &lt;b&gt;party&lt;/b&gt;');
    // Reading the conversation (the customer's name and words) is on record: who, which one, when.
    const views = await t.bot.models.AccessLog.find({ phoneNumberId: pnid, what: 'handoff.thread' })
      .lean()
      .exec();
    expect(views.map((v) => v.ref)).toEqual([id]);
    expect(views[0]?.actor.kind).toMatch(/^(operator|key)$/);
    expect(JSON.stringify(views)).not.toContain(waId);
    // Until then, the customer heard only the announcement: their messages went to the inbox.
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['handoff']);

    const taken = await c.submit(thread, `${thread}/take`, {});
    expect(taken.status).toBe(303);
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).at(-1)).toBe(
      '*Casa Inbox*: a person has joined the chat and will answer you here.',
    );
    const conv = await t.bot.models.Conversation.findById(conversationId(pnid, waId))
      .lean<ConversationDoc>()
      .exec();
    expect(conv?.deadlineAt).toBeUndefined(); // no timeout while a person has it

    const form = await c.get(thread);
    const replyId = /name="replyId" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const fields = { _csrf: csrfOf(form.text), replyId, text: 'Yes! Table for six at 21:00 is booked.' };
    const sent = await c.request('POST', `${thread}/reply`, fields);
    const twice = await c.request('POST', `${thread}/reply`, fields); // the same form sent again
    expect(sent.location).toBe(`${thread}?msg=reply-sent`);
    expect(twice.location).toBe(`${thread}?msg=reply-sent`);
    expect(
      repliesTo(t.graph.requests, pnid, waId).filter((r) => r === 'Yes! Table for six at 21:00 is booked.'),
    ).toHaveLength(1);

    const back = await c.submit(thread, `${thread}/hand-back`, {});
    expect(back.location).toBe(`${thread}?msg=handed-back`);
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).at(-1)).toMatch(
      /^You're back with the automated assistant/,
    );
    expect((await c.get(`/portal/b/${pnid}/inbox`)).text).toContain('Nobody is waiting for a person.');
    expect((await c.get(thread)).text).toMatch(/data-testid="thread-status"><strong>Handed back by staff</);

    t.graph.reset();
    await say(pnid, waId, '2');
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['tracking']);
  });

  it('when the customer leaves the handoff themselves, then the thread says so and shows their last message', async () => {
    const { pnid, waId, c, id } = await customerWaiting();
    const thread = `/portal/b/${pnid}/inbox/${id}`;
    const open = await c.get(thread);
    // While open: what each way of ending does, one line each.
    expect(open.text).toContain('data-testid="done-explained"');
    expect(open.text).toContain('<strong>Hand back to the bot</strong>:');
    expect(open.text).toContain('<strong>Close</strong>:');

    await say(pnid, waId, 'cancelar');
    await t.settled();

    const page = await c.get(thread);
    expect(page.text).toMatch(/data-testid="thread-status"><strong>The customer went back to the bot</);
    expect(page.text).not.toContain('Handed back');
    const bubbles = [...page.text.matchAll(/data-testid="bubble-in">([^]*?)<\/li>/g)].map((m) => m[1] ?? '');
    expect(bubbles.at(-1)).toContain('cancelar');
    expect((await t.bot.models.Handoff.findById(id).lean().exec())?.endReason).toBe('customer-cancelled');
  });

  it('when a form comes without its CSRF token or a key opens another business, then it is refused and nothing changes', async () => {
    const { pnid, c, id } = await customerWaiting();
    const thread = `/portal/b/${pnid}/inbox/${id}`;

    const forged = await c.request('POST', `${thread}/take`, {});
    const otherBusiness = newPhoneNumberId();
    await configureBusiness(t, otherBusiness, 'Casa Otra');
    const stranger = await portalFor(otherBusiness);
    const peek = await stranger.get(thread);
    const foreignTake = await stranger.submit(`/portal/b/${otherBusiness}/inbox`, `${thread}/take`, {});

    expect(forged.status).toBe(403);
    expect(peek.status).toBeGreaterThanOrEqual(403);
    expect(peek.text).not.toContain('Do you have a table');
    expect(foreignTake.status).toBeGreaterThanOrEqual(403);
    expect((await t.bot.models.Handoff.findById(id).lean().exec())?.status).toBe('waiting');
  });
});
