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
  '*.text',
  '*.body',
  '*.from',
  '*.wa_id',
  '*.phone',
  '*.name',
  '*.address',
];

export function createLogger(options: { level: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      base: { service: 'polus-bot' },
    },
    destination,
  );
}

export type { Logger };
