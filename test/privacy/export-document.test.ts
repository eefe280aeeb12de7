/**
 * The readable copy of the data export: a PDF in the customer's language. Its pages are rendered with
 * `compress: false` here, so the text pdfkit writes (hex strings in `TJ` operators, one byte per character
 * in Helvetica's WinAnsi encoding) is in the file as written and read back word for word
 * (test/helpers/pdf.ts); the chat tests read the compressed file that is sent.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_SCHEMA_ID, EXPORT_VERSION, dataExportSchema } from '../../src/privacy/export.js';
import type { DataExport } from '../../src/privacy/export.js';
import { renderExportDocument, toWinAnsi } from '../../src/privacy/export-document.js';
import { retentionLines } from '../../src/privacy/access.js';
import { DEFAULT_RETENTION } from '../../src/config.js';
import type { Language } from '../../src/language/languages.js';
import { pdfText } from '../helpers/pdf.js';

/** A customer with a profile, two orders, a cart in progress and two privacy requests. */
function sampleExport(overrides: Partial<DataExport> = {}): DataExport {
  return dataExportSchema.parse({
    schema: EXPORT_SCHEMA_ID,
    version: EXPORT_VERSION,
    generatedAt: '2026-12-03T10:15:00.000Z',
    language: 'es',
    request: { id: 'pr_doc1', confirmationCode: 'DSRDOC234567' },
    controller: { name: 'Pizzería Olé', whatsappPhoneNumberId: '109876543210777' },
    subject: {
      whatsappId: '34600111222',
      name: 'Begoña Muñoz',
      nameSource: 'you',
      savedAddresses: [{ text: 'Calle Almendro 41, 3ºB, Sevilla' }, { latitude: 37.38, longitude: -5.99 }],
      firstContact: '2026-11-02T08:00:00.000Z',
      lastMessage: '2026-12-03T10:14:00.000Z',
    },
    preferences: { optedOut: false, aiReplies: 'off', noAi: false },
    aiCalls: [],
    handoffs: [],
    appointments: [],
    orders: [
      {
        orderNumber: 1002,
        placedAt: '2026-12-02T19:30:00.000Z',
        status: 'preparing',
        currency: 'EUR',
        totalMinor: 2350,
        fulfilment: 'delivery',
        items: [
          {
            itemId: 'margherita',
            name: 'Margherita',
            quantity: 2,
            unitPriceMinor: 950,
            lineTotalMinor: 1900,
          },
          { itemId: 'cola', name: 'Cola', quantity: 1, unitPriceMinor: 450, lineTotalMinor: 450 },
        ],
        deliveryAddress: { text: 'Calle Almendro 41, 3ºB, Sevilla' },
        note: 'El timbre no funciona',
        statusHistory: [{ status: 'placed', at: '2026-12-02T19:30:00.000Z', by: 'customer' }],
        keptUntil: '2036-12-02T19:30:00.000Z',
      },
      {
        orderNumber: 1001,
        placedAt: '2026-11-02T12:00:00.000Z',
        status: 'completed',
        currency: 'EUR',
        totalMinor: 950,
        fulfilment: 'pickup',
        items: [
          {
            itemId: 'margherita',
            name: 'Margherita',
            quantity: 1,
            unitPriceMinor: 950,
            lineTotalMinor: 950,
          },
        ],
        statusHistory: [],
      },
    ],
    conversation: { state: 'ordering.browsing', cart: [{ itemId: 'cola', name: 'Cola', quantity: 3 }] },
    messages: {
      received: [
        { id: 'wamid.1', receivedAt: '2026-12-03T10:14:00.000Z', status: 'done', textStored: false },
      ],
      sent: [
        {
          createdAt: '2026-12-03T10:14:01.000Z',
          status: 'sent',
          textStored: false,
          deliveries: [{ status: 'delivered', at: '2026-12-03T10:14:02.000Z' }],
        },
      ],
    },
    privacyRequests: [
      {
        id: 'pr_doc0',
        type: 'opt-out',
        status: 'completed',
        channel: 'chat',
        confirmationCode: 'DSRDOC000001',
        receivedAt: '2026-11-20T09:00:00.000Z',
        dueAt: '2026-12-20T09:00:00.000Z',
      },
      {
        id: 'pr_doc1',
        type: 'access',
        status: 'completed',
        channel: 'chat',
        confirmationCode: 'DSRDOC234567',
        receivedAt: '2026-12-03T10:15:00.000Z',
        dueAt: '2027-01-02T10:15:00.000Z',
      },
    ],
    processing: [],
    recipients: [],
    ...overrides,
  });
}

