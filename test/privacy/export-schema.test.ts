/**
 * The data export's published schema (docs/data-export.schema.json) is generated from the zod schema in
 * src/privacy/export.ts by `npm run export-schema`: the committed file must be exactly what the script
 * writes, so the documentation cannot drift from the code. And the zod schema itself: a minimal export
 * parses, a missing required field or a wrong schema id or version does not.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_SCHEMA_ID,
  EXPORT_VERSION,
  dataExportSchema,
  exportJsonSchema,
} from '../../src/privacy/export.js';
import type { DataExport } from '../../src/privacy/export.js';
import { SCHEMA_FILE, renderExportSchema } from '../../scripts/export-schema.js';

/** The smallest export a customer with no profile, orders, conversation or messages would receive. */
function minimalExport(): DataExport {
  return {
    schema: EXPORT_SCHEMA_ID,
    version: EXPORT_VERSION,
    generatedAt: '2026-03-10T09:30:00.000Z',
    language: 'en',
    request: { id: 'pr_abc', confirmationCode: 'DSR23456789AB' },
    controller: { name: 'Café Flores', whatsappPhoneNumberId: '109876543210001' },
    subject: { savedAddresses: [] },
    preferences: { optedOut: false, aiReplies: 'off', noAi: false },
    aiCalls: [],
    orders: [],
    appointments: [],
    conversation: null,
    messages: { received: [], sent: [] },
    handoffs: [],
    privacyRequests: [],
    processing: [],
    recipients: [],
  };
}

/** A full export: every optional field present. */
function fullExport(): DataExport {
  return {
    ...minimalExport(),
    subject: {
      whatsappId: '351912345678',
      userId: 'PT.1A2B3C',
      name: 'Zelda',
      nameSource: 'you',
      savedAddresses: [{ text: 'Rua das Flores 12' }, { latitude: 38.7, longitude: -9.1 }],
      firstContact: '2026-01-01T00:00:00.000Z',
      lastMessage: '2026-03-10T09:00:00.000Z',
      profileDeletedAfter: '2027-03-10T09:00:00.000Z',
    },
    orders: [
      {
        orderNumber: 12,
        placedAt: '2026-03-10T09:00:00.000Z',
        status: 'placed',
        currency: 'EUR',
        totalMinor: 475,
        fulfilment: 'delivery',
        items: [{ itemId: 'coffee', name: 'Coffee', quantity: 2, unitPriceMinor: 120, lineTotalMinor: 240 }],
        deliveryAddress: { text: 'Rua das Flores 12' },
        note: 'ring twice',
        statusHistory: [{ status: 'placed', at: '2026-03-10T09:00:00.000Z', by: 'customer' }],
        keptUntil: '2036-03-10T09:00:00.000Z',
      },
    ],
    appointments: [
      {
        number: 'A-1001',
        service: 'Check-up',
        with: 'Dr. Ana Ruiz',
        start: '2026-03-12T09:00:00.000Z',
        end: '2026-03-12T09:30:00.000Z',
        status: 'cancelled',
        currency: 'EUR',
        priceMinor: 4500,
        bookedBy: 'customer',
        cancelledBy: 'customer',
        intake: { reason: 'Check-up' },
        keptUntil: '2036-03-12T09:30:00.000Z',
      },
    ],
    conversation: {
      state: 'ordering.checkout.address',
      cart: [{ itemId: 'coffee', name: 'Coffee', quantity: 1 }],
      updatedAt: '2026-03-10T09:00:00.000Z',
      deletedAfter: '2026-03-17T09:00:00.000Z',
    },
    messages: {
      received: [
        { id: 'wamid.X', receivedAt: '2026-03-10T09:00:00.000Z', status: 'done', textStored: false },
      ],
      sent: [
        {
          createdAt: '2026-03-10T09:00:01.000Z',
          status: 'sent',
          textStored: false,
          deliveries: [{ status: 'delivered', at: '2026-03-10T09:00:02.000Z' }],
        },
      ],
    },
    handoffs: [
      {
        status: 'returned',
        language: 'pt',
        openedAt: '2026-03-10T09:05:00.000Z',
        takenAt: '2026-03-10T09:06:00.000Z',
        endedAt: '2026-03-10T09:10:00.000Z',
        deletedAfter: '2026-04-09T09:10:00.000Z',
        messages: [{ from: 'you', text: 'Olá?', at: '2026-03-10T09:05:30.000Z' }],
      },
    ],
    privacyRequests: [
      {
        id: 'pr_abc',
        type: 'access',
        status: 'completed',
        channel: 'chat',
        confirmationCode: 'DSR23456789AB',
        receivedAt: '2026-03-10T09:30:00.000Z',
        dueAt: '2026-04-09T09:30:00.000Z',
        completedAt: '2026-03-10T09:30:01.000Z',
      },
    ],
    processing: [{ collection: 'orders', holds: 'Orders', purpose: 'Deliver', retention: '10 years' }],
    recipients: ['Café Flores, who decides how your data is used (the controller)'],
  };
}

