/**
 * The simulator's JSON API under `/sim/api`, used by the web page (`/`) and `npm run chat`. A customer's
 * message is built as Meta's webhook body (src/webhook/payloads.ts), signed with the app secret and posted
 * to the bot's own `POST /webhook`: the same path, checks and dedupe as a message from Meta. Customer
 * numbers travel in bodies and query strings only, never in paths, so request logs (path only) never hold them.
 */
import { conversationContext } from '../db/models/conversation.model.js';
import express from 'express';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseOrThrow } from '../http/validation.js';
import type { CustomerIdentities } from '../customers/identity.js';
import type { Models } from '../db/models/index.js';
import { AppError } from '../errors.js';
import type { Sealer } from '../core/sealing.js';
import { conversationView } from '../../flows/view.js';
import { randomBytes } from 'node:crypto';
import { fromMinorUnits } from '../core/money.js';
import {
  inboundButtonReply,
  inboundMessage,
  inboundListReply,
  inboundLocation,
  inboundText,
  randomWamid,
} from '../webhook/payloads.js';
import { signBody } from '../webhook/signature.js';
import type { SimMessage } from './store.js';
import type { SimulatorStore } from './store.js';

export interface SimulatorApiDeps {
  store: SimulatorStore;
  models: Models;
  sealer: Sealer;
  pepper: string;
  /** Finds the chat's customer however the bot knows them (src/customers/identity.ts). */
  identities: Pick<CustomerIdentities, 'lookup'>;
  appSecret: string;
  selfUrl: () => string;
  logger: Logger;
}

const phoneNumberId = z.string().regex(/^\d{1,20}$/, 'must be digits');
const waId = z
  .string()
  .transform((v) => v.replace(/[\s+()-]/g, ''))
  .pipe(z.string().regex(/^\d{6,15}$/, 'must be a phone number of 6 to 15 digits'));
const chatQuery = z.object({ phoneNumberId, waId });

const messageInput = z.object({
  phoneNumberId,
  waId,
  name: z.string().trim().min(1).max(100).optional(),
  message: z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string().min(1).max(4096) }),
    z.object({ type: z.literal('button'), id: z.string().min(1).max(256), title: z.string().max(20) }),
    z.object({
      type: z.literal('list'),
      id: z.string().min(1).max(200),
      title: z.string().max(24),
      description: z.string().max(72).optional(),
    }),
    z.object({
      type: z.literal('location'),
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(200).optional(),
      address: z.string().max(500).optional(),
    }),
    /** A voice note: a made-up media id (the bot fetches media only when staff ask, and never here). */
    z.object({ type: z.literal('audio') }),
    z.object({ type: z.literal('image'), caption: z.string().max(1024).optional() }),
    /** A reaction to the bot's latest message in the chat (or to `messageId`); `""` removes one. */
    z.object({
      type: z.literal('reaction'),
      emoji: z.string().max(16),
      messageId: z.string().min(1).max(200).optional(),
    }),
    /**
     * A native catalogue order: items by Meta retailer id, priced from the business's catalogue unless
     * `itemPrice` (major units) says otherwise, to try a price that differs.
     */
    z.object({
      type: z.literal('order'),
      items: z
        .array(
          z.object({
            retailerId: z.string().min(1).max(200),
            quantity: z.number().int().min(1).max(99),
            itemPrice: z.number().nonnegative().optional(),
          }),
        )
        .min(1)
        .max(30),
    }),
    /** A WhatsApp Flows reply (nfm_reply): the form's fields, e.g. an address form. */
    z.object({
      type: z.literal('form'),
      response: z.record(z.string().min(1).max(100), z.string().max(500)),
    }),
  ]),
});
type MessageInput = z.infer<typeof messageInput>;

/** What the business's catalogue says about the items an order names: price (minor units) and currency. */
interface CatalogPrices {
  currency: string;
  priceOf: (retailerId: string) => number | undefined;
  /** The item's name, for the chat to show (Meta's order carries retailer ids only). */
  nameOf: (retailerId: string) => string | undefined;
}

/**
 * A customer's message as Meta's webhook body, and as the chat shows it (undefined for a reaction, which
 * shows under the message it reacts to).
 */
