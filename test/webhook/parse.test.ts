import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customerKey } from '../../src/core/identity.js';
import type { InboundMessage, StatusUpdate } from '../../src/core/vocabulary.js';
import { parseWebhook, WebhookPayloadError } from '../../src/webhook/parse.js';
import type { ParsedWebhook } from '../../src/webhook/parse.js';
import {
  ANA_CONTACT,
  envelope,
  fixtureJson,
  fixtureTree,
  PHONE_NUMBER_ID,
  PRIYA_CONTACT,
  textMessage,
  typedMessage,
  uniqueWamid,
} from './fixtures.js';
import type { FixtureName } from './fixtures.js';

const ANA = { waId: '12025550143', profileName: 'Ana Pereira' };
const PRIYA = { waId: '447700900123', profileName: 'Priya Shah' };
const ANA_BSUID = 'US.13491208655300000001';

const ANA_GARLIC: InboundMessage = {
  wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAxMAA=',
  phoneNumberId: PHONE_NUMBER_ID,
  customer: ANA,
  timestamp: 1780000400000,
  event: { type: 'user.text', text: 'Add a garlic bread' },
};
const PRIYA_STOP: InboundMessage = {
  wamid: 'wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUM0ZBS0UwMDAwMDAwMDAwMDAwMTEA',
  phoneNumberId: PHONE_NUMBER_ID,
  customer: PRIYA,
  timestamp: 1780000401000,
  event: { type: 'user.text', text: 'STOP' },
};

const only = (messages: InboundMessage[] = [], statuses: StatusUpdate[] = []): ParsedWebhook => ({
  messages,
  statuses,
  ignored: [],
  errors: [],
  templateStatus: [],
});

const FIXTURE_CASES: Array<[FixtureName, ParsedWebhook]> = [
  [
    'inbound-text.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwMQA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000000000,
        event: { type: 'user.text', text: "Hi, I'd like to order 2 large pizzas" },
      },
    ]),
  ],
  [
    'inbound-list-reply.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwMgA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000030000,
        contextWamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAxAA==',
        event: {
          type: 'user.list',
          id: 'menu:pizza_margherita',
          title: 'Margherita',
          description: 'Tomato, mozzarella, basil - 9.50',
        },
      },
    ]),
  ],
  [
    'inbound-button-reply.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwMwA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000060000,
        contextWamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAyAA==',
        event: { type: 'user.button', id: 'order:confirm', title: 'Confirm' },
      },
    ]),
  ],
  [
    'inbound-image.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwNAA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000120000,
        event: {
          type: 'user.media',
          mediaType: 'image',
          mediaId: '2234567890123456',
          mimeType: 'image/jpeg',
          caption: 'Receipt for my last order',
        },
      },
    ]),
  ],
  [
    'inbound-location.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwNQA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000180000,
        event: {
          type: 'user.location',
          latitude: 39.78172,
          longitude: -89.65015,
          name: 'Home',
          address: '1600 Example Ave, Springfield, IL 62701',
        },
      },
    ]),
  ],
  [
    'inbound-template-button.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwNgA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000240000,
        contextWamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRVRFTVBMQVRFMDAwMDAxAA==',
        event: { type: 'user.button', id: 'Stop promotions', title: 'Stop promotions' },
      },
    ]),
  ],
  [
    'inbound-unsupported.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwNwA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: ANA,
        timestamp: 1780000300000,
        event: { type: 'user.unsupported', kind: 'poll_creation' },
      },
    ]),
  ],
  [
    'inbound-text-bsuid.json',
    only([
      {
        wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwOAA=',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: { userId: ANA_BSUID, profileName: 'Ana Pereira' },
        timestamp: 1780000360000,
        event: { type: 'user.text', text: 'Please delete my data' },
      },
    ]),
  ],
  ['inbound-batch.json', only([ANA_GARLIC, PRIYA_STOP])],
  ['inbound-batch-multi-change.json', only([ANA_GARLIC, PRIYA_STOP])],
  [
    'status-delivered.json',
    only(
      [],
      [
        {
          wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAyAA==',
          phoneNumberId: PHONE_NUMBER_ID,
          status: 'delivered',
          timestamp: 1780000065000,
          errors: [],
        },
      ],
    ),
  ],
  [
    'status-failed.json',
    only(
      [],
      [
        {
          wamid: 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAzAA==',
          phoneNumberId: PHONE_NUMBER_ID,
          status: 'failed',
          timestamp: 1780090000000,
          errors: [{ code: 131047, title: 'Re-engagement message' }],
        },
      ],
    ),
  ],
];

