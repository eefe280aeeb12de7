/**
 * Meta's data deletion callback end to end: the signed_request check on its own (every way a request can be
 * wrong), then the whole bot on a random port: POST /meta/data-deletion as Meta sends it (form-encoded), the
 * status page its answer links to, repeated and invalid callbacks (nothing stored), the public
 * /data-deletion instructions, both pages in each of our languages (?lang=, else Accept-Language, else English),
 * the rate limit, and what the logs may not hold (the user id, the request).
 */
import { createHmac, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SIGNED_REQUEST_MAX_AGE_S,
  SignedRequestError,
  signRequest,
  verifySignedRequest,
} from '../../src/privacy/signed-request.js';
import { startTestBot, TEST_APP_SECRET } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';

const SECRET = 'unit-test-app-secret-0123456789';
const NOW_MS = 1_760_000_000_000;
const NOW_S = NOW_MS / 1000;

/** A Facebook app-scoped user id no other test uses (numeric, 16 digits). */
function newUserId(): string {
  return `10${String(randomInt(10 ** 9)).padStart(9, '0')}${String(randomInt(10 ** 5)).padStart(5, '0')}`;
}

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { algorithm: 'HMAC-SHA256', issued_at: NOW_S, user_id: '1234567890123456', ...overrides };
}

/** The reason verifySignedRequest refuses `value` with (and that it refuses with a SignedRequestError). */
function refusal(value: unknown, secret = SECRET, nowMs = NOW_MS): string {
  try {
    verifySignedRequest(value, secret, nowMs);
  } catch (err) {
    expect(err).toBeInstanceOf(SignedRequestError);
    return (err as Error).message;
  }
  throw new Error('the signed request was accepted');
}

