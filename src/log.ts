import { createRequire } from 'node:module';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';

/**
 * Paths that must never reach a log line. A safety net: code logs ids and hashes, not payloads.
 * Constants only, never built from input.
 */
export const SENSITIVE_KEYS = [
  'appSecret',
  'accessToken',
  'apiKey',
  'adminToken',
  'metricsToken',
  // Business API keys (src/admin/keys.ts): code logs key ids only.
  'secret',
  'secretHash',
  'privacyPepper',
  'authorization',
  'cookie',
  'x-hub-signature-256',
  'text',
  'body',
  'caption',
  'from',
  'wa_id',
  'waId',
  'user_id',
  'userId',
  'phone',
  'name',
  'profileName',
  'address',
  // Meta's message ids encode the sender's phone number (base64): never logged in clear.
  'wamid',
  'wamids',
  'inboundWamid',
  'contextWamid',
] as const;

/** Top level and one level down, which also covers fields bound on child loggers. */
export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  return [safe, safe.startsWith('[') ? `*${safe}` : `*.${safe}`];
});

const SENSITIVE = new Set<string>(SENSITIVE_KEYS);
const CENSOR = '[Redacted]';

/** Deeper levels and arrays, which pino's path redaction does not reach. */
function redactDeep(value: unknown, depth: number): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  // Errors are left to serializeError, which keeps only what is safe.
  if (value instanceof Date || value instanceof Error || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SENSITIVE.has(key) ? CENSOR : redactDeep(inner, depth + 1);
  }
  return out;
}

interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  codeName?: string;
  stack?: string;
  cause?: SafeError;
}

/**
 * Values inside error messages (quoted strings, `{ … }` key dumps, long digit runs) are replaced: driver and
 * validation errors quote the offending value, which may be a phone number or a message.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/dup key: \{.*\}/g, 'dup key: { … }')
    .replace(/\+?\d[\d\s-]{6,}\d/g, '…');
}

/**
 * Errors as log fields: name, scrubbed message, code and stack, and the cause one level down. Nothing
 * else: the driver's errors carry the documents they failed on (`writeErrors[].op`, `keyValue`), which
 * would put message text and phone numbers in the log.
 */
export function serializeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { type: typeof err, message: '(not an Error)' };
  const { code, codeName } = err as { code?: unknown; codeName?: unknown };
  return {
    type: err.name,
    message: scrubMessage(err.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof codeName === 'string' ? { codeName } : {}),
    // Only the frames: V8 repeats the whole (unscrubbed) message at the top of the stack.
    ...(err.stack
      ? {
          stack: err.stack
            .split('\n')
            .filter((line) => /^\s+at /.test(line))
            .join('\n'),
        }
      : {}),
    ...(err.cause !== undefined && depth < 2 ? { cause: serializeError(err.cause, depth + 1) } : {}),
  };
}

/** The fixed words of our routes' paths: every other path segment is a value and is not logged as sent. */
const PATH_WORDS = new Set([
  'admin',
  'businesses',
  'settings-changes',
  'keys',
  'conversations',
  'resume',
  'metrics',
  'orders',
  'privacy-requests',
  'portal',
  'sign-in',
  'sign-out',
  'b',
  'ai',
  'catalog',
  'edit',
  'remove',
  'faq',
  'status',
  'privacy',
  'data-deletion',
  'meta',
  'webhook',
  'healthz',
  'readyz',
  'sim',
  'api',
  'graph',
  'app.js',
  'favicon.svg',
  'favicon.ico',
  'messages',
  'again',
  'chat',
  'state',
  'media',
]);

/** The name a masked segment gets, after the word before it (`conversations/:customer`). */
const PARAM_AFTER: Record<string, string> = {
  businesses: ':phoneNumberId',
  b: ':phoneNumberId',
  conversations: ':customer',
  status: ':token',
  keys: ':keyId',
  orders: ':orderNumber',
  catalog: ':itemId',
  faq: ':index',
  media: ':id',
  graph: ':version',
};

const BUSINESS_ID = /^\d{5,20}$/;

const pathOf = (url: string | undefined) => (url ?? '').split('?', 1)[0] ?? '';

/**
 * A request path as a log line may show it: no query (`?hub.verify_token=…`), and every segment that is not
 * a fixed word of our routes replaced by a name (`/admin/businesses/:phoneNumberId/conversations/:customer/resume`),
 * whether a route matched or not, so a customer's number, a status link's token or whatever a caller typed
 * into a path never reaches the log. The business id goes in its own field, only when safe (`pathBusinessId`).
 */
export function logPath(url: string | undefined): string {
  const segments = pathOf(url).split('/');
  return segments
    .map((segment, index) => {
      if (segment === '' || PATH_WORDS.has(segment)) return segment;
      return PARAM_AFTER[segments[index - 1] ?? ''] ?? ':param';
    })
    .join('/');
}

/** The business id in a path (`/admin/businesses/<id>…`, `/portal/b/<id>…`) when it has the form of one. */
export function pathBusinessId(url: string | undefined): string | undefined {
  const segments = pathOf(url).split('/');
  const at = segments.findIndex(
    (segment, index) =>
      index > 0 && PARAM_AFTER[segments[index - 1] ?? ''] === ':phoneNumberId' && segment !== '',
  );
  const id = at > 0 ? segments[at] : undefined;
  return id !== undefined && BUSINESS_ID.test(id) ? id : undefined;
}

/**
 * How a process that owns a terminal prints its log: `json` (one object a line, what production and every
 * log collector read) or `pretty` (pino-pretty in a worker thread: coloured, one readable line an event).
 * Pretty is for people only: the lines are written by the same logger, after the same redaction.
 */
export type LogFormat = 'json' | 'pretty';

/** pino-pretty's options: time of day, no pid/host/service noise, one line an event. */
const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname,service',
  singleLine: true,
  // Each line written as it arrives, so `logger.flush` means "on the terminal" (main.ts prints its banner
  // after the start-up lines, not among them).
  sync: true,
};

/**
 * The pretty transport, or undefined when pino-pretty cannot be loaded (a production install without dev
 * tools, a broken node_modules): the caller falls back to JSON rather than failing to start.
 */
function prettyTransport(): DestinationStream | undefined {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return pino.transport({ target: 'pino-pretty', options: PRETTY_OPTIONS });
  } catch {
    return undefined;
  }
}

/**
 * The logger every module gets. `destination` (tests, `npm run chat`'s stderr) wins over `format`;
 * without either, JSON to stdout. `format: 'pretty'` falls back to JSON when pino-pretty is missing, and
 * says so in the first line.
 */
export function createLogger(
  options: { level: string; format?: LogFormat },
  destination?: DestinationStream,
): Logger {
  const pretty = destination === undefined && options.format === 'pretty' ? prettyTransport() : undefined;
  const logger = pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: { err: serializeError },
      formatters: { log: (object) => redactDeep(object, 0) as Record<string, unknown> },
      base: { service: 'polus-bot' },
    },
    destination ?? pretty,
  );
  if (destination === undefined && options.format === 'pretty' && pretty === undefined) {
    logger.warn('pino-pretty could not be loaded: logging JSON lines instead');
  }
  return logger;
}

export type { Logger };