describe('parseWebhook', () => {
  describe('Meta example payloads', () => {
    it.each(FIXTURE_CASES)(
      'when %s arrives, then it yields exactly the expected events',
      (name, expected) => {
        expect(parseWebhook(fixtureJson(name))).toStrictEqual(expected);
      },
    );

    it('when the batch fixture lists its contacts in reverse order, then each message keeps its own contact name', () => {
      const payload = fixtureTree('inbound-batch.json');
      const value = payload.entry[0]!.changes[0]!.value;
      value.contacts = [...value.contacts!].reverse();
      expect(value.contacts[0]).toStrictEqual(PRIYA_CONTACT);

      expect(parseWebhook(payload).messages).toStrictEqual([ANA_GARLIC, PRIYA_STOP]);
    });

    it('when the multi-change fixture has its changes reversed, then both messages come out with their own names', () => {
      const payload = fixtureTree('inbound-batch-multi-change.json');
      payload.entry[0]!.changes.reverse();

      expect(parseWebhook(payload).messages).toStrictEqual([PRIYA_STOP, ANA_GARLIC]);
    });

    it('when a message comes only with a BSUID, then its conversation key is the BSUID key', () => {
      const [message] = parseWebhook(fixtureJson('inbound-text-bsuid.json')).messages;
      expect(customerKey(message!.phoneNumberId, message!.customer)).toBe(
        '112233445566778:bsuid:US.13491208655300000001',
      );
    });
  });

  describe('batches', () => {
    it('when several entries each carry changes, then every message and status of every entry is returned', () => {
      const first = envelope({ contacts: [ANA_CONTACT], messages: [textMessage({ id: 'wamid.E1' })] });
      const second = envelope(
        {
          statuses: [
            { id: 'wamid.E2', status: 'read', timestamp: '1780000600', recipient_id: '12025550143' },
          ],
        },
        { contacts: [PRIYA_CONTACT], messages: [textMessage({ id: 'wamid.E3', from: '447700900123' })] },
      );
      const payload = { ...first, entry: [...first.entry, ...second.entry] };

      const parsed = parseWebhook(payload);

      expect(parsed.messages.map((m) => [m.wamid, m.customer.profileName])).toStrictEqual([
        ['wamid.E1', 'Ana Pereira'],
        ['wamid.E3', 'Priya Shah'],
      ]);
      expect(parsed.statuses.map((s) => [s.wamid, s.status])).toStrictEqual([['wamid.E2', 'read']]);
    });

    it('when the only contact belongs to the second sender, then the first sender gets no name (no index matching)', () => {
      const unknownSender = textMessage({ from: '5511987654321' });
      const priya = textMessage({ from: '447700900123' });

      const [first, second] = parseWebhook(
        envelope({ contacts: [PRIYA_CONTACT], messages: [unknownSender, priya] }),
      ).messages;

      expect(first!.customer).toStrictEqual({ waId: '5511987654321' });
      expect(second!.customer).toStrictEqual(PRIYA);
    });

    it('when from and wa_id differ but the value has one contact and one sender, then that contact names the sender', () => {
      // Meta warns wa_id and from "may not always match" (Brazilian numbers with and without the extra 9).
      const message = textMessage({ from: '5511987654321' });
      const contact = { profile: { name: 'Bruno Costa' }, wa_id: '551187654321' };

      const [parsed] = parseWebhook(envelope({ contacts: [contact], messages: [message] })).messages;

      expect(parsed!.customer).toStrictEqual({ waId: '5511987654321', profileName: 'Bruno Costa' });
    });

    it('when a message has from and from_user_id, then the customer carries both ids and the contact name', () => {
      const message = textMessage({ from: '12025550143', from_user_id: ANA_BSUID });
      const contact = { profile: { name: 'Ana Pereira' }, wa_id: '12025550143', user_id: ANA_BSUID };

      const [parsed] = parseWebhook(envelope({ contacts: [contact], messages: [message] })).messages;

      expect(parsed!.customer).toStrictEqual({
        waId: '12025550143',
        userId: ANA_BSUID,
        profileName: 'Ana Pereira',
      });
    });

    it('when only from_user_id is on the message but the matching contact has a wa_id, then waId comes from the contact', () => {
      const message = textMessage({ from: undefined, from_user_id: 'US.1000' });
      const contacts = [
        { profile: { name: 'Other' }, wa_id: '447700900999', user_id: 'US.2000' },
        { profile: { name: 'Dana' }, wa_id: '12025550999', user_id: 'US.1000' },
      ];

      const [parsed] = parseWebhook(envelope({ contacts, messages: [message] })).messages;

      expect(parsed!.customer).toStrictEqual({ waId: '12025550999', userId: 'US.1000', profileName: 'Dana' });
    });
  });

  describe('lenient items', () => {
    it('when malformed and unreadable messages sit between valid ones, then the valid ones all survive in order', () => {
      const good1 = textMessage({ text: { body: 'first' } });
      const noId = textMessage({ id: undefined });
      const badLocation = typedMessage('location', { latitude: 'north', longitude: 10 });
      const unknown = typedMessage('hologram', { shape: 'cube' });
      const reaction = typedMessage('reaction', { message_id: 'wamid.OURS', emoji: '👍' });
      const system = typedMessage('system', {
        body: 'changed',
        wa_id: '12025550199',
        type: 'user_changed_number',
      });
      const anonymous = textMessage({ from: undefined });
      const notAnObject = 'garbage';
      const good2 = typedMessage('image', { id: 'media-1', mime_type: 'image/png' });

      const parsed = parseWebhook(
        envelope({
          contacts: [ANA_CONTACT],
          messages: [good1, noId, badLocation, unknown, reaction, system, anonymous, notAnObject, good2],
        }),
      );

      expect(parsed.messages.map((m) => [m.wamid, m.event])).toStrictEqual([
        [good1.id, { type: 'user.text', text: 'first' }],
        [unknown.id, { type: 'user.unsupported', kind: 'hologram' }],
        [reaction.id, { type: 'user.reaction', emoji: '👍', messageWamid: 'wamid.OURS' }],
        [good2.id, { type: 'user.media', mediaType: 'image', mediaId: 'media-1', mimeType: 'image/png' }],
      ]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID },
        { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID, wamid: badLocation.id },
        { kind: 'system:user_changed_number', phoneNumberId: PHONE_NUMBER_ID, wamid: system.id },
        { kind: 'message:no-sender', phoneNumberId: PHONE_NUMBER_ID, wamid: anonymous.id },
        { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID },
      ]);
    });

    it('when a message has an empty from and a from_user_id, then it is identified by the BSUID alone', () => {
      const message = textMessage({ from: '', from_user_id: 'US.3000' });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.customer).toStrictEqual({ userId: 'US.3000' });
    });

    it('when a message has neither from nor from_user_id, then it is ignored as message:no-sender', () => {
      const message = textMessage({ from: undefined });

      const parsed = parseWebhook(envelope({ contacts: [ANA_CONTACT], messages: [message] }));

      expect(parsed).toStrictEqual({
        messages: [],
        statuses: [],
        ignored: [{ kind: 'message:no-sender', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id }],
        errors: [],
        templateStatus: [],
      });
    });

    it.each([
      [
        'a BSUID change notice',
        'system',
        { body: 'x', type: 'user_changed_user_id' },
        'system:user_changed_user_id',
      ],
      ['a system notice without a type', 'system', { body: 'x' }, 'system'],
    ])('when %s arrives, then it is ignored as %s and gets no reply', (_label, type, body, kind) => {
      const message = typedMessage(type, body);

      const parsed = parseWebhook(envelope({ messages: [message] }));

      expect(parsed.messages).toStrictEqual([]);
      expect(parsed.ignored).toStrictEqual([{ kind, phoneNumberId: PHONE_NUMBER_ID, wamid: message.id }]);
    });

    it('when an unsupported message wraps a reaction, then it is ignored rather than answered', () => {
      const message = typedMessage('unsupported', { type: 'reaction' });

      const parsed = parseWebhook(envelope({ messages: [message] }));

      expect(parsed.messages).toStrictEqual([]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'reaction', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id },
      ]);
    });

    it.each([
      ['contacts', { contacts: [{ name: { formatted_name: 'Jo' } }] }, 'contacts'],
      ['order', { catalog_id: 'c1', product_items: [] }, 'order'],
      ['unsupported', { type: 'edit' }, 'edit'],
      ['unsupported', undefined, 'unsupported'],
      ['unknown', undefined, 'unknown'],
      // A Flows reply whose JSON is broken (a readable one is user.form: parse-order-form.test.ts).
      ['interactive', { type: 'nfm_reply', nfm_reply: { response_json: '{' } }, 'interactive:nfm_reply'],
    ])('when a %s message arrives, then it becomes user.unsupported with kind %s', (type, body, kind) => {
      const message = typedMessage(type, body);
      if (type === 'contacts') message.contacts = (body as { contacts: unknown[] }).contacts;

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({ type: 'user.unsupported', kind });
    });

    it.each([
      ['text without a body', 'text', { preview: 'x' }],
      [
        'a button reply without an id',
        'interactive',
        { type: 'button_reply', button_reply: { title: 'Yes' } },
      ],
      ['a list reply without a title', 'interactive', { type: 'list_reply', list_reply: { id: 'row-1' } }],
      ['interactive without a type', 'interactive', { button_reply: { id: 'a', title: 'b' } }],
      ['a template button without text', 'button', { payload: 'p' }],
      ['an image without a media id', 'image', { mime_type: 'image/png' }],
      ['a document that is a string', 'document', 'file.pdf'],
    ])('when %s arrives, then it is ignored as message:malformed', (_label, type, body) => {
      const message = typedMessage(type, body);

      const parsed = parseWebhook(envelope({ messages: [message] }));

      expect(parsed.messages).toStrictEqual([]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id },
      ]);
    });

    it('when a template button has no payload, then its text is used as the id', () => {
      const message = typedMessage('button', { text: 'Yes please' });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({ type: 'user.button', id: 'Yes please', title: 'Yes please' });
    });

    it('when a template button payload differs from its label, then the payload is the id and the label the title', () => {
      const message = typedMessage('button', { payload: 'optout:marketing', text: 'Stop promotions' });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({
        type: 'user.button',
        id: 'optout:marketing',
        title: 'Stop promotions',
      });
    });

    it('when a list reply has no description, then the event has no description key', () => {
      const message = typedMessage('interactive', {
        type: 'list_reply',
        list_reply: { id: 'r1', title: 'Row' },
      });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({ type: 'user.list', id: 'r1', title: 'Row' });
    });

    it('when a text is 100k characters long, then it is kept whole', () => {
      const body = 'x'.repeat(100_000);
      const message = textMessage({ text: { body } });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({ type: 'user.text', text: body });
    });

    it('when a message has a context without an id, then it has no contextWamid', () => {
      const message = textMessage({ context: { forwarded: true } });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed).not.toHaveProperty('contextWamid');
    });
  });

  describe('locations', () => {
    it.each([
      ['numeric strings', { latitude: '39.78172', longitude: '-89.65015' }, 39.78172, -89.65015],
      ['integers', { latitude: 0, longitude: 180 }, 0, 180],
      ['strings with spaces and a plus sign', { latitude: ' +12.5 ', longitude: '-.25' }, 12.5, -0.25],
    ])('when coordinates come as %s, then they become numbers', (_label, location, latitude, longitude) => {
      const message = typedMessage('location', location);

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({ type: 'user.location', latitude, longitude });
    });

    it.each([
      ['a latitude over 90', { latitude: 90.5, longitude: 0 }],
      ['a longitude under -180', { latitude: 0, longitude: '-180.01' }],
      ['an empty string', { latitude: '', longitude: 0 }],
      ['a hex string', { latitude: '0x10', longitude: 0 }],
      ['an exponent string', { latitude: '1e1', longitude: 0 }],
      ['words', { latitude: 'north', longitude: 'west' }],
      ['no longitude', { latitude: 1 }],
      ['null coordinates', { latitude: null, longitude: null }],
    ])('when a location has %s, then it is ignored as message:malformed', (_label, location) => {
      const message = typedMessage('location', location);

      const parsed = parseWebhook(envelope({ messages: [message] }));

      expect(parsed.messages).toStrictEqual([]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id },
      ]);
    });

    it('when a location name is not a string, then the name is dropped and the location kept', () => {
      const message = typedMessage('location', { latitude: 1, longitude: 2, name: 42, address: 'Main St 1' });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({
        type: 'user.location',
        latitude: 1,
        longitude: 2,
        address: 'Main St 1',
      });
    });
  });

  describe('media', () => {
    it.each(['image', 'video', 'audio', 'document', 'sticker'] as const)(
      'when a bare %s arrives, then it becomes user.media with only the media id',
      (mediaType) => {
        const message = typedMessage(mediaType, { id: `media-${mediaType}` });

        const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

        expect(parsed!.event).toStrictEqual({ type: 'user.media', mediaType, mediaId: `media-${mediaType}` });
      },
    );

    it('when a document has a filename and caption, then both are kept', () => {
      const message = typedMessage('document', {
        id: 'doc-1',
        mime_type: 'application/pdf',
        filename: 'invoice.pdf',
        caption: 'My invoice',
        sha256: 'abc',
      });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.event).toStrictEqual({
        type: 'user.media',
        mediaType: 'document',
        mediaId: 'doc-1',
        mimeType: 'application/pdf',
        caption: 'My invoice',
        filename: 'invoice.pdf',
      });
    });
  });

  describe('timestamps', () => {
    it('when the timestamp is a number of seconds, then it becomes epoch milliseconds', () => {
      const message = textMessage({ timestamp: 1780000500 });

      const [parsed] = parseWebhook(envelope({ messages: [message] })).messages;

      expect(parsed!.timestamp).toBe(1780000500000);
    });

    it.each([['abc'], ['1780000500.5'], ['-1'], [''], [null]])(
      'when the timestamp is %j, then the message is ignored as message:malformed',
      (timestamp) => {
        const message = textMessage({ timestamp });

        const parsed = parseWebhook(envelope({ messages: [message] }));

        expect(parsed.ignored).toStrictEqual([
          { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id },
        ]);
      },
    );
  });

  describe('statuses', () => {
    const status = (overrides: Record<string, unknown>) => ({
      id: uniqueWamid(),
      status: 'sent',
      timestamp: '1780000700',
      recipient_id: '12025550143',
      ...overrides,
    });

    it('when every known status arrives in one change, then each becomes a StatusUpdate in order', () => {
      const items = (['sent', 'delivered', 'read', 'played', 'failed'] as const).map((s) =>
        status({ status: s }),
      );

      const parsed = parseWebhook(envelope({ statuses: items }));

      expect(parsed.statuses).toStrictEqual(
        items.map((item) => ({
          wamid: item.id,
          phoneNumberId: PHONE_NUMBER_ID,
          status: item.status,
          timestamp: 1780000700000,
          errors: [],
        })),
      );
    });

    it('when a status is unknown or malformed, then it is ignored and its neighbours are kept', () => {
      const deleted = status({ status: 'deleted' });
      const noId = status({ id: undefined });
      const read = status({ status: 'read' });

      const parsed = parseWebhook(envelope({ statuses: [deleted, noId, read] }));

      expect(parsed.statuses.map((s) => s.wamid)).toStrictEqual([read.id]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'status:deleted', phoneNumberId: PHONE_NUMBER_ID, wamid: deleted.id },
        { kind: 'status:malformed', phoneNumberId: PHONE_NUMBER_ID },
      ]);
    });

    it('when a status echoes biz_opaque_callback_data, then it is kept as callbackData; a non-string one is dropped', () => {
      const echoed = status({ biz_opaque_callback_data: '65f0c0ffee0000000000abcd' });
      const odd = status({ biz_opaque_callback_data: 42 });

      const parsed = parseWebhook(envelope({ statuses: [echoed, odd] }));

      expect(parsed.statuses.map((s) => s.callbackData)).toStrictEqual([
        '65f0c0ffee0000000000abcd',
        undefined,
      ]);
      expect(parsed.ignored).toStrictEqual([]);
    });

    it('when a failed status has an error without a title or an unreadable error, then the message stands in and the unreadable one is dropped', () => {
      const failed = status({
        status: 'failed',
        errors: [{ code: 131026, message: 'Message undeliverable' }, { title: 'no code' }, 'junk'],
      });

      const [parsed] = parseWebhook(envelope({ statuses: [failed] })).statuses;

      expect(parsed!.errors).toStrictEqual([{ code: 131026, title: 'Message undeliverable' }]);
    });
  });

  describe('value errors and other fields', () => {
    it('when value.errors carries a rate-limit error, then it is returned with the business number', () => {
      const payload = envelope({
        errors: [
          { code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'x' } },
          { title: 'no code' },
        ],
      });

      const parsed = parseWebhook(payload);

      expect(parsed.errors).toStrictEqual([
        { code: 130429, title: 'Rate limit hit', phoneNumberId: PHONE_NUMBER_ID },
      ]);
      expect(parsed.ignored).toStrictEqual([{ kind: 'error:malformed', phoneNumberId: PHONE_NUMBER_ID }]);
    });

    it('when other fields arrive beside a messages change, then they are ignored by field name and the message is kept', () => {
      const message = textMessage();
      const payload = envelope({ contacts: [ANA_CONTACT], messages: [message] });
      payload.entry[0]!.changes.push(
        {
          field: 'user_preferences',
          value: {
            metadata: { phone_number_id: PHONE_NUMBER_ID },
            user_preferences: [
              { wa_id: '12025550143', category: 'marketing_messages', value: 'stop', timestamp: 1 },
            ],
          } as never,
        },
        {
          field: 'message_template_status_update',
          value: { event: 'APPROVED', message_template_id: 1 } as never,
        },
      );

      const parsed = parseWebhook(payload);

      expect(parsed.messages.map((m) => m.wamid)).toStrictEqual([message.id]);
      expect(parsed.ignored).toStrictEqual([
        { kind: 'field:user_preferences', phoneNumberId: PHONE_NUMBER_ID },
        { kind: 'template-status:malformed' },
      ]);
    });

    it("when a template status update arrives (Meta's example shape), then it is read with its account id", () => {
      const payload: unknown = JSON.parse(
        readFileSync(new URL('../fixtures/whatsapp/template-status-update.json', import.meta.url), 'utf8'),
      );

      const parsed = parseWebhook(payload);

      expect(parsed.templateStatus).toStrictEqual([
        {
          wabaId: '109876543210001',
          templateId: '1428190000000002',
          name: 'order_update',
          language: 'es',
          event: 'PAUSED',
          reason: 'LOW_QUALITY_SCORE',
        },
      ]);
      expect(parsed.ignored).toStrictEqual([]);
    });

    it('when a messages value has null lists and no items, then the result is empty', () => {
      const payload = envelope({ contacts: null, messages: null, statuses: null } as never);

      expect(parseWebhook(payload)).toStrictEqual(only());
    });

    it('when the entry array is empty, then the result is empty', () => {
      expect(parseWebhook({ object: 'whatsapp_business_account', entry: [] })).toStrictEqual(only());
    });
  });

  describe('envelope garbage', () => {
    const withValue = (value: unknown) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value }] }],
    });

    it.each([
      ['null', null],
      ['a string', 'hello'],
      ['an array', []],
      ['an empty object', {}],
      ['another object type', { object: 'page', entry: [] }],
      ['entry as an object', { object: 'whatsapp_business_account', entry: {} }],
      ['an entry without changes', { object: 'whatsapp_business_account', entry: [{ id: '1' }] }],
      [
        'a change without a field',
        { object: 'whatsapp_business_account', entry: [{ changes: [{ value: {} }] }] },
      ],
      ['a change whose value is an array', withValue([])],
      ['a messages change without metadata', withValue({ messages: [] })],
      ['a numeric phone_number_id', withValue({ metadata: { phone_number_id: 112233445566778 } })],
      [
        'messages that are not an array',
        withValue({ metadata: { phone_number_id: '1' }, messages: { id: 'x' } }),
      ],
    ])('when the body is %s, then it throws WebhookPayloadError', (_label, body) => {
      expect(() => parseWebhook(body)).toThrow(WebhookPayloadError);
    });

    it('when metadata is missing, then the error names the path, carries status 400 and no payload values', () => {
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          {
            changes: [
              {
                field: 'messages',
                value: { metadata: { display_phone_number: 'secret-15550100123' }, messages: [] },
              },
            ],
          },
        ],
      };

      const error = (() => {
        try {
          parseWebhook(body);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(WebhookPayloadError);
      const payloadError = error as WebhookPayloadError;
      expect(payloadError.status).toBe(400);
      expect(payloadError.code).toBe('WEBHOOK_BAD_PAYLOAD');
      expect(payloadError.issues).toHaveLength(1);
      expect(payloadError.issues[0]).toMatch(/^entry\.0\.changes\.0\.value\.metadata\.phone_number_id: /);
      expect(payloadError.message).not.toContain('secret');
    });

    it('when the object field holds an unexpected value, then the error message does not repeat it', () => {
      expect(() => parseWebhook({ object: 'user-secret-value', entry: [] })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('user-secret-value') as unknown }),
      );
    });
  });
});

