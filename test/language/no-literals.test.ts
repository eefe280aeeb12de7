/**
 * No sentence a customer, a staff member or a visitor reads is written in the code: it comes from the
 * message catalogue (src/language/catalogue/), in every language. This test reads the flows and the
 * services that speak to people with the TypeScript compiler and fails on any string or template literal
 * that looks like prose, except where a literal is not meant for them (see `skipped` and ALLOWED).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Where texts for people are decided: every flow, and the services whose results reach a chat, a staff
 * member or a public page. Left out, with the reason:
 * - src/admin/, src/*\/routes.ts, src/http/: the admin API, answered in JSON to developers and operators
 *   (error codes and messages in English by design; README "Admin API");
 * - src/db/, src/outbox/, src/webhook/, src/whatsapp/, src/core/, src/config.ts, src/log.ts, src/errors.ts,
 *   src/main.ts, src/metrics.ts: infrastructure, whose strings are logs, error codes and wire formats;
 * - src/language/: the catalogue itself, and the recognisers' word lists (what people write, not read);
 * - src/portal/, src/simulator/: the business's portal and the developer's simulator, with their own pages
 *   (not part of this check yet; the public pages are in src/language/catalogue/pages.ts);
 * - src/privacy/export.ts: the export's JSON schema descriptions, documentation for whoever reads the
 *   machine-readable file (docs/data-export.schema.json); the readable document is written from the catalogue;
 * - src/ai/prompts.ts and prompts/: instructions to the language model, not to a person.
 */
const SCANNED = [
  'flows',
  'src/conversation',
  'src/privacy',
  'src/orders',
  'src/staff',
  'src/customers',
  'src/ai',
  'src/businesses',
];
const NOT_SCANNED = [
  /\/routes\.ts$/,
  /^src\/privacy\/export\.ts$/,
  /^src\/ai\/prompts\.ts$/,
  // The demo business's own data (its name, dishes and FAQ), as a business would enter it in its language.
  /^src\/businesses\/demo\.ts$/,
  // The record of processing (GDPR Art. 30), in English for the operator, the README's data table and the
  // erasure receipt's basis (admin API); what a customer is told about each entry comes from its `told` catalogue keys
  // (privacy:processing.*, privacy:why.*), in the customer's language.
  /^src\/privacy\/data-map\.ts$/,
];

/**
 * Literals that look like prose and are still right where they are, each with its reason. An entry that
 * no longer matches anything fails the test, so the list cannot rot.
 */
const ALLOWED: ReadonlyArray<{ file: string; text: string; reason: string }> = [
  {
    file: 'src/conversation/step.ts',
    text: '🎤 voice note',
    reason: "a customer message as the staff inbox shows it: the portal's texts are English for now",
  },
  {
    file: 'src/conversation/step.ts',
    text: '✏️ edited a message',
    reason: "a customer message as the staff inbox shows it: the portal's texts are English for now",
  },
  {
    file: 'src/conversation/step.ts',
    text: 'removed a reaction',
    reason: "a customer message as the staff inbox shows it: the portal's texts are English for now",
  },
  {
    file: 'src/conversation/step.ts',
    text: '[opened the chat]',
    reason: "a customer message as the staff inbox shows it: the portal's texts are English for now",
  },
  {
    file: 'flows/compose.ts',
    text: 'root event',
    reason: 'names in the Error two clashing concerns throw at load',
  },
  {
    file: 'flows/compose.ts',
    text: 'the root',
    reason: 'names in the Error two clashing concerns throw at load',
  },
  {
    file: 'flows/ordering/cart.ts',
    text: 'line total',
    reason: 'label in the RangeError of an unsafe amount',
  },
  {
    file: 'flows/ordering/cart.ts',
    text: 'cart total',
    reason: 'label in the RangeError of an unsafe amount',
  },
  {
    file: 'src/conversation/engine.ts',
    text: 'unknown error',
    reason: 'the error name recorded and logged for a failed message, never sent',
  },
  {
    file: 'src/privacy/erasure.ts',
    text: 'identifiers found in',
    reason: "an erasure's failure reason, for the operator (admin API), never sent to the customer",
  },
  {
    file: 'src/privacy/requests.ts',
    text: 'polus-bot privacy/1',
    reason: 'the software identifier written into receipts',
  },
  ...['friendly, brief and clear.', '(no items)', "The customer's name is", 'The customer did not share'].map(
    (text) => ({
      file: 'src/ai/assistant.ts',
      text,
      reason: 'values of the prompt to the language model (prompts/interpret.md), not read by people',
    }),
  ),
];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

export interface Literal {
  file: string;
  line: number;
  text: string;
}

const CATALOGUE_KEY = /^[a-z]+:[\w.]+$/;
const LOGGERS = /(^|\.)(log|logger|console)$/;