/** Deletes the field at a dotted path (array indexes as numbers) from a copy. */
function without(doc: DataExport, path: string): unknown {
  const copy = structuredClone(doc) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let at: Record<string, unknown> = copy;
  for (const key of keys) at = at[key] as Record<string, unknown>;
  delete at[last];
  return copy;
}

describe('docs/data-export.schema.json', () => {
  it('when the committed file is compared with the script’s output, then it is the same, byte for byte', async () => {
    expect(fs.existsSync(SCHEMA_FILE), 'run npm run export-schema').toBe(true);
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed, 'docs/data-export.schema.json is out of date: run npm run export-schema').toBe(
      await renderExportSchema(),
    );
  });

  it('when the committed file is parsed, then it is the JSON Schema generated from the zod schema', () => {
    const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(exportJsonSchema())));
  });

  it('when the schema is read, then it names the export, requires every top-level field and describes it', () => {
    const schema = exportJsonSchema() as {
      $schema?: string;
      description?: string;
      required?: string[];
      properties?: Record<string, { const?: unknown }>;
    };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.description).toMatch(/polus-bot data export/);
    expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(dataExportSchema.shape).sort());
    expect(schema.properties?.schema?.const).toBe(EXPORT_SCHEMA_ID);
    expect(schema.properties?.version?.const).toBe(EXPORT_VERSION);
  });

  it('when package.json is read, then "npm run export-schema" runs the script', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['export-schema']).toBe('tsx scripts/export-schema.ts');
  });
});

describe('dataExportSchema', () => {
  it('when a minimal export is parsed, then it is valid and comes back unchanged', () => {
    const doc = minimalExport();
    expect(dataExportSchema.parse(doc)).toEqual(doc);
  });

  it('when an export has every optional field, then it is valid and comes back unchanged', () => {
    const doc = fullExport();
    expect(dataExportSchema.parse(doc)).toEqual(doc);
  });

  it('when the export round-trips through JSON (as it is sent), then it is still valid', () => {
    const doc = JSON.parse(JSON.stringify(fullExport())) as unknown;
    expect(dataExportSchema.safeParse(doc).success).toBe(true);
  });

  it.each(Object.keys(dataExportSchema.shape))(
    'when the required field "%s" is missing, then the export is invalid and the issue names it',
    (field) => {
      const result = dataExportSchema.safeParse(without(minimalExport(), field));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field);
    },
  );

  it.each([
    'request.id',
    'request.confirmationCode',
    'controller.name',
    'controller.whatsappPhoneNumberId',
    'subject.savedAddresses',
    'preferences.optedOut',
    'preferences.aiReplies',
    'messages.received',
    'messages.sent',
    'orders.0.orderNumber',
    'orders.0.items',
    'orders.0.items.0.lineTotalMinor',
    'orders.0.statusHistory',
    'conversation.state',
    'conversation.cart',
    'messages.sent.0.deliveries',
    'privacyRequests.0.confirmationCode',
    'processing.0.retention',
  ])(
    'when the nested required field "%s" is missing, then the export is invalid and the issue names it',
    (path) => {
      const result = dataExportSchema.safeParse(without(fullExport(), path));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
    },
  );

  it.each([
    { name: 'another schema id', change: { schema: 'someone-else.export' } },
    { name: 'another version', change: { version: 2 } },
    { name: 'a null subject', change: { subject: null } },
    { name: 'orders that are not a list', change: { orders: {} } },
    { name: 'an unknown AI setting', change: { preferences: { optedOut: false, aiReplies: 'maybe' } } },
    { name: 'a fractional amount', change: { orders: [{ ...fullExport().orders[0], totalMinor: 4.75 }] } },
  ])('when the export has $name, then it is invalid', ({ change }) => {
    expect(dataExportSchema.safeParse({ ...fullExport(), ...change }).success).toBe(false);
  });

  it('when the JSON Schema is read, then nested objects list the same required fields as the zod schema', () => {
    const schema = exportJsonSchema() as {
      properties: Record<string, { required?: string[]; items?: { required?: string[] } }>;
    };
    expect(schema.properties.request?.required?.sort()).toEqual(['confirmationCode', 'id']);
    expect(schema.properties.orders?.items?.required).toEqual(
      expect.arrayContaining(['orderNumber', 'placedAt', 'items', 'statusHistory']),
    );
    expect(schema.properties.orders?.items?.required).not.toContain('keptUntil');
    expect(schema.properties.subject?.required).toEqual(['savedAddresses']);
  });
});
