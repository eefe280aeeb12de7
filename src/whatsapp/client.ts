/**
 * The WhatsApp Cloud API client: sends `OutboundMessage`s, uploads media and marks messages read,
 * over axios, with Meta's retry advice built in. The base URL comes from configuration, so tests (and
 * a local simulator) point it at a loopback stub instead of graph.facebook.com.
 */
import { setTimeout as delay } from 'node:timers/promises';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import { DAY_MS } from '../core/time.js';
import type { OutboundMessage, Recipient } from '../core/vocabulary.js';
import { WhatsAppApiError, WhatsAppError, WhatsAppNetworkError, WhatsAppValidationError } from './errors.js';
import type { WhatsAppOperation } from './errors.js';
import {
  splitOutbound,
  toGraphPayloads,
  toMarkReadPayload,
  validateMediaUpload,
  validateOutbound,
  validateRecipient,
} from './messages.js';
import type { MediaUpload, SendOptions } from './messages.js';

/** What to do about a Graph error code: retry with backoff, pace this recipient, or give up. */
export type GraphErrorAction = 'retry' | 'pace' | 'permanent';

/** Transient codes (reference 6.3): throttling (4, 80007, 130429), Meta-side trouble (1, 2, 131000, 131016), maintenance (131057). */
const RETRY_CODES: ReadonlySet<number> = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131057]);

/**
 * Codes the reference documents as permanent. Unknown codes are permanent too, but for those an HTTP
 * 429 or 5xx still earns a retry; for these, the code wins over the status (Meta: branch on the code).
 */
const PERMANENT_CODES: ReadonlySet<number> = new Set([
  0, 3, 10, 100, 190, 368, 130403, 131005, 131008, 131009, 131026, 131031, 131042, 131047, 131048, 131049,
  131050, 131051, 131052, 131053, 131062,
]);

function isDocumentedPermanent(code: number): boolean {
  return PERMANENT_CODES.has(code) || (code >= 200 && code <= 299) || (code >= 132000 && code <= 132999);
}

/**
 * Meta's error-code table (reference section 6.3) reduced to the one decision the client makes.
 * `pace` is 131056, the pair rate limit (one business number sending too fast to one customer):
 * only that customer must wait, `pairRateBaseMs * 4^X` as Meta recommends. Every code not listed as
 * transient is `permanent`: 131047 (outside the 24-hour window: send a template instead), 190 (expired
 * token), 100/131008/131009 (a bug in the request), 131026 (undeliverable), 132xxx (template problems),
 * 368 (account restricted)... Retrying those sends the same failing request again, or worse, spam.
 */
export function classifyGraphError(code: number): GraphErrorAction {
  if (code === 131056) return 'pace';
  return RETRY_CODES.has(code) ? 'retry' : 'permanent';
}

function decide(httpStatus: number, code: number | undefined): GraphErrorAction {
  if (code !== undefined) {
    const action = classifyGraphError(code);
    if (action !== 'permanent' || isDocumentedPermanent(code)) return action;
  }
  return httpStatus === 429 || httpStatus >= 500 ? 'retry' : 'permanent';
}

/** Backoff for transient failures: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
export interface RetryPolicy {
  /** Total HTTP requests per call, the first included; 1 disables retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One HTTP request to the Graph API, for the production metrics (`onRequest`). No ids, no content. */
export interface GraphRequestReport {
  operation: WhatsAppOperation;
  seconds: number;
  /** Meta's `error.code` when the answer was a Graph error. */
  code?: number | undefined;
  /** The HTTP status; absent when no answer came (network error, timeout). */
  httpStatus?: number | undefined;
}

