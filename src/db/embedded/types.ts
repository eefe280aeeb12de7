/** A minimal structured logger; pino's Logger satisfies it. Messages never carry document contents. */
export interface EmbeddedLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface EmbeddedServerOptions {
  /** Interface to listen on. Only loopback addresses are accepted: the server has no authentication. */
  host?: string;
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /** Folder for the journal. Omit for a memory-only server (tests). */
  dataDir?: string;
  /** How often TTL indexes are swept, like mongod's ttlMonitorSleepSecs (default 60 s). */
  ttlSweepIntervalMs?: number;
  /** fsync cadence for the journal, like mongod's commitIntervalMs (default 100 ms). Writes reach the OS before each reply regardless. */
  fsyncIntervalMs?: number;
  /**
   * At most this long after a write leaves an old value in the journal (update, delete, drop, TTL expiry),
   * the journal is rewritten without it (default 30 s), so erased personal data leaves the files promptly.
   */
  compactDelayMs?: number;
  logger?: EmbeddedLogger;
}

export interface EmbeddedServer {
  /** Connection string for the official driver and mongoose. */
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  /** Stops listening, closes client connections, flushes and closes the journal. */
  close(): Promise<void>;
}
