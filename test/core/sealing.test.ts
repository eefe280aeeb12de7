/**
 * Sealing at rest (src/privacy/sealing.ts): AES-256-GCM bound to the record it belongs to. Round trips,
 * fresh IVs, and every way a sealed value must refuse to open: wrong record, wrong key, tampering,
 * truncation, or not a sealed value at all. Also the key itself, as DATA_ENCRYPTION_KEY is read.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, decodeKey, loadConfig } from '../../src/config.js';
import { SealError, createSealer } from '../../src/core/sealing.js';

const KEY = randomBytes(32);
const sealer = createSealer(KEY);
const CONTEXT = 'outbox:6650f0c2a1b2c3d4e5f60718';

/** Replaces one dot-separated part of a sealed string. */
function withPart(sealed: string, index: number, change: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = change(parts[index] ?? '');
  return parts.join('.');
}

/** Flips one bit of a base64url part, keeping its length. */
function flipBit(part: string, byte = 0): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

function sealError(fn: () => unknown): SealError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealError);
    expect((err as Error).name).toBe('SealError');
    return err as SealError;
  }
  throw new Error('expected a SealError, nothing was thrown');
}

describe('createSealer: round trips', () => {
  it.each([
    { name: 'a string', value: 'Rua das Flores 12, 2º — entregar às 19h' },
    { name: 'an empty string', value: '' },
    { name: 'an emoji string', value: 'Olá 👋🏽 ¿qué tal? 你好' },
    { name: 'a number', value: 42.5 },
    { name: 'zero', value: 0 },
    { name: 'a negative integer', value: -7 },
    { name: 'true', value: true },
    { name: 'false', value: false },
    { name: 'null', value: null },
    { name: 'an empty array', value: [] },
    { name: 'an empty object', value: {} },
    {
      name: 'a nested object',
      value: {
        type: 'text',
        text: 'Your order 12 is ready',
        buttons: [{ id: 'pv.erase.yes:abc', title: 'Delete my data' }],
        meta: { n: 1, ok: true, none: null, list: [1, 'two', { three: 3 }] },
      },
    },
    { name: 'a long text', value: 'x'.repeat(100_000) },
  ])('when $name is sealed and opened with the same context, then the same value comes back', ({ value }) => {
    const sealed = sealer.seal(value, CONTEXT);
    expect(typeof sealed).toBe('string');
    expect(sealer.open(sealed, CONTEXT)).toEqual(value);
  });

  it('when a value has a Date or undefined fields, then it comes back as JSON would give it', () => {
    const at = new Date('2026-05-01T10:00:00.000Z');
    const opened = sealer.open<Record<string, unknown>>(
      sealer.seal({ at, gone: undefined, kept: 1 }, CONTEXT),
      CONTEXT,
    );
    expect(opened).toEqual({ at: '2026-05-01T10:00:00.000Z', kept: 1 });
  });

  it('when another sealer is made from the same key, then it opens what the first sealed', () => {
    const sealed = sealer.seal({ name: 'Zelda' }, CONTEXT);
    expect(createSealer(Buffer.from(KEY)).open(sealed, CONTEXT)).toEqual({ name: 'Zelda' });
  });

  it('when the same value is sealed twice, then the sealed strings differ (a fresh random IV each time)', () => {
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const sealed = sealer.seal('same text', CONTEXT);
      seen.add(sealed);
      ivs.add(sealed.split('.')[2] ?? '');
      expect(sealer.open(sealed, CONTEXT)).toBe('same text');
    }
    expect(seen.size).toBe(50);
    expect(ivs.size).toBe(50);
  });

  it('when a value is sealed, then the sealed string shows neither the text nor its encodings', () => {
    const secret = 'Maria Quintanilha, +351 912 345 678, Rua das Flores 12';
    const sealed = sealer.seal({ secret }, CONTEXT);
    for (const form of [
      secret,
      'Maria',
      'Quintanilha',
      '912 345 678',
      Buffer.from(JSON.stringify({ secret })).toString('base64'),
      Buffer.from(JSON.stringify({ secret })).toString('base64url'),
      Buffer.from(secret).toString('hex'),
    ]) {
      expect(sealed).not.toContain(form);
    }
    expect(sealed).not.toContain(CONTEXT);
  });

  it('when a value is sealed, then the string is version.keyId.iv.tag.body with a 12-byte IV and a 16-byte tag', () => {
    const sealed = sealer.seal('hello', CONTEXT);
    const [version, keyId, iv, tag, body, ...rest] = sealed.split('.');
    expect(rest).toEqual([]);
    expect(version).toBe('s1');
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(body ?? '', 'base64url')).toHaveLength(Buffer.byteLength(JSON.stringify('hello')));
    expect(sealed).toMatch(/^[A-Za-z0-9_.-]+$/);
  });
});

