/**
 * `npm run export-schema [-- --stdout | --check]`: writes docs/data-export.schema.json, the JSON Schema of
 * the data export customers receive in the chat (GDPR Art. 15(3) and 20), generated from the zod schema in
 * src/privacy/export.ts and formatted with the project's Prettier settings. `--stdout` prints it instead;
 * `--check` exits 1 when the committed file differs (test/privacy/export-schema.test.ts checks the same).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { exportJsonSchema } from '../src/privacy/export.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../docs/data-export.schema.json', import.meta.url));

/** The schema file's text: the generated JSON Schema, as Prettier formats it. */
export async function renderExportSchema(): Promise<string> {
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(JSON.stringify(exportJsonSchema()), { ...options, filepath: SCHEMA_FILE });
}

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--stdout' && a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: npm run export-schema [-- --stdout | --check] (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  const text = await renderExportSchema();
  const relative = path.relative(process.cwd(), SCHEMA_FILE);
  if (args.includes('--stdout')) {
    process.stdout.write(text);
    return 0;
  }
  if (args.includes('--check')) {
    const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (current === text) return 0;
    console.error(`${relative} is out of date: run npm run export-schema`);
    return 1;
  }
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, text);
  console.info(`wrote ${relative}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