function toWebhook(
  input: MessageInput,
  wamid: string,
  extra: { reactTo?: string; prices?: CatalogPrices },
): { body: Record<string, unknown>; shown?: SimMessage } {
  const who = {
    phoneNumberId: input.phoneNumberId,
    waId: input.waId,
    name: input.name ?? 'Simulator',
    wamid,
  };
  const shown = {
    id: wamid,
    direction: 'in' as const,
    at: new Date().toISOString(),
    status: 'pending' as const,
  };
  const m = input.message;
  switch (m.type) {
    case 'text':
      return { body: inboundText(who, m.text), shown: { ...shown, kind: 'text', text: m.text } };
    case 'button':
      return {
        body: inboundButtonReply(who, m.id, m.title),
        shown: { ...shown, kind: 'button_reply', reply: { id: m.id, title: m.title } },
      };
    case 'list':
      return {
        body: inboundListReply(who, {
          id: m.id,
          title: m.title,
          ...(m.description ? { description: m.description } : {}),
        }),
        shown: { ...shown, kind: 'list_reply', reply: { id: m.id, title: m.title } },
      };
    case 'location': {
      const { type: _type, ...location } = m;
      return { body: inboundLocation(who, location), shown: { ...shown, kind: 'location', location } };
    }
    case 'audio':
      return {
        body: inboundMessage(who, 'audio', {
          audio: { id: fakeMediaId(), mime_type: 'audio/ogg; codecs=opus', voice: true },
        }),
        shown: { ...shown, kind: 'audio', text: '🎤 Voice note' },
      };
    case 'image':
      return {
        body: inboundMessage(who, 'image', {
          image: { id: fakeMediaId(), mime_type: 'image/jpeg', ...(m.caption ? { caption: m.caption } : {}) },
        }),
        shown: { ...shown, kind: 'image', text: m.caption ? `🖼️ Photo\n${m.caption}` : '🖼️ Photo' },
      };
    case 'reaction':
      return {
        body: inboundMessage(who, 'reaction', {
          reaction: { message_id: m.messageId ?? extra.reactTo ?? '', emoji: m.emoji },
        }),
      };
    case 'order': {
      const currency = extra.prices?.currency ?? 'EUR';
      const items = m.items.map((item) => ({
        product_retailer_id: item.retailerId,
        quantity: item.quantity,
        item_price: item.itemPrice ?? fromMinorUnits(extra.prices?.priceOf(item.retailerId) ?? 0, currency),
        currency,
      }));
      return {
        body: inboundMessage(who, 'order', {
          order: { catalog_id: SIM_CATALOG_ID, text: '', product_items: items },
        }),
        shown: {
          ...shown,
          kind: 'order',
          text: `🛒 Order\n${m.items
            .map((i) => `${i.quantity} × ${extra.prices?.nameOf(i.retailerId) ?? i.retailerId}`)
            .join('\n')}`,
        },
      };
    }
    case 'form':
      return {
        body: inboundMessage(who, 'interactive', {
          interactive: {
            type: 'nfm_reply',
            nfm_reply: {
              name: 'flow',
              body: 'Sent',
              response_json: JSON.stringify({ flow_token: `sim-${wamid.slice(-8)}`, ...m.response }),
            },
          },
        }),
        shown: {
          ...shown,
          kind: 'form',
          text: `📝 Form\n${Object.entries(m.response)
            .map(([field, value]) => `${field}: ${value}`)
            .join('\n')}`,
        },
      };
  }
}

/** The catalogue id the simulator's orders name (Meta's is the business's commerce catalogue). */
const SIM_CATALOG_ID = 'sim-catalog';
/** A media id that looks like Meta's and names nothing: the bot never fetches it. */
const fakeMediaId = (): string => `sim-media-${randomBytes(6).toString('hex')}`;

