import os from 'node:os';
import type { Handler } from './handler.js';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE } from './wire.js';

/** The server we pretend to be: MongoDB 7.0's wire version, so current drivers talk to it normally. */
const VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;

/**
 * The commands a driver sends to learn who it talks to and to keep its sessions: the handshake, build and
 * host facts, server status, and the session and diagnostic commands answered with an empty success.
 */
export const handshakeCommands: Record<string, Handler> = {
  hello: (cmd, _db, ctx) => ({
    ...(cmd.helloOk === true ? { helloOk: true } : {}),
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  }),

  ping: () => ({ ok: 1 }),

  buildInfo: () => ({
    version: VERSION,
    gitVersion: 'polus-bot-embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['embedded'],
    modules: [],
    ok: 1,
  }),

  endSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['polus-bot-embedded'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_cmd, _db, ctx) => ({ you: ctx.remote, ok: 1 }),
  hostInfo: () => ({
    system: {
      hostname: os.hostname(),
      cpuArch: os.arch(),
      numCores: os.cpus().length,
      memSizeMB: Math.round(os.totalmem() / 2 ** 20),
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    ok: 1,
  }),
  serverStatus: (_cmd, _db, ctx) => ({
    host: os.hostname(),
    version: VERSION,
    process: 'polus-bot-embedded',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.startedAt) / 1000),
    uptimeMillis: Date.now() - ctx.startedAt,
    localTime: new Date(),
    connections: { current: ctx.connections() },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  }),
};
