/**
 * Small helpers for the webhook's end-to-end tests (test/webhook/routes*.test.ts, test/e2e/webhook-*.test.ts):
 * configuring a business, reading what the Graph stub received, reading the metrics.
 */
import type { Payload } from '../webhook/fixtures.js';
import type { TestBot } from './bot.js';
import type { RecordedRequest } from './graph-stub.js';
import { inboundText, newWaId, newWamid } from './payloads.js';

/** The fields of a Graph `POST /{phone-number-id}/messages` body these tests look at. */
export interface GraphSend {
  messaging_product?: string;
  recipient_type?: string;
  to?: string;
  recipient?: string;
  type?: string;
  text?: { body?: string };
  interactive?: { type?: string; body?: { text?: string } };
}

/** What a send says to the customer: a text's body or an interactive message's body text. */
export function sendText(request: RecordedRequest): string {
  const body = sendBody(request);
  return body.text?.body ?? body.interactive?.body?.text ?? '';
}

/** Creates (or replaces) a business for `phoneNumberId` through the admin API; throws if that fails. */
export async function configureBusiness(
  t: TestBot,
  phoneNumberId: string,
  name = 'Casa Prueba',
): Promise<void> {
  const res = await t.admin('PUT', `/admin/businesses/${phoneNumberId}`, {
    name,
    currency: 'EUR',
    catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`configuring business ${phoneNumberId} failed: ${res.status} ${await res.text()}`);
  }
}

/** The message sends the Graph stub received for one business number, in arrival order. */
export function sendsFor(t: TestBot, phoneNumberId: string): RecordedRequest[] {
  return t.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${phoneNumberId}/messages`));
}

/** A recorded send's JSON body. */
export function sendBody(request: RecordedRequest): GraphSend {
  const body = request.json;
  // Every field of GraphSend is optional, so any object fits; tests compare values, not shapes.
  return typeof body === 'object' && body !== null ? body : {};
}

/** `GET /admin/metrics` with the operator token. */
export async function metrics(t: TestBot): Promise<Record<string, number>> {
  const res = await t.admin('GET', '/admin/metrics');
  if (res.status !== 200) throw new Error(`GET /admin/metrics answered ${res.status}`);
  return (await res.json()) as Record<string, number>;
}

/** How much a counter grew between two metric snapshots. */
export function grew(before: Record<string, number>, after: Record<string, number>, name: string): number {
  return (after[name] ?? 0) - (before[name] ?? 0);
}

/**
 * Sends a text from a new customer to a configured business and waits until the bot has handled
 * everything. Used after an action that must not cause a reply: once the sentinel's reply is at the stub,
 * anything the action had queued would have been sent too, so "no request" is a real observation.
 * Returns the sentinel customer's `to` as the bot writes it.
 */
export async function sendSentinel(t: TestBot, phoneNumberId: string): Promise<string> {
  const waId = newWaId();
  const res = await t.postWebhook(inboundText({ phoneNumberId, waId, wamid: newWamid() }, 'sentinel'));
  if (res.status !== 200) throw new Error(`sentinel webhook answered ${res.status}`);
  await t.settled();
  return `+${waId}`;
}

/** The log lines written since `index`, parsed. */
export function logsSince(t: TestBot, index: number): Array<Record<string, unknown>> {
  return t.logs.slice(index).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Gives every message in a (fixture) payload a new wamid, in place; returns them in payload order. */
export function withNewWamids(payload: Payload): string[] {
  const wamids: string[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      for (const message of change.value.messages ?? []) {
        const id = newWamid();
        (message as Record<string, unknown>).id = id;
        wamids.push(id);
      }
    }
  }
  return wamids;
}

/** Points every change of a (fixture) payload at another business number, in place. */
export function withPhoneNumberId(payload: Payload, phoneNumberId: string): Payload {
  for (const entry of payload.entry) {
    for (const change of entry.changes) change.value.metadata.phone_number_id = phoneNumberId;
  }
  return payload;
}

/** One webhook body carrying every change of the given bodies (built with payloads.ts), in order. */
export function combine(...bodies: Array<Record<string, unknown>>): Payload {
  const [first, ...rest] = bodies.map((body) => structuredClone(body) as unknown as Payload);
  if (!first) throw new Error('combine needs at least one body');
  const target = first.entry[0];
  if (!target) throw new Error('combine needs bodies with an entry');
  for (const body of rest) for (const entry of body.entry) target.changes.push(...entry.changes);
  return first;
}
