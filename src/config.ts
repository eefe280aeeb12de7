import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MONGODB_URI: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  EMBEDDED_DB_PORT: z.preprocess(emptyAsUndefined, port('EMBEDDED_DB_PORT', 0).optional()),
});

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly mongo: {
    /** Real MongoDB; when absent the embedded server is started in-process. */
    readonly uri: string | undefined;
    /** Journal folder of the embedded server. */
    readonly dataDir: string;
    /** Port for the in-process embedded server; 0 picks a free one. */
    readonly embeddedPort: number;
  };
}

/** A configuration problem, named by its variable, so the operator knows what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once at start. Pure: the caller passes the environment
 * (`process.env` after dotenv in main.ts, a literal in tests).
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.MONGODB_URI) {
    throw new ConfigError(
      'MONGODB_URI: required in production (the embedded database is for development and tests only)',
    );
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    mongo: { uri: e.MONGODB_URI, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_DB_PORT ?? 0 },
  };
}
