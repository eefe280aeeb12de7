import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeKey } from './config.js';
import type { SecretVariable } from './config.js';

const FILE = 'dev-secrets.json';
/** The access token is Meta's to issue: generating one would only make sends fail later. */
const GENERATED = [
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'ADMIN_TOKEN',
  'PRIVACY_PEPPER',
  'DATA_ENCRYPTION_KEY',
] as const;
type GeneratedSecret = (typeof GENERATED)[number];

/**
 * Development secrets, generated once and kept in `DATA_DIR/dev-secrets.json` (mode 0600, git-ignored with
 * the data folder) so that they survive restarts: a pepper that changed on every start would orphan every
 * hashed customer reference. Never used in production (loadConfig refuses them there). Values are never
 * logged; the file's path is.
 */
export function loadOrCreateDevSecrets(dataDir: string): {
  secrets: Record<GeneratedSecret, string>;
  file: string;
} {
  const file = path.resolve(dataDir, FILE);
  let stored: Partial<Record<SecretVariable, string>> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Record<SecretVariable, string>>;
  } catch {
    stored = {};
  }
  const secrets = {} as Record<GeneratedSecret, string>;
  let changed = false;
  for (const name of GENERATED) {
    const value = stored[name];
    const usable =
      typeof value === 'string' &&
      (name === 'DATA_ENCRYPTION_KEY' ? decodeKey(value) !== undefined : value.length >= 32);
    if (usable) {
      secrets[name] = value;
    } else {
      // The data key is a raw AES-256 key (32 bytes, base64); the others are opaque strings.
      secrets[name] =
        name === 'DATA_ENCRYPTION_KEY'
          ? randomBytes(32).toString('base64')
          : `dev-${randomBytes(24).toString('base64url')}`;
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return { secrets, file };
}