/** How to reach the Graph API and how hard to try; everything but the first three has a default. */
export interface WhatsAppClientOptions {
  /** `https://graph.facebook.com` in production; a loopback stub in tests. */
  baseUrl: string;
  /** Graph API version, e.g. `v25.0`. */
  apiVersion: string;
  /** System User access token. Never appears in errors thrown by the client. */
  accessToken: string;
  /** Per HTTP request, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /**
   * Quick retries within one call, default `{ maxAttempts: 2, baseDelayMs: 300, maxDelayMs: 2000 }`: a
   * longer wait belongs to the outbox dispatcher (src/outbox/dispatcher.ts), not to a request in flight.
   * A `Retry-After` longer than `maxDelayMs` ends the call at once, with the wait on the error.
   */
  retry?: RetryPolicy;
  /** Base of the per-recipient backoff after error 131056: `pairRateBaseMs * 4^X`. Default 1000 (Meta's 4^X seconds). */
  pairRateBaseMs?: number;
  /** How to wait; tests inject one that records delays and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); `Math.random` by default. */
  random?: () => number;
  /** Told about every HTTP request, retries included: operation, duration, error code. */
  onRequest?: (report: GraphRequestReport) => void;
}

export interface SendResult {
  /** Meta's ids of the messages sent, in order: several when long text was split. */
  wamids: string[];
}

export interface WhatsAppClient {
  /**
   * Sends one `OutboundMessage`: validates it (throwing `WhatsAppValidationError` before any request),
   * uploads a document given as `content`, then posts one Graph message per part. Resolves when Meta
   * has accepted every part; acceptance is not delivery, which status webhooks report.
   */
  send(
    phoneNumberId: string,
    recipient: Recipient,
    message: OutboundMessage,
    options?: SendOptions,
  ): Promise<SendResult>;
  /** Uploads a file for later sends; resolves to Meta's media id (valid for 30 days). */
  uploadMedia(phoneNumberId: string, media: MediaUpload): Promise<string>;
  /** Marks an inbound message (and earlier ones) read; `typing` shows "typing…" until the reply or 25 s. */
  markRead(phoneNumberId: string, wamid: string, options?: { typing?: boolean }): Promise<void>;
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiVersion: z.string().regex(/^v\d+(\.\d+)?$/),
  accessToken: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1),
      baseDelayMs: z.number().nonnegative(),
      maxDelayMs: z.number().nonnegative(),
    })
    .default({ maxAttempts: 2, baseDelayMs: 300, maxDelayMs: 2_000 }),
  pairRateBaseMs: z.number().nonnegative().default(1_000),
});

const wamidSchema = z.object({ id: z.string().min(1) });
const sendResponseSchema = z.object({ messages: z.tuple([wamidSchema], wamidSchema) });
const mediaResponseSchema = z.object({ id: z.string().min(1) });
const markReadResponseSchema = z.object({ success: z.literal(true) });
const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** 4^6 × 1 s ≈ 68 minutes: beyond that, a customer's thread has a problem a longer pause will not fix. */
const MAX_PAIR_EXPONENT = 6;

/**
 * Per-recipient pacing after 131056. A recipient that hit the pair limit gets a gate (one shared
 * sleep); every send to that recipient waits on it, sends to other recipients do not. The exponent
 * grows with each consecutive 131056 and resets when a send to that recipient succeeds.
 */
function createPacer(baseMs: number, sleep: (ms: number) => Promise<void>) {
  const pairs = new Map<string, { exponent: number; gate: Promise<void> | undefined }>();
  return {
    async wait(key: string): Promise<void> {
      for (;;) {
        const gate = pairs.get(key)?.gate;
        if (gate === undefined) return;
        await gate;
        if (pairs.get(key)?.gate === gate) return;
      }
    },
    /** Closes the recipient's gate for a while; returns how long. */
    penalize(key: string): number {
      const state = pairs.get(key) ?? { exponent: 0, gate: undefined };
      const ms = baseMs * 4 ** Math.min(state.exponent, MAX_PAIR_EXPONENT);
      state.exponent += 1;
      state.gate = sleep(ms);
      pairs.set(key, state);
      return ms;
    },
    succeeded(key: string): void {
      pairs.delete(key);
    },
  };
}

/** The longest `Retry-After` taken as given (a day); a larger or unreadable value is ignored. */
const MAX_RETRY_AFTER_MS = DAY_MS;

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent,
 * unreadable or beyond a day.
 */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  const wait = Math.max(0, ms);
  return wait > MAX_RETRY_AFTER_MS ? undefined : wait;
}

/** Replaces every secret (token, recipient ids) in text from Meta, which errors carry into logs. */
function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (out, secret) => (secret.length >= 4 ? out.split(secret).join('[redacted]') : out),
    text,
  );
}

