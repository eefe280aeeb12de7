import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../src/webhook/signature.js';
import { fixtureBytes } from './fixtures.js';

const SECRET = 'fake_app_secret_do_not_use_0123456789';

/** The header value documented in webhook-signature-example.txt, read from the file so the two cannot drift. */
function documentedHeader(): string {
  const text = fixtureBytes('webhook-signature-example.txt').toString('utf8');
  const header = /X-Hub-Signature-256: (sha256=[0-9a-f]{64})/.exec(text)?.[1];
  if (header === undefined) throw new Error('webhook-signature-example.txt has no X-Hub-Signature-256 line');
  return header;
}

/** Independent of the code under test: hex HMAC written out here with node:crypto. */
function hexHmac(body: string | Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

// The escaped-slash/escaped-unicode body from webhook-signature-example.txt, byte for byte.
const ESCAPED_BODY = '{"text":{"body":"caf\\u00e9 \\/ men\\u00fa"}}';

describe('verifySignature', () => {
  it('when the fixture body is checked with its documented header, then it verifies over the raw bytes', () => {
    const body = fixtureBytes('inbound-text.json');
    const header = documentedHeader();

    expect(header).toBe('sha256=4b8be098a547bf6df7d84f1fa142d599aa210bd9d13092d013e2e10347a31e69');
    expect(verifySignature(body, header, SECRET)).toStrictEqual({ ok: true, via: 'raw' });
  });

  it('when the fixture body is re-serialised, then the original header no longer matches', () => {
    const reserialised = Buffer.from(
      JSON.stringify(JSON.parse(fixtureBytes('inbound-text.json').toString('utf8'))),
    );

    expect(reserialised.length).toBe(503);
    expect(verifySignature(reserialised, documentedHeader(), SECRET)).toStrictEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('when a body with \\u00e9 and \\/ escapes is re-serialised, then it fails against the header of the original', () => {
    const original = Buffer.from(ESCAPED_BODY);
    const header = signBody(original, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(ESCAPED_BODY)));

    expect(header).toBe('sha256=ee445517fc7eb46d3336d022b9c8eb376c4309201eaad17612aad326d34f3291');
    expect(reserialised.toString('utf8')).toBe('{"text":{"body":"café / menú"}}');
    expect(verifySignature(original, header, SECRET)).toStrictEqual({ ok: true, via: 'raw' });
    expect(verifySignature(reserialised, header, SECRET)).toStrictEqual({ ok: false, reason: 'mismatch' });
  });

  it('when a raw UTF-8 body was signed over its lowercase \\uXXXX-escaped form, then it verifies via the escaped path', () => {
    const raw = Buffer.from('{"text":{"body":"café 😀 ok"}}', 'utf8');
    const escapedByHand = '{"text":{"body":"caf\\u00e9 \\ud83d\\ude00 ok"}}';
    const header = `sha256=${hexHmac(escapedByHand)}`;

    expect(verifySignature(raw, header, SECRET)).toStrictEqual({ ok: true, via: 'escaped' });
  });

  it('when a raw UTF-8 body was signed as is, then it verifies via the raw path', () => {
    const raw = Buffer.from('{"text":{"body":"café"}}', 'utf8');

    expect(verifySignature(raw, `sha256=${hexHmac(raw)}`, SECRET)).toStrictEqual({ ok: true, via: 'raw' });
  });

  it('when the escaped form was signed with uppercase hex escapes, then it does not verify', () => {
    const raw = Buffer.from('{"text":{"body":"café"}}', 'utf8');
    const header = `sha256=${hexHmac('{"text":{"body":"caf\\u00E9"}}')}`;

    expect(verifySignature(raw, header, SECRET)).toStrictEqual({ ok: false, reason: 'mismatch' });
  });

  it('when an escaped body was signed over its decoded UTF-8, then it does not verify (no unescaping)', () => {
    const header = `sha256=${hexHmac(Buffer.from('{"text":{"body":"café / menú"}}', 'utf8'))}`;

    expect(verifySignature(Buffer.from(ESCAPED_BODY), header, SECRET)).toStrictEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('when the body has DEL and non-ASCII characters, then the escaped path matches whatsapp-api-js (DEL escaped too)', () => {
    const raw = Buffer.from('{"a":"\u007f\u00e9"}', 'utf8');
    const header = `sha256=${hexHmac('{"a":"\\u007f\\u00e9"}')}`;

    expect(verifySignature(raw, header, SECRET)).toStrictEqual({ ok: true, via: 'escaped' });
  });

  it('when the body is signed with another secret, then it is a mismatch', () => {
    const body = fixtureBytes('inbound-text.json');

    expect(verifySignature(body, signBody(body, 'another_secret'), SECRET)).toStrictEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('when one byte of the body changes, then it is a mismatch', () => {
    const body = Buffer.from(fixtureBytes('inbound-text.json'));
    body[body.length - 2] = 0x20;

    expect(verifySignature(body, documentedHeader(), SECRET)).toStrictEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('when the header is %s, then it is missing', (_label, header) => {
    expect(verifySignature(fixtureBytes('inbound-text.json'), header, SECRET)).toStrictEqual({
      ok: false,
      reason: 'missing',
    });
  });

  describe('header format', () => {
    const body = fixtureBytes('inbound-text.json');
    const hex = documentedHeader().slice('sha256='.length);

    it.each([
      ['a sha1= prefix', `sha1=${hex}`],
      ['an uppercase prefix', `SHA256=${hex}`],
      ['no prefix', hex],
      ['63 hex digits', `sha256=${hex.slice(0, 63)}`],
      ['65 hex digits', `sha256=${hex}0`],
      ['a SHA-1 length digest', `sha256=${hex.slice(0, 40)}`],
      ['uppercase hex of the right digest', `sha256=${hex.toUpperCase()}`],
      ['a non-hex digit', `sha256=${hex.slice(0, 63)}g`],
      ['leading whitespace', ` sha256=${hex}`],
      ['trailing whitespace', `sha256=${hex} `],
      ['a trailing newline', `sha256=${hex}\n`],
      ['a space after the equals sign', `sha256= ${hex}`],
      ['two joined headers', `sha256=${hex}, sha256=${hex}`],
    ])('when the header has %s, then it is malformed', (_label, header) => {
      expect(verifySignature(body, header, SECRET)).toStrictEqual({ ok: false, reason: 'malformed' });
    });
  });

  it('when verification fails, then the result never contains the expected signature', () => {
    const body = fixtureBytes('inbound-text.json');
    const wrong = `sha256=${'0'.repeat(64)}`;

    const result = verifySignature(body, wrong, SECRET);

    expect(result).toStrictEqual({ ok: false, reason: 'mismatch' });
    expect(JSON.stringify(result)).not.toContain(hexHmac(body));
  });

  it('when the body is a view into a larger buffer, then only the view is hashed', () => {
    const inner = fixtureBytes('inbound-text.json');
    const outer = Buffer.concat([Buffer.from('prefix'), inner, Buffer.from('suffix')]);
    const view = outer.subarray(6, 6 + inner.length);

    expect(verifySignature(view, documentedHeader(), SECRET)).toStrictEqual({ ok: true, via: 'raw' });
  });

  it('when the app secret is empty, then it throws instead of checking', () => {
    const body = Buffer.from('{}');

    expect(() => verifySignature(body, `sha256=${hexHmac(body, '')}`, '')).toThrow(TypeError);
  });
});

describe('signBody', () => {
  it('when the fixture body is signed, then the header equals the documented one', () => {
    expect(signBody(fixtureBytes('inbound-text.json'), SECRET)).toBe(documentedHeader());
  });

  it('when a string is signed, then it equals signing its UTF-8 bytes', () => {
    const text = '{"text":{"body":"café"}}';

    expect(signBody(text, SECRET)).toBe(signBody(Buffer.from(text, 'utf8'), SECRET));
    expect(signBody(text, SECRET)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('when an empty body is signed, then the result verifies', () => {
    const body = Buffer.alloc(0);

    expect(verifySignature(body, signBody(body, SECRET), SECRET)).toStrictEqual({ ok: true, via: 'raw' });
  });

  it('when the app secret is empty, then it throws', () => {
    expect(() => signBody('{}', '')).toThrow(TypeError);
  });
});
