import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWebhook } from '../../src/webhook/parse.js';
import { inboundMessage } from '../../src/webhook/payloads.js';
import { FIXTURE_DIR } from './fixtures.js';

/** Fixtures added with issue 16 (sources in test/fixtures/whatsapp/README.md), not in the shared copies. */
const fixture = (name: 'inbound-order.json' | 'inbound-nfm-reply.json'): unknown =>
  JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

const NOW = 1_780_000_400_000;
const sender = { phoneNumberId: '112233445566778', waId: '12025550143' };

const only = (body: unknown) => {
  const parsed = parseWebhook(body, NOW);
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]?.event;
};

const formReply = (responseJson: string) =>
  inboundMessage(sender, 'interactive', {
    interactive: {
      type: 'nfm_reply',
      nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson },
    },
  });

describe('native catalogue orders', () => {
  it("when Meta's order example arrives, then it is a user.order with its lines", () => {
    expect(only(fixture('inbound-order.json'))).toEqual({
      type: 'user.order',
      catalogId: '1234567890123456',
      text: 'Para recoger, por favor',
      items: [
        { retailerId: 'pizza-margherita', quantity: 2, itemPrice: 9.5, currency: 'EUR' },
        { retailerId: 'cola-33', quantity: 1, itemPrice: 2.5, currency: 'EUR' },
      ],
    });
  });

  it('when quantities and prices come as numeric strings, then they are read as numbers', () => {
    const body = inboundMessage(sender, 'order', {
      order: {
        catalog_id: 'c1',
        product_items: [{ product_retailer_id: 'a', quantity: '3', item_price: '4.25', currency: 'EUR' }],
      },
    });
    expect(only(body)).toEqual({
      type: 'user.order',
      catalogId: 'c1',
      items: [{ retailerId: 'a', quantity: 3, itemPrice: 4.25, currency: 'EUR' }],
    });
  });

  it.each([
    ['no lines', { catalog_id: 'c1', product_items: [] }],
    [
      'a zero quantity',
      {
        catalog_id: 'c1',
        product_items: [{ product_retailer_id: 'a', quantity: 0, item_price: 1, currency: 'EUR' }],
      },
    ],
    [
      'no catalogue id',
      { product_items: [{ product_retailer_id: 'a', quantity: 1, item_price: 1, currency: 'EUR' }] },
    ],
  ])('when an order has %s, then it is answered as unreadable, not dropped', (_name, order) => {
    expect(only(inboundMessage(sender, 'order', { order }))).toEqual({
      type: 'user.unsupported',
      kind: 'order',
    });
  });
});

describe('WhatsApp Flows replies (nfm_reply)', () => {
  it("when Meta's Flows reply example arrives, then it is a user.form with the answers and the token apart", () => {
    expect(only(fixture('inbound-nfm-reply.json'))).toEqual({
      type: 'user.form',
      name: 'flow',
      flowToken: 'addr-7f3c',
      response: { address: 'Rua Augusta 100, 2º esq., Lisboa', notes: 'Ring twice' },
    });
  });

  it('when the answers hold numbers, yes/no and lists, then they are kept as typed', () => {
    const json = JSON.stringify({ people: 4, vegan: true, extras: ['bread', 2] });
    expect(only(formReply(json))).toEqual({
      type: 'user.form',
      name: 'flow',
      response: { people: 4, vegan: true, extras: ['bread', 2] },
    });
  });

  it("when Meta's address message nests its fields in values, then they are read as the form's fields", () => {
    const json = JSON.stringify({
      saved_address_id: 'a1',
      values: { name: 'Ana', address: 'Rua Augusta 100', city: 'Lisboa' },
    });
    expect(only(formReply(json))).toEqual({
      type: 'user.form',
      name: 'flow',
      response: { saved_address_id: 'a1', name: 'Ana', address: 'Rua Augusta 100', city: 'Lisboa' },
    });
  });

  it.each([
    ['not JSON', '{"address": "Rua'],
    ['JSON but not an object', '"just text"'],
    ['a nested object', '{"address": {"street": "Rua Augusta"}}'],
    ['null inside', '{"address": null}'],
  ])('when response_json is %s, then it is answered as unreadable, never a crash', (_name, json) => {
    expect(only(formReply(json))).toEqual({ type: 'user.unsupported', kind: 'interactive:nfm_reply' });
  });
});
