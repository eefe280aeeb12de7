/** Lengths of time in milliseconds: written once, so a day is never miscounted in one of ten places. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Days (as configured) in milliseconds. */
export const days = (n: number): number => n * DAY_MS;
