/**
 * The servers helpers run in their own processes: the Graph API stand-in the bot sends its replies to, and
 * the embedded database (so the bot's heap is the bot's own, as with a real MongoDB).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedServer } from '../../src/db/embedded/index.js';
import { argValue } from './args.js';
import type { RoleHandle } from './helper.js';

/**
 * The Graph API stand-in: answers every request like a successful send, after `delayMs`. With `onBody`,
 * each request's body is handed over as soon as it has been received (before the answer); without it the
 * body is discarded unread.
 */
export async function startGraphStandIn(
  delayMs: number,
  onBody?: (body: Buffer) => void,
): Promise<http.Server> {
  let serial = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    if (onBody) req.on('data', (chunk: Buffer) => chunks.push(chunk));
    else req.resume();
    req.on('end', () => {
      if (onBody) onBody(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
      serial += 1;
      const body = `{"messaging_product":"whatsapp","contacts":[],"messages":[{"id":"wamid.${serial}"}]}`;
      const answer = (): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

/** The `graph` role: a stand-in answering after `--delay-ms` (default at once), discarding bodies. */
export async function graphRole(args: string[]): Promise<RoleHandle> {
  const server = await startGraphStandIn(Number(argValue(args, 'delay-ms') ?? '0'));
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    },
  };
}

/** The `db` role: the embedded database with its journal in `--data-dir`; its address is the URI. */
export async function dbRole(args: string[]): Promise<RoleHandle> {
  const dataDir = argValue(args, 'data-dir');
  if (!dataDir) throw new Error('db helper needs --data-dir');
  const server = await startEmbeddedServer({ host: '127.0.0.1', port: 0, dataDir });
  return {
    address: server.uri,
    close: () => void server.close().then(() => process.exit(0)),
  };
}
