/**
 * A loopback stand-in for Meta's Graph API: a real `node:http` server on 127.0.0.1 that records every
 * request and answers from a per-test script, so the code under test runs its real HTTP client
 * (STYLE.md: replace external services only at the network boundary).
 *
 * Unscripted requests get Meta-shaped defaults: `POST /v*∕{id}/messages` answers like
 * `send-response.json` with a fresh wamid (or `{"success":true}` for read receipts), `POST
 * /v*∕{id}/media` like `media-upload-response.json` with a fresh id, anything else a Graph-style 404.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MEDIA_PATH,
  MESSAGES_PATH,
  READ_ANSWER,
  fakeMediaId,
  fakeWamid,
  graphErrorBody,
  parseMultipart,
  postSignedWebhook,
  sendAnswer,
  statusWebhookBytes,
} from '../../src/simulator/fake-graph.js';

/** A file part of a multipart/form-data body. */
export interface RecordedFile {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v25.0/112233445566778/messages`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The exact bytes received. */
  rawBody: Buffer;
  /** The parsed body when the request was `application/json` (undefined if it did not parse). */
  json: unknown;
  /** Text fields of a `multipart/form-data` body. */
  fields: Record<string, string>;
  /** File fields of a `multipart/form-data` body. */
  files: Record<string, RecordedFile>;
}

/** One scripted answer. */
export interface StubResponse {
  /** Default 200. */
  status?: number;
  /** Sent as JSON unless it is a string or Buffer (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (for client timeouts). */
  delayMs?: number;
  /** Destroy the socket without answering: the client sees a network error. */
  hangUp?: boolean;
}

/** A scripted answer, or a function that builds one from the recorded request. */
export type StubReply = StubResponse | ((request: RecordedRequest) => StubResponse | Promise<StubResponse>);

/** An answer for unscripted requests; `undefined` leaves the request to the default. */
export type StubFallback = (request: RecordedRequest) => StubResponse | undefined;

export interface GraphStub {
  /** `http://127.0.0.1:<port>`: pass it as the Graph base URL. */
  readonly url: string;
  /** Every request received since start or the last `reset()`, in arrival order. */
  readonly requests: RecordedRequest[];
  /** With `readsApart`: the read receipts (`status: "read"`) received, kept out of `requests`. */
  readonly reads: RecordedRequest[];
  /** Queues answers for the next requests, whatever their path, first in first out. */
  enqueue(...replies: StubReply[]): void;
  /**
   * Answers every request the queue does not script, instead of the Meta-shaped default, until `reset()`:
   * for faults that must last however long a slow machine takes. A function may return `undefined` to
   * leave a request to the default (e.g. another test's business number).
   */
  setFallback(reply: StubFallback | undefined): void;
  /** Forgets recorded requests, queued answers and the fallback. */
  reset(): void;
  /**
   * With `echo` configured: turns the status webhooks on or off (on at start), e.g. to play a process that
   * died after Meta accepted a send whose statuses were lost.
   */
  setEcho(on: boolean): void;
  /** Resolves when every status webhook posted so far has been answered. */
  echoed(): Promise<void>;
  /** Requests received whose answer is still held (`latencyMs`): what a kill of the caller catches at Meta. */
  readonly holding: RecordedRequest[];
  /** Stops the server and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** A wamid-looking id, unique per call; tests should treat wamids as opaque. */
export function freshWamid(): string {
  return fakeWamid('STUB');
}

/** The text fields and files of a multipart/form-data body (parsed as the sink parses it). */
function formOf(body: Buffer, contentType: string): Pick<RecordedRequest, 'fields' | 'files'> {
  const fields: Record<string, string> = {};
  const files: Record<string, RecordedFile> = {};
  for (const part of parseMultipart(body, contentType)) {
    if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
    else files[part.name] = { filename: part.filename, contentType: part.contentType, data: part.data };
  }
  return { fields, files };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://stub.invalid');
  const contentType = req.headers['content-type'] ?? '';
  let json: unknown;
  if (contentType.startsWith('application/json')) {
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  const multipart = /^multipart\/form-data;/i.test(contentType)
    ? formOf(rawBody, contentType)
    : { fields: {}, files: {} };
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    json,
    ...multipart,
  };
}

/** A read receipt (with or without "typing…") posted to /messages. */
function isReadReceipt(request: RecordedRequest): boolean {
  const body = request.json as { status?: unknown } | undefined;
  return request.method === 'POST' && MESSAGES_PATH.test(request.path) && body?.status === 'read';
}

function defaultReply(request: RecordedRequest): StubResponse {
  const isPost = request.method === 'POST';
  if (isPost && MESSAGES_PATH.test(request.path)) {
    const body = (request.json ?? {}) as Record<string, unknown>;
    if (body.status === 'read') return { body: READ_ANSWER };
    const to = typeof body.to === 'string' ? body.to : undefined;
    const recipient = typeof body.recipient === 'string' ? body.recipient : undefined;
    return { body: sendAnswer(to, recipient, freshWamid()) };
  }
  if (isPost && MEDIA_PATH.test(request.path)) return { body: { id: fakeMediaId() } };
  return {
    status: 404,
    body: graphErrorBody(
      803,
      `(#803) graph stub: nothing scripted for ${request.method} ${request.path}`,
      'GraphStubTrace',
    ),
  };
}

function answer(res: ServerResponse, reply: StubResponse): void {
  if (reply.hangUp === true) {
    res.socket?.destroy();
    return;
  }
  const isRaw = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
  const payload =
    reply.body === undefined ? '' : isRaw ? (reply.body as string | Buffer) : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    ...(isRaw ? {} : { 'content-type': 'application/json' }),
    ...reply.headers,
  });
  res.end(payload);
}

