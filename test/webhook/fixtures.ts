import { readFileSync } from 'node:fs';

/**
 * Copies of the shared WhatsApp fixtures (`../shared/reference/fixtures/`), kept in the repo so the tests
 * do not depend on a folder outside it. `fixtures.test.ts` checks the copies still match when the shared
 * folder is present.
 */
export const FIXTURE_DIR = new URL('../fixtures/whatsapp/', import.meta.url);
export const SHARED_FIXTURE_DIR = new URL('../../../shared/reference/fixtures/', import.meta.url);

export const FIXTURE_FILES = [
  'inbound-batch-multi-change.json',
  'inbound-batch.json',
  'inbound-button-reply.json',
  'inbound-image.json',
  'inbound-list-reply.json',
  'inbound-location.json',
  'inbound-template-button.json',
  'inbound-text-bsuid.json',
  'inbound-text.json',
  'inbound-unsupported.json',
  'status-delivered.json',
  'status-failed.json',
  'webhook-signature-example.txt',
] as const;
export type FixtureName = (typeof FIXTURE_FILES)[number];

/** The exact bytes on disk: what Meta would have signed. */
export function fixtureBytes(name: FixtureName): Buffer {
  return readFileSync(new URL(name, FIXTURE_DIR));
}

/** A fresh parsed copy, so a test may change it without affecting another. */
export function fixtureJson(name: FixtureName): unknown {
  return JSON.parse(fixtureBytes(name).toString('utf8'));
}

/** The same fixture as a loosely typed object tree, for tests that rearrange a payload. */
export function fixtureTree(name: FixtureName): Payload {
  return fixtureJson(name) as Payload;
}

export interface Payload {
  object: string;
  entry: Array<{ id: string; changes: Array<{ field: string; value: Value }> }>;
}

export interface Value {
  messaging_product?: string;
  metadata: { display_phone_number?: string; phone_number_id: string };
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
  errors?: unknown[];
}

export const PHONE_NUMBER_ID = '112233445566778';

let sequence = 0;

/** A wamid unique within the test run, so no two tests share records. */
export function uniqueWamid(): string {
  sequence += 1;
  return `wamid.TEST${String(sequence).padStart(6, '0')}`;
}

/** One `messages` change with the given value parts, wrapped in a full envelope. */
export function envelope(...values: Array<Partial<Value>>): Payload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '109876543210001',
        changes: values.map((value) => ({
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550100123', phone_number_id: PHONE_NUMBER_ID },
            ...value,
          },
        })),
      },
    ],
  };
}

/** A valid text message from `from`, with overrides applied on top. */
export function textMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: '12025550143',
    id: uniqueWamid(),
    timestamp: '1780000500',
    type: 'text',
    text: { body: 'hello' },
    ...overrides,
  };
}

/** A message of `type` carrying `body` under the key of the same name. */
export function typedMessage(
  type: string,
  body: unknown,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const { text: _text, ...base } = textMessage();
  return { ...base, type, [type]: body, ...overrides };
}

export const ANA_CONTACT = { profile: { name: 'Ana Pereira' }, wa_id: '12025550143' };
export const PRIYA_CONTACT = { profile: { name: 'Priya Shah' }, wa_id: '447700900123' };
