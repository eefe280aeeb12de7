/**
 * Errors of the WhatsApp edge. Three kinds, one base class, so a caller can tell "fix the message"
 * (validation), "Meta said no" (API) and "Meta did not answer" (network) apart without parsing text,
 * the split grammY makes with `GrammyError` and `HttpError`.
 *
 * None of them carries the access token, the message text or the customer's phone number or user id:
 * error objects end up in logs, and logs are not the place for secrets or personal data (grammY's
 * `sensitiveLogs` default). There is deliberately no `cause` pointing at the axios error, whose
 * `config` holds the `Authorization` header and the request body.
 */

/** What the client was doing when it failed. */
export type WhatsAppOperation = 'send' | 'uploadMedia' | 'markRead' | 'listTemplates';

/** Base class of every error thrown by `src/whatsapp/`. */
export abstract class WhatsAppError extends Error {
  override name = 'WhatsAppError';
  /**
   * For a reply sent as several messages (long text split in parts): the wamids of the parts Meta had
   * already accepted before this failure, in order. A caller that retries the whole reply would send
   * them again; it can resume instead. Empty for everything else.
   */
  sentWamids: readonly string[] = [];
}

/**
 * An `OutboundMessage`, `Recipient` or media upload breaks one of Meta's limits. Thrown before any HTTP request, so
 * nothing was sent. This is a bug in the flow or prompt that produced the message, not a transient
 * problem: retrying cannot help. The message names the field and the rule, never the offending value.
 */
export class WhatsAppValidationError extends WhatsAppError {
  override name = 'WhatsAppValidationError';
  /** The path of the offending field in the message, e.g. `buttons[1].title` or `recipient.waId`. */
  readonly field: string;
  /** The broken rule in words, e.g. `at most 20 characters`. */
  readonly rule: string;
  /** The numeric limit when the rule has one (20 for `at most 20 characters`). */
  readonly limit: number | undefined;
  /** The measured value when the rule has a limit (21 for a 21-character title). */
  readonly actual: number | undefined;
  /** What was invalid: the `OutboundMessage` type (`reply.buttons`...), `recipient` or `media`. */
  readonly subject: string;

  constructor(details: { subject: string; field: string; rule: string; limit?: number; actual?: number }) {
    const got = details.actual === undefined ? '' : ` (got ${details.actual})`;
    super(`invalid ${details.subject}: ${details.field} must be ${details.rule}${got}`);
    this.subject = details.subject;
    this.field = details.field;
    this.rule = details.rule;
    this.limit = details.limit;
    this.actual = details.actual;
  }
}

/**
 * The Graph API answered, with an error. `code` is Meta's `error.code` (the thing to branch on,
 * per Meta's error-code page; HTTP statuses per code are not documented), `undefined` when the answer
 * was not a Graph error body (an HTML 502 from a proxy, a success body of the wrong shape).
 * `title` and `details` come from Meta with the token and the recipient's ids scrubbed out.
 */
export class WhatsAppApiError extends WhatsAppError {
  override name = 'WhatsAppApiError';
  readonly operation: WhatsAppOperation;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly httpStatus: number;
  readonly title: string;
  readonly details: string | undefined;
  /**
   * True when the failure is transient (rate limits, Meta outages, 5xx): the client already retried
   * `attempts` times, and trying again later may work. False for permanent errors (131047 outside the
   * 24-hour window, 190 expired token, 100 bad parameter...): do not retry the same request.
   */
  readonly retryable: boolean;
  /** How many HTTP requests were made, including the last one. */
  readonly attempts: number;
  /** Meta's trace id: quote it in a bug report to Meta. */
  readonly fbtraceId: string | undefined;
  /**
   * How long Meta asked us to wait before trying again (its `Retry-After` header, or the pair-rate pause
   * after 131056), in milliseconds; undefined when it did not say. A caller retrying later honours it.
   */
  readonly retryAfterMs: number | undefined;

  constructor(details: {
    operation: WhatsAppOperation;
    code: number | undefined;
    subcode?: number | undefined;
    httpStatus: number;
    title: string;
    details?: string | undefined;
    retryable: boolean;
    attempts: number;
    fbtraceId?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    const code = details.code === undefined ? 'error' : `error ${details.code}`;
    const more = details.details === undefined ? '' : `: ${details.details}`;
    super(
      `WhatsApp API ${code} (HTTP ${details.httpStatus}) on ${details.operation} after ` +
        `${details.attempts} attempt(s): ${details.title}${more}`,
    );
    this.operation = details.operation;
    this.code = details.code;
    this.subcode = details.subcode;
    this.httpStatus = details.httpStatus;
    this.title = details.title;
    this.details = details.details;
    this.retryable = details.retryable;
    this.attempts = details.attempts;
    this.fbtraceId = details.fbtraceId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * No answer from the Graph API: connection refused or reset, DNS failure, timeout. The request may or
 * may not have reached Meta (a timeout after Meta accepted a send means the message went out), and the
 * Cloud API has no idempotency key, so a caller retrying later should dedupe by the inbound wamid.
 */
export class WhatsAppNetworkError extends WhatsAppError {
  override name = 'WhatsAppNetworkError';
  readonly operation: WhatsAppOperation;
  /** The system or axios error code (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`...), when known. */
  readonly reason: string | undefined;
  readonly timedOut: boolean;
  readonly retryable = true;
  readonly attempts: number;

  constructor(details: {
    operation: WhatsAppOperation;
    reason: string | undefined;
    timedOut: boolean;
    attempts: number;
  }) {
    const why = details.timedOut ? 'timed out' : `unreachable (${details.reason ?? 'network error'})`;
    super(`WhatsApp API ${why} on ${details.operation} after ${details.attempts} attempt(s)`);
    this.operation = details.operation;
    this.reason = details.reason;
    this.timedOut = details.timedOut;
    this.attempts = details.attempts;
  }
}
