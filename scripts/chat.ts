/**
 * The terminal WhatsApp simulator: `npm run chat [-- --url http://localhost:3000] [--business ID]
 * [--phone 34600111222] [--name Ana] [--start]`. Talks to a running bot's /sim/api (the bot must run in local
 * mode or with SIMULATOR=on); without a bot at the URL (or with --start) it starts one in this process, in
 * local mode. The bot's buttons and list rows are numbered: `#2` (or the choice's exact title) taps one; a plain
 * number is sent as text ("3" at *How many?* means three). WhatsApp formatting shows as bold, italic… in a
 * terminal. Commands:
 * `/location LAT LON [name]`, `/state`, `/again` (deliver the last message again), `/quit`. Reads stdin line
 * by line, so it can be driven by a pipe (the tests do).
 */
import 'dotenv/config';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { SimMessage } from '../src/simulator/store.js';
import { renderFormatting } from './chat-format.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    business: { type: 'string' },
    phone: { type: 'string', default: '34600111222' },
    name: { type: 'string', default: 'Ana' },
    start: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(
    'usage: npm run chat -- [--url http://localhost:3000] [--business PHONE_NUMBER_ID] [--phone DIGITS] [--name NAME] [--start]',
  );
  process.exit(0);
}

type Shown = SimMessage & { document?: SimMessage['document'] & { url?: string } };
interface Choice {
  type: 'button' | 'list';
  id: string;
  title: string;
}

const waId = args.phone.replace(/[^0-9]/g, '');
let baseUrl = (args.url ?? 'http://localhost:3000').replace(/\/+$/, '');
let stopBot: (() => Promise<void>) | undefined;

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/sim/api/businesses`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A bot of our own, in local mode (simulator on, embedded database unless MONGODB_URI), on a free port. */
async function startOwnBot(): Promise<string> {
  const [{ startBot }, { loadConfig }, { loadOrCreateDevSecrets }, { createLogger }] = await Promise.all([
    import('../src/bot.js'),
    import('../src/config.js'),
    import('../src/dev-secrets.js'),
    import('../src/log.js'),
  ]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SIMULATOR: 'on',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  };
  const dev =
    env.NODE_ENV === 'production' ? undefined : loadOrCreateDevSecrets(env.DATA_DIR || '.data').secrets;
  const config = loadConfig(env, dev);
  // Logs to stderr, so the conversation on stdout stays readable.
  const logger = createLogger({ level: config.logLevel }, process.stderr);
  const bot = await startBot(config, logger, { seedDemo: config.env !== 'production' });
  stopBot = () => bot.close();
  return bot.url;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/sim/api${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const data = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(data.error?.message ?? `HTTP ${res.status}`);
  return data;
}

let business = args.business ?? '';
let choices: Choice[] = [];
const printed = new Set<string>();

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** ANSI styles, only for a terminal: piped output (logs, tests) keeps WhatsApp's own markers. */
const styled =
  (process.stdout.isTTY === true && process.env.NO_COLOR === undefined) || process.env.FORCE_COLOR === '1';

function show(m: Shown): void {
  if (m.header) print(`bot> ${m.header}`);
  if (m.text !== undefined) {
    const [first = '', ...rest] = renderFormatting(m.text, styled).split('\n');
    print(`bot> ${first}`);
    for (const line of rest) print(`     ${line}`);
  }
  if (m.document) {
    const where = m.document.url ? `${baseUrl}${m.document.url}` : '(no longer available)';
    print(`bot> [document] ${m.document.filename} ${where}`);
    if (m.document.caption) print(`     ${m.document.caption}`);
  }
  if (m.footer) print(`     ${m.footer}`);
  const next: Choice[] = [];
  for (const b of m.buttons ?? []) next.push({ type: 'button', id: b.id, title: b.title });
  for (const section of m.list?.sections ?? []) {
    if (section.title) print(`     — ${section.title}`);
    for (const row of section.rows) {
      next.push({ type: 'list', id: row.id, title: row.title });
      print(`     [#${next.length}] ${row.title}${row.description ? ` — ${row.description}` : ''}`);
    }
  }
  if (m.buttons) m.buttons.forEach((b, i) => print(`     [#${i + 1}] ${b.title}`));
  if (next.length > 0) choices = next;
}

