/**
 * A loopback stand-in for an OpenAI-compatible provider: a real `node:http` server on 127.0.0.1 that speaks
 * the chat completions API as the `openai` package calls it, records every request, and answers from a
 * per-test script, so src/ai/ runs its real client over real HTTP (STYLE.md: replace external services
 * only at the network boundary).
 *
 * The client joins its base URL and the endpoint path: with `baseURL: <stub>/v1` it POSTs
 * `/v1/chat/completions`, which is what `stub.baseURL` gives. Unscripted completions answer with the default
 * reply (a structured `{"type":"unknown"}` answer unless `setDefault` changed it); any other path gets an
 * OpenAI-style 404.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAiRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as text. */
  rawBody: string;
  /** The parsed JSON body (undefined if it did not parse). */
  json: unknown;
  /** When the request arrived (Date.now()). */
  receivedAt: number;
}

/** The fields of a chat completions request these tests look at. */
export interface ChatCompletionBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
  response_format?: { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: unknown } };
  max_tokens?: number;
  temperature?: number;
}

/** One scripted answer. */
export interface AiStubResponse {
  /** The assistant message's content (a string; an object is JSON-encoded, as structured output is). */
  content?: string | object | null;
  /** Token counts reported in `usage`; default 120 prompt + 30 completion. */
  usage?: { prompt: number; completion: number } | null;
  /** HTTP status; with a status ≥ 400 the body is an OpenAI-style error (or `body`). Default 200. */
  status?: number;
  /** Sent instead of a completion: a string or Buffer as is (a malformed body), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (for the client's timeout); cut short if the client goes away. */
  delayMs?: number;
  /** Destroy the socket without answering: the client sees a connection error. */
  hangUp?: boolean;
}

/** A scripted answer, or a function that builds one from the recorded request. */
export type AiStubReply = AiStubResponse | ((request: RecordedAiRequest) => AiStubResponse);

/** The structured output src/ai/assistant.ts asks for. */
export interface StructuredOutput {
  type: string;
  reply: string;
  lines: Array<{ itemId: string; quantity: number }>;
}

/** A completion whose content is the structured answer `output` (JSON-encoded, as the provider sends it). */
export function structured(
  output: Partial<StructuredOutput> & Record<string, unknown>,
  usage?: { prompt: number; completion: number },
): AiStubResponse {
  return {
    content: JSON.stringify({ type: 'answer', reply: '', lines: [], ...output }),
    usage: usage ?? null,
  };
}

/** An answer to a question. */
export function answer(reply: string, usage?: { prompt: number; completion: number }): AiStubResponse {
  return structured({ type: 'answer', reply, lines: [] }, usage);
}

/** An order read from a message. */
export function order(
  lines: Array<{ itemId: string; quantity: number }>,
  usage?: { prompt: number; completion: number },
): AiStubResponse {
  return structured({ type: 'order', reply: '', lines }, usage);
}

/**
 * An HTTP error with an OpenAI-style body. `retry-after-ms` is set small by default so that a client retry
 * (which honours it) does not sleep its default backoff of about half a second.
 */
export function httpError(status: number, headers: Record<string, string> = { 'retry-after-ms': '10' }) {
  return {
    status,
    headers,
    body: {
      error: {
        message: `openai stub: scripted ${status}`,
        type: status === 429 ? 'rate_limit_exceeded' : 'server_error',
        param: null,
        code: null,
      },
    },
  } satisfies AiStubResponse;
}

export interface OpenAiStub {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `<url>/v1`: pass it as OPENAI_BASE_URL / the client's `baseURL`. */
  readonly baseURL: string;
  /** Every request received since start or the last `reset()`, in arrival order. */
  readonly requests: RecordedAiRequest[];
  /** The chat completion requests' bodies, in arrival order. */
  completions(): ChatCompletionBody[];
  /** Queues answers for the next requests, first in first out. */
  enqueue(...replies: AiStubReply[]): void;
  /** The answer for requests nothing is queued for. */
  setDefault(reply: AiStubReply): void;
  /** Forgets recorded requests and queued answers, and restores the default answer. */
  reset(): void;
  /** Stops the server and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

const UNKNOWN: AiStubResponse = structured({ type: 'unknown', reply: '', lines: [] });

let sequence = 0;

async function record(req: IncomingMessage): Promise<RecordedAiRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    json = undefined;
  }
  return {
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://stub.invalid').pathname,
    headers: req.headers,
    rawBody,
    json,
    receivedAt: Date.now(),
  };
}

function completionBody(request: RecordedAiRequest, reply: AiStubResponse): unknown {
  const model = (request.json as ChatCompletionBody | undefined)?.model ?? 'stub-model';
  const content =
    reply.content === undefined || reply.content === null || typeof reply.content === 'string'
      ? (reply.content ?? null)
      : JSON.stringify(reply.content);
  const usage =
    reply.usage === null || reply.usage === undefined ? { prompt: 120, completion: 30 } : reply.usage;
  sequence += 1;
  return {
    id: `chatcmpl-stub${sequence}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
    },
  };
}

function notFound(request: RecordedAiRequest): AiStubResponse {
  return {
    status: 404,
    body: {
      error: {
        message: `openai stub: nothing at ${request.method} ${request.path}`,
        type: 'invalid_request_error',
        param: null,
        code: 'unknown_url',
      },
    },
  };
}

function send(res: ServerResponse, request: RecordedAiRequest, reply: AiStubResponse): void {
  if (reply.hangUp === true) {
    res.socket?.destroy();
    return;
  }
  const status = reply.status ?? 200;
  const body =
    reply.body !== undefined
      ? reply.body
      : status >= 400
        ? httpError(status).body
        : completionBody(request, reply);
  const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(isRaw ? body : JSON.stringify(body));
}

/** Starts an OpenAI-compatible stub on a random loopback port. Close it in `afterAll`. */
export async function startOpenAiStub(): Promise<OpenAiStub> {
  const requests: RecordedAiRequest[] = [];
  const queue: AiStubReply[] = [];
  let fallback: AiStubReply = UNKNOWN;

  const server = createServer((req, res) => {
    void (async () => {
      const request = await record(req);
      requests.push(request);
      const isCompletion = request.method === 'POST' && /^\/v1\/chat\/completions\/?$/.test(request.path);
      const scripted = isCompletion ? (queue.shift() ?? fallback) : notFound;
      const reply = typeof scripted === 'function' ? scripted(request) : scripted;
      if (reply.delayMs !== undefined) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reply.delayMs);
          res.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (res.writableEnded || res.destroyed) return;
      }
      send(res, request, reply);
    })().catch((error: unknown) => {
      if (res.headersSent) return;
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`openai stub failure: ${String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    completions: () =>
      requests
        .filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'))
        .map((r) => (r.json ?? {}) as ChatCompletionBody),
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      fallback = UNKNOWN;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
