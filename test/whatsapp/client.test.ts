import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { classifyGraphError, createWhatsAppClient } from '../../src/whatsapp/client.js';
import type { WhatsAppClientOptions } from '../../src/whatsapp/client.js';
import {
  WhatsAppApiError,
  WhatsAppError,
  WhatsAppNetworkError,
  WhatsAppValidationError,
} from '../../src/whatsapp/errors.js';
import { startGraphStub } from '../helpers/graph-stub.js';
import type { GraphStub, RecordedRequest } from '../helpers/graph-stub.js';
import { ANA, ANA_BSUID, INBOUND_WAMID, PHONE_NUMBER_ID, PRIYA, fixture } from './fixtures.js';

const TOKEN = 'EAAG-test-token-must-never-leak-0123456789abcdef';
const MESSAGES_PATH = `/v25.0/${PHONE_NUMBER_ID}/messages`;
const MEDIA_PATH = `/v25.0/${PHONE_NUMBER_ID}/media`;
const HI: OutboundMessage = { type: 'reply.text', text: 'Hi Ana' };

let stub: GraphStub;

beforeAll(async () => {
  stub = await startGraphStub();
});
beforeEach(() => {
  stub.reset();
});
afterAll(async () => {
  await stub.close();
});

/** A client on the stub whose sleeps are recorded and return at once; jitter fixed at one half. */
function clientOnStub(overrides: Partial<WhatsAppClientOptions> = {}) {
  const delays: number[] = [];
  const client = createWhatsAppClient({
    baseUrl: stub.url,
    apiVersion: 'v25.0',
    accessToken: TOKEN,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, delays };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function apiErrorOf(promise: Promise<unknown>): Promise<WhatsAppApiError> {
  const error = await rejectionOf(promise);
  if (error instanceof WhatsAppApiError) return error;
  throw error;
}

const toOf = (request: RecordedRequest | undefined) => (request?.json as { to?: string } | undefined)?.to;

describe('createWhatsAppClient send', () => {
  it('when a text is sent, then one authorised JSON POST carries the fixture body and the wamid comes back', async () => {
    const { client } = clientOnStub();
    const wamid = 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBIzRkFLRU9VVEJPVU5EMDAwMDAyAA==';
    stub.enqueue({ body: fixture('send-response.json') });

    const result = await client.send(PHONE_NUMBER_ID, ANA, {
      type: 'reply.text',
      previewUrl: false,
      text: 'Thanks Ana! Your order #A1042 is being prepared. Track it here: https://shop.example.com/o/A1042',
    });

    expect(result).toEqual({ wamids: [wamid] });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(MESSAGES_PATH);
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.json).toEqual(fixture('send-text-request.json'));
  });

  it('when sending to a BSUID-only customer, then the body uses recipient and no to', async () => {
    const { client } = clientOnStub();
    await client.send(PHONE_NUMBER_ID, ANA_BSUID, HI);
    expect(stub.requests[0]?.json).toMatchObject({ recipient: ANA_BSUID.userId });
    expect(stub.requests[0]?.json).not.toHaveProperty('to');
  });

  it('when replying with context, then the quoted wamid is sent', async () => {
    const { client } = clientOnStub();
    await client.send(
      PHONE_NUMBER_ID,
      ANA,
      { type: 'reply.text', text: 'Got it - 2 large pizzas. Which size of drink would you like?' },
      { contextWamid: INBOUND_WAMID },
    );
    expect(stub.requests[0]?.json).toEqual(fixture('send-reply-context-request.json'));
  });

  it('when the text is too long for one message, then the parts go out in order and all wamids return', async () => {
    const { client } = clientOnStub();
    const text = Array.from({ length: 3 }, (_, i) => `Part ${i} ${'y'.repeat(3000)}`).join('\n\n');

    const { wamids } = await client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text });

    expect(stub.requests).toHaveLength(3);
    expect(wamids).toHaveLength(3);
    expect(new Set(wamids).size).toBe(3);
    const bodies = stub.requests.map((r) => (r.json as { text: { body: string } }).text.body);
    expect(bodies.join('\n\n')).toBe(text);
  });

  it('when a later part fails, then the error lists the wamids already sent', async () => {
    const { client } = clientOnStub();
    const text = `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`;
    stub.enqueue(
      { body: { messages: [{ id: 'wamid.first' }] } },
      { status: 400, body: fixture('error-outside-window.json') },
    );

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text }));

    expect(error.code).toBe(131047);
    expect(error.sentWamids).toEqual(['wamid.first']);
  });

  it('when a send carries callback data and starts after a part, then every part sent carries it and part 0 is skipped', async () => {
    const { client } = clientOnStub();
    const text = `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`;

    const { wamids } = await client.send(
      PHONE_NUMBER_ID,
      ANA,
      { type: 'reply.text', text },
      { callbackData: 'outbox-id-1', fromPart: 1 },
    );

    expect(wamids).toHaveLength(1);
    expect(stub.requests).toHaveLength(1);
    const body = stub.requests[0]?.json as { text: { body: string }; biz_opaque_callback_data?: string };
    expect(body.text.body).toBe('b'.repeat(3000));
    expect(body.biz_opaque_callback_data).toBe('outbox-id-1');
  });

  it('when a document comes as content, then it is uploaded as multipart first and sent by the returned id', async () => {
    const { client } = clientOnStub();
    const pdf = Buffer.from('%PDF-1.7\n fake receipt \u00e9\n%%EOF');
    stub.enqueue({ body: fixture('media-upload-response.json') });

    const result = await client.send(PHONE_NUMBER_ID, ANA, {
      type: 'reply.document',
      filename: 'receipt-A1042.pdf',
      caption: 'Your receipt',
      content: { base64: pdf.toString('base64'), mimeType: 'application/pdf' },
    });

    expect(stub.requests.map((r) => r.path)).toEqual([MEDIA_PATH, MESSAGES_PATH]);
    const [upload, message] = stub.requests;
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(upload?.fields).toEqual({ messaging_product: 'whatsapp', type: 'application/pdf' });
    expect(upload?.files.file?.filename).toBe('receipt-A1042.pdf');
    expect(upload?.files.file?.contentType).toBe('application/pdf');
    expect(upload?.files.file?.data.equals(pdf)).toBe(true);
    const expected = fixture('send-document-request.json');
    expected.document = { id: '3345678901234567', filename: 'receipt-A1042.pdf', caption: 'Your receipt' };
    expect(message?.json).toEqual(expected);
    expect(result.wamids).toHaveLength(1);
  });

  it('when the message breaks a limit, then it throws before any HTTP request', async () => {
    const { client } = clientOnStub();
    const tooMany: OutboundMessage = {
      type: 'reply.buttons',
      text: 'Pick one',
      buttons: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id })),
    };
    const badDocument: OutboundMessage = {
      type: 'reply.document',
      filename: 'a.pdf',
      content: { base64: 'JVBERi0=', mimeType: 'pdf' },
    };

    await expect(client.send(PHONE_NUMBER_ID, ANA, tooMany)).rejects.toThrow(WhatsAppValidationError);
    await expect(client.send(PHONE_NUMBER_ID, ANA, badDocument)).rejects.toThrow(/content\.mimeType/);
    await expect(client.send(PHONE_NUMBER_ID, {}, HI)).rejects.toThrow(WhatsAppValidationError);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('createWhatsAppClient retries', () => {
  it('when Meta answers 429 once, then the send is retried after a jittered delay and succeeds', async () => {
    const { client, delays } = clientOnStub();
    stub.enqueue({ status: 429, body: { error: { message: 'Too many calls', code: 4 } } });

    const { wamids } = await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(wamids).toHaveLength(1);
    expect(stub.requests).toHaveLength(2);
    expect(delays).toEqual([50]);
  });

  it('when Meta answers 429 with a Retry-After longer than maxDelayMs, then the call ends at once and the error carries the wait', async () => {
    const { client, delays } = clientOnStub();
    stub.enqueue({
      status: 429,
      headers: { 'retry-after': '30' },
      body: fixture('error-rate-limit.json'),
    });

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(stub.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('when Meta answers 429 with a short Retry-After, then the client waits that long and tries again', async () => {
    const { client, delays } = clientOnStub();
    stub.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: fixture('error-rate-limit.json') });

    await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(stub.requests).toHaveLength(2);
    expect(delays).toEqual([1_000]);
  });

  it('when Meta answers 500 twice without a Graph body, then it backs off exponentially and succeeds', async () => {
    const { client, delays } = clientOnStub();
    stub.enqueue({ status: 500, body: '<html>oops</html>' }, { status: 502, body: '' });

    await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(stub.requests).toHaveLength(3);
    expect(delays).toEqual([50, 100]);
  });

  it('when 130429 repeats, then delays double up to maxDelayMs and the fifth attempt succeeds', async () => {
    const { client, delays } = clientOnStub({ retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300 } });
    const rateLimited = { status: 400, body: fixture('error-rate-limit.json') };
    stub.enqueue(rateLimited, rateLimited, rateLimited, rateLimited);

    const { wamids } = await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(wamids).toHaveLength(1);
    expect(stub.requests).toHaveLength(5);
    expect(delays).toEqual([50, 100, 150, 150]);
  });

  it('when the jitter source varies, then each delay is that fraction of the capped exponential', async () => {
    const fractions = [0, 0.25, 0.99];
    const { client, delays } = clientOnStub({ random: () => fractions.shift() ?? 0 });
    stub.enqueue({ status: 503 }, { status: 503 }, { status: 503 });

    await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(delays).toEqual([0, 50, 396]);
  });

  it('when Meta answers 131047, then nothing is retried and the error says outside the window', async () => {
    const { client, delays } = clientOnStub();
    stub.enqueue({ status: 400, body: fixture('error-outside-window.json') });

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(stub.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(error).toBeInstanceOf(WhatsAppError);
    expect(error).toMatchObject({
      operation: 'send',
      code: 131047,
      httpStatus: 400,
      title: 'Re-engagement message',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      retryable: false,
      attempts: 1,
      fbtraceId: 'AFakeTraceId0000000001',
    });
    expect(error.message).toContain('131047');
  });

  it('when a 5xx carries a documented permanent code, then the code wins and nothing is retried', async () => {
    const { client } = clientOnStub();
    stub.enqueue({
      status: 500,
      body: { error: { message: '(#131026) Message undeliverable', code: 131026 } },
    });

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(stub.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 131026, retryable: false });
  });

  it('when a 503 carries a code Meta does not document, then the status decides and it is retried', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ status: 503, body: { error: { message: '(#999001) Something new', code: 999001 } } });

    await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(stub.requests).toHaveLength(2);
  });

  it('when every attempt fails with 500, then it gives up after maxAttempts with a retryable error', async () => {
    const { client, delays } = clientOnStub({
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1_000 },
    });
    stub.enqueue({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(stub.requests).toHaveLength(3);
    expect(delays).toEqual([5, 10]);
    expect(error).toMatchObject({ code: undefined, httpStatus: 500, retryable: true, attempts: 3 });
  });

  it('when a 200 answer has the wrong shape, then it fails without retrying (the message may have gone out)', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ body: { messages: [] } });

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(stub.requests).toHaveLength(1);
    expect(error).toMatchObject({ httpStatus: 200, code: undefined, retryable: false });
  });
});

