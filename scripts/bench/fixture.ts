/**
 * The made-up configuration every benchmark uses: secrets, the business's phone number id, and the bound a
 * heap may grow by before a memory run calls it unbounded. Kept apart from the bot so that the helper
 * processes (which sign webhooks) need not load it.
 */

/** The app secret webhooks are signed with. */
export const APP_SECRET = 'bench_app_secret_0123456789abcdef';
export const VERIFY_TOKEN = 'bench-verify-token';
export const ACCESS_TOKEN = 'bench-access-token-EAAG0000';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const PEPPER = 'bench-pepper-0123456789abcdef0123456789';
/** The phone number id the bench business is configured for. */
export const PHONE_NUMBER_ID = '100000000000777';
/** A phone number id no business is configured for: the bot acknowledges and stores nothing. */
export const UNKNOWN_PHONE_NUMBER_ID = '100000000000999';
/** A forced GC's retained heap may grow this much over the second half of the overload window. */
export const BOUND_MIN_BYTES = 8 * 1024 * 1024;
export const BOUND_FRACTION = 0.1;

/** The bot's log level during a benchmark (logs go to a null sink either way). */
export type BenchLogLevel = 'warn' | 'silent';

/**
 * Where the embedded database runs: `separate` in its own process (as a real MongoDB would, so the bot's
 * heap is the bot's alone), `in-process` as `npm run dev` runs it.
 */
export type DbPlacement = 'separate' | 'in-process';
