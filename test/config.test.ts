import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('when the environment is empty, then development defaults use the embedded database', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.mongo).toEqual({ uri: undefined, dataDir: '.data', embeddedPort: 0 });
  });

  it('when MONGODB_URI is not a MongoDB connection string, then the error names the variable', () => {
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
  });

  it('when production has no MONGODB_URI, then it refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MONGODB_URI/);
  });

  it('when EMBEDDED_DB_PORT is out of range, then the error names the variable', () => {
    expect(() => loadConfig({ EMBEDDED_DB_PORT: '70000' })).toThrow(/EMBEDDED_DB_PORT/);
    expect(loadConfig({ EMBEDDED_DB_PORT: '27018' }).mongo.embeddedPort).toBe(27018);
  });

  it('when LOG_LEVEL is unknown, then the error names the variable', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