describe('createWhatsAppClient pair rate pacing (131056)', () => {
  it('when a recipient hits the pair limit, then only that recipient waits pairRateBaseMs * 4^X', async () => {
    const delays: number[] = [];
    const releases: Array<() => void> = [];
    const client = createWhatsAppClient({
      baseUrl: stub.url,
      apiVersion: 'v25.0',
      accessToken: TOKEN,
      sleep: (ms) => {
        delays.push(ms);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    });
    stub.enqueue({ status: 400, body: fixture('error-pair-rate-limit.json') });

    const toAna = client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text: 'first' });
    await vi.waitFor(() => expect(delays).toEqual([1000]));
    const toAnaAgain = client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text: 'second' });
    await client.send(PHONE_NUMBER_ID, PRIYA, HI);

    expect(stub.requests.map(toOf)).toEqual(['+12025550143', '+447700900123']);
    releases.forEach((release) => release());
    await Promise.all([toAna, toAnaAgain]);
    expect(stub.requests.map(toOf)).toEqual([
      '+12025550143',
      '+447700900123',
      '+12025550143',
      '+12025550143',
    ]);
    expect(delays).toEqual([1000]);
  });

  it('when the pair limit is hit repeatedly, then the wait grows as 4^X and resets after a success', async () => {
    const { client, delays } = clientOnStub({
      pairRateBaseMs: 10,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const paired = { status: 400, body: fixture('error-pair-rate-limit.json') };
    stub.enqueue(paired, paired, paired);

    await client.send(PHONE_NUMBER_ID, ANA, HI);
    stub.enqueue(paired);
    await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(delays).toEqual([10, 40, 160, 10]);
    expect(stub.requests).toHaveLength(6);
  });

  it('when a send gives up on 131056, then the next send to that recipient still waits, and others do not', async () => {
    const delays: number[] = [];
    const releases: Array<() => void> = [];
    const { client } = clientOnStub({
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: (ms) => {
        delays.push(ms);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    });
    stub.enqueue({ status: 400, body: fixture('error-pair-rate-limit.json') });

    await expect(client.send(PHONE_NUMBER_ID, ANA, HI)).rejects.toMatchObject({ code: 131056, attempts: 1 });
    const nextToAna = client.send(PHONE_NUMBER_ID, ANA, HI);
    await client.send(PHONE_NUMBER_ID, PRIYA, HI);

    expect(delays).toEqual([1000]);
    expect(stub.requests.map(toOf)).toEqual(['+12025550143', '+447700900123']);
    releases.forEach((release) => release());
    await nextToAna;
    expect(stub.requests.map(toOf)).toEqual(['+12025550143', '+447700900123', '+12025550143']);
  });

  it('when the pair limit persists past maxAttempts, then a retryable 131056 error surfaces', async () => {
    const { client } = clientOnStub({
      pairRateBaseMs: 1,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const paired = { status: 400, body: fixture('error-pair-rate-limit.json') };
    stub.enqueue(paired, paired);

    const error = await apiErrorOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(error).toMatchObject({ code: 131056, retryable: true, attempts: 2 });
  });
});

describe('createWhatsAppClient network failures', () => {
  it('when nothing listens at the base URL, then a WhatsAppNetworkError follows the retries', async () => {
    const closed = await startGraphStub();
    await closed.close();
    const { client, delays } = clientOnStub({
      baseUrl: closed.url,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
    });

    const error = await rejectionOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toBeInstanceOf(WhatsAppError);
    expect(error).toMatchObject({ reason: 'ECONNREFUSED', timedOut: false, attempts: 2, retryable: true });
    expect(delays).toEqual([5]);
  });

  it('when the connection drops once, then the send is retried and succeeds', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ hangUp: true });

    const { wamids } = await client.send(PHONE_NUMBER_ID, ANA, HI);

    expect(wamids).toHaveLength(1);
    expect(stub.requests).toHaveLength(2);
  });

  it('when Meta does not answer within timeoutMs, then the error says it timed out', async () => {
    const { client } = clientOnStub({
      timeoutMs: 50,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    stub.enqueue({ delayMs: 300 });

    const error = await rejectionOf(client.send(PHONE_NUMBER_ID, ANA, HI));

    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toMatchObject({ timedOut: true, attempts: 1 });
  });
});

describe('createWhatsAppClient secrecy', () => {
  const secretText = 'my card number is 4111 1111 1111 1111';

  function expectNoSecrets(error: unknown) {
    const rendered = [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 5 }),
      error instanceof Error ? (error.stack ?? '') : '',
    ].join('\n');
    expect(rendered).not.toContain(TOKEN);
    expect(rendered).not.toContain(ANA.waId);
    expect(rendered).not.toContain(secretText);
  }

  it('when Meta echoes the token and phone number in an error, then the thrown error has neither', async () => {
    const { client } = clientOnStub();
    const echoed = fixture('error-expired-token.json') as { error: Record<string, unknown> };
    echoed.error.message = `Error validating access token ${TOKEN} for +${ANA.waId}`;
    echoed.error.error_data = { details: `recipient ${ANA.waId}, token ${TOKEN}` };
    stub.enqueue({ status: 401, body: echoed });

    const error = await apiErrorOf(
      client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text: secretText }),
    );

    expect(error.code).toBe(190);
    expect(error.retryable).toBe(false);
    expect(error.title).toContain('[redacted]');
    expectNoSecrets(error);
  });

  it('when the network fails or validation fails, then those errors carry no secrets either', async () => {
    const closed = await startGraphStub();
    await closed.close();
    const { client } = clientOnStub({
      baseUrl: closed.url,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });

    expectNoSecrets(
      await rejectionOf(client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.text', text: secretText })),
    );
    expectNoSecrets(
      await rejectionOf(
        client.send(PHONE_NUMBER_ID, ANA, { type: 'reply.buttons', text: secretText, buttons: [] }),
      ),
    );
  });

  it('when the options are invalid, then the error names the option but not the token', () => {
    const create = () =>
      createWhatsAppClient({ baseUrl: 'not a url', apiVersion: 'v25.0', accessToken: TOKEN });
    expect(create).toThrow(/baseUrl/);
    try {
      create();
    } catch (error) {
      expectNoSecrets(error);
    }
  });
});

