/**
 * The local Graph API sink: what `graph.facebook.com` is to the bot in production, in the bot's own server
 * under `/sim/graph`. The real WhatsApp client (src/whatsapp/client.ts) sends to it; it keeps every message
 * in the simulator's store, answers as Meta does (a fresh wamid per message, a media id per upload,
 * `{ success: true }` for read receipts), then reports `sent`, `delivered` and `read` through the bot's own
 * signed `POST /webhook`, the path Meta's status webhooks take.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { bearerToken, sameSecret } from '../security.js';
import {
  READ_ANSWER,
  fakeMediaId,
  fakeWamid,
  graphErrorBody,
  parseMultipart,
  postSignedWebhook,
  sendAnswer,
  statusWebhookBytes,
} from './fake-graph.js';
import type { SimMessage, SimulatorStore } from './store.js';

export interface SinkDeps {
  store: SimulatorStore;
  /** The access token the client was given; anything else is Meta's error 190. */
  accessToken: string;
  appSecret: string;
  /** The bot's own address (`http://127.0.0.1:PORT`), known once it listens. */
  selfUrl: () => string;
  logger: Logger;
  /** Delays of the simulated `sent`, `delivered`, `read` webhooks after a send, in ms. */
  statusDelaysMs?: readonly [number, number, number];
}

function graphError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json(graphErrorBody(code, message, 'SimulatorTrace'));
}

function authorized(req: Request, token: string): boolean {
  return sameSecret(bearerToken(req.get('authorization')) ?? '', token);
}

interface GraphSendBody {
  biz_opaque_callback_data?: string;
  to?: string;
  recipient?: string;
  status?: string;
  message_id?: string;
  type?: string;
  text?: { body?: string };
  interactive?: {
    type?: string;
    header?: { text?: string };
    body?: { text?: string };
    footer?: { text?: string };
    action?: {
      button?: string;
      buttons?: Array<{ reply?: { id?: string; title?: string } }>;
      sections?: Array<{
        title?: string;
        rows?: Array<{ id?: string; title?: string; description?: string }>;
      }>;
    };
  };
  document?: { id?: string; filename?: string; caption?: string };
  template?: { name?: string; components?: Array<{ parameters?: Array<{ text?: string }> }> };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A Graph message body as the simulator shows it. */
export function toSimMessage(id: string, body: GraphSendBody): SimMessage {
  const base = { id, direction: 'out' as const, at: new Date().toISOString(), status: 'pending' as const };
  const i = body.interactive;
  if (body.type === 'interactive' && i?.type === 'button') {
    return {
      ...base,
      kind: 'buttons',
      text: str(i.body?.text) ?? '',
      ...(i.header?.text ? { header: i.header.text } : {}),
      ...(i.footer?.text ? { footer: i.footer.text } : {}),
      buttons: (i.action?.buttons ?? []).map((b) => ({
        id: str(b.reply?.id) ?? '',
        title: str(b.reply?.title) ?? '',
      })),
    };
  }
  if (body.type === 'interactive' && i?.type === 'list') {
    return {
      ...base,
      kind: 'list',
      text: str(i.body?.text) ?? '',
      ...(i.header?.text ? { header: i.header.text } : {}),
      ...(i.footer?.text ? { footer: i.footer.text } : {}),
      list: {
        button: str(i.action?.button) ?? 'Menu',
        sections: (i.action?.sections ?? []).map((s) => ({
          ...(s.title ? { title: s.title } : {}),
          rows: (s.rows ?? []).map((r) => ({
            id: str(r.id) ?? '',
            title: str(r.title) ?? '',
            ...(r.description ? { description: r.description } : {}),
          })),
        })),
      },
    };
  }
  if (body.type === 'document') {
    return {
      ...base,
      kind: 'document',
      document: {
        mediaId: str(body.document?.id) ?? '',
        filename: str(body.document?.filename) ?? 'document',
        ...(body.document?.caption ? { caption: body.document.caption } : {}),
      },
    };
  }
  if (body.type === 'template') {
    const params = (body.template?.components ?? [])
      .flatMap((c) => c.parameters ?? [])
      .map((p) => p.text ?? '');
    return {
      ...base,
      kind: 'template',
      text: [`[template ${body.template?.name ?? ''}]`, ...params].join('\n'),
    };
  }
  return { ...base, kind: 'text', text: str(body.text?.body) ?? '' };
}

/** The `/sim/graph` router. */
export function graphSinkRouter(deps: SinkDeps): Router {
  const router = express.Router();
  const delays = deps.statusDelaysMs ?? [40, 250, 700];
  router.use(express.raw({ type: () => true, limit: '60mb' }));
  router.use((req, res, next) => {
    if (!authorized(req, deps.accessToken)) {
      graphError(res, 401, 190, 'Invalid OAuth access token.');
      return;
    }
    next();
  });

  /** Posts one status webhook, signed like Meta's; the chat shows the tick once the bot accepted it. */
  async function postStatus(
    pnid: string,
    wamid: string,
    recipient: string,
    status: 'sent' | 'delivered' | 'read',
    callbackData: string | undefined,
  ) {
    // Meta echoes the send's biz_opaque_callback_data in every status about it; so does the sink.
    try {
      const bytes = statusWebhookBytes({ phoneNumberId: pnid, wamid, recipient, status, callbackData });
      const httpStatus = await postSignedWebhook(`${deps.selfUrl()}/webhook`, deps.appSecret, bytes);
      if (httpStatus >= 200 && httpStatus < 300) deps.store.setStatus(wamid, status);
      else deps.logger.warn({ httpStatus, status }, 'simulator: a status webhook was refused');
    } catch (err) {
      deps.logger.warn({ err, status }, 'simulator: a status webhook could not be posted');
    }
  }

  router.post('/:version/:phoneNumberId/messages', (req, res) => {
    let body: GraphSendBody;
    try {
      body = JSON.parse((req.body as Buffer).toString('utf8')) as GraphSendBody;
    } catch {
      graphError(res, 400, 100, 'Invalid parameter');
      return;
    }
    const pnid = req.params.phoneNumberId;
    if (body.status === 'read') {
      if (body.message_id) deps.store.markInboundRead(body.message_id);
      res.json(READ_ANSWER);
      return;
    }
    const recipient = body.to ?? body.recipient;
    if (!recipient) {
      graphError(res, 400, 100, 'Invalid parameter');
      return;
    }
    const wamid = fakeWamid('SINK');
    const customer = recipient.replace(/^\+/, '');
    deps.store.add(pnid, customer, toSimMessage(wamid, body));
    res.json(sendAnswer(body.to, body.recipient, wamid));
    // In order, each after its delay: sent, delivered, read.
    void (async () => {
      let waited = 0;
      for (const [index, status] of (['sent', 'delivered', 'read'] as const).entries()) {
        const due = delays[index] ?? 0;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - waited)));
        waited = due;
        await postStatus(pnid, wamid, customer, status, str(body.biz_opaque_callback_data));
      }
    })();
  });

  router.post('/:version/:phoneNumberId/media', (req, res) => {
    const parts = parseMultipart(req.body as Buffer, req.get('content-type') ?? '');
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    if (!file) {
      graphError(res, 400, 100, 'Invalid parameter');
      return;
    }
    const id = fakeMediaId();
    deps.store.putMedia(id, {
      filename: file.filename ?? 'file',
      mimeType: file.contentType ?? 'application/octet-stream',
      data: file.data,
    });
    res.json({ id });
  });

  router.use((req, res) => graphError(res, 404, 803, 'Unknown path components'));
  return router;
}
