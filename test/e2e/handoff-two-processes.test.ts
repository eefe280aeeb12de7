/**
 * Two processes: a handoff taken on one is seen on the other. Two bot instances on one database (as when the
 * bot is scaled out); a staff member signed in once (sessions live in MongoDB, so the cookie works on both)
 * watches instance B's live stream while the customer asks for a person, then takes the conversation through
 * instance A. A publishes `handoff.updated` to its own hub only: B's stream hears it solely through the shared
 * `live_events` collection that every process reads, and B's inbox page shows the conversation taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { startSecondInstance } from '../helpers/engine.js';
import type { ExtraInstance } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let a: TestBot;
let b: ExtraInstance;

beforeAll(async () => {
  a = await startTestBot('handoff-two-processes', { bot: { sweepIntervalMs: 200 } });
  b = await startSecondInstance(a);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

interface LiveMessage {
  event: string;
  data: { kind: string; ref: string };
}

/**
 * A signed-in EventSource, minus the browser: reads `GET /portal/b/:pnid/live` and resolves `next(kind)` with
 * the first event of that kind (events already received count). Ends the request on `close()`.
 */
async function liveStream(baseUrl: string, pnid: string, cookie: string) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/portal/b/${pnid}/live`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const received: LiveMessage[] = [];
  const waiting: { kind: string; resolve: (m: LiveMessage) => void }[] = [];
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('no stream body');
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const message = { event, data: JSON.parse(data) as LiveMessage['data'] };
        received.push(message);
        for (const w of waiting.filter((w) => w.kind === event)) w.resolve(message);
      }
    }
  })().catch(() => undefined);
  return {
    received,
    /** The first `kind` event; refused with a reason if none comes within 10 s (a bound, not a measure). */
    next(kind: string): Promise<LiveMessage> {
      const already = received.find((m) => m.event === kind);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`instance B's live stream never heard ${kind}`)),
          10_000,
        );
        waiting.push({
          kind,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async close() {
      abort.abort();
      await pump;
    },
  };
}

describe('the staff inbox across two processes', () => {
  it('when staff take a handoff on instance A, then instance B’s live stream hears it and its inbox shows it taken', async () => {
    const pnid = newPhoneNumberId();
    const waId = newWaId();
    await configureBusiness(a, pnid, 'Casa Dos');
    const created = await a.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'two processes' });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    // One sign-in, on A; B finds the same session in the shared database.
    const onA = new PortalClient(a.bot.url);
    expect((await onA.signIn(key)).status).toBe(303);
    const onB = new PortalClient(b.bot.url);
    for (const [name, value] of onA.jar) onB.jar.set(name, value);
    const cookie = [...onA.jar].map(([k, v]) => `${k}=${v}`).join('; ');

    const live = await liveStream(b.bot.url, pnid, cookie);
    try {
      // The customer asks for a person (menu option 4) and writes.
      expect(
        (await a.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, '4'))).status,
      ).toBe(200);
      const opened = await live.next('handoff.opened');
      expect(opened.data.kind).toBe('handoff.opened');

      const inboxOnB = await onB.get(`/portal/b/${pnid}/inbox`);
      expect(inboxOnB.status).toBe(200);
      const id = /data-testid="handoff-([A-Za-z0-9_-]+)"/.exec(inboxOnB.text)?.[1];
      if (!id) throw new Error('no handoff in instance B’s inbox');
      expect(inboxOnB.text).toContain(`data-testid="handoff-${id}-status">Waiting for a person`);
      expect(opened.data.ref).toBe(id);

      // Taken on A: A's hub tells A's own streams; B's only through the shared collection.
      const thread = `/portal/b/${pnid}/inbox/${id}`;
      const taken = await onA.submit(thread, `${thread}/take`, {});
      expect(taken.location).toBe(`${thread}?msg=taken`);
      const updated = await live.next('handoff.updated');
      expect(updated.data).toEqual({ kind: 'handoff.updated', ref: id });

      const afterOnB = await onB.get(`/portal/b/${pnid}/inbox`);
      expect(afterOnB.text).toContain(`data-testid="handoff-${id}-status">Taken: a person is answering`);
      const threadOnB = await onB.get(thread);
      expect(threadOnB.text).toContain('Taken: a person is answering');
      expect(threadOnB.text).toContain('data-testid="reply-form"');
    } finally {
      await live.close();
    }
  }, 30_000);
});
