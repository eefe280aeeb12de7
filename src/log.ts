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

export function createLogger(options: { level: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: { err: serializeError },
      formatters: { log: (object) => redactDeep(object, 0) as Record<string, unknown> },
      base: { service: 'polus-bot' },
    },
    destination,
  );
}

export type { Logger };
