import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import { createLogger, serializeError } from '../../src/log.js';
import { Counters } from '../../src/metrics.js';
import { signBody } from '../../src/webhook/signature.js';
import {
  startTestBot,
  testSealer,
  TEST_ACCESS_TOKEN,
  TEST_ADMIN_TOKEN,
  TEST_APP_SECRET,
  TEST_PEPPER,
  TEST_VERIFY_TOKEN,
} from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundMessage, inboundText, messagesChange, newWamid, nowSeconds } from '../helpers/payloads.js';
import { fixture } from '../whatsapp/fixtures.js';

// The customer: distinctive values that can only reach a log line by leaking.
const CUSTOMER_WA_ID = '447700900987';
const CUSTOMER_NAME = 'Zebedee Quintessa';
const SECRET_TEXT = 'my secret order: pineapple pizza to 12 Sesame Street';
const SECOND_TEXT = 'second secret: ring the xylophone doorbell twice';
const ADDRESS = '221B Quasimodo Lane, Zanzibar City';
const LOCATION_NAME = 'Quasimodo Towers';
const BUTTON_TITLE = 'Yes please, Zebedee';
// The business's staff number, as the operator types it and as it is stored.
const ADMIN_NUMBER_TYPED = '+44 7700 900555';
const ADMIN_NUMBER = '447700900555';
// Wrong secrets that callers present: refused, and not logged either.
const WRONG_VERIFY_TOKEN = 'wrong-verify-token-Marzipan';
const WRONG_ADMIN_TOKEN = 'wrong-admin-token-Marzipan-0123456789';

const BUSINESS_ID = '300400000000001';
const UNKNOWN_BUSINESS_ID = '300400000000999';

/** Everything that must never appear in a log line, named so a failure says what leaked. */
const FORBIDDEN: Record<string, string> = {
  'customer phone number': CUSTOMER_WA_ID,
  'customer phone number with +': `+${CUSTOMER_WA_ID}`,
  'customer phone number, national part': CUSTOMER_WA_ID.slice(2),
  'customer name': CUSTOMER_NAME,
  'customer first name': 'Zebedee',
  'customer surname': 'Quintessa',
  'message text': SECRET_TEXT,
  'message text fragment': 'pineapple',
  'street in message text': 'Sesame Street',
  'second message text': SECOND_TEXT,
  'second message text fragment': 'xylophone',
  'location address': ADDRESS,
  'location address fragment': 'Quasimodo',
  'location name': LOCATION_NAME,
  'button title': BUTTON_TITLE,
  'verify token': TEST_VERIFY_TOKEN,
  'wrong verify token': WRONG_VERIFY_TOKEN,
  'verify token query parameter': 'hub.verify_token',
  'admin token': TEST_ADMIN_TOKEN,
  'wrong admin token': WRONG_ADMIN_TOKEN,
  'access token': TEST_ACCESS_TOKEN,
  'app secret': TEST_APP_SECRET,
  'privacy pepper': TEST_PEPPER,
  'admin number': ADMIN_NUMBER,
  'admin number as typed': ADMIN_NUMBER_TYPED,
  'admin number, national part': ADMIN_NUMBER.slice(2),
  'a signature header value': 'sha256=',
};

/** `what: line` for every forbidden value found in the lines. */
function leaks(lines: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of lines) {
    for (const [what, value] of Object.entries(FORBIDDEN)) {
      if (line.includes(value)) found.push(`${what}: ${line.trim()}`);
    }
  }
  return found;
}

/** A MongoDB bulk-write error as the driver builds it: the failed documents ride along. */
function driverError(): Error {
  const err = new Error(
    `E11000 duplicate key error collection: polus.customers index: waId_1 dup key: { waId: "${CUSTOMER_WA_ID}" }`,
  );
  return Object.assign(err, {
    name: 'MongoBulkWriteError',
    code: 11000,
    keyValue: { waId: CUSTOMER_WA_ID },
    writeErrors: [
      {
        index: 0,
        code: 11000,
        errmsg: `dup key: { waId: "${CUSTOMER_WA_ID}" }`,
        op: { customer: { waId: CUSTOMER_WA_ID }, event: { type: 'user.text', text: SECRET_TEXT } },
      },
    ],
  });
}

/** A pino logger writing into an array, the way pino's own tests capture output. */
function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace' }, stream), lines };
}