/** Status webhooks posted back to the bot as Meta posts them. */
export interface EchoOptions {
  /** The bot's `/webhook` URL, read at each post (the bot listens after the stub starts). */
  webhookUrl: () => string;
  appSecret: string;
  /** Delay before the `sent` status, then again before `delivered`. Default 10 ms. */
  delayMs?: number;
  /**
   * Opt-in: a status webhook the bot did not answer with 2xx (it was down, or failed) is posted again after
   * this many ms, until it is answered or the stub closes, as Meta retries. Without it a refused post is dropped.
   */
  retryMs?: number;
}

export interface GraphStubOptions {
  /**
   * Opt-in: after every accepted send that carried `biz_opaque_callback_data`, post signed `sent` and
   * `delivered` status webhooks echoing it, as Meta does.
   */
  echo?: EchoOptions;
  /** Opt-in: unscripted requests are answered after this many ms (a slow Meta), or after `latencyMs()`. */
  latencyMs?: number | (() => number);
  /**
   * Opt-in: read receipts (the bot's blue ticks and "typing…", sent without waiting for them) are answered
   * at once and recorded in `reads`, apart from the sends: they take no scripted answer and do not show in
   * `requests`, so a test of the sends does not depend on when they arrive.
   */
  readsApart?: boolean;
}

/** The status webhooks Meta would post for a send the stub accepted, if it should. */
function echoTarget(request: RecordedRequest, reply: StubResponse) {
  const status = reply.status ?? 200;
  if (status < 200 || status >= 300 || request.method !== 'POST') return undefined;
  const sent = request.json as { biz_opaque_callback_data?: unknown; to?: unknown; recipient?: unknown };
  const answer = reply.body as { messages?: Array<{ id?: unknown }> } | undefined;
  const wamid = answer?.messages?.[0]?.id;
  const callbackData = sent?.biz_opaque_callback_data;
  if (typeof wamid !== 'string' || typeof callbackData !== 'string') return undefined;
  const pnid = MESSAGES_PATH.exec(request.path)?.[1];
  if (pnid === undefined) return undefined;
  const to = typeof sent.to === 'string' ? sent.to : typeof sent.recipient === 'string' ? sent.recipient : '';
  return { pnid, wamid, callbackData, recipient: to.replace(/^\+/, '') };
}

/** Starts a Graph API stub on a random loopback port. Close it in `afterAll`. */
export async function startGraphStub(options: GraphStubOptions = {}): Promise<GraphStub> {
  const requests: RecordedRequest[] = [];
  const reads: RecordedRequest[] = [];
  const queue: StubReply[] = [];
  let fallback: StubFallback | undefined;
  const posts = new Set<Promise<void>>();
  const holding: RecordedRequest[] = [];
  let echoOn = true;
  let closed = false;

  /** Posts `sent`, then `delivered`, signed like Meta's; a refused post is retried only with `retryMs`. */
  function echo(request: RecordedRequest, reply: StubResponse): void {
    const config = options.echo;
    const target = config && echoOn ? echoTarget(request, reply) : undefined;
    if (!config || !target) return;
    const post = (async () => {
      for (const status of ['sent', 'delivered'] as const) {
        await new Promise((resolve) => setTimeout(resolve, config.delayMs ?? 10));
        const bytes = statusWebhookBytes({
          phoneNumberId: target.pnid,
          wamid: target.wamid,
          recipient: target.recipient,
          status,
          callbackData: target.callbackData,
        });
        for (;;) {
          const delivered = await postSignedWebhook(config.webhookUrl(), config.appSecret, bytes).then(
            (httpStatus) => httpStatus >= 200 && httpStatus < 300,
            () => false,
          );
          if (delivered || config.retryMs === undefined || closed) break;
          await new Promise((resolve) => setTimeout(resolve, config.retryMs));
        }
      }
    })();
    posts.add(post);
    void post.finally(() => posts.delete(post));
  }

  const server = createServer((req, res) => {
    void (async () => {
      const request = await record(req);
      if (options.readsApart === true && isReadReceipt(request)) {
        reads.push(request);
        answer(res, { body: READ_ANSWER });
        return;
      }
      requests.push(request);
      const scripted = queue.shift();
      const fallen = scripted === undefined ? fallback?.(request) : undefined;
      const reply =
        scripted === undefined
          ? (fallen ?? defaultReply(request))
          : typeof scripted === 'function'
            ? await scripted(request)
            : scripted;
      const latency = typeof options.latencyMs === 'function' ? options.latencyMs() : options.latencyMs;
      const delayMs = reply.delayMs ?? (scripted === undefined && fallen === undefined ? latency : undefined);
      if (delayMs !== undefined) {
        holding.push(request);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        holding.splice(holding.indexOf(request), 1);
      }
      answer(res, reply);
      if (reply.hangUp !== true) echo(request, reply);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`graph stub failure: ${String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reads,
    holding,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setFallback: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      reads.length = 0;
      queue.length = 0;
      fallback = undefined;
    },
    setEcho: (on) => {
      echoOn = on;
    },
    echoed: async () => {
      while (posts.size > 0) await Promise.allSettled([...posts]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        closed = true;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