/** A string that reads as words for a person: two words with a space, or a capitalised word with a stop. */
export function looksLikeProse(text: string): boolean {
  if (CATALOGUE_KEY.test(text)) return false;
  const words = text.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  if (words.length >= 2 && /\p{L}[\p{L}'’,;:!?.)*-]*\s+[*(¿¡"“]*\p{L}/u.test(text)) return true;
  return /^\p{Lu}\p{Ll}+[.!?…]$/u.test(text.trim());
}

/** Why a literal at this place is not a text for people, if it is not. */
function skipped(node: ts.Node): string | undefined {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return 'import path';
  if (ts.isExternalModuleReference(parent)) return 'import path';
  if (ts.isLiteralTypeNode(parent)) return 'type';
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  ) {
    return 'object key';
  }
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return 'object key';
  if (ts.isArrayLiteralExpression(parent) && isWordList(parent)) return 'words people write';
  for (let at: ts.Node = parent; !ts.isSourceFile(at); at = at.parent) {
    if (ts.isTypeNode(at) && !ts.isExpressionWithTypeArguments(at)) return 'type';
    if (ts.isCallExpression(at)) {
      const callee = at.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) return 'import path';
      if (ts.isPropertyAccessExpression(callee) && LOGGERS.test(callee.expression.getText()))
        return 'log call';
      // Validation messages of zod schemas: the admin API's field errors, for developers.
      if (/^z\s*\.|\.addIssue$/.test(callee.getText())) return 'validation message';
      // A word list given to `words(…)` (stop words: what customers write, ignored when matching).
      if (
        ts.isIdentifier(callee) &&
        callee.text === 'words' &&
        ts.isStringLiteralLike(node) &&
        /^[\p{Ll}\d' -]+$/u.test(node.text)
      )
        return 'words people write';
    }
    if (ts.isConstructorDeclaration(at) && isErrorClass(at)) return 'error message';
    if (ts.isNewExpression(at)) {
      const name = at.expression.getText();
      if (/Error$/.test(name)) return 'error for logs and API callers';
      if (name === 'RegExp') return 'regular expression';
    }
  }
  return undefined;
}

/**
 * An array of lowercase phrases without punctuation: what customers may type, to be recognised
 * ("add more", "para llevar"), never shown to them.
 */
function isWordList(array: ts.ArrayLiteralExpression): boolean {
  return array.elements.every(
    (element) =>
      (ts.isStringLiteral(element) || ts.isNoSubstitutionTemplateLiteral(element)) &&
      /^[\p{Ll}\d' -]+$/u.test(element.text),
  );
}

/** Inside a class of errors (`class OrderInputError extends Error`): its message is for logs and callers. */
function isErrorClass(node: ts.Node): boolean {
  for (let at: ts.Node = node; !ts.isSourceFile(at); at = at.parent) {
    if (ts.isClassDeclaration(at) || ts.isClassExpression(at)) {
      const extended = at.heritageClauses?.flatMap((clause) =>
        clause.types.map((t) => t.expression.getText()),
      );
      return (extended ?? []).some((name) => /Error$/.test(name));
    }
  }
  return false;
}

/** The prose-like literals of one file that nothing above excuses. */
export function proseIn(file: string, source: string): Literal[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: Literal[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('{}');
    if (text !== undefined && looksLikeProse(text) && skipped(node) === undefined) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      found.push({ file, line: line + 1, text });
    }
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
    else node.templateSpans.forEach((span) => visit(span.expression));
  };
  visit(sourceFile);
  return found;
}

const scanned = SCANNED.flatMap(filesUnder)
  .map((file) => relative(ROOT, join(ROOT, file)))
  .filter((file) => !NOT_SCANNED.some((pattern) => pattern.test(file)));

describe('texts for people come from the catalogue', () => {
  it('when the scanner reads typical code, then it finds prose and only prose (it can fail)', () => {
    const code = [
      "import { t } from '../src/language/i18n.js';",
      "type Kind = 'reply text';",
      "const keyed = { 'two words': 1 };",
      "log.info({ id }, 'order placed by customer');",
      "throw new Error('actor was not provided');",
      "const fine = t(language, 'ordering:cart.empty');",
      "const id = 'pv.fix.addr:1';",
      'const said = `Your cart has ${count} items`;',
      "const also = 'Sorry, something went wrong.';",
      "const word = 'Thanks!';",
    ].join('\n');
    expect(proseIn('example.ts', code).map(({ line, text }) => [line, text])).toEqual([
      [8, 'Your cart has {} items'],
      [9, 'Sorry, something went wrong.'],
      [10, 'Thanks!'],
    ]);
  });

  it('when the flows and the services are read, then no sentence for people is written in the code', () => {
    const found = scanned.flatMap((file) => proseIn(file, readFileSync(join(ROOT, file), 'utf8')));
    const allowed = (literal: Literal) =>
      ALLOWED.some(({ file, text }) => file === literal.file && literal.text.startsWith(text));
    const unused = ALLOWED.filter(
      (entry) => !found.some((literal) => literal.file === entry.file && literal.text.startsWith(entry.text)),
    );
    expect(scanned.length).toBeGreaterThan(40);
    expect(found.filter((literal) => !allowed(literal)).map((l) => `${l.file}:${l.line} ${l.text}`)).toEqual(
      [],
    );
    expect(unused.map(({ file, text }) => `${file} ${text}`)).toEqual([]);
  });
});