function parsed(line: string | undefined): Record<string, unknown> {
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

describe('log scan helper', () => {
  it('when a line carries a forbidden value, then the scan reports it (the scan can fail)', () => {
    expect(leaks([`{"msg":"x","to":"+${CUSTOMER_WA_ID}"}`])).toHaveLength(3);
    expect(leaks([`{"msg":"${SECRET_TEXT}"}`]).length).toBeGreaterThan(0);
    expect(leaks(['{"msg":"webhook item ignored","wamid":"wamid.X"}'])).toEqual([]);
  });
});

describe('logger redaction', () => {
  const PII = {
    text: SECRET_TEXT,
    from: CUSTOMER_WA_ID,
    wa_id: CUSTOMER_WA_ID,
    phone: `+${CUSTOMER_WA_ID}`,
    name: CUSTOMER_NAME,
    address: ADDRESS,
    accessToken: TEST_ACCESS_TOKEN,
  };
  const KEYS = Object.keys(PII);

  function expectRedacted(value: unknown): void {
    expect(value).toEqual(Object.fromEntries(KEYS.map((key) => [key, '[Redacted]'])));
  }

  it('when personal fields are logged one level down, then each is "[Redacted]"', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ customer: PII }, 'one level down');
    expect(lines).toHaveLength(1);
    expectRedacted(parsed(lines[0]).customer);
    expect(leaks(lines)).toEqual([]);
  });

  it('when personal fields are logged at the top level, then each is "[Redacted]"', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ ...PII }, 'top level');
    const line = parsed(lines[0]);
    expectRedacted(Object.fromEntries(KEYS.map((key) => [key, line[key]])));
    expect(leaks(lines)).toEqual([]);
  });

  it('when personal fields are logged two and three levels down, then each is "[Redacted]"', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ message: { contact: PII } }, 'two levels down');
    logger.info({ entry: { value: { contact: PII } } }, 'three levels down');
    const two = parsed(lines[0]).message as Record<string, unknown>;
    expectRedacted(two.contact);
    const three = (parsed(lines[1]).entry as { value: Record<string, unknown> }).value;
    expectRedacted(three.contact);
    expect(leaks(lines)).toEqual([]);
  });

  it('when personal fields are logged inside an array, then each is "[Redacted]"', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ contacts: [PII] }, 'in an array');
    const contacts = parsed(lines[0]).contacts as unknown[];
    expectRedacted(contacts[0]);
    expect(leaks(lines)).toEqual([]);
  });

  it('when personal fields are bound on a child logger, then each is "[Redacted]"', () => {
    const { logger, lines } = memoryLogger();
    logger.child({ customer: PII }).info('child, one level down');
    logger.child({ ...PII }).info('child, top level');
    expectRedacted(parsed(lines[0]).customer);
    const top = parsed(lines[1]);
    expectRedacted(Object.fromEntries(KEYS.map((key) => [key, top[key]])));
    expect(leaks(lines)).toEqual([]);
  });

  it('when a wamid is logged, then it is redacted: Meta encodes the sender’s number in it', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ=', inboundWamid: 'wamid.X' }, 'handled');
    const line = parsed(lines[0]);
    expect(line.wamid).toBe('[Redacted]');
    expect(line.inboundWamid).toBe('[Redacted]');
  });

  it('when a value is not personal, then it is logged as is (redaction is targeted)', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ outboxId: '665f1c2e9b1d4a0012345678', customer: { ref: 'c_123' } }, 'ids only');
    const line = parsed(lines[0]);
    expect(line.outboxId).toBe('665f1c2e9b1d4a0012345678');
    expect(line.customer).toEqual({ ref: 'c_123' });
    expect(line.msg).toBe('ids only');
  });
});

