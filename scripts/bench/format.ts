/**
 * Numbers and figures for the benchmark reports, written once for every section: rates, milliseconds,
 * megabytes, percentiles and the machine line. Nothing here measures anything.
 */
import os from 'node:os';

export const MB = 1024 * 1024;

/** A rate, rounded, with thousands separators (`12,345`). */
export function formatRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds with the precision that still means something at that size. */
export function formatMs(n: number): string {
  return n < 1 ? n.toFixed(3) : n < 100 ? n.toFixed(2) : n.toFixed(0);
}

/** Bytes as MB with one decimal; `signed` puts a `+` on growth. */
export function formatMb(bytes: number, signed = false): string {
  const text = (bytes / MB).toFixed(1);
  return signed && bytes >= 0 ? `+${text}` : text;
}

/** CPU count and model, for the context line of a report. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`;
}

/** An error's stack (or message), for progress output and a helper's `failed` message. */
export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The p-th percentile (nearest rank) of ascending values; 0 when there are none. */
export function percentile(sortedMs: ArrayLike<number>, p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? 0;
}

/** How many values of the ascending array are ≤ t. */
export function upperBound(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Least-squares slope of y over x. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : 0;
}

/** Progress output to stderr, so stdout carries only the report. */
export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
