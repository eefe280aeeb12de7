/**
 * Escapes text for HTML content and double-quoted attribute values: the one escaper of every server-rendered
 * page (the portal, the privacy pages). `undefined` renders as nothing, a number as its digits.
 */
export const escapeHtml = (value: string | number | undefined): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
