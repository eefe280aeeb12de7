/**
 * The conversation's language end to end: chosen from what the customer writes, kept between messages and
 * on the customer record, and changed without losing the cart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as text } from '../../src/language/i18n.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith } from '../helpers/chat.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('language');
});
afterAll(async () => {
  await t.close();
});
const chats = chatWith(() => t);

describe('the conversation language', () => {
  it('when a customer with a cart switches to Spanish, then the bot answers in Spanish and the cart is kept', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Lengua');
    const chat = { pnid, waId: newWaId(), seen: 0 };
    await chats.say(chat, 'hi');
    await chats.say(chat, '1');
    await chats.say(chat, 'coffee');
    const added = await chats.say(chat, '2');
    expect(added.join('\n')).toContain('Added: 2 × Coffee.');

    // "hola" says the customer writes Spanish: the answer is Spanish, and the cart is still there.
    const hola = await chats.say(chat, 'hola');
    expect(hola.join('\n')).not.toMatch(/\b(the|your|please)\b/i);
    const cart = await chats.say(chat, text('es', 'ordering:cart.view.button'));
    expect(cart.join('\n')).toContain('2 × Coffee');
    expect(cart.join('\n')).not.toMatch(/\bYour cart\b/);

    // The customer record keeps the language, for notices the business sends later.
    const customer = await t.bot.models.Customer.findOne({ phoneNumberId: pnid }).lean().exec();
    expect(customer?.language).toBe('es');

    // Asking for English by name switches back.
    const english = await chats.say(chat, 'English please');
    expect(english.length).toBeGreaterThan(0);
    const again = await chats.say(chat, text('en', 'ordering:cart.view.button'));
    expect(again.join('\n')).toContain('2 × Coffee');
  });
});
