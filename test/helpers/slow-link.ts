/**
 * A slow network between the bot and the Graph stub: a loopback HTTP proxy that holds every request a while
 * (see `LinkDelay`) before passing it on. A request whose sender died while it was held never reaches the stub,
 * like a packet that never left the machine; one already passed on is what Meta received, whether or not
 * its answer made it back. Crash tests use it to have many replies pending when they kill the bot, without
 * them being in flight at Meta (which would make the documented at-least-once repeat likely).
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request passed on to the stub; the answer fields are filled in when the stub answers. */
export interface ForwardedRequest {
  readonly method: string;
  readonly path: string;
  /** The stub's answer as JSON (undefined until it came, or if it was not JSON). */
  response: unknown;
  /** True once the answer was passed back; false while waiting, or when the sender was gone (answer lost). */
  answered: boolean;
}

export interface SlowLink {
  /** `http://127.0.0.1:<port>`: pass it as the Graph base URL. */
  readonly url: string;
  /** Requests passed on to the stub, in the order they were passed on (listed as they are passed on). */
  readonly forwarded: ForwardedRequest[];
  /** Requests held when their sender went away: the stub never saw them. */
  readonly dropped: number;
  /** Requests passed on whose answer has not come back from the stub yet. */
  readonly inFlight: number;
  /** Changes how long requests arriving from now on are held. */
  setDelay(delay: LinkDelay): void;
  close(): Promise<void>;
}

/** Milliseconds to hold a request, or a function of its arrival number (0 for the first request). */
export type LinkDelay = number | ((arrival: number) => number);

export async function startSlowLink(targetUrl: string, initialDelay: LinkDelay): Promise<SlowLink> {
  const forwarded: ForwardedRequest[] = [];
  const deadSockets = new WeakSet<Socket>();
  let delay = initialDelay;
  let arrivals = 0;
  let dropped = 0;
  let inFlight = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const socket = req.socket;
      const arrival = arrivals++;
      const delayMs = typeof delay === 'number' ? delay : delay(arrival);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (deadSockets.has(socket) || socket.destroyed) {
        dropped += 1;
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const entry: ForwardedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        response: undefined,
        answered: false,
      };
      forwarded.push(entry);
      inFlight += 1;
      let status: number;
      let contentType: string;
      let text: string;
      try {
        const answer = await fetch(`${targetUrl}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        status = answer.status;
        contentType = answer.headers.get('content-type') ?? 'application/json';
        text = await answer.text();
      } finally {
        inFlight -= 1;
      }
      try {
        entry.response = JSON.parse(text);
      } catch {
        entry.response = undefined;
      }
      if (deadSockets.has(socket) || socket.destroyed) return;
      entry.answered = true;
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`slow link failure: ${String(error)}`);
    });
  });
  // A client that dies (SIGKILL) closes its sockets; HTTP clients never half-close while awaiting an answer.
  server.on('connection', (socket: Socket) => {
    socket.on('end', () => deadSockets.add(socket));
    socket.on('close', () => deadSockets.add(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    get dropped() {
      return dropped;
    },
    get inFlight() {
      return inFlight;
    },
    setDelay: (next) => {
      delay = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
