// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages that do input and output: never below the edges (flows, language, core). */
const EFFECT_PACKAGES = ['mongoose', 'mongodb', 'express', 'pino', 'pino-http', 'axios', 'openai', 'dotenv'];

/** For all of src/: nothing of test/ or scripts/ ships. */
const SRC_PATTERNS = [
  { group: ['**/test/**', '**/scripts/**'], message: 'src never imports from test/ or scripts/' },
];

/** A sibling top-level folder of src/ (from any depth below it): `../x/…`, `../../x/…`. */
const folder = (/** @type {string[]} */ names) => `^(\\.\\./)+(${names.join('|')})/`;

/**
 * The floors of src/, from the ground up (STYLE.md §2a). Relative specifiers are matched, so each floor
 * says which way out of its own folder is closed. Exceptions that remain are listed where they are.
 * The first entry covers every file of src/ no floor names (app, conversation, portal, admin, simulator).
 * @type {Array<{ files: string[]; ignores?: string[]; patterns: object[] }>}
 */
const floors = [
  { files: ['src/**/*.ts'], patterns: [] },
  {
    files: ['src/core/**/*.ts'],
    patterns: [
      { regex: '^\\.\\./', message: 'src/core imports nothing of ours: it is the ground floor' },
      { regex: '^(?!node:|zod$|\\.)', message: 'src/core uses only node built-ins and zod packages' },
    ],
  },
  {
    files: ['src/language/**/*.ts'],
    patterns: [
      { regex: '^(\\.\\./)+(?!core/|\\.\\./)', message: 'src/language imports only src/core' },
      { group: EFFECT_PACKAGES, message: 'src/language recognises text: effects belong above it' },
    ],
  },
  {
    // A folder inside language/ (the catalogue) reaches the rest of language/ with `../`, core with `../../core/`.
    files: ['src/language/*/**/*.ts'],
    patterns: [
      { regex: '^\\.\\./\\.\\./(?!core/)', message: 'src/language imports only src/core' },
      { group: EFFECT_PACKAGES, message: 'src/language recognises text: effects belong above it' },
    ],
  },
  {
    files: ['src/webhook/**/*.ts', 'src/whatsapp/**/*.ts', 'src/db/*.ts'],
    // The webhook's route is an entry point (below); intake has its own exception.
    ignores: ['src/webhook/routes.ts', 'src/webhook/intake.ts'],
    patterns: [
      {
        regex: '^(\\.\\./)+(?!core/|\\.\\./)',
        message: 'edges (webhook, whatsapp, db) import only src/core',
      },
    ],
  },
  {
    // Exception: intake stores a message durably under its business and customer, so it uses the inbox and
    // outbox models, the business directory and the customer-id resolver besides core.
    files: ['src/webhook/intake.ts'],
    patterns: [
      {
        regex: '^\\.\\./(?!core/|db/|businesses/directory\\.js$|customers/identity\\.js$)',
        message: 'webhook intake imports core, db, the business directory and customer identity only',
      },
    ],
  },
  {
    files: ['src/db/*/**/*.ts'],
    patterns: [
      { regex: '^\\.\\./\\.\\./(?!core/)', message: 'edges (webhook, whatsapp, db) import only src/core' },
    ],
  },
  {
    files: ['src/{customers,orders,privacy,ai,businesses,staff,handoff,templates,appointments}/**/*.ts'],
    patterns: [
      {
        regex: folder(['webhook', 'conversation', 'portal']),
        message: 'domains never import webhook/, conversation/ or portal/',
      },
      {
        regex: '(^|/)(routes|api)\\.js$|^(\\.\\./)+(app|bot|main)\\.js$',
        message: 'domains never import route files or the composition root',
      },
    ],
  },
];

/** flows/: pure machines over core and language, with xstate; among themselves freely. */
const FLOW_PATTERNS = [
  { group: EFFECT_PACKAGES, message: 'flows are pure: effects belong in src/' },
  {
    regex: '(^|/)src/(?!core/|language/)',
    message: 'flows import only src/core, src/language, xstate and other flows',
  },
  { regex: '(^|/)(test|scripts|prompts)/', message: 'flows import only src/core, src/language, xstate' },
];

/** Route and page files: entry points that never import one another. */
const ENTRY_PATTERNS = [
  {
    regex: '(^|/)(routes|api)\\.js$|(^|/)pages/',
    message: 'route and page files never import each other: share through a module below them',
  },
];

/**
 * Which way imports point (STYLE.md §2a), on its own so test/architecture/layers.test.ts can run just these
 * rules over the whole tree without type information (seconds, inside the test suite).
 * @type {import('typescript-eslint').ConfigArray}
 */
export const layering = [
  // Which way imports point (STYLE.md §2a): each floor uses only the floors below it. A file matches one
  // of these objects (the last that matches wins), so each repeats the rule for all of src/.
  ...floors.map(({ files, ignores = [], patterns }) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, ...SRC_PATTERNS] }] },
  })),
  { files: ['flows/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: FLOW_PATTERNS }] } },
  // Route and page files are entry points side by side: none imports another (a separate rule, so it adds
  // to the floor rule of the folder the route file sits in instead of replacing it).
  {
    files: ['src/**/routes.ts', 'src/simulator/api.ts', 'src/portal/pages/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: ENTRY_PATTERNS }] },
  },
  {
    files: ['src/portal/pages/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ENTRY_PATTERNS,
            {
              regex: '^\\./',
              message: 'a portal page never imports another page: shared page parts belong in src/portal/',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: true },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  ...layering,
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
