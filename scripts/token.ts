/**
 * Prints the portal's operator token for local mode and nothing else (`npm run token`, or
 * `npm run -s token | pbcopy`): ADMIN_TOKEN from the environment or `.env` when set, else the one
 * `npm run dev` generated in DATA_DIR/dev-secrets.json. Never in production, where secrets live in the
 * platform's configuration and do not belong in a terminal's scrollback.
 */
import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (process.env.NODE_ENV === 'production')
  fail('npm run token is for local mode only (NODE_ENV=production).');

const fromEnv = process.env.ADMIN_TOKEN?.trim();
if (fromEnv) {
  process.stdout.write(`${fromEnv}\n`);
  process.exit(0);
}

const file = path.resolve(process.env.DATA_DIR || '.data', 'dev-secrets.json');
let stored: unknown;
try {
  stored = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  fail(`No token yet: ${file} is missing or unreadable. Start the bot once with npm run dev.`);
}
const token =
  typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>).ADMIN_TOKEN : undefined;
if (typeof token !== 'string' || token === '')
  fail(`${file} has no ADMIN_TOKEN. Start the bot once with npm run dev.`);
process.stdout.write(`${token}\n`);
