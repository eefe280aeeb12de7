/**
 * WhatsApp formatting as a terminal shows it: *bold*, _italic_, ~strikethrough~ and `monospace`, the way
 * WhatsApp reads them (a marker pair around text that does not start or end with a space).
 */
export function renderFormatting(text: string, on: boolean): string {
  if (!on) return text;
  return text
    .replace(/\*(\S(?:[^*\n]*\S)?)\*/g, '\u001b[1m$1\u001b[22m')
    .replace(/(^|[\s(])_(\S(?:[^_\n]*\S)?)_/g, '$1\u001b[3m$2\u001b[23m')
    .replace(/~(\S(?:[^~\n]*\S)?)~/g, '\u001b[9m$1\u001b[29m')
    .replace(/`([^`\n]+)`/g, '\u001b[2m$1\u001b[22m');
}
