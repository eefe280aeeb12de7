/**
 * Error codes the HTTP layer knows how to answer, one catalogue in the style of fastify's FST_ERR_*.
 * Messages never contain secrets or personal data.
 */
export type ErrorCode =
  | 'WEBHOOK_BAD_SIGNATURE'
  | 'WEBHOOK_BAD_PAYLOAD'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BAD_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  // The request is valid but the resource's current state refuses it (e.g. an order status change).
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  WEBHOOK_BAD_SIGNATURE: 401,
  WEBHOOK_BAD_PAYLOAD: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `catalog.2.price`. */
  field: string;
  message: string;
}

/**
 * An error with a place in the catalogue. `operational` errors are expected (bad input, a database
 * outage) and answered; anything else is a bug and is logged at error level.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; fields?: FieldProblem[]; operational?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = STATUS[code];
    this.fields = options.fields;
    this.operational = options.operational ?? true;
  }

  readonly fields: FieldProblem[] | undefined;
  readonly operational: boolean;
}
