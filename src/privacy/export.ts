import { LANGUAGES } from '../language/languages.js';
import { z } from 'zod';

/**
 * The machine-readable copy of a customer's data (GDPR Art. 15(3) and Art. 20), sent as a JSON document to
 * the chat that asked for it. Versioned: `schema` + `version` say how to read it, and
 * `docs/data-export.schema.json` (generated from this zod schema, checked by a test) documents every field.
 * Amounts are integers in the currency's minor units (cents), as stored; dates are ISO 8601 strings.
 */
export const EXPORT_SCHEMA_ID = 'polus-bot.data-export';
export const EXPORT_VERSION = 1;

const address = z
  .object({
    text: z.string().optional().describe('The address as typed, or as WhatsApp named a shared location'),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
  })
  .describe('A delivery address');

const isoDate = z.string().describe('ISO 8601 date and time, UTC');

export const dataExportSchema = z
  .object({
    schema: z.literal(EXPORT_SCHEMA_ID),
    version: z.literal(EXPORT_VERSION),
    generatedAt: isoDate,
    language: z
      .enum(LANGUAGES)
      .describe(
        'The language of the texts for people in this export (en, es, pt, fr, de): `processing` and `recipients`',
      ),
    request: z.strictObject({
      id: z.string(),
      confirmationCode: z.string().describe('The code given in the chat for this request'),
    }),
    controller: z
      .object({ name: z.string(), whatsappPhoneNumberId: z.string() })
      .describe('The business that holds this data and decides how it is used'),
    subject: z
      .object({
        whatsappId: z.string().optional().describe('Your WhatsApp number (wa_id), as WhatsApp sends it'),
        userId: z
          .string()
          .optional()
          .describe('Your business-scoped WhatsApp user id, when WhatsApp sends one'),
        name: z.string().optional(),
        nameSource: z.enum(['whatsapp-profile', 'you']).optional(),
        savedAddresses: z.array(address),
        firstContact: isoDate.optional(),
        lastMessage: isoDate.optional(),
        profileDeletedAfter: isoDate
          .optional()
          .describe('When the profile is deleted if you do not write again'),
      })
      .describe('You, as this business knows you'),
    preferences: z.strictObject({
      optedOut: z.boolean().describe('True after "stop": only direct answers are sent'),
      aiReplies: z
        .enum(['off', 'on'])
        .describe(
          'Whether this business lets an AI phrase replies (no message content reaches one when off)',
        ),
      noAi: z
        .boolean()
        .describe('True after "no AI": no AI phrases replies to you, whatever the business chose'),
    }),
    aiCalls: z
      .array(
        z.strictObject({
          at: isoDate,
          purpose: z.string(),
          model: z.string(),
          outcome: z.string(),
          promptTokens: z.number().int(),
          completionTokens: z.number().int(),
        }),
      )
      .describe('Each time a message of yours was sent to the AI provider (never its content here)'),
    orders: z.array(
      z.strictObject({
        orderNumber: z.number().int(),
        placedAt: isoDate,
        status: z.string(),
        currency: z.string(),
        totalMinor: z.number().int(),
        fulfilment: z.enum(['pickup', 'delivery']),
        items: z.array(
          z.strictObject({
            itemId: z.string(),
            name: z.string(),
            quantity: z.number().int(),
            unitPriceMinor: z.number().int(),
            lineTotalMinor: z.number().int(),
          }),
        ),
        deliveryAddress: address.optional(),
        note: z.string().optional(),
        statusHistory: z.array(z.strictObject({ status: z.string(), at: isoDate, by: z.string() })),
        keptUntil: isoDate.optional().describe('When the order is deleted (accounting retention)'),
      }),
    ),
    appointments: z
      .array(
        z.strictObject({
          number: z.string().describe('The appointment number, e.g. "A-1042"'),
          service: z.string(),
          with: z.string().describe('The staff member, room or chair it was booked with'),
          start: isoDate,
          end: isoDate,
          status: z.enum(['booked', 'cancelled', 'completed', 'no_show']),
          currency: z.string(),
          priceMinor: z.number().int().optional(),
          bookedBy: z.string().describe('customer (you, in the chat) or staff (on your behalf)'),
          cancelledBy: z.string().optional(),
          intake: z
            .record(z.string(), z.string())
            .optional()
            .describe('Your answers to the questions asked before booking, by question id'),
          keptUntil: isoDate.describe('When the appointment record is deleted'),
        }),
      )
      .describe('Your appointments with this business'),
    conversation: z
      .object({
        state: z.string().describe('Where the conversation is, e.g. "menu" or "ordering.checkout.address"'),
        cart: z
          .array(z.strictObject({ itemId: z.string(), name: z.string(), quantity: z.number().int() }))
          .describe('Items in an unfinished cart'),
        language: z
          .enum(LANGUAGES)
          .optional()
          .describe('The language the conversation is in (en, es, pt, fr, de): the bot answers in it'),
        updatedAt: isoDate.optional(),
        deletedAfter: isoDate.optional(),
      })
      .nullable()
      .describe('The conversation in progress, if any (no message history is kept)'),
    messages: z
      .object({
        received: z.array(
          z.strictObject({
            id: z.string(),
            receivedAt: isoDate,
            status: z.string(),
            textStored: z.boolean(),
          }),
        ),
        sent: z.array(
          z.strictObject({
            createdAt: isoDate,
            status: z.string(),
            textStored: z.boolean(),
            deliveries: z.array(z.strictObject({ status: z.string(), at: isoDate })),
          }),
        ),
      })
      .describe('Records of messages (ids, times, delivery statuses); texts are not kept once handled'),
    handoffs: z
      .array(
        z.strictObject({
          status: z
            .enum(['waiting', 'taken', 'returned', 'closed'])
            .describe('waiting for a person, taken by one, handed back to the bot, or closed'),
          language: z.string(),
          openedAt: isoDate,
          takenAt: isoDate.optional(),
          endedAt: isoDate.optional(),
          deletedAfter: isoDate.describe('When this record is deleted if nothing more happens'),
          messages: z.array(
            z.strictObject({
              from: z.enum(['you', 'staff']),
              text: z.string(),
              at: isoDate,
            }),
          ),
        }),
      )
      .describe('Conversations you handed to a person, with the messages exchanged meanwhile'),
    privacyRequests: z.array(
      z.strictObject({
        id: z.string(),
        type: z.string(),
        status: z.string(),
        channel: z.string(),
        confirmationCode: z.string(),
        receivedAt: isoDate,
        dueAt: isoDate,
        completedAt: isoDate.optional(),
      }),
    ),
    processing: z
      .array(
        z.strictObject({
          collection: z.string().describe('Where it is kept (a machine name, not translated)'),
          holds: z.string().describe('What it holds, in `language`'),
          purpose: z.string().describe('Why it is kept, in `language`'),
          retention: z.string().describe('For how long it is kept, in `language`'),
        }),
      )
      .describe('What is kept where, why, and for how long'),
    recipients: z.array(z.string()).describe('Who receives this data, in `language`'),
  })
  .describe('polus-bot data export: everything one business holds about one customer');

export type DataExport = z.infer<typeof dataExportSchema>;

/** The export's JSON Schema, as published in docs/data-export.schema.json. */
export function exportJsonSchema() {
  return z.toJSONSchema(dataExportSchema);
}
