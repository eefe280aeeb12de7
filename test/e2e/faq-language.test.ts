/**
 * The FAQ answered without AI in the customer's language, end to end: a business with AI off and an FAQ
 * written in several languages; each customer's question is answered in the language they wrote it in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith } from '../helpers/chat.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('faq-language');
});
afterAll(async () => {
  await t.close();
});
const chats = chatWith(() => t);

const FAQ = [
  {
    question: 'When are you open?',
    answer: 'Every day from 12:00 to 23:00.',
    translations: {
      es: {
        question: '¿Cuándo abren?',
        answer: 'Todos los días de 12:00 a 23:00.',
        phrasings: ['¿A qué hora abren?', 'horario'],
      },
      pt: { question: 'Quando vocês abrem?', answer: 'Todos os dias, das 12:00 às 23:00.' },
    },
  },
  // Written before the FAQ had languages: English only.
  { question: 'Do you have wifi?', answer: 'Yes, the password is on the receipt.' },
];

async function business(): Promise<string> {
  const pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Horario');
  const res = await t.admin('PATCH', `/admin/businesses/${pnid}`, { faq: FAQ, aiReplies: false });
  expect(res.status).toBe(200);
  return pnid;
}

describe('the FAQ in the customer language, AI off', () => {
  it('when a Spanish customer asks the opening hours, then the answer is the Spanish one', async () => {
    const chat = { pnid: await business(), waId: newWaId(), seen: 0 };
    const greeting = await chats.say(chat, 'hola');
    expect(greeting.join('\n')).not.toMatch(/\b(the|your|please)\b/i);
    expect(await chats.say(chat, '¿a qué hora abren?')).toEqual(['Todos los días de 12:00 a 23:00.']);
    // An entry with no Spanish text still answers, in its own language.
    expect(await chats.say(chat, '¿tienen wifi?')).toEqual(['Yes, the password is on the receipt.']);
    // An order is not a question: no FAQ answer for it.
    const order = await chats.say(chat, 'quiero 2 margaritas');
    expect(order.join('\n')).not.toContain('12:00');
  });

  it('when a first message asks in Portuguese, then the greeting and the Portuguese answer come together', async () => {
    const chat = { pnid: await business(), waId: newWaId(), seen: 0 };
    const replies = await chats.say(chat, 'olá, quando vocês abrem?');
    expect(replies.join('\n')).toContain('Todos os dias, das 12:00 às 23:00.');
    expect(replies.join('\n')).not.toContain('Every day');
  });

  it('when an English customer asks, then the answer is the English one', async () => {
    const chat = { pnid: await business(), waId: newWaId(), seen: 0 };
    await chats.say(chat, 'hi');
    expect(await chats.say(chat, 'when r u open')).toEqual(['Every day from 12:00 to 23:00.']);
  });
});
