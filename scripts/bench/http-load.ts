/**
 * The load generators' wire: signed webhook requests as Meta sends them, written on raw keep-alive sockets
 * (one request in flight per connection) so that the generator's own CPU cost stays small. The closed-loop
 * (`closed-loop.ts`) and open-loop (`open-loop.ts`) generators drive these connections differently.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { inboundText } from '../../src/webhook/payloads.js';
import { signBody } from '../../src/webhook/signature.js';

/** A webhook body as Meta sends it for one inbound text message. */
function webhookBody(phoneNumberId: string, wamid: string, waId: string, timestamp: string): string {
  return JSON.stringify(
    inboundText(
      { phoneNumberId, waId, wamid, timestamp, name: 'Bench Customer' },
      'Hello! Are you open today? I would like to order two pizzas.',
    ),
  );
}

/** One complete HTTP/1.1 `POST /webhook` (head and signed body) for one inbound text message. */
export function signedWebhookRequest(r: {
  port: number;
  appSecret: string;
  phoneNumberId: string;
  wamid: string;
  waId: string;
}): Buffer {
  const body = Buffer.from(
    webhookBody(r.phoneNumberId, r.wamid, r.waId, String(Math.floor(Date.now() / 1000))),
    'utf8',
  );
  const head =
    `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${r.port}\r\nUser-Agent: facebookexternalua\r\n` +
    `Accept: */*\r\nContent-Type: application/json\r\n` +
    `X-Hub-Signature-256: ${signBody(body, r.appSecret)}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Builds complete HTTP/1.1 requests (head and signed body), each with a fresh wamid. */

/** No bytes: a request slot is set to this once written, so the request can be collected. */
export const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

export interface LoadHooks {
  /** The request to write next; undefined leaves the connection idle until it is kicked again. */
  next: () => Buffer | undefined;
  done: (status: number, latencyMs: number, completedAt: number) => void;
  failed: (at: number) => void;
}

/** What a connection asks of whoever drives it. */
export interface ConnectionDriver {
  /** No new requests, no reconnecting. */
  readonly stopping: boolean;
  readonly hooks: LoadHooks;
  /** Called whenever a request finishes either way. */
  settled(): void;
}

/** One keep-alive connection with at most one request in flight (no pipelining). */
export class LoadConnection {
  private socket: net.Socket | undefined;
  private connected = false;
  private buffered: Buffer = EMPTY;
  private sentAt = 0;
  inFlight = false;

  constructor(
    private readonly port: number,
    private readonly driver: ConnectionDriver,
  ) {}

  /** Connected, with nothing in flight: `kick()` would write the next request at once. */
  get idle(): boolean {
    return this.connected && !this.inFlight;
  }

  /** Starts sending if idle (connecting first if need be). */
  kick(): void {
    if (this.inFlight || this.driver.stopping) return;
    if (this.socket && this.connected) this.sendNext();
    else if (!this.socket) this.connect();
  }

  destroy(): void {
    this.socket?.destroy();
  }

  private connect(): void {
    const socket = net.connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    this.socket = socket;
    this.connected = false;
    this.buffered = EMPTY;
    socket.on('connect', () => {
      this.connected = true;
      this.sendNext();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and does the accounting
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.connected = false;
      if (this.inFlight) {
        this.inFlight = false;
        this.driver.hooks.failed(performance.now());
        this.driver.settled();
      }
      if (!this.driver.stopping) setTimeout(() => this.kick(), 5);
    });
  }

  private sendNext(): void {
    if (this.driver.stopping || !this.socket) return;
    const request = this.driver.hooks.next();
    if (request === undefined) return;
    this.inFlight = true;
    this.sentAt = performance.now();
    this.socket.write(request);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const headerEnd = this.buffered.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const head = this.buffered.toString('latin1', 0, headerEnd);
      const status = Number(head.slice(9, 12));
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        // Neither server answers chunked; treat it as a broken exchange rather than guess at framing.
        this.socket?.destroy();
        return;
      }
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
      const total = headerEnd + HEADER_END.length + length;
      if (this.buffered.length < total) return;
      this.buffered = this.buffered.length === total ? EMPTY : this.buffered.subarray(total);
      const now = performance.now();
      this.inFlight = false;
      this.driver.hooks.done(status, now - this.sentAt, now);
      this.driver.settled();
      if (/\r\nconnection:\s*close/i.test(head)) {
        this.socket?.destroy();
        return;
      }
      this.sendNext();
    }
  }
}