describe('createSealer: refusing to open', () => {
  const sealed = sealer.seal({ text: 'delete my data' }, CONTEXT);

  it('when the context differs (the value was copied to another record), then it fails authentication', () => {
    for (const other of [
      'outbox:6650f0c2a1b2c3d4e5f60719',
      'inbox:6650f0c2a1b2c3d4e5f60718',
      '',
      `${CONTEXT} `,
    ]) {
      const err = sealError(() => sealer.open(sealed, other));
      expect(err.message).toMatch(/failed authentication/);
      expect(err.message).toMatch(/tampered|another record/);
    }
  });

  it('when another key opens it, then the error says it was sealed with another key, naming only key ids', () => {
    const otherKey = randomBytes(32);
    const err = sealError(() => createSealer(otherKey).open(sealed, CONTEXT));
    const keyId = sealed.split('.')[1] ?? '';
    expect(err.message).toBe(`sealed with another key (${keyId}), not the configured one`);
    expect(err.message).not.toContain(KEY.toString('base64'));
    expect(err.message).not.toContain(KEY.toString('hex'));
    expect(err.message).not.toContain(otherKey.toString('hex'));
  });

  it('when the key id is forged to the configured one, then another key still fails authentication', () => {
    const other = createSealer(randomBytes(32));
    const foreign = other.seal({ text: 'x' }, CONTEXT);
    const forged = withPart(foreign, 1, () => sealed.split('.')[1] ?? '');
    expect(sealError(() => sealer.open(forged, CONTEXT)).message).toMatch(/failed authentication/);
  });

  it.each([
    { part: 'the IV', index: 2 },
    { part: 'the tag', index: 3 },
    { part: 'the body', index: 4 },
  ])('when one bit of $part is flipped, then it fails authentication', ({ index }) => {
    const tampered = withPart(sealed, index, (p) => flipBit(p));
    expect(tampered).not.toBe(sealed);
    expect(sealError(() => sealer.open(tampered, CONTEXT)).message).toMatch(/failed authentication/);
  });

  it('when the last byte of the body is flipped, then it fails authentication', () => {
    const body = sealed.split('.')[4] ?? '';
    const last = Buffer.from(body, 'base64url').length - 1;
    const tampered = withPart(sealed, 4, (p) => flipBit(p, last));
    expect(sealError(() => sealer.open(tampered, CONTEXT)).message).toMatch(/failed authentication/);
  });

  it('when the body of one sealed value is put under the IV and tag of another, then it fails', () => {
    const second = sealer.seal({ text: 'keep my data!!' }, CONTEXT);
    const spliced = withPart(sealed, 4, () => second.split('.')[4] ?? '');
    expect(sealError(() => sealer.open(spliced, CONTEXT)).message).toMatch(/failed authentication/);
  });

  it.each([4, 8, 12, 15])(
    'when the genuine tag is cut to its first %i bytes, then it is refused (GCM would verify the prefix)',
    (bytes) => {
      const cut = withPart(sealed, 3, (p) =>
        Buffer.from(p, 'base64url').subarray(0, bytes).toString('base64url'),
      );
      expect(sealError(() => sealer.open(cut, CONTEXT)).message).toMatch(/failed authentication/);
    },
  );

  it.each([
    { name: 'the body is cut short', change: (s: string) => withPart(s, 4, (p) => p.slice(0, -4)) },
    { name: 'the body is empty', change: (s: string) => withPart(s, 4, () => '') },
    { name: 'the tag is cut short', change: (s: string) => withPart(s, 3, (p) => p.slice(0, 8)) },
    { name: 'the tag is empty', change: (s: string) => withPart(s, 3, () => '') },
    { name: 'the IV is empty', change: (s: string) => withPart(s, 2, () => '') },
    { name: 'bytes are added to the body', change: (s: string) => `${s}AAAA` },
  ])('when $name, then it is refused with a SealError', ({ change }) => {
    const broken = change(sealed);
    const err = sealError(() => sealer.open(broken, CONTEXT));
    expect(err.message).toMatch(/failed authentication|not a sealed value/);
  });

  it.each([
    { name: 'an empty string', value: '' },
    { name: 'plain text', value: 'delete my data' },
    { name: 'JSON', value: '{"text":"hi"}' },
    { name: 'another version', value: `s2.${sealed.split('.').slice(1).join('.')}` },
    { name: 'only the version and key id', value: sealed.split('.').slice(0, 2).join('.') },
    { name: 'the first four parts', value: sealed.split('.').slice(0, 4).join('.') },
  ])('when $name is opened, then it is "not a sealed value"', ({ value }) => {
    expect(sealError(() => sealer.open(value, CONTEXT)).message).toBe('not a sealed value');
  });

  it('when opening fails, then the message holds neither the plaintext nor the sealed string', () => {
    const err = sealError(() => sealer.open(sealed, 'conversation:elsewhere'));
    expect(err.message).not.toContain('delete my data');
    expect(err.message).not.toContain(sealed);
    expect(err.message).not.toContain(sealed.split('.')[4] ?? '');
  });
});

