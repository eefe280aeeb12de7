/**
 * Paging for WhatsApp lists, which hold at most 10 rows: a page shows nine entries and a "More…"
 * row while more follow, and the last page up to ten, so no page wastes a row on "More…" needlessly.
 */

/** Rows in one list message (Meta's limit). */
export const ROWS_PER_LIST = 10;

/** One page of entries, and the number of the next page when there is one. */
export interface PageOf<T> {
  entries: T[];
  /** 1-based, after clamping. */
  page: number;
  pages: number;
  /** The page a "More…" row leads to; absent on the last page. */
  next?: number;
}

/**
 * The entries of page `page` (1-based). A page past the end, or not a whole number, gives the last
 * or first page instead of an empty list: the data may have shrunk since the "More…" row was sent.
 */
export function pageOf<T>(entries: readonly T[], page: number): PageOf<T> {
  const perPage = ROWS_PER_LIST - 1;
  const pages =
    entries.length <= ROWS_PER_LIST ? 1 : Math.ceil((entries.length - ROWS_PER_LIST) / perPage) + 1;
  const current = Math.min(Math.max(1, Number.isSafeInteger(page) ? page : 1), pages);
  const start = (current - 1) * perPage;
  if (current === pages) return { entries: entries.slice(start), page: current, pages };
  return { entries: entries.slice(start, start + perPage), page: current, pages, next: current + 1 };
}
