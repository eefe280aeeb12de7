/**
 * Issue 16: every inbound shape a real number receives, from Meta's documentation (test/fixtures/whatsapp/README.md
 * cites each), becomes an event the flows answer deliberately: media with their ids, a contact card, an
 * edit, a reaction (and its removal) and the first open of a chat.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/vocabulary.js';
import { parseWebhook } from '../../src/webhook/parse.js';
import { FIXTURE_DIR, PHONE_NUMBER_ID } from './fixtures.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8')) as unknown;

const OUR_MESSAGE = 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAyAA==';

const CASES: ReadonlyArray<readonly [string, InboundEvent]> = [
  [
    'inbound-audio-voice.json',
    {
      type: 'user.media',
      mediaType: 'audio',
      mediaId: '3234567890123456',
      mimeType: 'audio/ogg; codecs=opus',
    },
  ],
  [
    'inbound-video.json',
    {
      type: 'user.media',
      mediaType: 'video',
      mediaId: '4234567890123456',
      mimeType: 'video/mp4',
      caption: 'The box arrived like this',
    },
  ],
  [
    'inbound-document.json',
    {
      type: 'user.media',
      mediaType: 'document',
      mediaId: '5234567890123456',
      mimeType: 'application/pdf',
      caption: 'My invoice details',
      filename: 'invoice-details.pdf',
    },
  ],
  [
    'inbound-sticker.json',
    { type: 'user.media', mediaType: 'sticker', mediaId: '6234567890123456', mimeType: 'image/webp' },
  ],
  ['inbound-contacts.json', { type: 'user.unsupported', kind: 'contacts' }],
  ['inbound-edit.json', { type: 'user.unsupported', kind: 'edit' }],
  ['inbound-reaction.json', { type: 'user.reaction', emoji: '👍', messageWamid: OUR_MESSAGE }],
  ['inbound-reaction-removed.json', { type: 'user.reaction', emoji: '', messageWamid: OUR_MESSAGE }],
  ['inbound-request-welcome.json', { type: 'user.welcome' }],
];

describe('parseWebhook, the inbound kinds of issue 16', () => {
  it.each(CASES)('when %s arrives, then it becomes its event from Ana, nothing ignored', (name, event) => {
    const parsed = parseWebhook(fixture(name));

    expect(parsed.ignored).toEqual([]);
    expect(parsed.messages).toHaveLength(1);
    expect(parsed.messages[0]).toMatchObject({
      phoneNumberId: PHONE_NUMBER_ID,
      customer: { waId: '12025550143', profileName: 'Ana Pereira' },
    });
    expect(parsed.messages[0]?.event).toStrictEqual(event);
  });

  it('when a reaction names no message, then it is malformed and ignored, not answered', () => {
    const body = fixture('inbound-reaction.json') as {
      entry: Array<{ changes: Array<{ value: { messages: Array<Record<string, unknown>> } }> }>;
    };
    const message = body.entry[0]!.changes[0]!.value.messages[0]!;
    message.reaction = { emoji: '👍' };

    const parsed = parseWebhook(body);

    expect(parsed.messages).toEqual([]);
    expect(parsed.ignored).toEqual([
      { kind: 'message:malformed', phoneNumberId: PHONE_NUMBER_ID, wamid: message.id },
    ]);
  });
});