describe('customerKey', () => {
  it('when a customer has both ids, then the BSUID is the key', () => {
    expect(customerKey(PHONE_NUMBER_ID, { waId: '12025550143', userId: ANA_BSUID })).toBe(
      `${PHONE_NUMBER_ID}:bsuid:${ANA_BSUID}`,
    );
  });

  it('when a customer has only a wa_id, then the wa_id is the key', () => {
    expect(customerKey(PHONE_NUMBER_ID, { waId: '12025550143', profileName: 'Ana' })).toBe(
      `${PHONE_NUMBER_ID}:wa:12025550143`,
    );
  });

  it('when a username user stops sending from/wa_id, then the key stays the same', () => {
    const withPhone = parseWebhook(
      envelope({ messages: [textMessage({ from: '12025550143', from_user_id: ANA_BSUID })] }),
    ).messages[0]!;
    const usernameOnly = parseWebhook(
      envelope({ messages: [textMessage({ from: undefined, from_user_id: ANA_BSUID })] }),
    ).messages[0]!;

    expect(customerKey(usernameOnly.phoneNumberId, usernameOnly.customer)).toBe(
      customerKey(withPhone.phoneNumberId, withPhone.customer),
    );
  });

  it('when a customer known only by wa_id later shows up with a BSUID, then the key changes (documented)', () => {
    const before = customerKey(PHONE_NUMBER_ID, { waId: '12025550143' });
    const after = customerKey(PHONE_NUMBER_ID, { userId: ANA_BSUID });

    expect(after).not.toBe(before);
  });

  it('when the same customer writes to two business numbers, then the keys differ', () => {
    expect(customerKey('111', { userId: ANA_BSUID })).not.toBe(customerKey('222', { userId: ANA_BSUID }));
  });

  it('when ids contain the separator, then they cannot collide with another pair', () => {
    expect(customerKey('1:wa', { waId: '2' })).not.toBe(customerKey('1', { waId: 'wa:2' }));
    expect(customerKey('1:wa', { waId: '2' })).toBe('1%3Awa:wa:2');
  });

  it('when a customer has no id at all, then it throws', () => {
    expect(() => customerKey(PHONE_NUMBER_ID, { profileName: 'Nobody' })).toThrow(TypeError);
    expect(() => customerKey(PHONE_NUMBER_ID, { waId: '', userId: '' })).toThrow(TypeError);
  });
});
