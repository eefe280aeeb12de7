import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, decodeKey, loadConfig } from '../src/config.js';
import { loadOrCreateDevSecrets } from '../src/dev-secrets.js';

const GENERATED = {
  WHATSAPP_APP_SECRET: 'generated-app-secret-000000000000',
  WHATSAPP_VERIFY_TOKEN: 'generated-verify-token-0000000000',
  ADMIN_TOKEN: 'generated-admin-token-00000000000',
  PRIVACY_PEPPER: 'generated-privacy-pepper-000000000',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const PRODUCTION = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb+srv://user:pw@cluster0.example.net/polus',
  PUBLIC_BASE_URL: 'https://bot.example.com/',
  WHATSAPP_APP_SECRET: 'prod-app-secret-0123456789',
  WHATSAPP_VERIFY_TOKEN: 'prod-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-prod-access-token',
  ADMIN_TOKEN: 'prod-admin-token-0123456789abcdef',
  PRIVACY_PEPPER: 'prod-pepper-0123456789abcdef0123456789',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('hex'),
  PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
};

describe('loadConfig', () => {
  it('when development has no variables, then generated secrets and the embedded database are used, and named', () => {
    const config = loadConfig({}, GENERATED);
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.mongo).toEqual({ uri: undefined, dataDir: '.data', embeddedPort: 0 });
    expect(config.adminToken).toBe(GENERATED.ADMIN_TOKEN);
    expect(config.whatsapp.accessToken).toBe('');
    expect(config.whatsapp.graphBaseUrl).toBe('https://graph.facebook.com');
    expect(config.generatedSecrets).toEqual([
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
      'ADMIN_TOKEN',
      'PRIVACY_PEPPER',
      'DATA_ENCRYPTION_KEY',
    ]);
    expect(config.privacy).toEqual({
      dataKey: Buffer.alloc(32, 7),
      contactEmail: undefined,
      customerRetentionDays: 365,
    });
    expect(config.llm.configured).toBe(false);
  });

  it('when development has neither the variable nor a generated value, then the error names the secret', () => {
    expect(() => loadConfig({})).toThrow(/WHATSAPP_APP_SECRET/);
  });

  it('when production has every variable, then the configuration uses them and generates nothing', () => {
    const config = loadConfig(PRODUCTION, GENERATED);
    expect(config.env).toBe('production');
    expect(config.generatedSecrets).toEqual([]);
    expect(config.adminToken).toBe(PRODUCTION.ADMIN_TOKEN);
    expect(config.publicBaseUrl).toBe('https://bot.example.com');
    expect(config.privacy).toEqual({
      dataKey: Buffer.alloc(32, 9),
      contactEmail: 'privacy@example.com',
      customerRetentionDays: 365,
    });
  });

  it.each([
    'MONGODB_URI',
    'PUBLIC_BASE_URL',
    'WHATSAPP_APP_SECRET',
    'WHATSAPP_ACCESS_TOKEN',
    'ADMIN_TOKEN',
    'PRIVACY_PEPPER',
    'DATA_ENCRYPTION_KEY',
    'PRIVACY_CONTACT_EMAIL',
  ])(
    'when production lacks %s, then it refuses to start and names it, generated values notwithstanding',
    (name) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[name];
      expect(() => loadConfig(env, GENERATED)).toThrow(ConfigError);
      expect(() => loadConfig(env, GENERATED)).toThrow(new RegExp(name));
    },
  );

  it.each([
    ['MONGODB_URI', 'postgres://x'],
    ['EMBEDDED_DB_PORT', '70000'],
    ['PORT', 'eighty'],
    ['LOG_LEVEL', 'loud'],
    ['WHATSAPP_API_BASE_URL', 'ftp://graph.example'],
    ['WHATSAPP_API_VERSION', '24'],
    ['ADMIN_TOKEN', 'short'],
    ['PRIVACY_PEPPER', 'short'],
    ['DATA_ENCRYPTION_KEY', Buffer.alloc(16, 1).toString('base64')],
    ['PRIVACY_CONTACT_EMAIL', 'privacy-at-example.com'],
    ['CUSTOMER_RETENTION_DAYS', '0'],
    ['NODE_ENV', 'staging'],
  ])('when %s is %s, then the error names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value }, GENERATED)).toThrow(new RegExp(name));
  });

  it('when an AI endpoint is set without a model, then it refuses to start naming OPENAI_MODEL', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, GENERATED)).toThrow(/OPENAI_MODEL/);
    const config = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'small' }, GENERATED);
    expect(config.llm).toMatchObject({ configured: true, model: 'small', baseUrl: 'http://127.0.0.1:9/v1' });
  });

  it('when a configuration error is thrown, then its message holds no secret value', () => {
    const env = { ...PRODUCTION, ADMIN_TOKEN: 'tooshort' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).not.toContain('tooshort');
      expect((err as Error).message).not.toContain(PRODUCTION.PRIVACY_PEPPER);
      expect((err as Error).message).not.toContain(PRODUCTION.DATA_ENCRYPTION_KEY);
    }
  });
});