interface CallSpec<T> {
  operation: WhatsAppOperation;
  phoneNumberId: string;
  endpoint: 'messages' | 'media';
  /** Called once per attempt: a multipart body is a stream and cannot be sent twice. */
  body: () => unknown;
  schema: z.ZodType<T>;
  /** Strings to scrub from Meta's error text besides the token. */
  secrets: readonly string[];
  /** The business number + customer pair, for 131056 pacing; absent for uploads and read receipts. */
  pairKey?: string;
}

/**
 * Creates a client. Throws a `TypeError` naming the option when the options are invalid (the message
 * never contains the token). Nothing is sent until a method is called.
 */
export function createWhatsAppClient(options: WhatsAppClientOptions): WhatsAppClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new TypeError(`createWhatsAppClient: invalid options: ${names}`);
  }
  const { baseUrl, apiVersion, accessToken, timeoutMs, retry, pairRateBaseMs } = parsed.data;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const pacer = createPacer(pairRateBaseMs, sleep);
  const report = (
    operation: WhatsAppOperation,
    started: number,
    answer?: { httpStatus: number; code?: number | undefined },
  ) => options.onRequest?.({ operation, seconds: (performance.now() - started) / 1000, ...answer });

  const http = axios.create({
    baseURL: `${baseUrl.replace(/\/+$/, '')}/${apiVersion}`,
    timeout: timeoutMs,
    headers: { Authorization: `Bearer ${accessToken}` },
    // Every status is an answer to classify here, not an exception thrown by axios.
    validateStatus: () => true,
    // Graph does not redirect; following one could hand the bearer token to another host.
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });

  const backoff = (attempt: number): number =>
    random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));

  function apiError<T>(
    spec: CallSpec<T>,
    response: AxiosResponse<unknown>,
    attempts: number,
    retryable: boolean,
    retryAfterMs?: number,
  ): WhatsAppApiError {
    const secrets = [accessToken, ...spec.secrets];
    const graph = graphErrorSchema.safeParse(response.data);
    if (!graph.success) {
      const ok = response.status >= 200 && response.status < 300;
      return new WhatsAppApiError({
        operation: spec.operation,
        code: undefined,
        httpStatus: response.status,
        title: ok ? 'unexpected response body' : scrub(response.statusText || 'HTTP error', secrets),
        retryable,
        attempts,
        retryAfterMs,
      });
    }
    const { error } = graph.data;
    const details = error.error_data?.details;
    return new WhatsAppApiError({
      operation: spec.operation,
      code: error.code,
      subcode: error.error_subcode,
      httpStatus: response.status,
      title: scrub((error.message ?? 'Graph API error').replace(/^\(#\d+\)\s*/, ''), secrets),
      details: details === undefined ? undefined : scrub(details, secrets),
      retryable,
      attempts,
      fbtraceId: error.fbtrace_id,
      retryAfterMs,
    });
  }

  async function call<T>(spec: CallSpec<T>): Promise<T> {
    if (spec.phoneNumberId.trim().length === 0) {
      throw new WhatsAppValidationError({
        subject: spec.operation,
        field: 'phoneNumberId',
        rule: 'non-empty',
      });
    }
    const url = `/${encodeURIComponent(spec.phoneNumberId)}/${spec.endpoint}`;
    const { pairKey } = spec;
    for (let attempt = 1; ; attempt += 1) {
      if (pairKey !== undefined) await pacer.wait(pairKey);
      let response: AxiosResponse<unknown>;
      const started = performance.now();
      try {
        response = await http.post<unknown>(url, spec.body());
      } catch (error) {
        report(spec.operation, started);
        // Every axios failure here is "no usable answer" (validateStatus accepts all statuses). The
        // axios error itself is dropped: its config holds the Authorization header.
        if (!axios.isAxiosError(error)) throw error;
        if (attempt >= retry.maxAttempts) {
          throw new WhatsAppNetworkError({
            operation: spec.operation,
            reason: error.code,
            timedOut: error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED',
            attempts: attempt,
          });
        }
        await sleep(backoff(attempt));
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        report(spec.operation, started, { httpStatus: response.status });
        const body = spec.schema.safeParse(response.data);
        // A 2xx of the wrong shape may still have sent the message: retrying could send it twice.
        if (!body.success) throw apiError(spec, response, attempt, false);
        if (pairKey !== undefined) pacer.succeeded(pairKey);
        return body.data;
      }
      const graph = graphErrorSchema.safeParse(response.data);
      report(spec.operation, started, { httpStatus: response.status, code: graph.data?.error.code });
      const action = decide(response.status, graph.success ? graph.data.error.code : undefined);
      const paced = action === 'pace' && pairKey !== undefined;
      // Penalize even when giving up: the next send to this customer must wait too.
      const pause = paced ? pacer.penalize(pairKey) : undefined;
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']) ?? pause;
      if (action === 'permanent') throw apiError(spec, response, attempt, false);
      // Meta asked for a longer wait than a request in flight should take: the caller retries later. (The
      // pair-rate pause is this recipient's own gate, bounded by maxAttempts; it does not end the call.)
      const tooLong = !paced && retryAfterMs !== undefined && retryAfterMs > retry.maxDelayMs;
      if (attempt >= retry.maxAttempts || tooLong) {
        throw apiError(spec, response, attempt, true, retryAfterMs);
      }
      if (!paced) await sleep(Math.max(backoff(attempt), retryAfterMs ?? 0));
    }
  }

  async function uploadMedia(phoneNumberId: string, media: MediaUpload): Promise<string> {
    validateMediaUpload(media);
    const result = await call({
      operation: 'uploadMedia',
      phoneNumberId,
      endpoint: 'media',
      body: () => {
        const form = new FormData();
        form.append('messaging_product', 'whatsapp');
        form.append('type', media.mimeType);
        form.append('file', new Blob([media.data], { type: media.mimeType }), media.filename);
        return form;
      },
      schema: mediaResponseSchema,
      secrets: [],
    });
    return result.id;
  }

  async function send(
    phoneNumberId: string,
    recipient: Recipient,
    message: OutboundMessage,
    options: SendOptions = {},
  ): Promise<SendResult> {
    if (phoneNumberId.trim().length === 0) {
      throw new WhatsAppValidationError({ subject: 'send', field: 'phoneNumberId', rule: 'non-empty' });
    }
    validateRecipient(recipient);
    splitOutbound(message).forEach(validateOutbound);
    let resolved = message;
    if (resolved.type === 'reply.document' && resolved.mediaId === undefined && resolved.content) {
      const { content, ...rest } = resolved;
      const mediaId = await uploadMedia(phoneNumberId, {
        data: Buffer.from(content.base64, 'base64'),
        mimeType: content.mimeType,
        filename: resolved.filename,
      });
      resolved = { ...rest, mediaId };
    }
    const payloads = toGraphPayloads(resolved, recipient, options);
    const ids = [recipient.waId, recipient.waId?.replace(/^\+/, ''), recipient.userId];
    const secrets = ids.filter((id): id is string => id !== undefined);
    const pairKey = `${phoneNumberId}:${recipient.waId?.replace(/^\+/, '') ?? recipient.userId ?? ''}`;
    const wamids: string[] = [];
    for (const payload of payloads) {
      try {
        const result = await call({
          operation: 'send',
          phoneNumberId,
          endpoint: 'messages',
          body: () => payload,
          schema: sendResponseSchema,
          secrets,
          pairKey,
        });
        wamids.push(result.messages[0].id);
      } catch (error) {
        if (error instanceof WhatsAppError) error.sentWamids = [...wamids];
        throw error;
      }
    }
    return { wamids };
  }

  async function markRead(
    phoneNumberId: string,
    wamid: string,
    options: { typing?: boolean } = {},
  ): Promise<void> {
    if (wamid.trim().length === 0) {
      throw new WhatsAppValidationError({ subject: 'read receipt', field: 'wamid', rule: 'non-empty' });
    }
    await call({
      operation: 'markRead',
      phoneNumberId,
      endpoint: 'messages',
      body: () => toMarkReadPayload(wamid, options),
      schema: markReadResponseSchema,
      secrets: [],
    });
  }

  return { send, uploadMedia, markRead };
}