export function simulatorApiRouter(deps: SimulatorApiDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  async function post(body: string): Promise<number> {
    const res = await fetch(`${deps.selfUrl()}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, deps.appSecret) },
      body,
    });
    return res.status;
  }

  async function catalogPrices(pnid: string): Promise<CatalogPrices | undefined> {
    const business = await deps.models.Business.findOne({ phoneNumberId: pnid }, { catalog: 1, currency: 1 })
      .lean()
      .exec();
    if (!business) return undefined;
    return {
      currency: business.currency,
      priceOf: (retailerId) => business.catalog.find((item) => item.retailerId === retailerId)?.priceMinor,
      nameOf: (retailerId) => business.catalog.find((item) => item.retailerId === retailerId)?.name,
    };
  }

  /** The business's items that are in its Meta catalogue (a retailer id): what a native order can name. */
  router.get('/catalog', async (req, res) => {
    const input = parseOrThrow(z.object({ phoneNumberId }), req.query, 'catalog');
    const business = await deps.models.Business.findOne(
      { phoneNumberId: input.phoneNumberId },
      { catalog: 1, currency: 1 },
    )
      .lean()
      .exec();
    const items = (business?.catalog ?? []).flatMap((item) =>
      item.retailerId
        ? [
            {
              retailerId: item.retailerId,
              name: item.name,
              price: fromMinorUnits(item.priceMinor, business?.currency ?? 'EUR'),
              available: item.available,
            },
          ]
        : [],
    );
    res.json({ currency: business?.currency ?? null, items });
  });

  router.get('/businesses', async (_req, res) => {
    const businesses = await deps.models.Business.find({}, { phoneNumberId: 1, name: 1 })
      .sort({ name: 1 })
      .limit(100)
      .lean()
      .exec();
    res.json({ businesses: businesses.map((b) => ({ phoneNumberId: b.phoneNumberId, name: b.name })) });
  });

  router.post('/messages', async (req, res) => {
    const input = parseOrThrow(messageInput, req.body, 'message');
    const wamid = randomWamid('SIM');
    const m = input.message;
    const reactTo =
      m.type === 'reaction'
        ? (m.messageId ?? deps.store.lastOutbound(input.phoneNumberId, input.waId))
        : undefined;
    if (m.type === 'reaction' && reactTo === undefined)
      throw new AppError('NOT_FOUND', 'there is no bot message in this chat to react to');
    const prices = m.type === 'order' ? await catalogPrices(input.phoneNumberId) : undefined;
    const { body, shown } = toWebhook(input, wamid, {
      ...(reactTo === undefined ? {} : { reactTo }),
      ...(prices === undefined ? {} : { prices }),
    });
    const bytes = JSON.stringify(body);
    if (shown) deps.store.add(input.phoneNumberId, input.waId, shown);
    if (m.type === 'reaction' && reactTo !== undefined) deps.store.react(reactTo, m.emoji);
    deps.store.setLastInbound(input.phoneNumberId, input.waId, wamid, bytes);
    const webhookStatus = await post(bytes);
    if (webhookStatus === 200) deps.store.setStatus(wamid, 'delivered');
    else deps.store.setStatus(wamid, 'failed');
    res.status(webhookStatus === 200 ? 201 : 502).json({ wamid, webhookStatus });
  });

  // Meta delivers at least once: the same body, same wamid, again. The bot must not answer twice.
  router.post('/again', async (req, res) => {
    const input = parseOrThrow(chatQuery, req.body, 'chat');
    const last = deps.store.lastInbound(input.phoneNumberId, input.waId);
    if (!last) throw new AppError('NOT_FOUND', 'this chat has no message to deliver again');
    // Whether the bot had stored this wamid before: then the webhook's 200 is its dedupe, not a new message.
    const duplicate = (await deps.models.Inbox.exists({ _id: last.wamid }).exec()) !== null;
    const webhookStatus = await post(last.body);
    res.json({ wamid: last.wamid, webhookStatus, duplicate });
  });

  router.get('/chat', (req, res) => {
    const input = parseOrThrow(chatQuery, req.query, 'chat');
    const messages = deps.store.messages(input.phoneNumberId, input.waId).map((m) =>
      m.document
        ? {
            ...m,
            document: {
              ...m.document,
              ...(deps.store.getMedia(m.document.mediaId)
                ? { url: `/sim/api/media/${encodeURIComponent(m.document.mediaId)}` }
                : {}),
            },
          }
        : m,
    );
    res.set('cache-control', 'no-store').json({ messages });
  });

  router.get('/state', async (req, res) => {
    const input = parseOrThrow(chatQuery, req.query, 'chat');
    const { ref } = await deps.identities.lookup(input.phoneNumberId, { waId: input.waId });
    const conversation = await deps.models.Conversation.findOne({
      _id: ref,
      phoneNumberId: input.phoneNumberId,
    })
      .lean()
      .exec();
    if (!conversation?.sealedSnapshot) {
      res.json({ state: null, cart: [], language: null });
      return;
    }
    const view = conversationView(
      deps.sealer.open<unknown>(conversation.sealedSnapshot, conversationContext(ref)),
    );
    res.json({
      state: view.state,
      cart: view.cart,
      // The language the bot speaks in this conversation (en, es, pt, fr, de), shown beside the state.
      language: view.language ?? null,
      version: conversation.version,
    });
  });

  router.get('/media/:id', (req, res) => {
    const media = deps.store.getMedia(req.params.id);
    if (!media) throw new AppError('NOT_FOUND', 'no such document (the simulator keeps the latest 50)');
    res
      .set('content-type', media.mimeType)
      .set('x-content-type-options', 'nosniff')
      .attachment(media.filename)
      .send(media.data);
  });

  return router;
}
