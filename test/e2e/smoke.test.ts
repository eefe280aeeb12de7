import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureJson } from '../webhook/fixtures.js';
import { startTestBot } from '../helpers/bot.js';
import { freshen } from '../helpers/payloads.js';
import type { TestBot } from '../helpers/bot.js';

describe('intake smoke', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('smoke', { bot: { shutdownDrainMs: 300 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('when a configured business receives a text, then it is answered once', async () => {
    const put = await t.admin('PUT', '/admin/businesses/112233445566778', {
      name: 'Casa Ana',
      currency: 'EUR',
      catalog: [{ id: 'a', name: 'Coffee', price: 1.2 }],
    });
    expect(put.status).toBe(201);
    const res = await t.postWebhook(freshen(fixtureJson('inbound-text.json')) as object);
    expect(res.status).toBe(200);
    await t.settled();
    const sends = t.graph.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sends).toHaveLength(1);
    const again = await t.postWebhook(freshen(fixtureJson('inbound-text.json')) as object);
    expect(again.status).toBe(200);
    await t.settled();
    expect(t.graph.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('when a browser asks for the tab icon without the simulator (the portal in production), then it gets one, not a 404', async () => {
    for (const icon of ['/favicon.ico', '/favicon.svg']) {
      const res = await fetch(`${t.bot.url}${icon}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('image/svg+xml');
      expect(await res.text()).toContain('<svg');
    }
    // The simulator's page is not there: the icon does not depend on it.
    expect((await fetch(`${t.bot.url}/sim/app.js`)).status).toBe(404);
  });

  it('when a client holds a connection open mid-request, then the bot still shuts down, cutting it after the drain', async () => {
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const healthz = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${t.bot.url}/healthz`, { agent: keepAlive }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    expect(await healthz()).toBe(200);
    // A second client sends half a request and waits: a plain server.close() would wait for it for the
    // 60 s headers timeout, the idle keep-alive socket above for the 65 s keep-alive timeout.
    const slow = net.connect(t.bot.port, '127.0.0.1');
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const cut = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.on('error', () => undefined);
    const closed = await Promise.race([
      t.bot.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 15_000)),
    ]);
    keepAlive.destroy();
    expect(closed).toBe('closed');
    await cut;
    expect(slow.destroyed).toBe(true);
  });
});