describe('serializeError', () => {
  it('when a driver error carries writeErrors[].op and quotes a phone number, then neither is kept', () => {
    const serialized = JSON.stringify(serializeError(driverError()));
    expect(leaks([serialized])).toEqual([]);
    expect(serialized).toContain('E11000');
    expect(serialized).toContain('11000');
    expect(serialized).not.toContain('writeErrors');
    expect(serialized).not.toContain('keyValue');
  });

  it('when such an error is logged as a cause under err, then the line keeps neither', () => {
    const { logger, lines } = memoryLogger();
    logger.error({ err: new Error('could not store the webhook', { cause: driverError() }) }, 'failed');
    expect(lines).toHaveLength(1);
    expect(leaks(lines)).toEqual([]);
    const err = parsed(lines[0]).err as { message: string; cause?: { code?: number } };
    expect(err.message).toBe('could not store the webhook');
    expect(err.cause?.code).toBe(11000);
  });

  it('when a message quotes values with single quotes or spells a number with spaces, then they are scrubbed', () => {
    const err = new Error(`Cast failed for value '${SECRET_TEXT}' at +44 7700 900987 and ${CUSTOMER_WA_ID}`);
    expect(leaks([JSON.stringify(serializeError(err))])).toEqual([]);
  });

  it('when a message spans several lines, then the stack does not carry the unscrubbed lines', () => {
    const err = new Error(`could not store\n  waId: "${CUSTOMER_WA_ID}", text: "${SECRET_TEXT}"`);
    const serialized = JSON.stringify(serializeError(err));
    expect(leaks([serialized])).toEqual([]);
  });

  it('when something other than an Error is thrown, then nothing of it is kept', () => {
    expect(serializeError(`failed for ${CUSTOMER_WA_ID}`)).toEqual({
      type: 'string',
      message: '(not an Error)',
    });
  });
});

/** A status webhook about one of our replies, addressed to the customer, with Meta's error details. */
function statusFor(
  wamid: string,
  status: 'delivered' | 'read' | 'failed',
  errors?: Array<{ code: number; title: string }>,
): Record<string, unknown> {
  return messagesChange(BUSINESS_ID, {
    statuses: [
      {
        id: wamid,
        status,
        timestamp: nowSeconds(),
        recipient_id: CUSTOMER_WA_ID,
        ...(errors
          ? {
              errors: errors.map((e) => ({
                ...e,
                message: e.title,
                error_data: { details: `could not deliver to +${CUSTOMER_WA_ID}` },
              })),
            }
          : {}),
      },
    ],
  });
}