let polling: Promise<void> = Promise.resolve();
function poll(): Promise<void> {
  polling = polling.then(async () => {
    try {
      const { messages } = await api<{ messages: Shown[] }>(
        'GET',
        `/chat?phoneNumberId=${encodeURIComponent(business)}&waId=${waId}`,
      );
      for (const m of messages) {
        if (m.direction !== 'out' || printed.has(m.id)) continue;
        printed.add(m.id);
        show(m);
      }
    } catch (err) {
      print(`!! ${(err as Error).message}`);
    }
  });
  return polling;
}

async function send(message: Record<string, unknown>): Promise<void> {
  await api('POST', '/messages', { phoneNumberId: business, waId, name: args.name, message });
}

async function handle(line: string): Promise<boolean> {
  const input = line.trim();
  if (input === '') return true;
  if (input === '/quit') return false;
  if (input === '/state') {
    const s = await api<{ state: string | null; cart: Array<{ name: string; quantity: number }> }>(
      'GET',
      `/state?phoneNumberId=${encodeURIComponent(business)}&waId=${waId}`,
    );
    const cart = s.cart.map((l) => `${l.quantity} × ${l.name}`).join(', ');
    print(`state: ${s.state ?? 'no conversation yet'}${cart ? ` · cart: ${cart}` : ''}`);
    return true;
  }
  if (input === '/again') {
    const r = await api<{ webhookStatus: number }>('POST', '/again', { phoneNumberId: business, waId });
    print(`(last message delivered again: webhook answered ${r.webhookStatus})`);
    return true;
  }
  const location = /^\/location\s+(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)(?:\s+(.+))?$/.exec(input);
  if (location) {
    await send({
      type: 'location',
      latitude: Number(location[1]),
      longitude: Number(location[2]),
      ...(location[3] ? { name: location[3] } : {}),
    });
    return true;
  }
  if (input.startsWith('/')) {
    print(
      'commands: #N or the exact title of a choice taps it (a plain number is sent as text) · /location LAT LON [name] · /state · /again · /quit',
    );
    return true;
  }
  // `#3` taps the third choice, and so does typing a choice's title exactly; a plain "3" is text (a
  // quantity of three is not the third button).
  const tapped = /^#(\d+)$/.exec(input);
  const choice = tapped
    ? choices[Number(tapped[1]) - 1]
    : choices.find((c) => c.title.toLowerCase() === input.trim().toLowerCase());
  if (tapped && !choice) {
    print(`(there is no choice ${input} here)`);
    return true;
  }
  if (choice) await send({ type: choice.type, id: choice.id, title: choice.title });
  else await send({ type: 'text', text: input });
  return true;
}

async function main(): Promise<void> {
  if (args.start || !(await reachable(baseUrl))) {
    if (args.url && !args.start) {
      console.error(`no simulator at ${baseUrl} (is the bot running with SIMULATOR=on or in local mode?)`);
      process.exit(1);
    }
    baseUrl = await startOwnBot();
  }
  const { businesses } = await api<{ businesses: Array<{ phoneNumberId: string; name: string }> }>(
    'GET',
    '/businesses',
  );
  const chosen =
    businesses.find((b) => b.phoneNumberId === business) ?? (business ? undefined : businesses[0]);
  if (!chosen) {
    console.error(business ? `no business ${business}` : 'no business configured');
    process.exit(1);
  }
  business = chosen.phoneNumberId;
  // Earlier messages of this chat are not printed again.
  const { messages } = await api<{ messages: Shown[] }>(
    'GET',
    `/chat?phoneNumberId=${encodeURIComponent(business)}&waId=${waId}`,
  );
  for (const m of messages) printed.add(m.id);
  print(`Chatting with ${chosen.name} as ${args.name} (+${waId}). #N taps a choice; /quit leaves.`);
  const timer = setInterval(() => void poll(), 300);

  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let queue = Promise.resolve(true);
  let quitting = false;
  const finish = async () => {
    if (quitting) return;
    quitting = true;
    await queue.catch(() => false);
    // A moment for the last replies to arrive, then print them.
    await new Promise((resolve) => setTimeout(resolve, 600));
    clearInterval(timer);
    await poll();
    rl.close();
    await stopBot?.();
    process.exit(0);
  };
  rl.on('line', (line) => {
    queue = queue.then(async (going) => {
      if (!going) return false;
      try {
        const keepGoing = await handle(line);
        if (!keepGoing) void finish();
        return keepGoing;
      } catch (err) {
        print(`!! ${(err as Error).message}`);
        return true;
      }
    });
  });
  rl.on('close', () => void finish());
}

void main().catch((err: unknown) => {
  console.error(`chat: ${(err as Error).message}`);
  process.exit(1);
});
