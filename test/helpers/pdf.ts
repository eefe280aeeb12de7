/**
 * The text on the pages of a PDF made by pdfkit with its built-in fonts, read back without a PDF library:
 * each content stream (inflated when it is FlateDecode-compressed, as sent) holds the text as hex strings
 * in `TJ` operators, one byte per character in the WinAnsi encoding. Enough to check what a customer
 * reads, word for word; not a general PDF parser.
 */
import { inflateSync } from 'node:zlib';

/**
 * WinAnsi's bytes 0x80–0x9F (the rest is Latin-1). Written out: Node's TextDecoder('windows-1252') reads
 * these bytes as Latin-1 control characters, which would hide a missing € or bullet.
 */
const WIN_ANSI_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

function winAnsi(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** The content of every stream of the file, inflated where the stream's dictionary says FlateDecode. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const keyword = pdf.indexOf('>>\nstream\n', at, 'latin1');
    if (keyword < 0) return out;
    const dictionary = pdf.subarray(pdf.lastIndexOf('<<', keyword, 'latin1'), keyword).toString('latin1');
    // pdfkit writes each stream's /Length as a number: the data is exactly that many bytes.
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const start = keyword + '>>\nstream\n'.length;
    const data = pdf.subarray(start, start + length);
    out.push((dictionary.includes('/FlateDecode') ? inflateSync(data) : data).toString('latin1'));
    at = start + length;
  }
}

/** The text shown on the pages, one line per `TJ` (a run of one font on one line), in page order. */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const content of streams(pdf)) {
    for (const [, array = ''] of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      const hex = [...array.matchAll(/<([0-9a-f]*)>/g)].map((m) => m[1] ?? '').join('');
      lines.push(winAnsi(Buffer.from(hex, 'hex')));
    }
  }
  return lines.join('\n');
}