describe('createSealer: the key', () => {
  it.each([0, 16, 24, 31, 33, 64])('when the key is %i bytes, then it is refused', (length) => {
    expect(() => createSealer(randomBytes(length))).toThrow('the data encryption key must be 32 bytes');
  });

  it('when the key is 32 bytes, then a sealer is made', () => {
    expect(() => createSealer(Buffer.alloc(32, 1))).not.toThrow();
  });
});

describe('decodeKey (DATA_ENCRYPTION_KEY)', () => {
  const key = randomBytes(32);

  it('when the key is base64 (44 characters, padded), then it decodes to the 32 bytes', () => {
    const text = key.toString('base64');
    expect(text).toHaveLength(44);
    expect(decodeKey(text)?.equals(key)).toBe(true);
  });

  it('when the key is base64 without padding or base64url (43 characters), then it decodes to the 32 bytes', () => {
    expect(decodeKey(key.toString('base64').replace(/=+$/, ''))?.equals(key)).toBe(true);
    expect(decodeKey(key.toString('base64url'))?.equals(key)).toBe(true);
  });

  it('when the key is hex (64 characters), in either case, then it decodes to the 32 bytes', () => {
    expect(decodeKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(decodeKey(key.toString('hex').toUpperCase())?.equals(key)).toBe(true);
  });

  it('when the key has surrounding whitespace (a pasted value), then it is trimmed', () => {
    expect(decodeKey(`  ${key.toString('base64')}\n`)?.equals(key)).toBe(true);
    expect(decodeKey(`\t${key.toString('hex')} `)?.equals(key)).toBe(true);
  });

  it('when a key that is all hex digits is 64 characters, then it is read as hex, not base64', () => {
    const hex = 'ab'.repeat(32);
    expect(decodeKey(hex)).toEqual(Buffer.alloc(32, 0xab));
  });

  it.each([
    { name: 'empty', value: '' },
    { name: '16 bytes of base64', value: randomBytes(16).toString('base64') },
    { name: '31 bytes of base64', value: randomBytes(31).toString('base64') },
    { name: '33 bytes of base64', value: randomBytes(33).toString('base64') },
    { name: '48 bytes of base64 (64 characters, not hex)', value: randomBytes(48).toString('base64') },
    { name: '31 bytes of hex', value: randomBytes(31).toString('hex') },
    { name: '33 bytes of hex', value: randomBytes(33).toString('hex') },
    { name: 'hex with one digit missing', value: randomBytes(32).toString('hex').slice(1) },
    { name: 'a passphrase', value: 'correct horse battery staple and more words here ok' },
    { name: 'base64 inside other characters', value: `!!!${randomBytes(32).toString('base64')}!!!` },
    {
      name: 'base64 with spaces inside',
      value: randomBytes(32)
        .toString('base64')
        .replace(/(.{11})/g, '$1 '),
    },
  ])('when the key is $name, then it is not a key', ({ value }) => {
    expect(decodeKey(value)).toBeUndefined();
  });
});

describe('loadConfig: DATA_ENCRYPTION_KEY', () => {
  const GENERATED = {
    WHATSAPP_APP_SECRET: 'generated-app-secret-000000000000',
    WHATSAPP_VERIFY_TOKEN: 'generated-verify-token-0000000000',
    ADMIN_TOKEN: 'generated-admin-token-00000000000',
    PRIVACY_PEPPER: 'generated-privacy-pepper-000000000',
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };

  it('when the key is valid, then the configuration carries its 32 bytes', () => {
    const key = randomBytes(32);
    expect(
      loadConfig({ DATA_ENCRYPTION_KEY: key.toString('hex') }, GENERATED).privacy.dataKey.equals(key),
    ).toBe(true);
    expect(
      loadConfig({ DATA_ENCRYPTION_KEY: key.toString('base64') }, GENERATED).privacy.dataKey.equals(key),
    ).toBe(true);
  });

  it.each([
    { name: 'too short', value: randomBytes(16).toString('base64') },
    { name: 'too long', value: randomBytes(48).toString('hex') },
    { name: 'a passphrase', value: 'correct horse battery staple and more words here ok' },
    { name: 'hex with a typo', value: `${randomBytes(32).toString('hex').slice(0, 63)}g` },
  ])('when the key is $name, then loading refuses, names the variable and not the value', ({ value }) => {
    const load = () => loadConfig({ DATA_ENCRYPTION_KEY: value }, GENERATED);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATA_ENCRYPTION_KEY/);
    expect(load).toThrow(/32 random bytes, base64 \(44 characters\) or hex \(64 characters\)/);
    try {
      load();
    } catch (err) {
      expect((err as Error).message).not.toContain(value);
    }
  });

  it('when production has no key, then it refuses to start naming the variable, generated keys notwithstanding', () => {
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb+srv://user:pw@cluster0.example.net/polus',
      PUBLIC_BASE_URL: 'https://bot.example.com',
      PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
      WHATSAPP_APP_SECRET: 'prod-app-secret-0123456789',
      WHATSAPP_VERIFY_TOKEN: 'prod-verify-token',
      WHATSAPP_ACCESS_TOKEN: 'EAAG-prod-access-token',
      ADMIN_TOKEN: 'prod-admin-token-0123456789abcdef',
      PRIVACY_PEPPER: 'prod-pepper-0123456789abcdef0123456789',
    };
    expect(() => loadConfig(production, GENERATED)).toThrow(/DATA_ENCRYPTION_KEY/);
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ ...production, DATA_ENCRYPTION_KEY: key }).privacy.dataKey).toHaveLength(32);
  });

  it('when development has no key, then the generated one is used and named as generated', () => {
    const config = loadConfig({}, GENERATED);
    expect(config.privacy.dataKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.generatedSecrets).toContain('DATA_ENCRYPTION_KEY');
  });
});
