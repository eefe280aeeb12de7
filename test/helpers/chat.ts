/**
 * A customer's side of a chat with the running test bot: post a webhook from them, let the bot settle, read
 * the new sends to them. Shared by the end-to-end chat tests; what a test file adds (secrets to check the
 * logs for, its businesses) stays in that file.
 */
import { expect } from 'vitest';
import type { TestBot } from './bot.js';
import { sendsTo } from './engine.js';
import type { RecordedRequest } from './graph-stub.js';
import { inboundMessage, inboundText } from './payloads.js';
import type { MessageOptions } from '../../src/webhook/payloads.js';
import { sendText } from './webhook.js';

/** One customer of one business, and how many of the sends to them the test has already read. */
export interface Chat {
  pnid: string;
  waId: string;
  /** The WhatsApp profile name the webhooks carry; without one, the payload builder's default. */
  name?: string;
  seen: number;
}

/** Who a chat's webhooks come from. */
export function from(chat: Chat): MessageOptions {
  return chat.name === undefined
    ? { phoneNumberId: chat.pnid, waId: chat.waId }
    : { phoneNumberId: chat.pnid, waId: chat.waId, name: chat.name };
}

/** The webhook body of a tap on a reply button. */
export function buttonBody(chat: Chat, id: string, title = id): Record<string, unknown> {
  return inboundMessage(from(chat), 'interactive', {
    interactive: { type: 'button_reply', button_reply: { id, title } },
  });
}

/** The webhook body of a tap on a list row. */
export function rowBody(chat: Chat, id: string, title = id): Record<string, unknown> {
  return inboundMessage(from(chat), 'interactive', {
    interactive: { type: 'list_reply', list_reply: { id, title } },
  });
}

export interface ChatActions {
  /** Posts one webhook body, waits until the bot is done, returns the new sends to this customer. */
  post: (chat: Chat, body: Record<string, unknown>) => Promise<RecordedRequest[]>;
  /** Types a text; returns the new sends. */
  sayAll: (chat: Chat, text: string) => Promise<RecordedRequest[]>;
  /** Types a text; returns the new sends' texts. */
  say: (chat: Chat, text: string) => Promise<string[]>;
  tapButton: (chat: Chat, id: string, title?: string) => Promise<RecordedRequest[]>;
  tapRow: (chat: Chat, id: string, title?: string) => Promise<RecordedRequest[]>;
  /** Shares a location; returns the new sends' texts. */
  shareLocation: (
    chat: Chat,
    location: { latitude: number; longitude: number; address?: string },
  ) => Promise<string[]>;
}

/**
 * The chat actions against a test bot. `bot` is a getter because a file's bot is started in `beforeAll`,
 * after the module-level helpers are made.
 */
export function chatWith(bot: () => TestBot): ChatActions {
  async function post(chat: Chat, body: Record<string, unknown>): Promise<RecordedRequest[]> {
    const t = bot();
    const res = await t.postWebhook(body);
    expect(res.status).toBe(200);
    await t.settled();
    const all = sendsTo(t.graph.requests, chat.pnid, chat.waId);
    const fresh = all.slice(chat.seen);
    chat.seen = all.length;
    return fresh;
  }
  const sayAll = (chat: Chat, text: string) => post(chat, inboundText(from(chat), text));
  return {
    post,
    sayAll,
    say: async (chat, text) => (await sayAll(chat, text)).map(sendText),
    tapButton: (chat, id, title = id) => post(chat, buttonBody(chat, id, title)),
    tapRow: (chat, id, title = id) => post(chat, rowBody(chat, id, title)),
    shareLocation: async (chat, location) =>
      (await post(chat, inboundMessage(from(chat), 'location', { location }))).map(sendText),
  };
}

interface InteractiveSend {
  interactive?: {
    action?: {
      buttons?: Array<{ reply: { id: string } }>;
      sections?: Array<{ rows: Array<{ id: string }> }>;
    };
  };
}

/** The ids of a send's buttons or list rows, in the order shown; empty for a text. */
export function choiceIds(request: RecordedRequest | undefined): string[] {
  const action = (request?.json as InteractiveSend | undefined)?.interactive?.action;
  if (action?.buttons) return action.buttons.map((b) => b.reply.id);
  return (action?.sections ?? []).flatMap((s) => s.rows.map((r) => r.id));
}

/** The one send a message got: its text and its choices. */
export function only(sends: RecordedRequest[]): { text: string; ids: string[] } {
  expect(sends.map(sendText)).toHaveLength(1);
  return { text: sendText(sends[0] as RecordedRequest), ids: choiceIds(sends[0]) };
}
