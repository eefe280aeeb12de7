import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';

/**
 * Paths that must never reach a log line. A safety net: code logs ids and hashes, not payloads.
 * Constants only, never built from input.
 */
export const REDACT_PATHS = [
  'req.headers["x-hub-signature-256"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.appSecret',
  '*.accessToken',
  '*.apiKey',
  '*.adminToken',
  '*.privacyPepper',
  '*.text',
  '*.body',
  '*.from',
  '*.wa_id',
  '*.waId',
  '*.userId',
  '*.phone',
  '*.name',
  '*.profileName',
  '*.address',
];

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
    ...(err.stack ? { stack: err.stack.split('\n').slice(1).join('\n') } : {}),
    ...(err.cause !== undefined && depth < 2 ? { cause: serializeError(err.cause, depth + 1) } : {}),
  };
}

export function createLogger(options: { level: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: { err: serializeError },
      base: { service: 'polus-bot' },
    },
    destination,
  );
}

export type { Logger };
