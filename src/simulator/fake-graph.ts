/**
 * What Meta's Graph API says, written once for the two stand-ins of it: the simulator's sink
 * (src/simulator/sink.ts, the product's local mode) and the tests' loopback stub (test/helpers/graph-stub.ts).
 * The answers to a send, a read receipt and a media upload, Graph's error body, the multipart form the
 * client uploads with, and the signed status webhook Meta posts back. Nothing here keeps state: each
 * stand-in decides what to record and when to answer.
 */
import { randomInt } from 'node:crypto';
import { randomWamid, statusUpdate } from '../webhook/payloads.js';
import { signBody } from '../webhook/signature.js';

/** `POST /{version}/{phone-number-id}/messages`: group 1 is the phone number id. */
export const MESSAGES_PATH = /^\/v[^/]+\/([^/]+)\/messages$/;
/** `POST /{version}/{phone-number-id}/media`: group 1 is the phone number id. */
export const MEDIA_PATH = /^\/v[^/]+\/([^/]+)\/media$/;

/** Graph's error body (`{ error: { message, type, code, fbtrace_id } }`), as the client parses it. */
export interface GraphErrorBody {
  error: { message: string; type: string; code: number; fbtrace_id: string };
}

/** Graph's error body for `code` (190 bad token, 100 bad parameter, 803 unknown path …). */
export function graphErrorBody(code: number, message: string, trace: string): GraphErrorBody {
  return { error: { message, type: 'OAuthException', code, fbtrace_id: trace } };
}

/** The answer to a send: `send-response.json`'s shape. */
export interface SendAnswer {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string } | { input: string; user_id: string }>;
  messages: Array<{ id: string }>;
}

/**
 * Meta's answer to an accepted send with the wamid it gave it: a send `to` a number echoes it and names the
 * wa_id (the number without "+"); one to a `recipient` user id (no number) names that user id.
 */
export function sendAnswer(to: string | undefined, recipient: string | undefined, wamid: string): SendAnswer {
  const contact =
    to !== undefined
      ? { input: to, wa_id: to.replace(/^\+/, '') }
      : { input: recipient ?? '', user_id: recipient ?? '' };
  return { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid }] };
}

/** The answer to a read receipt (`{"status":"read","message_id":…}` posted to /messages). */
export const READ_ANSWER = { success: true } as const;

/** A wamid for a message a stand-in accepted (`wamid.<prefix>…`): fresh per call, opaque to the bot. */
export function fakeWamid(prefix: string): string {
  return randomWamid(prefix);
}

/** A media id as Meta gives one for an upload (`media-upload-response.json`): digits, unique enough. */
export function fakeMediaId(): string {
  return String(1_000_000_000_000_000 + randomInt(1_000_000_000));
}

/** One part of a multipart/form-data body: its name, and for a file its file name and type. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/**
 * Enough of multipart/form-data for the client's media upload (undici's FormData): the parts of `body`,
 * split at the boundary named in `contentType`; none when it names no boundary.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return [];
  const parts: MultipartPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        parts.push({
          name,
          ...(filename !== undefined ? { filename } : {}),
          ...(type !== undefined ? { contentType: type } : {}),
          data: Buffer.from(part.subarray(headerEnd + 4)),
        });
      }
    }
    start = next;
  }
  return parts;
}

/** One status webhook Meta would post about a send. */
export interface StatusWebhook {
  phoneNumberId: string;
  wamid: string;
  /** The customer's wa_id (no "+"). */
  recipient: string;
  status: 'sent' | 'delivered' | 'read';
  /** The send's `biz_opaque_callback_data`: Meta echoes it in every status about the send. */
  callbackData: string | undefined;
}

/** The bytes of a status webhook, stamped now: built once, so a retried post is the same post, as Meta's. */
export function statusWebhookBytes(webhook: StatusWebhook): Buffer {
  const body = statusUpdate(
    webhook.phoneNumberId,
    webhook.wamid,
    webhook.status,
    undefined,
    webhook.recipient,
    webhook.callbackData,
  );
  return Buffer.from(JSON.stringify(body));
}

/**
 * Posts webhook bytes to the bot's `/webhook` URL, signed with the app secret as Meta signs them, and reads
 * the answer to its end (so the connection can be reused). Resolves with the HTTP status; rejects when the
 * bot could not be reached.
 */
export async function postSignedWebhook(url: string, appSecret: string, bytes: Buffer): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(bytes, appSecret) },
    body: bytes,
  });
  await res.arrayBuffer();
  return res.status;
}