describe('loadConfig: where the bot listens (HOST)', () => {
  it('when development sets no HOST, then it listens on 127.0.0.1 only', () => {
    expect(loadConfig({}, GENERATED).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }, GENERATED).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '  ' }, GENERATED).host).toBe('127.0.0.1');
  });

  it('when production sets no HOST, then the platform default (every interface) is kept', () => {
    expect(loadConfig(PRODUCTION).host).toBeUndefined();
  });

  it.each(['0.0.0.0', '::', '::1', '192.0.2.10', 'localhost', 'bot.internal'])(
    'when HOST is %s, then it is used as given',
    (value) => {
      expect(loadConfig({ HOST: value }, GENERATED).host).toBe(value);
      expect(loadConfig({ ...PRODUCTION, HOST: value }).host).toBe(value);
    },
  );

  it.each(['http://0.0.0.0', '0.0.0.0:3000', 'bad host', '-leading.dash', 'under_score'])(
    'when HOST is %s, then the configuration is refused naming HOST',
    (value) => {
      expect(() => loadConfig({ HOST: value }, GENERATED)).toThrow(/HOST must be/);
    },
  );
});

describe('loadConfig: whose X-Forwarded-For counts (TRUST_PROXY)', () => {
  it('when TRUST_PROXY is unset or empty, then no proxy is trusted', () => {
    expect(loadConfig({}, GENERATED).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }, GENERATED).trustProxy).toBe(false);
    expect(loadConfig(PRODUCTION).trustProxy).toBe(false);
  });

  it.each([
    { value: 'false', expected: false },
    { value: 'true', expected: true },
    { value: '0', expected: 0 },
    { value: '1', expected: 1 },
    { value: ' 2 ', expected: 2 },
    { value: '10.0.0.1', expected: ['10.0.0.1'] },
    { value: '10.0.0.0/8, 192.168.1.1', expected: ['10.0.0.0/8', '192.168.1.1'] },
    { value: 'loopback,uniquelocal', expected: ['loopback', 'uniquelocal'] },
    { value: 'fd00::/8,::1', expected: ['fd00::/8', '::1'] },
  ])('when TRUST_PROXY is "$value", then Express gets $expected', ({ value, expected }) => {
    expect(loadConfig({ TRUST_PROXY: value }, GENERATED).trustProxy).toEqual(expected);
  });

  it.each([
    'yes',
    '11',
    '-1',
    '1.5',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.1/',
    '10.0.0.1,',
    'loopback,evil',
    '300.0.0.1',
  ])('when TRUST_PROXY is "%s", then the configuration is refused naming TRUST_PROXY', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value }, GENERATED)).toThrow(/TRUST_PROXY must be/);
  });
});

describe('loadConfig: the webhook under load', () => {
  it('when neither variable is set, then 64 stores at once and a backlog bound of 5,000 messages', () => {
    expect(loadConfig({}, GENERATED).intake).toEqual({ concurrency: 64, backlogLimit: 5_000 });
  });

  it('when both are set, then they are used', () => {
    const config = loadConfig({ WEBHOOK_CONCURRENCY: '8', INBOX_BACKLOG_LIMIT: '200' }, GENERATED);
    expect(config.intake).toEqual({ concurrency: 8, backlogLimit: 200 });
  });

  it.each([
    ['WEBHOOK_CONCURRENCY', '0'],
    ['WEBHOOK_CONCURRENCY', 'many'],
    ['WEBHOOK_CONCURRENCY', '2.5'],
    ['INBOX_BACKLOG_LIMIT', '0'],
    ['INBOX_BACKLOG_LIMIT', '-5'],
  ])('when %s is "%s", then the configuration is refused naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, GENERATED)).toThrow(new RegExp(name));
  });
});

describe('loadOrCreateDevSecrets', () => {
  it('when called twice on one data folder, then the same secrets come back and the file is private', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-secrets-'));
    try {
      const first = loadOrCreateDevSecrets(dir);
      const second = loadOrCreateDevSecrets(dir);
      expect(second.secrets).toEqual(first.secrets);
      expect(first.secrets.PRIVACY_PEPPER.length).toBeGreaterThanOrEqual(32);
      expect(decodeKey(first.secrets.DATA_ENCRYPTION_KEY)?.length).toBe(32);
      expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