/** Another base64url character in place of the first one (the last may carry only padding bits). */
function flipFirst(text: string): string {
  return `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
}

describe('verifySignedRequest', () => {
  it('accepts a request signed with the app secret and returns the user id', () => {
    expect(verifySignedRequest(signRequest(payload(), SECRET), SECRET, NOW_MS)).toBe('1234567890123456');
    // Meta writes the algorithm in upper case; a lower-case one is the same algorithm.
    expect(
      verifySignedRequest(signRequest(payload({ algorithm: 'hmac-sha256' }), SECRET), SECRET, NOW_MS),
    ).toBe('1234567890123456');
    // Base64 padding on either part, as some encoders add it, is accepted.
    const [sig, body] = signRequest(payload(), SECRET).split('.') as [string, string];
    expect(verifySignedRequest(`${sig}=.${body}`, SECRET, NOW_MS)).toBe('1234567890123456');
  });

  it('refuses a tampered signature, a signature by another secret, and a payload changed after signing', () => {
    const [sig, body] = signRequest(payload(), SECRET).split('.') as [string, string];
    expect(refusal(`${flipFirst(sig)}.${body}`)).toBe('bad signature');
    expect(refusal(`${sig.slice(0, 20)}.${body}`)).toBe('bad signature');
    expect(refusal(signRequest(payload(), 'another-secret'))).toBe('bad signature');
    const changed = Buffer.from(JSON.stringify(payload({ user_id: '999' }))).toString('base64url');
    expect(refusal(`${sig}.${changed}`)).toBe('bad signature');
    expect(refusal(`${sig}.${body}A`)).toBe('bad signature');
  });

  it('refuses another algorithm even when the HMAC-SHA256 signature is right', () => {
    expect(refusal(signRequest(payload({ algorithm: 'HMAC-SHA1' }), SECRET))).toBe('unsupported algorithm');
    expect(refusal(signRequest(payload({ algorithm: 'none' }), SECRET))).toBe('unsupported algorithm');
  });

  it('refuses a stale issued_at and one far in the future; accepts small clock skew', () => {
    expect(refusal(signRequest(payload({ issued_at: NOW_S - SIGNED_REQUEST_MAX_AGE_S - 1 }), SECRET))).toBe(
      'issued_at too old',
    );
    expect(refusal(signRequest(payload({ issued_at: NOW_S - 30 * 24 * 3600 }), SECRET))).toBe(
      'issued_at too old',
    );
    expect(
      verifySignedRequest(
        signRequest(payload({ issued_at: NOW_S - SIGNED_REQUEST_MAX_AGE_S + 5 }), SECRET),
        SECRET,
        NOW_MS,
      ),
    ).toBe('1234567890123456');
    expect(refusal(signRequest(payload({ issued_at: NOW_S + 3600 }), SECRET))).toBe(
      'issued_at in the future',
    );
    expect(verifySignedRequest(signRequest(payload({ issued_at: NOW_S + 60 }), SECRET), SECRET, NOW_MS)).toBe(
      '1234567890123456',
    );
  });

  it('refuses payloads with a missing or malformed field', () => {
    const { user_id: _dropped, ...noUser } = payload();
    expect(refusal(signRequest(noUser, SECRET))).toBe('payload fields missing or invalid');
    const { issued_at: _none, ...noIssued } = payload();
    expect(refusal(signRequest(noIssued, SECRET))).toBe('payload fields missing or invalid');
    const { algorithm: _alg, ...noAlgorithm } = payload();
    expect(refusal(signRequest(noAlgorithm, SECRET))).toBe('payload fields missing or invalid');
    expect(refusal(signRequest(payload({ user_id: 'abc' }), SECRET))).toBe(
      'payload fields missing or invalid',
    );
    expect(refusal(signRequest(payload({ user_id: 1234567890 }), SECRET))).toBe(
      'payload fields missing or invalid',
    );
    expect(refusal(signRequest(payload({ user_id: '' }), SECRET))).toBe('payload fields missing or invalid');
    expect(refusal(signRequest(payload({ issued_at: String(NOW_S) }), SECRET))).toBe(
      'payload fields missing or invalid',
    );
    // Signed correctly, but the payload is not JSON at all.
    const notJson = Buffer.from('not json').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(notJson).digest('base64url');
    expect(refusal(`${sig}.${notJson}`)).toBe('payload is not JSON');
  });

  it('refuses garbage strings and non-strings with a SignedRequestError, never another error', () => {
    const garbage = [
      'nodot',
      'a.b.c',
      `${signRequest(payload(), SECRET)}.extra`,
      '.',
      '.abc',
      'abc.',
      '!!!!.####',
      'ab+/.cd==',
      '',
      ' ',
      'x'.repeat(10_000),
      `${'A'.repeat(5000)}.${'B'.repeat(5000)}`,
    ];
    for (const value of garbage) refusal(value);
    for (const value of [undefined, null, 42, ['a.b'], { signed_request: 'a.b' }, true]) {
      expect(refusal(value)).toBe('signed_request missing or too long');
    }
  });

  it('never puts the user id in its reasons', () => {
    const userId = '5550001112223334';
    const reasons = [
      refusal(signRequest(payload({ user_id: userId, algorithm: 'HMAC-SHA1' }), SECRET)),
      refusal(signRequest(payload({ user_id: userId, issued_at: 1 }), SECRET)),
      refusal(signRequest(payload({ user_id: userId }), 'wrong')),
    ];
    for (const reason of reasons) expect(reason).not.toContain(userId);
  });
});

interface CallbackBody {
  url: string;
  confirmation_code: string;
}

interface ErrorBody {
  error: { code: string; message: string };
}

const BASE_URL = 'https://privacy.example.test';
const CONTACT = 'privacy-desk@example.test';

/** A signed_request as Meta sends it now, for `userId`, signed with the test bot's app secret. */
function metaSigned(userId: string, overrides: Record<string, unknown> = {}): string {
  return signRequest(
    { algorithm: 'HMAC-SHA256', issued_at: Math.floor(Date.now() / 1000), user_id: userId, ...overrides },
    TEST_APP_SECRET,
  );
}

/** The headers every deletion page carries: not cached, not indexed, no referrer, no scripts. */
function expectPageHeaders(res: Response): void {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-robots-tag')).toMatch(/noindex/);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
}

function expectPageShape(html: string): void {
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toMatch(/<meta name="robots" content="noindex[^"]*">/);
  expect(html).toContain('<meta name="referrer" content="no-referrer">');
  expect(html).not.toMatch(/<script|<img|<iframe|https?:\/\/(?!www\.w3\.org)/i);
}

describe('the data deletion callback and pages', () => {
  let t: TestBot;
  /** Each test calls from its own address, so the per-address rate limit never couples tests. */
  let address = 0;
  let ip = '';

  beforeAll(async () => {
    t = await startTestBot('privacy-meta', {
      // As behind one proxy: each test names its own client address in X-Forwarded-For.
      env: { PUBLIC_BASE_URL: BASE_URL, PRIVACY_CONTACT_EMAIL: CONTACT, TRUST_PROXY: '1' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const nextAddress = () => {
    address += 1;
    ip = `198.51.100.${address}`;
  };

  function callback(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<Response> {
    return fetch(`${t.bot.url}/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-forwarded-for': ip },
      body,
    });
  }

  const form = (signed: string) => new URLSearchParams({ signed_request: signed }).toString();

  function get(path: string): Promise<Response> {
    return fetch(`${t.bot.url}${path}`, { headers: { 'x-forwarded-for': ip } });
  }

  const metaRequests = () => t.bot.models.PrivacyRequest.countDocuments({ channel: 'meta-callback' }).exec();

  it('answers a valid callback with exactly { url, confirmation_code }, and the url shows the status', async () => {
    nextAddress();
    const userId = newUserId();
    const before = await metaRequests();
    const res = await callback(form(metaSigned(userId)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as CallbackBody;
    expect(Object.keys(body).sort()).toEqual(['confirmation_code', 'url']);
    // Meta asks for an alphanumeric code.
    expect(body.confirmation_code).toMatch(/^[A-Za-z0-9]{6,32}$/);
    expect(body.url.startsWith(`${BASE_URL}/data-deletion/status/`)).toBe(true);
    const url = new URL(body.url);
    expect(url.search).toBe('');
    const token = url.pathname.split('/').at(-1) ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(token).not.toContain(body.confirmation_code);
    expect(body.url).not.toContain(userId);
    expect(await metaRequests()).toBe(before + 1);

    // The stored record: completed (nothing is linked to a Facebook id), no user id or token in it.
    const stored = await t.bot.models.PrivacyRequest.findOne({ confirmationCode: body.confirmation_code })
      .lean()
      .exec();
    expect(stored).toMatchObject({ channel: 'meta-callback', status: 'completed', type: 'erasure' });
    expect(JSON.stringify(stored)).not.toContain(userId);
    expect(JSON.stringify(stored)).not.toContain(token);

    const page = await get(url.pathname);
    expect(page.status).toBe(200);
    expectPageHeaders(page);
    const html = await page.text();
    expectPageShape(html);
    expect(html).toContain(body.confirmation_code);
    expect(html).toMatch(/Status: <strong>Completed\.<\/strong>/);
    expect(html).toContain('delete my data');
    expect(html).not.toContain(userId);
  });

  it('answers an unknown or malformed token with the same status and page structure as a known one', async () => {
    nextAddress();
    // The page of a known request: its tags, with the values between them taken out, is the shape.
    const shape = (html: string) => html.replace(/>[^<]*</g, '><');
    const known = (await (await callback(form(metaSigned(newUserId())))).json()) as CallbackBody;
    const knownPage = await get(new URL(known.url).pathname);
    expect(knownPage.status).toBe(200);
    const knownHtml = await knownPage.text();
    // Only a Meta callback's page adds the note about Facebook; without it the shapes must be equal.
    const knownShape = shape(knownHtml.replace(/<p>This service keeps no data[^]*?<\/p>/, ''));
    expect(knownShape).not.toBe(shape(knownHtml));
    const unknown = Buffer.alloc(32, 1).toString('base64url');
    for (const token of [unknown, 'short', `${unknown}x`, '%3Cscript%3E', 'DSR0000000000']) {
      const res = await get(`/data-deletion/status/${token}`);
      expect(res.status, token).toBe(200);
      expectPageHeaders(res);
      const html = await res.text();
      expectPageShape(html);
      expect(html).toContain(
        'Status: <strong>No request found for this link, or it is still being recorded.',
      );
      expect(shape(html)).toBe(knownShape);
      expect(html).not.toContain('<script>');
    }
  });

  it('gives a repeated callback for the same user the same code and url, with one record', async () => {
    nextAddress();
    const userId = newUserId();
    const before = await metaRequests();
    const first = (await (await callback(form(metaSigned(userId)))).json()) as CallbackBody;
    const again = await callback(form(metaSigned(userId, { issued_at: Math.floor(Date.now() / 1000) - 5 })));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await metaRequests()).toBe(before + 1);
    expect(
      await t.bot.models.PrivacyRequest.countDocuments({ confirmationCode: first.confirmation_code }),
    ).toBe(1);
    // Another user gets another code and url.
    const other = (await (await callback(form(metaSigned(newUserId())))).json()) as CallbackBody;
    expect(other.confirmation_code).not.toBe(first.confirmation_code);
    expect(other.url).not.toBe(first.url);
  });

  it('gives concurrent callbacks for the same user one record and one code (Meta retries)', async () => {
    nextAddress();
    const userId = newUserId();
    const before = await metaRequests();
    const answers = await Promise.all(Array.from({ length: 6 }, () => callback(form(metaSigned(userId)))));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 6 }, () => 200));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as CallbackBody[];
    expect(new Set(bodies.map((b) => b.confirmation_code)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.url)).size).toBe(1);
    expect(await metaRequests()).toBe(before + 1);
  });

  it('refuses invalid callbacks with 400 and stores nothing', async () => {
    nextAddress();
    const userId = newUserId();
    const good = metaSigned(userId);
    const [sig, body] = good.split('.') as [string, string];
    const now = Math.floor(Date.now() / 1000);
    const { user_id: _u, ...noUser } = { algorithm: 'HMAC-SHA256', issued_at: now, user_id: userId };
    const cases: Array<[string, string, string?]> = [
      ['tampered signature', form(`${flipFirst(sig)}.${body}`)],
      [
        'other secret',
        form(signRequest({ algorithm: 'HMAC-SHA256', issued_at: now, user_id: userId }, 'not-the-secret')),
      ],
      ['wrong algorithm', form(metaSigned(userId, { algorithm: 'HMAC-SHA1' }))],
      ['stale', form(metaSigned(userId, { issued_at: now - SIGNED_REQUEST_MAX_AGE_S - 60 }))],
      ['future', form(metaSigned(userId, { issued_at: now + 24 * 3600 }))],
      ['missing user_id', form(signRequest(noUser, TEST_APP_SECRET))],
      ['garbage', form('garbage')],
      ['no signed_request', 'something=else'],
      ['empty body', ''],
      ['JSON body instead of form', JSON.stringify({ signed_request: good }), 'application/json'],
      ['form as text/plain', form(good), 'text/plain'],
    ];
    const before = await metaRequests();
    for (const [name, payloadText, contentType] of cases) {
      const res = await callback(payloadText, contentType);
      expect(res.status, name).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code, name).toBe('VALIDATION_FAILED');
      expect(error.message, name).toMatch(/^invalid signed_request: /);
      expect(error.message, name).not.toContain(userId);
    }
    expect(await metaRequests()).toBe(before);
    expect(
      await t.bot.models.PrivacyRequest.countDocuments({
        channel: 'meta-callback',
        status: { $ne: 'completed' },
      }),
    ).toBe(0);
  });

  it('explains on /data-deletion how to delete data: in the chat, through Meta, by e-mail', async () => {
    nextAddress();
    const res = await get('/data-deletion');
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expectPageShape(html);
    expect(html).toContain('<em>delete my data</em>');
    expect(html).toMatch(/WhatsApp chat/);
    expect(html).toMatch(/Facebook \/ Meta/);
    expect(html).toContain(`mailto:${CONTACT}`);
  });

  /** Each language's title of /data-deletion and the phrase that asks for deletion in its chat. */
  const DELETION_PAGES = [
    ['en', 'How to delete your data', 'delete my data'],
    ['es', 'Cómo borrar tus datos', 'borra mis datos'],
    ['pt', 'Como excluir seus dados', 'apague meus dados'],
    ['fr', 'Comment supprimer vos données', 'supprimer mes données'],
    ['de', 'So löschen Sie Ihre Daten', 'meine Daten löschen'],
  ] as const;
  const NAMES = { en: 'English', es: 'Español', pt: 'Português', fr: 'Français', de: 'Deutsch' };

  /** The page is in `language`: its lang, its title, and links to the four other languages only. */
  function expectLanguage(res: Response, html: string, language: keyof typeof NAMES, title: string): void {
    expect(res.headers.get('content-language')).toBe(language);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(`<title>${title}</title>`);
    expect(html).toContain(`<h1>${title}</h1>`);
    for (const [other, name] of Object.entries(NAMES)) {
      const link = `<a href="?lang=${other}" hreflang="${other}" lang="${other}">${name}</a>`;
      if (other === language) expect(html).not.toContain(`href="?lang=${other}"`);
      else expect(html).toContain(link);
    }
  }

  it.each(DELETION_PAGES)(
    'shows /data-deletion in %s when ?lang asks for it, whatever the browser prefers',
    async (language, title, phrase) => {
      nextAddress();
      const res = await fetch(`${t.bot.url}/data-deletion?lang=${language}`, {
        headers: { 'x-forwarded-for': ip, 'accept-language': language === 'de' ? 'fr' : 'de' },
      });
      expect(res.status).toBe(200);
      expectPageHeaders(res);
      const html = await res.text();
      expectPageShape(html);
      expectLanguage(res, html, language, title);
      expect(html).toContain(`<em>${phrase}</em>`);
      expect(html).toContain(`<a href="mailto:${CONTACT}">${CONTACT}</a>`);
    },
  );

  it.each(DELETION_PAGES)(
    'shows /data-deletion in %s when it is the best of ours in Accept-Language',
    async (language, title) => {
      nextAddress();
      const header = `it-IT,it;q=0.9,${language}-XX;q=0.8,${language === 'en' ? 'de' : 'en'};q=0.4`;
      const res = await fetch(`${t.bot.url}/data-deletion`, {
        headers: { 'x-forwarded-for': ip, 'accept-language': header },
      });
      expectLanguage(res, await res.text(), language, title);
    },
  );

  it('shows /data-deletion in Spanish with the texts a Spanish speaker reads', async () => {
    nextAddress();
    const res = await fetch(`${t.bot.url}/data-deletion`, {
      headers: { 'x-forwarded-for': ip, 'accept-language': 'es-ES,es;q=0.9' },
    });
    const html = await res.text();
    expect(html).toContain('<nav aria-label="Otros idiomas">');
    expect(html).toContain('<h2>Cómo pedirlo</h2>');
    expect(html).toContain(
      '<li><strong>En el chat de WhatsApp</strong> con el negocio: escribe <em>borra mis datos</em> (o <em>delete my data</em>,',
    );
    expect(html).toContain('Si antes quieres una copia, escribe <em>qué datos tienen de mí</em>.');
    expect(html).toContain(
      `<li><strong>Por correo electrónico:</strong> escribe a <a href="mailto:${CONTACT}">${CONTACT}</a> desde cualquier dirección`,
    );
    expect(html).toContain('<h2>Qué se conserva y por qué</h2>');
    expect(html).toContain('<li>WhatsApp (Meta) guarda su propia copia de los mensajes hasta 30 días.</li>');
    expect(html).not.toMatch(/Ways to ask|What is kept/);
  });

  it('shows /data-deletion in English without a language asked for, or for one we do not speak', async () => {
    nextAddress();
    for (const [query, header] of [
      ['', undefined],
      ['', 'it-IT,ja;q=0.5'],
      ['?lang=it', 'it'],
      ['?lang=%3Cscript%3E', '*'],
      ['?lang[]=es', undefined],
    ] as const) {
      const res = await fetch(`${t.bot.url}/data-deletion${query}`, {
        headers: { 'x-forwarded-for': ip, ...(header ? { 'accept-language': header } : {}) },
      });
      const html = await res.text();
      expectLanguage(res, html, 'en', 'How to delete your data');
      expect(html).toContain('<h2>Ways to ask</h2>');
      expect(html).not.toContain('script');
    }
  });

  it('shows the status page in Spanish, by ?lang and by Accept-Language, known and unknown alike', async () => {
    nextAddress();
    const shape = (html: string) => html.replace(/>[^<]*</g, '><');
    const known = (await (await callback(form(metaSigned(newUserId())))).json()) as CallbackBody;
    const path = new URL(known.url).pathname;
    const byQuery = await get(`${path}?lang=es`);
    const byHeader = await fetch(`${t.bot.url}${path}`, {
      headers: { 'x-forwarded-for': ip, 'accept-language': 'es-AR,es;q=0.9,en;q=0.8' },
    });
    const title = 'Solicitud de borrado de datos';
    const htmls: string[] = [];
    for (const res of [byQuery, byHeader]) {
      expectPageHeaders(res);
      const html = await res.text();
      expectPageShape(html);
      expectLanguage(res, html, 'es', title);
      expect(html).toContain(`<p>Código de confirmación: <code>${known.confirmation_code}</code></p>`);
      expect(html).toMatch(/<p>Recibida: \d{1,2} [a-z]{3,4}\.? \d{4}<\/p>/);
      expect(html).toContain('<p>Estado: <strong>Completada.</strong></p>');
      expect(html).toContain(
        '<p>Este servicio no guarda ningún dato vinculado a tu cuenta de Facebook, así que no había nada que borrar.',
      );
      expect(html).toContain('escribe <em>borra mis datos</em> en ese chat');
      expect(html).toContain('<p>Consulta <a href="/data-deletion?lang=es">cómo borrar tus datos</a>.</p>');
      expect(html).not.toContain(path.split('/').at(-1) ?? '');
      htmls.push(html);
    }
    expect(htmls[0]).toBe(htmls[1]);

    const unknown = await get(`/data-deletion/status/${Buffer.alloc(32, 9).toString('base64url')}?lang=es`);
    const html = await unknown.text();
    expectLanguage(unknown, html, 'es', title);
    expect(html).toContain(
      '<p>Estado: <strong>No encontramos ninguna solicitud para este enlace, o todavía se está registrando.',
    );
    expect(html).toContain('<p>Código de confirmación: <code>-</code></p>');
    const knownShape = shape((htmls[0] ?? '').replace(/<p>Este servicio no guarda[^]*?<\/p>/, ''));
    expect(shape(html)).toBe(knownShape);
  });

  it('shows the status page in English by default, as before', async () => {
    nextAddress();
    const known = (await (await callback(form(metaSigned(newUserId())))).json()) as CallbackBody;
    const res = await get(new URL(known.url).pathname);
    const html = await res.text();
    expectLanguage(res, html, 'en', 'Data deletion request');
    expect(html).toContain(`<p>Confirmation code: <code>${known.confirmation_code}</code></p>`);
    expect(html).toContain('<p>Status: <strong>Completed.</strong></p>');
    expect(html).toContain('<p>See <a href="/data-deletion?lang=en">how to delete your data</a>.</p>');
  });

  it('keeps the user id, the signed_request and the status token out of the logs', async () => {
    nextAddress();
    const userId = newUserId();
    const signed = metaSigned(userId);
    const from = t.logs.length;
    const ok = (await (await callback(form(signed))).json()) as CallbackBody;
    await get(new URL(ok.url).pathname);
    const bad = metaSigned(userId, { algorithm: 'HMAC-SHA1' });
    expect((await callback(form(bad))).status).toBe(400);
    expect((await callback(form(`${signed}x`))).status).toBe(400);
    const lines = t.logs.slice(from).join('\n');
    expect(lines).toContain('meta data deletion callback refused');
    const token = new URL(ok.url).pathname.split('/').at(-1) ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(lines).toContain('/data-deletion/status/:token');
    for (const secret of [
      userId,
      signed,
      bad,
      signed.split('.')[0] ?? '',
      signed.split('.')[1] ?? '',
      token,
    ]) {
      expect(lines).not.toContain(secret);
    }
    expect(lines).not.toContain(encodeURIComponent(signed));
  });

  it('limits how often one address may call (the status token must not be brute-forced)', async () => {
    nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) {
      statuses.push((await get(`/data-deletion/status/${Buffer.alloc(32, i).toString('base64url')}`)).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // The limit covers the callback too, and only this address.
    expect((await callback(form(metaSigned(newUserId())))).status).toBe(429);
    nextAddress();
    expect((await callback(form(metaSigned(newUserId())))).status).toBe(200);
  });
});

describe('/data-deletion without a contact e-mail', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('privacy-meta-no-email');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the chat and Meta, no e-mail, and links statuses under the default base url', async () => {
    const html = await (await fetch(`${t.bot.url}/data-deletion`)).text();
    expect(html).toContain('<em>delete my data</em>');
    expect(html).not.toContain('mailto:');
    expect(html).not.toContain('By e-mail');
    const res = await fetch(`${t.bot.url}/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: metaSigned(newUserId()) }).toString(),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as CallbackBody;
    expect(body.url.startsWith(`${t.config.publicBaseUrl}/data-deletion/status/`)).toBe(true);
  });
});
