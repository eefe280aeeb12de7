import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const httpUrl = (name: string) =>
  z
    .url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` })
    .transform((u) => u.replace(/\/+$/, ''));
const secret = (name: string, min: number) =>
  z.string().min(min, `${name} must be at least ${min} characters`);

/** Express's names for address ranges, accepted in TRUST_PROXY's list beside addresses and subnets. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/**
 * Which hops in front of the app may say who the client is (`X-Forwarded-For`): Express's `trust proxy`.
 * `false` trusts nothing (the socket's address counts); a number trusts that many hops; a list trusts those
 * addresses and subnets. `true` (trust every hop) is never useful behind a real proxy, since the client
 * writes the leftmost address itself: it is accepted only because Express accepts it.
 */
export type TrustProxy = boolean | number | readonly string[];

/** One entry of TRUST_PROXY's list: an IP address, a subnet (`10.0.0.0/8`, `fd00::/8`) or a range name. */
function proxyEntry(entry: string): boolean {
  if ((PROXY_RANGE_NAMES as readonly string[]).includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= 10) return hops;
    }
    const entries = value.split(',').map((entry) => entry.trim());
    if (/^\d+$/.test(value) || entries.some((entry) => !proxyEntry(entry))) {
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY must be false, true, a hop count from 0 to 10, or a comma-separated list of IP addresses, subnets (10.0.0.0/8) and loopback/linklocal/uniquelocal',
      });
      return z.NEVER;
    }
    return entries;
  });

/** A host name or IP address to listen on. */
const host = z
  .string()
  .trim()
  .refine(
    (value) =>
      isIP(value) !== 0 ||
      /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
        value,
      ),
    'HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name',
  );

/**
 * How long conversations, carts and customers' records are kept, as configured: the numbers the data map
 * states to customers (src/privacy/data-map.ts). A slice of `Config`, so the whole configuration may be passed.
 */
export interface RetentionSettings {
  readonly conversation: Pick<Config['conversation'], 'idleDays' | 'abandonedCartHours'>;
  readonly privacy: Pick<Config['privacy'], 'customerRetentionDays'>;
}

/** The defaults of CONVERSATION_IDLE_DAYS, ABANDONED_CART_HOURS and CUSTOMER_RETENTION_DAYS, written once. */
export const DEFAULT_RETENTION: RetentionSettings = {
  conversation: { idleDays: 7, abandonedCartHours: 24 },
  privacy: { customerRetentionDays: 365 },
};

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'test', 'production']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, port('PORT', 3000)),
  HOST: optional(host),
  TRUST_PROXY: optional(trustProxy),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default('info')),
  MONGODB_URI: optional(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://'),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  EMBEDDED_DB_PORT: optional(port('EMBEDDED_DB_PORT', 0)),
  WHATSAPP_APP_SECRET: optional(secret('WHATSAPP_APP_SECRET', 16)),
  WHATSAPP_VERIFY_TOKEN: optional(secret('WHATSAPP_VERIFY_TOKEN', 8)),
  WHATSAPP_ACCESS_TOKEN: optional(secret('WHATSAPP_ACCESS_TOKEN', 8)),
  WHATSAPP_API_BASE_URL: z.preprocess(
    emptyAsUndefined,
    httpUrl('WHATSAPP_API_BASE_URL').default('https://graph.facebook.com'),
  ),
  WHATSAPP_API_VERSION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^v\d+\.\d+$/, 'WHATSAPP_API_VERSION must look like v24.0')
      .default('v24.0'),
  ),
  SIMULATOR: optional(z.enum(['on', 'off'], { error: 'SIMULATOR must be on or off' })),
  PUBLIC_BASE_URL: optional(httpUrl('PUBLIC_BASE_URL')),
  ADMIN_TOKEN: optional(secret('ADMIN_TOKEN', 24)),
  METRICS_TOKEN: optional(secret('METRICS_TOKEN', 32)),
  PRIVACY_PEPPER: optional(secret('PRIVACY_PEPPER', 32)),
  DATA_ENCRYPTION_KEY: optional(
    z
      .string()
      .refine(
        (value) => decodeKey(value) !== undefined,
        'DATA_ENCRYPTION_KEY must be 32 random bytes, base64 (44 characters) or hex (64 characters)',
      ),
  ),
  PRIVACY_CONTACT_EMAIL: optional(z.email('PRIVACY_CONTACT_EMAIL must be an e-mail address')),
  CUSTOMER_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'CUSTOMER_RETENTION_DAYS must be a number' })
      .int()
      .min(1)
      .max(3650)
      .default(DEFAULT_RETENTION.privacy.customerRetentionDays),
  ),
  HANDOFF_TIMEOUT_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'HANDOFF_TIMEOUT_MINUTES must be a number' })
      .int()
      .min(1)
      .max(10_080)
      .default(60),
  ),
  ABANDONED_CART_HOURS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'ABANDONED_CART_HOURS must be a number' })
      .int()
      .min(1)
      .max(720)
      .default(DEFAULT_RETENTION.conversation.abandonedCartHours),
  ),
  OUTBOX_SEND_GRACE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'OUTBOX_SEND_GRACE_SECONDS must be a number' })
      .int()
      .min(1)
      .max(3_600)
      .default(60),
  ),
  CONVERSATION_IDLE_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'CONVERSATION_IDLE_DAYS must be a number' })
      .int()
      .min(1)
      .max(365)
      .default(DEFAULT_RETENTION.conversation.idleDays),
  ),
  WEBHOOK_CONCURRENCY: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'WEBHOOK_CONCURRENCY must be a number' })
      .int()
      .min(1, 'WEBHOOK_CONCURRENCY must be at least 1')
      .max(1_024, 'WEBHOOK_CONCURRENCY must be at most 1024')
      .default(64),
  ),
  INBOX_BACKLOG_LIMIT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'INBOX_BACKLOG_LIMIT must be a number' })
      .int()
      .min(1, 'INBOX_BACKLOG_LIMIT must be at least 1')
      .max(10_000_000, 'INBOX_BACKLOG_LIMIT must be at most 10000000')
      .default(5_000),
  ),
  PROCESS_TYPE: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['all', 'web', 'worker'], { error: 'PROCESS_TYPE must be all, web or worker' })
      .default('all'),
  ),
  ENGINE_POLL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'ENGINE_POLL_MS must be a number' })
      .int()
      .min(5, 'ENGINE_POLL_MS must be at least 5')
      .max(10_000, 'ENGINE_POLL_MS must be at most 10000')
      .default(50),
  ),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(httpUrl('OPENAI_BASE_URL')),
  OPENAI_MODEL: optional(z.string().min(1)),
  OPENAI_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'OPENAI_TIMEOUT_MS must be a number' })
      .int()
      .min(500, 'OPENAI_TIMEOUT_MS must be at least 500')
      .max(60_000, 'OPENAI_TIMEOUT_MS must be at most 60000')
      .default(8_000),
  ),
  OPENAI_MAX_RETRIES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: 'OPENAI_MAX_RETRIES must be a number' }).int().min(0).max(3).default(1),
  ),
});

type Env = z.infer<typeof envSchema>;

/** The 32-byte AES key in DATA_ENCRYPTION_KEY (base64 or hex), or undefined when it is not one. */
export function decodeKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  // Strictly base64 (or base64url) of 32 bytes: Node's decoder skips foreign characters, which would take
  // a passphrase such as "correct horse battery staple and more words here" as a key.
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(text) && !/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** Secrets the bot cannot run without in production; in development they may be generated. */
export const SECRET_VARIABLES = [
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_ACCESS_TOKEN',
  'ADMIN_TOKEN',
  'PRIVACY_PEPPER',
  'DATA_ENCRYPTION_KEY',
] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly port: number;
  /**
   * The interface to listen on. Outside production 127.0.0.1 unless HOST says otherwise: the simulator
   * there has no sign-in. Undefined in production without HOST: every interface, as platforms expect.
   */
  readonly host: string | undefined;
  /** Express's `trust proxy` (TRUST_PROXY): whose `X-Forwarded-For` names the client. Default: nobody's. */
  readonly trustProxy: TrustProxy;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly publicBaseUrl: string;
  readonly mongo: {
    /** Real MongoDB; when absent the embedded server is started in-process. */
    readonly uri: string | undefined;
    /** Journal folder of the embedded server (and of generated development secrets). */
    readonly dataDir: string;
    /** Port for the in-process embedded server; 0 picks a free one. */
    readonly embeddedPort: number;
  };
  readonly whatsapp: {
    readonly appSecret: string;
    readonly verifyToken: string;
    /** Empty only in development without credentials: sends then fail and are recorded as failed. */
    readonly accessToken: string;
    readonly graphBaseUrl: string;
    readonly apiVersion: string;
    /**
     * How long a reply found `sending` after a crash waits for Meta's status webhook with its id before it
     * is sent again (OUTBOX_SEND_GRACE_SECONDS).
     */
    readonly sendGraceMs: number;
  };
  readonly conversation: {
    /** How long a "talk to a person" handoff silences the bot before it takes the conversation back. */
    readonly handoffMinutes: number;
    /** Idle conversations are deleted after this long; the next message starts a fresh one. */
    readonly idleDays: number;
    /** A cart nobody touched for this long is discarded. */
    readonly abandonedCartHours: number;
  };
  /** The webhook's bounds under load (src/webhook/overload.ts). */
  readonly intake: {
    /** Webhook bodies stored at once by one process (WEBHOOK_CONCURRENCY); more wait briefly, then get 503. */
    readonly concurrency: number;
    /**
     * Messages waiting in the inbox, across processes, at which bodies with messages get 503 and Meta retries
     * them later (INBOX_BACKLOG_LIMIT).
     */
    readonly backlogLimit: number;
  };
  /**
   * What this process runs (PROCESS_TYPE): `all` (default) answers HTTP and runs the conversation engine and
   * the sweeps; `web` answers HTTP only (the webhook stores and acknowledges, nothing is handled here); `worker`
   * runs the engine and the sweeps, finding new messages by polling the inbox every `pollMs` (ENGINE_POLL_MS),
   * and still answers HTTP (health, metrics, the simulator's stand-in) on PORT.
   */
  readonly processType: 'all' | 'web' | 'worker';
  readonly enginePollMs: number;
  readonly adminToken: string;
  /**
   * A token that reads `GET /metrics` and nothing else (METRICS_TOKEN), for a Prometheus scraper; without it
   * only the operator token does.
   */
  readonly metricsToken: string | undefined;
  /** Key for HMACs of customer ids: references to a customer without holding their phone number. */
  readonly privacyPepper: string;
  readonly privacy: {
    /** AES-256-GCM key for message text, conversation state and customer profiles at rest. */
    readonly dataKey: Buffer;
    /** Where people write about their data (shown on /data-deletion); required in production. */
    readonly contactEmail: string | undefined;
    /** A customer's profile is deleted this long after their last message. */
    readonly customerRetentionDays: number;
  };
  readonly llm: {
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly model: string | undefined;
    /** True only when an endpoint and a model are configured; businesses must still opt in. */
    readonly configured: boolean;
    /** The whole AI call, retries included, must finish within this; then the deterministic reply is used. */
    readonly timeoutMs: number;
    /** Retries of a failed call (connection errors, 429, 5xx), within the timeout. */
    readonly maxRetries: number;
  };
  /**
   * The local WhatsApp simulator (src/simulator/): the web page at `/`, `/sim/api` and the Graph API sink at
   * `/sim/graph`, where the WhatsApp client then sends. On by default outside production when neither
   * WHATSAPP_ACCESS_TOKEN nor WHATSAPP_API_BASE_URL is set; `SIMULATOR=on|off` decides explicitly.
   */
  readonly simulator: { readonly enabled: boolean };
  /** Secrets that were generated for development rather than configured (named, never their values). */
  readonly generatedSecrets: readonly SecretVariable[];
}

/** A configuration problem, named by its variable, so the operator knows what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once at start. Pure: the caller passes the environment
 * (`process.env` after dotenv in main.ts, a literal in tests) and, in development, generated secrets to
 * fall back on (see `dev-secrets.ts`); production refuses to start without the real ones.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  generated: Partial<Record<SecretVariable, string>> = {},
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e: Env = parsed.data;
  const production = e.NODE_ENV === 'production';
  const missing: string[] = [];
  if (production && !e.MONGODB_URI)
    missing.push('MONGODB_URI (the embedded database is for development and tests only)');
  if (production && !e.PUBLIC_BASE_URL) missing.push('PUBLIC_BASE_URL');
  if (production && !e.PRIVACY_CONTACT_EMAIL) missing.push('PRIVACY_CONTACT_EMAIL');
  const generatedSecrets: SecretVariable[] = [];
  const secrets = {} as Record<SecretVariable, string>;
  for (const name of SECRET_VARIABLES) {
    const fallback = production ? undefined : generated[name];
    secrets[name] = e[name] ?? fallback ?? '';
    if (e[name]) continue;
    if (fallback) generatedSecrets.push(name);
    // Without an access token in development, replies cannot reach Meta; they are recorded as failed.
    else if (production || name !== 'WHATSAPP_ACCESS_TOKEN') missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `missing configuration${production ? ' (required in production)' : ''}: ${missing.join(', ')}`,
    );
  }
  if ((e.OPENAI_BASE_URL || e.OPENAI_API_KEY) && !e.OPENAI_MODEL) {
    throw new ConfigError('OPENAI_MODEL: required when OPENAI_BASE_URL or OPENAI_API_KEY is set');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (production ? undefined : '127.0.0.1'),
    trustProxy: e.TRUST_PROXY ?? false,
    logLevel: e.LOG_LEVEL,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    mongo: { uri: e.MONGODB_URI, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_DB_PORT ?? 0 },
    whatsapp: {
      appSecret: secrets.WHATSAPP_APP_SECRET,
      verifyToken: secrets.WHATSAPP_VERIFY_TOKEN,
      accessToken: secrets.WHATSAPP_ACCESS_TOKEN,
      graphBaseUrl: e.WHATSAPP_API_BASE_URL,
      apiVersion: e.WHATSAPP_API_VERSION,
      sendGraceMs: e.OUTBOX_SEND_GRACE_SECONDS * 1000,
    },
    conversation: {
      handoffMinutes: e.HANDOFF_TIMEOUT_MINUTES,
      idleDays: e.CONVERSATION_IDLE_DAYS,
      abandonedCartHours: e.ABANDONED_CART_HOURS,
    },
    intake: { concurrency: e.WEBHOOK_CONCURRENCY, backlogLimit: e.INBOX_BACKLOG_LIMIT },
    processType: e.PROCESS_TYPE,
    enginePollMs: e.ENGINE_POLL_MS,
    adminToken: secrets.ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    privacyPepper: secrets.PRIVACY_PEPPER,
    privacy: {
      dataKey: decodeKey(secrets.DATA_ENCRYPTION_KEY) ?? Buffer.alloc(0),
      contactEmail: e.PRIVACY_CONTACT_EMAIL,
      customerRetentionDays: e.CUSTOMER_RETENTION_DAYS,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      configured: Boolean(e.OPENAI_MODEL && (e.OPENAI_BASE_URL || e.OPENAI_API_KEY)),
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    simulator: {
      enabled:
        e.SIMULATOR === 'on' ||
        (e.SIMULATOR === undefined &&
          !production &&
          !e.WHATSAPP_ACCESS_TOKEN &&
          emptyAsUndefined(env.WHATSAPP_API_BASE_URL) === undefined),
    },
    generatedSecrets,
  };
}
