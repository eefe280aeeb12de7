/**
 * The terminal simulator (`npm run chat`, scripts/chat.ts) driven through its stdin against a bot the test
 * starts with the simulator on: a whole pickup order of the demo pizzeria by numbered choices only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER_ID } from '../../src/businesses/demo.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newWaId } from '../helpers/payloads.js';

let t: TestBot;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  t = await startTestBot('chat-cli', {
    env: { SIMULATOR: 'on' },
    bot: { seedDemo: true, simulatorStatusDelaysMs: [5, 15, 30] },
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill();
  await t.close();
});

it('completes an order typed into `npm run chat`', { timeout: 30_000 }, async () => {
  const waId = newWaId();
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/chat.ts',
      '--url',
      t.bot.url,
      '--business',
      DEMO_PHONE_NUMBER_ID,
      '--phone',
      waId,
      '--name',
      'Ana',
    ],
    { cwd: process.cwd(), env: { ...process.env, NODE_ENV: 'test' } },
  );
  child = proc;
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

  let seen = 0;
  /** Waits for `text` in what the simulator printed since the last wait, then moves past it. */
  const expectOutput = async (text: string | RegExp, timeoutMs = 8_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = out.slice(seen);
      const found =
        typeof text === 'string'
          ? rest.includes(text)
            ? { index: rest.indexOf(text), length: text.length }
            : undefined
          : (() => {
              const m = text.exec(rest);
              return m ? { index: m.index, length: m[0].length } : undefined;
            })();
      if (found) {
        const upTo = found.index + found.length;
        seen += upTo;
        return rest.slice(0, upTo);
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${String(text)} in the output:\n${out.slice(seen)}\n--- stderr:\n${err}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const type = (line: string) => proc.stdin.write(`${line}\n`);

  await expectOutput('Chatting with Polus Pizzeria (demo) as Ana', 15_000);
  type('hi');
  expect(await expectOutput('[#4] Talk to a person')).toContain('Welcome to *Polus Pizzeria (demo)*');
  type('#1'); // Order: taps the first row
  expect(await expectOutput('[#6] Still water')).toContain('[#5] Cola — €2.50');
  type('#5'); // Cola
  await expectOutput('How many *Cola*');
  await expectOutput('[#3] 3');
  type('2'); // a plain number is text: two Colas (not the second button)
  expect(await expectOutput('[#3] Checkout')).toContain('Added: 2 × Cola.');
  type('/state');
  await expectOutput('state: ordering');
  type('Checkout'); // a choice's exact title taps it
  await expectOutput('[#2] Delivery');
  type('#1'); // Pickup
  await expectOutput(/\[#\d\] No note/);
  type('no note');
  const summary = await expectOutput(/\[#\d\] Cancel/);
  expect(summary).toContain('*Total: €5.00*');
  const confirm = /\[#(\d)\] Confirm/.exec(summary)?.[1];
  expect(confirm).toBeDefined();
  type(`#${confirm ?? '1'}`);
  const placed = await expectOutput(/Order \*\d+\* placed: €[\d.]+\./);
  expect(placed).toMatch(/✅ Order \*\d+\* placed: €5\.00\./);
  type('/quit');
  expect(await exited).toBe(0);

  const orders = await t.bot.models.Order.find({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).lean().exec();
  expect(orders.map((o) => o.items.map((l) => [l.itemId, l.quantity]))).toContainEqual([['cola', 2]]);
});
