/**
 * Which way imports point (STYLE.md §2a), checked inside the test suite: the layering rules of
 * eslint.config.js run over src/ and flows/ without type information, so an import against the direction
 * fails `npm test` (and CI), not only `npm run lint`.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layering } from '../../eslint.config.js';

const root = new URL('../..', import.meta.url).pathname;

function linter(): ESLint {
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@typescript-eslint': tseslint.plugin },
      },
      ...layering,
    ],
  });
}

/** The import-direction errors for `code` as if it were the file at `path`. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await linter().lintText(code, { filePath: `${root}${path}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import direction', () => {
  it('when the whole tree is linted for layering, then no import runs against the direction', async () => {
    const results = await linter().lintFiles(['src/**/*.ts', 'flows/**/*.ts']);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(root.length)}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, 60_000);

  it.each([
    ['src/core/x.ts', "import { parseWebhook } from '../webhook/parse.js';", 'src/core imports nothing'],
    ['src/core/x.ts', "import mongoose from 'mongoose';", 'src/core uses only'],
    ['src/language/x.ts', "import type { Models } from '../db/models/index.js';", 'only src/core'],
    ['flows/x.flow.ts', "import { Order } from '../src/db/models/order.model.js';", 'flows import only'],
    ['flows/x.flow.ts', "import pino from 'pino';", 'flows are pure'],
    ['src/whatsapp/x.ts', "import { intake } from '../webhook/intake.js';", 'edges'],
    ['src/db/models/x.ts', "import type { FlowEvent } from '../../../flows/root.flow.js';", 'edges'],
    ['src/privacy/x.ts', "import { ConversationEngine } from '../conversation/engine.js';", 'domains never'],
    ['src/orders/routes.ts', "import { adminRouter } from '../admin/routes.js';", 'never import each other'],
    ['src/portal/pages/a.ts', "import { ordersPage } from './orders.js';", 'never imports another page'],
  ])('when %s has `%s`, then it is refused (%s)', async (path, code, reason) => {
    const found = await violations(path, code);
    expect(found.join('\n')).toContain(reason);
  });

  it('when the ground floor and the floors above import downwards, then nothing is refused', async () => {
    expect(
      await violations('src/language/x.ts', "import { normalise } from '../core/normalise.js';"),
    ).toEqual([]);
    expect(await violations('flows/x.flow.ts', "import { DAY_MS } from '../src/core/time.js';")).toEqual([]);
    expect(await violations('src/db/models/x.ts', "import { DAY_MS } from '../../core/time.js';")).toEqual(
      [],
    );
  });
});
