/**
 * The Meta-shaped answers shared by the simulator's sink and the tests' Graph stub
 * (src/simulator/fake-graph.ts): the send answer as `send-response.json` has it, the multipart form undici
 * writes, and a status webhook the bot's parser and signature check accept.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  MEDIA_PATH,
  MESSAGES_PATH,
  fakeMediaId,
  fakeWamid,
  graphErrorBody,
  parseMultipart,
  postSignedWebhook,
  sendAnswer,
  statusWebhookBytes,
} from '../../src/simulator/fake-graph.js';
import { parseWebhook } from '../../src/webhook/parse.js';
import { verifySignature } from '../../src/webhook/signature.js';

describe('fake Graph answers', () => {
  it('when a send goes to a number, then the answer names its wa_id and the wamid, as Meta does', () => {
    expect(sendAnswer('+34600111222', undefined, 'wamid.X')).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+34600111222', wa_id: '34600111222' }],
      messages: [{ id: 'wamid.X' }],
    });
  });

  it('when a send goes to a user id, then the answer names that user id', () => {
    expect(sendAnswer(undefined, 'US.123', 'wamid.Y').contacts).toEqual([
      { input: 'US.123', user_id: 'US.123' },
    ]);
  });

  it('when ids are made, then wamids carry the prefix and are fresh, media ids are digits', () => {
    const a = fakeWamid('STUB');
    expect(a).toMatch(/^wamid\.STUB[0-9a-f]+$/);
    expect(fakeWamid('STUB')).not.toBe(a);
    expect(fakeMediaId()).toMatch(/^\d{16,}$/);
  });

  it('when paths are matched, then the phone number id is captured', () => {
    expect(MESSAGES_PATH.exec('/v24.0/1122334455/messages')?.[1]).toBe('1122334455');
    expect(MEDIA_PATH.exec('/v24.0/1122334455/media')?.[1]).toBe('1122334455');
    expect(MESSAGES_PATH.test('/v24.0/1122334455/media')).toBe(false);
  });

  it('when an error is built, then it has Graph’s fields', () => {
    expect(graphErrorBody(190, 'Invalid OAuth access token.', 'T')).toEqual({
      error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'T' },
    });
  });
});

describe('multipart form', () => {
  it('when undici writes a form with a field and a file, then both parts come back with name, file name and type', async () => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('file', new Blob(['{"a":1}'], { type: 'application/json' }), 'export.json');
    const request = new Request('http://x.invalid', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parts = parseMultipart(body, request.headers.get('content-type') ?? '');
    expect(parts.map((p) => [p.name, p.filename, p.contentType, p.data.toString('utf8')])).toEqual([
      ['messaging_product', undefined, undefined, 'whatsapp'],
      ['file', 'export.json', 'application/json', '{"a":1}'],
    ]);
  });

  it('when no boundary is named, then there are no parts', () => {
    expect(parseMultipart(Buffer.from('x'), 'application/json')).toEqual([]);
  });
});

describe('status webhook', () => {
  it('when posted, then the bytes are signed with the app secret and parse as a status with the callback data', async () => {
    const secret = 'app-secret-0123456789';
    const received: Array<{ bytes: Buffer; signature: string | undefined }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          bytes: Buffer.concat(chunks),
          signature: req.headers['x-hub-signature-256'] as string,
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const bytes = statusWebhookBytes({
        phoneNumberId: '1122334455',
        wamid: 'wamid.Z',
        recipient: '34600111222',
        status: 'delivered',
        callbackData: 'outbox-record-1',
      });
      expect(await postSignedWebhook(`http://127.0.0.1:${port}/webhook`, secret, bytes)).toBe(200);
      const [post] = received;
      expect(post?.bytes.equals(bytes)).toBe(true);
      expect(verifySignature(bytes, post?.signature, secret).ok).toBe(true);
      const parsed = parseWebhook(JSON.parse(bytes.toString('utf8')) as unknown);
      expect(parsed.statuses).toMatchObject([
        {
          wamid: 'wamid.Z',
          phoneNumberId: '1122334455',
          status: 'delivered',
          callbackData: 'outbox-record-1',
        },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