function render(data: DataExport, language: Language, compress = false) {
  return renderExportDocument({
    data,
    language,
    retention: retentionLines(language, DEFAULT_RETENTION, 10),
    recipients: [`• ${data.controller.name}`],
    compress,
  });
}

describe('the readable copy of the data export', () => {
  it('when rendered in Spanish, then it is a PDF whose pages say, in Spanish, everything the export holds', async () => {
    const pdf = await render(sampleExport(), 'es');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfText(pdf);
    for (const expected of [
      'Tus datos en Pizzería Olé',
      'Solicitud DSRDOC234567 · 3 dic 2026',
      'Tu perfil',
      '• Número de WhatsApp: +34600111222',
      '• Nombre: Begoña Muñoz',
      '– Calle Almendro 41, 3ºB, Sevilla',
      '– ubicación compartida (37.38000, -5.99000)',
      '• Primer mensaje: 2 nov 2026',
      'Tus preferencias',
      'Tus pedidos (2)',
      'Pedido 1002 · 2 dic 2026 · en preparación',
      '2 × Margherita, 9,50\u00a0€ cada uno: 19,00\u00a0€',
      '1 × Cola, 4,50\u00a0€ cada uno: 4,50\u00a0€',
      'Total: 23,50\u00a0€',
      'Entrega en: Calle Almendro 41, 3ºB, Sevilla',
      'Nota: El timbre no funciona',
      'Se guarda hasta el 2 dic 2036, para la contabilidad del negocio',
      'Pedido 1001 · 2 nov 2026 · completado',
      'Recogida en el local',
      'Nuestra conversación',
      'Tus solicitudes de privacidad',
      '• 20 nov 2026 parar mensajes: hecha (DSRDOC000001)',
      'Para qué los guardamos y cuánto tiempo',
      'Quién los recibe',
      'Tus derechos',
      'Página 1 de ',
    ])
      expect(text).toContain(expected);
    // The cart holds 3 colas: 3 items, as the cart said.
    expect(text).toMatch(/carrito con 3 productos/);
    expect(text).toContain('El archivo JSON que llega con este documento es la copia completa');
    // WhatsApp's *bold* markers become bold runs, never literal asterisks.
    expect(text).not.toContain('*');
    // No English, no internal names.
    for (const english of ['Your', 'Order ', 'Page ', 'placed', 'customer_ids', 'ordering.browsing'])
      expect(text).not.toContain(english);
  });

  it('when rendered in English, then the same export reads in English, with English dates and amounts', async () => {
    const text = pdfText(await render(sampleExport(), 'en'));

    expect(text).toContain('Your data with Pizzería Olé');
    expect(text).toContain('Request DSRDOC234567 · Dec 3, 2026');
    expect(text).toContain('Order 1002 · Dec 2, 2026 · being prepared');
    expect(text).toContain('2 × Margherita, €9.50 each: €19.00');
    expect(text).toContain('Total: €23.50');
    expect(text).toContain('Pickup');
    expect(text).not.toContain('Pedido');
  });

  it('when a name, a note or an address holds emoji or other scripts, then the PDF still renders and shows no garbage', async () => {
    const data = sampleExport({
      subject: {
        name: 'Ana 🍕✨ Łukasz 王',
        nameSource: 'you',
        savedAddresses: [{ text: 'Calle Sol 3 🏠\tpiso 2' }],
      },
    });

    const pdf = await render(data, 'fr');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('• Nom : Ana Lukasz ?');
    expect(text).toContain('Calle Sol 3 piso 2');
    // French amounts use a narrow no-break space, shown as a no-break space.
    expect(text).toContain('19,00\u00a0€');
    // Every character on the page is one Helvetica can draw (decoding never met an unmapped byte).
    expect(text).not.toContain('\ufffd');
    expect([...text].every((ch) => ch === '\n' || toWinAnsi(`a${ch}a`) === `a${ch}a`)).toBe(true);
  });

  it('when the same export is rendered twice, then the bytes are the same; another date gives other bytes', async () => {
    const data = sampleExport();

    const [first, second] = await Promise.all([render(data, 'de', true), render(data, 'de', true)]);
    const later = await render({ ...data, generatedAt: '2026-12-04T10:15:00.000Z' }, 'de', true);

    expect(first.equals(second)).toBe(true);
    expect(first.equals(later)).toBe(false);
    // Compressed for sending: smaller than the readable test rendering, and small for a phone.
    const readable = await render(data, 'de');
    expect(first.length).toBeLessThan(readable.length);
    expect(pdfText(first)).toBe(pdfText(readable));
    expect(pdfText(first)).toContain('Ihre Daten bei Pizzería Olé');
    expect(first.length).toBeLessThan(20_000);
  });

  it('when the customer talked to a person, then the document lists each chat (date, state, count) but not its words', async () => {
    const handoffs = [
      {
        status: 'taken' as const,
        language: 'es',
        openedAt: '2026-12-03T09:00:00.000Z',
        takenAt: '2026-12-03T09:05:00.000Z',
        deletedAfter: '2027-01-02T09:00:00.000Z',
        messages: [
          { from: 'you' as const, text: '¿Hay aparcamiento cerca?', at: '2026-12-03T09:01:00.000Z' },
          { from: 'staff' as const, text: 'Sí, detrás del local.', at: '2026-12-03T09:06:00.000Z' },
        ],
      },
      {
        status: 'returned' as const,
        language: 'es',
        openedAt: '2026-11-20T18:00:00.000Z',
        endedAt: '2026-11-20T18:30:00.000Z',
        deletedAfter: '2026-12-20T18:30:00.000Z',
        messages: [{ from: 'you' as const, text: 'Hola', at: '2026-11-20T18:01:00.000Z' }],
      },
    ];

    const text = pdfText(await render(sampleExport({ handoffs }), 'es'));
    const none = pdfText(await render(sampleExport(), 'en'));

    expect(text).toContain('Tus conversaciones con una persona (2)');
    expect(text).toContain('• 3 dic 2026 · una persona te está respondiendo · 2 mensajes');
    expect(text).toContain('• 20 nov 2026 · de vuelta con el asistente · 1 mensaje');
    expect(text).toContain('Los mensajes en sí están en el archivo JSON.');
    // The words exchanged are in the JSON copy only; no raw status.
    for (const words of ['aparcamiento', 'detrás del local', 'Hola', 'returned', 'taken'])
      expect(text).not.toContain(words);
    expect(none).toContain('Your chats with a person (0)');
    expect(none).toContain('You have not asked to talk to a person.');
    expect(none).not.toContain('The messages themselves are in the JSON file.');
  });

  it('when the customer has appointments, then the document lists each (number, service, with whom, time on the business clock, status) and not the intake answers', async () => {
    const appointments: DataExport['appointments'] = [
      {
        number: 'A-1042',
        service: 'Limpieza dental',
        with: 'Dra. Ana',
        start: '2026-12-10T09:00:00.000Z',
        end: '2026-12-10T09:30:00.000Z',
        status: 'booked',
        currency: 'EUR',
        bookedBy: 'customer',
        intake: { reason: 'dolor de muelas' },
        keptUntil: '2036-12-10T09:30:00.000Z',
      },
    ];
    const text = pdfText(
      await renderExportDocument({
        data: sampleExport({ appointments }),
        language: 'es',
        timeZone: 'Europe/Madrid',
        retention: retentionLines('es', DEFAULT_RETENTION, 10),
        recipients: ['• Pizzería Olé'],
        compress: false,
      }),
    );
    expect(text).toContain('Citas (1)');
    expect(text).toContain('A-1042 · Limpieza dental con Dra. Ana');
    expect(text).toContain('10:00');
    expect(text).toContain('reservada');
    expect(text).not.toContain('dolor de muelas');
    expect(pdfText(await render(sampleExport(), 'en'))).toContain('No appointments.');
  });

  it('when an export has many orders, then it runs to more pages, each numbered', async () => {
    const [order] = sampleExport().orders;
    if (!order) throw new Error('sample has no order');
    const orders = Array.from({ length: 40 }, (_, i) => ({ ...order, orderNumber: 2000 + i }));

    const text = pdfText(await render(sampleExport({ orders }), 'pt'));

    const pages = Number(/Página 1 de (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Página ${pages} de ${pages}`);
    expect(text).toContain('Pedido 2039 · ');
  });
});

describe('toWinAnsi', () => {
  it.each([
    [
      'accents of the five languages stay',
      'Ñandú, São João, Noël, Straße, ¿qué? ¡sí! €',
      'Ñandú, São João, Noël, Straße, ¿qué? ¡sí! €',
    ],
    ['emoji and their joiners go, with the space they leave', '✅ Hecho 👍🏽 ya 👨‍👩‍👧', 'Hecho ya'],
    ['look-alikes are replaced', '1\u202f234,50\u00a0€ → 5 − 2', '1\u00a0234,50\u00a0€ -> 5 - 2'],
    ['a mark WinAnsi lacks goes, the letter stays', 'Dvořák, Erdős, Łódź', 'Dvorák, Erdos, Lódz'],
    ['another script shows as ?', 'Москва', '??????'],
    ['line breaks stay, tabs are spaces, controls go', 'a\tb\nc\u0007d', 'a b\ncd'],
  ])('when %s', (_, input, expected) => {
    expect(toWinAnsi(input)).toBe(expected);
  });
});
