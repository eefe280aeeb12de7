import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A sealed value that cannot be opened: wrong key, wrong context (moved between records) or tampered. */
export class SealError extends Error {
  override name = 'SealError';
}

/**
 * Encrypts values at rest with AES-256-GCM (DATA_ENCRYPTION_KEY): what customers wrote and what the bot
 * answered them (inbox events, outbox replies), conversation state and customer profiles. Each sealed value
 * is bound to the record it belongs to (`context`, e.g. `outbox:<id>`, as GCM additional data), so a sealed
 * field copied into another record does not open. The string holds a version, the key's short id (so a
 * rotated key fails with a clear error, not garbage), a random 96-bit IV, the tag and the ciphertext.
 */
export interface Sealer {
  seal(value: unknown, context: string): string;
  open<T>(sealed: string, context: string): T;
}

const VERSION = 's1';
/** GCM's full tag. Node accepts shorter tags unless told the length, and a 4-byte tag is forged in ~2^32 tries. */
const TAG_BYTES = 16;
const IV_BYTES = 12;

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('the data encryption key must be 32 bytes');
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return {
    seal(value, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [
        VERSION,
        keyId,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open<T>(sealed: string, context: string): T {
      const [version, id, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new SealError('not a sealed value');
      }
      if (id !== keyId) throw new SealError(`sealed with another key (${id ?? '?'}), not the configured one`);
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
        throw new SealError('sealed value failed authentication (truncated IV or tag)');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tagBytes);
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return JSON.parse(text.toString('utf8')) as T;
      } catch {
        throw new SealError('sealed value failed authentication (tampered, or bound to another record)');
      }
    },
  };
}