describe('log scan over real traffic', () => {
  let t: TestBot;
  const statuses: Record<string, number> = {};
  const customer = { phoneNumberId: BUSINESS_ID, waId: CUSTOMER_WA_ID, name: CUSTOMER_NAME };

  beforeAll(async () => {
    t = await startTestBot('logs');
    const record = async (label: string, response: Promise<Response>) => {
      const res = await response;
      statuses[label] = res.status;
      await res.arrayBuffer();
    };

    // Admin: a business with a staff number, a refused one, a wrong token, a broken body.
    await record(
      'put business',
      t.admin('PUT', `/admin/businesses/${BUSINESS_ID}`, {
        name: 'Casa Marzipan',
        currency: 'EUR',
        catalog: [{ id: 'pizza', name: 'Pizza', price: 9.5 }],
        adminNumbers: [ADMIN_NUMBER_TYPED],
      }),
    );
    await record(
      'put invalid business',
      t.admin('PUT', `/admin/businesses/${BUSINESS_ID}`, {
        name: CUSTOMER_NAME,
        currency: 'EUR',
        adminNumbers: [ADMIN_NUMBER_TYPED, `${CUSTOMER_NAME} ${SECRET_TEXT}`],
      }),
    );
    await record(
      'put unknown currency',
      t.admin('PUT', `/admin/businesses/${UNKNOWN_BUSINESS_ID}`, {
        name: 'Casa Euro',
        currency: 'EURO',
        catalog: [{ id: 'pizza', name: 'Pizza', price: 9.5 }],
        adminNumbers: [ADMIN_NUMBER_TYPED],
      }),
    );
    await record(
      'put broken json',
      t.admin('PUT', `/admin/businesses/${UNKNOWN_BUSINESS_ID}`, `{"adminNumbers": ["${ADMIN_NUMBER}"`),
    );
    await record(
      'get with wrong admin token',
      t.admin('GET', `/admin/businesses/${BUSINESS_ID}`, undefined, WRONG_ADMIN_TOKEN),
    );

    // Inbound traffic from the customer.
    const firstText = inboundText(customer, SECRET_TEXT);
    await record('text', t.postWebhook(firstText));
    await record(
      'location',
      t.postWebhook(
        inboundMessage(customer, 'location', {
          location: { latitude: 51.5, longitude: -0.12, name: LOCATION_NAME, address: ADDRESS },
        }),
      ),
    );
    await record(
      'button reply',
      t.postWebhook(
        inboundMessage(
          customer,
          'interactive',
          {
            interactive: { type: 'button_reply', button_reply: { id: 'order:confirm', title: BUTTON_TITLE } },
          },
          { context: { from: '15550100123', id: newWamid() } },
        ),
      ),
    );
    await record(
      'unsupported',
      t.postWebhook(
        inboundMessage(
          customer,
          'unsupported',
          { unsupported: { type: 'poll_creation' } },
          {
            errors: [
              {
                code: 131051,
                title: 'Message type unknown',
                message: 'Message type unknown',
                error_data: { details: `unsupported message from ${CUSTOMER_NAME}` },
              },
            ],
          },
        ),
      ),
    );
    await record(
      'unknown business',
      t.postWebhook(inboundText({ ...customer, phoneNumberId: UNKNOWN_BUSINESS_ID }, SECRET_TEXT)),
    );
    await record(
      'bad signature',
      t.postWebhook(inboundText(customer, SECRET_TEXT), { signature: `sha256=${'0'.repeat(64)}` }),
    );
    await record('no signature', t.postWebhook(inboundText(customer, SECRET_TEXT), { signature: null }));
    await record('signed non-JSON', t.postWebhook(`${SECRET_TEXT} from +${CUSTOMER_WA_ID}`));
    await record(
      'signed wrong shape',
      t.postWebhook({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: { messages: [{ from: CUSTOMER_WA_ID, text: { body: SECRET_TEXT } }] },
              },
            ],
          },
        ],
      }),
    );
    const plain = Buffer.from(JSON.stringify(inboundText(customer, SECRET_TEXT)));
    await record(
      'signed text/plain',
      t.postWebhook(plain, { contentType: 'text/plain', signature: signBody(plain, TEST_APP_SECRET) }),
    );

    // Meta's verification handshake, with a wrong and with the right token.
    const verify = (token: string) =>
      fetch(
        `${t.bot.url}/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`,
      );
    await record('verify with wrong token', verify(WRONG_VERIFY_TOKEN));
    await record('verify with right token', verify(TEST_VERIFY_TOKEN));
    await t.settled();

    // Back to the menu first, so the next text is certain to get an answer (the conversation may have
    // gone quiet after several messages it did not understand).
    const reset = await t.postWebhook(inboundText(customer, 'menu'));
    if (reset.status !== 200) throw new Error(`menu reset answered ${reset.status}`);
    await t.settled();

    // A reply the Graph API refuses: outside the 24-hour window.
    t.graph.enqueue({ status: 400, body: fixture('error-outside-window.json') });
    await record('text answered with 131047', t.postWebhook(inboundText(customer, SECOND_TEXT)));
    await t.settled();

    // Statuses for a reply that was sent, then a redelivery of the first message.
    const sent = await t.bot.models.Outbox.findOne({ status: 'sent' }).lean().exec();
    const sentWamid = sent?.wamids[0] ?? 'wamid.none';
    statuses['reply wamid found'] = sent ? 1 : 0;
    await record('status delivered', t.postWebhook(statusFor(sentWamid, 'delivered')));
    await record('status read', t.postWebhook(statusFor(sentWamid, 'read')));
    await record(
      'status failed',
      t.postWebhook(statusFor(sentWamid, 'failed', [{ code: 131047, title: 'Re-engagement message' }])),
    );
    await record('duplicate delivery', t.postWebhook(firstText));
    await t.settled();
    // Sweeps and late lines land before the scan.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(async () => {
    await t.close();
  });

  it('when the traffic was driven, then each request had its expected outcome', () => {
    expect(statuses).toMatchObject({
      'put business': 201,
      'put invalid business': 400,
      'put broken json': 400,
      'get with wrong admin token': 401,
      text: 200,
      location: 200,
      'button reply': 200,
      unsupported: 200,
      'unknown business': 200,
      'bad signature': 401,
      'no signature': 401,
      'signed non-JSON': 400,
      'signed wrong shape': 400,
      'signed text/plain': 415,
      'verify with wrong token': 403,
      'verify with right token': 200,
      'text answered with 131047': 200,
      'reply wamid found': 1,
      'status delivered': 200,
      'status read': 200,
      'status failed': 200,
      'duplicate delivery': 200,
    });
    expect(t.bot.counters.get('webhook.messages.duplicate')).toBe(1);
    expect(t.bot.counters.get('webhook.messages.unknown_business')).toBe(1);
    expect(t.bot.counters.get('webhook.verify.refused')).toBe(1);
    expect(t.bot.counters.get('outbox.failed')).toBe(1);
  });

  it('when the logs are read, then they describe the requests (so the scan means something)', () => {
    const has = (fragment: string) => t.logs.some((line) => line.includes(fragment));
    const requestLines = t.logs.filter((line) => /"msg":"request (completed|errored)"/.test(line));
    // One line per request driven (every key but the wamid bookkeeping one).
    expect(requestLines.length).toBeGreaterThanOrEqual(Object.keys(statuses).length - 1);
    expect(has('"method":"POST","url":"/webhook"')).toBe(true);
    expect(has('"method":"GET","url":"/webhook"')).toBe(true);
    expect(has('"method":"PUT","url":"/admin/businesses/:phoneNumberId"')).toBe(true);
    expect(has(`"business":"${BUSINESS_ID}"`)).toBe(true);
    expect(has('not a configured business')).toBe(true);
    expect(
      t.logs.some((line) => line.includes('"msg":"reply failed"') && line.includes('"code":131047')),
    ).toBe(true);
    // Every line is one JSON object: nothing bypasses the logger's serializers.
    for (const line of t.logs) expect(() => parsed(line)).not.toThrow();
  });

  it('when a request completes, then its log line carries the response status', () => {
    const statusOf = (method: string, url: string): unknown[] =>
      t.logs
        .map((line) => parsed(line))
        .filter((line) => {
          const req = line.req as { method?: string; url?: string } | undefined;
          return line.msg === 'request completed' && req?.method === method && req.url === url;
        })
        .map((line) => (line.res as { statusCode?: unknown } | undefined)?.statusCode);
    expect(statusOf('PUT', '/admin/businesses/:phoneNumberId')).toContain(201);
    expect(statusOf('GET', '/admin/businesses/:phoneNumberId')).toEqual([401]);
    expect(statusOf('GET', '/webhook').sort()).toEqual([200, 403]);
    expect(statusOf('POST', '/webhook')).toContain(401);
  });

  it('when every captured line is scanned, then no phone number, name, text, address, token or secret appears', () => {
    expect(leaks(t.logs)).toEqual([]);
  });

  describe('when a route fails with a driver error that carries personal data', () => {
    class FailingDirectory extends BusinessDirectory {
      override get(): Promise<BusinessData | null> {
        return Promise.reject(driverError());
      }
    }
    const lines: string[] = [];
    let server: http.Server;
    let url = '';

    beforeAll(async () => {
      const memory = memoryLogger();
      lines.length = 0;
      const app = createApp({
        config: t.config,
        logger: memory.logger,
        connection: t.bot.database.connection,
        models: t.bot.models,
        directory: new FailingDirectory(t.bot.models.Business),
        counters: new Counters(),
        onAccepted: () => undefined,
        resumeConversation: () => Promise.resolve(false),
        orders: t.bot.orders,
        sealer: testSealer(),
        privacy: t.bot.privacy,
      });
      server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const admin = await fetch(`${url}/admin/businesses/${BUSINESS_ID}`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(admin.status).toBe(500);
      const body = Buffer.from(JSON.stringify(inboundText(customer, SECRET_TEXT)));
      const webhook = await fetch(`${url}/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signBody(body, TEST_APP_SECRET),
        },
        body,
      });
      expect(webhook.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines.push(...memory.lines);
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    });

    it('then no personal data reaches the error lines', () => {
      expect(lines.filter((line) => line.includes('"level":50')).length).toBeGreaterThanOrEqual(2);
      expect(leaks(lines)).toEqual([]);
    });

    it('then the error lines still say what failed: type, code and scrubbed message', () => {
      const failures = lines
        .map((line) => parsed(line))
        .filter((line) => line.msg === 'request failed')
        .map((line) => line.err as { type?: string; message?: string; code?: unknown } | undefined);
      expect(failures).toHaveLength(2);
      for (const err of failures) {
        expect(err?.type).toBe('MongoBulkWriteError');
        expect(err?.message).toContain('E11000');
        expect(err?.code).toBe(11000);
      }
    });
  });
});
