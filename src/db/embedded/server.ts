import net from 'node:net';
import { runCommand } from './commands.js';
import type { CommandContext } from './commands.js';
import { CursorRegistry } from './cursors.js';
import { commandError } from './errors.js';
import { Journal } from './journal.js';
import { Storage } from './storage.js';
import type { EmbeddedServer, EmbeddedServerOptions, EmbeddedLogger } from './types.js';
import { getPath } from './values.js';
import {
  HEADER_SIZE,
  MalformedMessageError,
  checkHeader,
  encodeOpMsg,
  encodeOpReply,
  parseMessage,
  readHeader,
} from './wire.js';
import type { Request } from './wire.js';
import type { Doc } from './values.js';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * Starts the embedded MongoDB-compatible server: OP_MSG and legacy OP_QUERY over TCP on loopback,
 * commands executed synchronously against in-memory collections (so each command is atomic), and,
 * with a data directory, an append-only journal written before each reply.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) {
    throw new Error(`the embedded database has no authentication and listens on loopback only, not ${host}`);
  }
  const logger = options.logger;
  const storage = new Storage();
  const journal = options.dataDir
    ? Journal.open(
        options.dataDir,
        storage,
        logger,
        options.fsyncIntervalMs ?? 100,
        options.compactDelayMs ?? 30_000,
      )
    : undefined;
  const cursors = new CursorRegistry();
  const sockets = new Set<net.Socket>();
  const startedAt = Date.now();
  let nextConnectionId = 1;

  const commit = (): void => {
    const ops = storage.drain();
    if (journal && ops.length > 0) journal.append(ops);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => logger?.debug({ err: err.message }, 'embedded db: client socket error'));
    const ctx: CommandContext = {
      storage,
      cursors,
      connectionId: nextConnectionId++,
      remote: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
      startedAt,
      connections: () => sockets.size,
    };
    readFrames(socket, (frame) => handleFrame(frame, ctx, socket, commit, logger), logger);
  });

  const ttlTimer = setInterval(() => {
    try {
      sweepExpired(storage, Date.now());
      commit();
      cursors.sweep();
    } catch (err) {
      logger?.error({ err: (err as Error).message }, 'embedded db: TTL sweep failed');
    }
  }, options.ttlSweepIntervalMs ?? 60_000);
  ttlTimer.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 27017, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(ttlTimer);
    journal?.close();
    throw err;
  }
  const address = server.address() as net.AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    uri: `mongodb://${hostPart}:${address.port}/?directConnection=true`,
    host: address.address,
    port: address.port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(ttlTimer);
        server.close(() => {
          journal?.close();
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/**
 * Splits a byte stream into frames. A header is checked before its body is buffered, so a bad length or
 * an unknown opcode closes the connection at once instead of waiting for (or allocating) the body.
 */
function readFrames(
  socket: net.Socket,
  onFrame: (frame: Buffer) => void,
  logger: EmbeddedLogger | undefined,
): void {
  let chunks: Buffer[] = [];
  let buffered = 0;
  let needed = HEADER_SIZE;
  let haveHeader = false;

  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= needed) {
      const data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
      if (!haveHeader) {
        try {
          checkHeader(readHeader(data));
        } catch (err) {
          logger?.warn(
            { reason: (err as Error).message, remote: socket.remoteAddress },
            'embedded db: closing connection after a bad frame',
          );
          socket.destroy();
          chunks = [];
          buffered = 0;
          return;
        }
        haveHeader = true;
        needed = data.readInt32LE(0);
        chunks = [data];
        continue;
      }
      const frame = data.subarray(0, needed);
      const rest = data.subarray(needed);
      chunks = rest.length > 0 ? [rest] : [];
      buffered = rest.length;
      haveHeader = false;
      needed = HEADER_SIZE;
      onFrame(frame);
      if (socket.destroyed) return;
    }
  });
}

function handleFrame(
  frame: Buffer,
  ctx: CommandContext,
  socket: net.Socket,
  commit: () => void,
  logger: EmbeddedLogger | undefined,
): void {
  let request: Request;
  try {
    request = parseMessage(frame);
  } catch (err) {
    if (err instanceof MalformedMessageError) {
      const reply = commandError('InvalidBSON', err.message).toReply();
      socket.write(
        err.header.opCode === 2004
          ? encodeOpReply(err.header.requestId, reply)
          : encodeOpMsg(err.header.requestId, reply),
      );
      return;
    }
    logger?.warn(
      { reason: (err as Error).message },
      'embedded db: closing connection after an unreadable frame',
    );
    socket.destroy();
    return;
  }

  let reply: Doc;
  if (request.kind === 'query') {
    const dot = request.fullCollectionName.indexOf('.');
    const db = request.fullCollectionName.slice(0, dot);
    reply =
      dot > 0 && request.fullCollectionName.endsWith('.$cmd')
        ? runCommand(request.command, db, ctx)
        : commandError('IllegalOperation', 'OP_QUERY is only supported for commands').toReply();
  } else {
    const db: unknown = request.command.$db;
    reply =
      typeof db === 'string'
        ? runCommand(request.command, db, ctx)
        : commandError('FailedToParse', 'OP_MSG requests require a $db argument').toReply();
  }
  try {
    commit();
  } catch (err) {
    logger?.error({ err: (err as Error).message }, 'embedded db: journal write failed');
    reply = commandError('InternalError', 'journal write failed; the write may not be durable').toReply();
  }
  if (request.kind === 'msg' && request.moreToCome) return;
  const encode = request.kind === 'query' ? encodeOpReply : encodeOpMsg;
  let out: Buffer;
  try {
    out = encode(request.header.requestId, reply);
  } catch (err) {
    out = encode(
      request.header.requestId,
      commandError('BSONObjectTooLarge', (err as Error).message).toReply(),
    );
  }
  // A client that sends without reading its replies must not make us buffer without bound.
  if (!socket.write(out) && !socket.isPaused()) {
    socket.pause();
    socket.once('drain', () => socket.resume());
  }
}

/**
 * Deletes documents whose TTL has passed: the indexed date (the earliest, for an array of dates) plus
 * `expireAfterSeconds`. With 0 the document's own date is its expiry time.
 */
export function sweepExpired(storage: Storage, now: number): number {
  let removed = 0;
  for (const colls of Array.from(storage.databases.values())) {
    for (const coll of Array.from(colls.values())) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number' || index.fields.length !== 1) continue;
        const field = index.fields[0] as string;
        for (const doc of Array.from(coll.docs.values())) {
          const value = getPath(doc, field);
          const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
          if (dates.length === 0) continue;
          const earliest = Math.min(...dates.map((d) => d.getTime()));
          if (earliest + seconds * 1000 <= now && storage.delete(coll, doc._id)) removed += 1;
        }
      }
    }
  }
  return removed;
}
