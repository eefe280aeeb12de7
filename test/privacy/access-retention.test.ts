import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith } from '../helpers/chat.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('access-retention', { env: { CONVERSATION_IDLE_DAYS: '14' } });
});
afterAll(async () => {
  await t.close();
});
describe('the access answer in chat', () => {
  it('when conversations are kept 14 idle days, then the customer is told 14 days, not the default', async () => {
    const pnid = newPhoneNumberId();
    const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
      name: 'X',
      currency: 'EUR',
      catalog: [],
    });
    expect(res.status).toBe(201);
    const chats = chatWith(() => t);
    const chat = { pnid, waId: newWaId(), seen: 0 };
    await chats.sayAll(chat, 'hi');
    const sends = (await chats.sayAll(chat, 'what data do you have on me?')).map(sendText);
    const summary = sends[1] ?? '';
    expect(summary).toContain('idle conversations 14 days; carts 24 hours');
    // Where the conversation is, in plain words, not the machine's state name.
    expect(summary).toMatch(/• In progress \((at the menu|about your data)\)/);
  });
});