describe('createWhatsAppClient uploadMedia and markRead', () => {
  it('when uploading media, then the media id from the response is returned', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ body: fixture('media-upload-response.json') });

    const id = await client.uploadMedia(PHONE_NUMBER_ID, {
      data: Buffer.from('hello'),
      mimeType: 'text/plain',
      filename: 'hello.txt',
    });

    expect(id).toBe('3345678901234567');
    expect(stub.requests[0]?.path).toBe(MEDIA_PATH);
    expect(stub.requests[0]?.files.file?.data.toString()).toBe('hello');
  });

  it('when marking read with typing, then the body is exactly mark-read-typing-request.json', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ body: fixture('mark-read-response.json') });

    await expect(client.markRead(PHONE_NUMBER_ID, INBOUND_WAMID, { typing: true })).resolves.toBeUndefined();

    expect(stub.requests[0]?.path).toBe(MESSAGES_PATH);
    expect(stub.requests[0]?.json).toEqual(fixture('mark-read-typing-request.json'));
  });

  it('when marking read without typing, then the body is exactly mark-read-request.json', async () => {
    const { client } = clientOnStub();
    await client.markRead(PHONE_NUMBER_ID, INBOUND_WAMID);
    expect(stub.requests[0]?.json).toEqual(fixture('mark-read-request.json'));
  });

  it('when Meta answers success false to a read receipt, then it is reported as an API error', async () => {
    const { client } = clientOnStub();
    stub.enqueue({ body: { success: false } });
    await expect(client.markRead(PHONE_NUMBER_ID, INBOUND_WAMID)).rejects.toThrow(WhatsAppApiError);
  });
});

describe('classifyGraphError', () => {
  it.each([
    [1, 'retry'],
    [2, 'retry'],
    [4, 'retry'],
    [80007, 'retry'],
    [130429, 'retry'],
    [131000, 'retry'],
    [131016, 'retry'],
    [131057, 'retry'],
    [131056, 'pace'],
    [131047, 'permanent'],
    [131026, 'permanent'],
    [100, 'permanent'],
    [131008, 'permanent'],
    [131009, 'permanent'],
    [190, 'permanent'],
    [132000, 'permanent'],
    [132001, 'permanent'],
    [368, 'permanent'],
    [130403, 'permanent'],
    [131048, 'permanent'],
    [999999, 'permanent'],
  ] as const)('when the code is %i, then the action is %s', (code, action) => {
    expect(classifyGraphError(code)).toBe(action);
  });
});
