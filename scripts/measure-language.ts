/**
 * `npx tsx scripts/measure-language.ts [DIR] [--min-words N]`: measures language detectors on short chat
 * messages (test/fixtures/language-corpus.json, labelled by hand in en, es, pt, fr, de) and prints a markdown
 * table: accuracy per language, per message length (1–2 words, 3–5, 6+), overall, how often a wrong language
 * is named, time per message, load time, install size and licence.
 *
 * The candidates are loaded from DIR (default: $LANGUAGE_DETECTORS_DIR, else the working directory), a
 * scratch install made with `npm i eld tinyld franc-min cld3-asm`, so measuring adds nothing to the project.
 * A missing candidate is reported and skipped. Each detector is restricted to our five languages where its
 * API allows it (eld: `setLanguageSubset`, tinyld and franc: `only`); cld3 cannot be restricted, so an answer
 * outside the five counts as no answer.
 *
 * Two ways to combine each detector with the words we know (src/language/choose.ts `wordsLanguage`): the
 * detector first, when the message has at least N words (`--min-words`, default choose.ts's
 * DETECTOR_MIN_WORDS) and its answer is clear, else the words; or the words first, else the detector under
 * the same conditions. The last row of the first is choose.ts's `detectLanguage` itself, as integrated.
 * The "neutral" column counts, out of the messages in NEUTRAL (no language of their own: "ok", "2", an item
 * name), those the method would switch the conversation's language for; it should be 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  DETECTOR_MIN_MARGIN,
  DETECTOR_MIN_WORDS,
  detectLanguage,
  wordsLanguage,
} from '../src/language/choose.js';
import { isLanguage, LANGUAGES } from '../src/language/languages.js';
import type { Language } from '../src/language/languages.js';

const CORPUS_FILE = fileURLToPath(new URL('../test/fixtures/language-corpus.json', import.meta.url));
const corpusSchema = z.array(z.object({ text: z.string().min(1), language: z.enum(LANGUAGES) }));

/** Messages that say nothing about a language; no method may switch the conversation for them. */
const NEUTRAL: readonly string[] = [
  'ok',
  'OK 👍',
  '2',
  '3x',
  'pizza',
  'Margherita',
  'no',
  'menu',
  '👍',
  '🙏🙏',
  'coca cola',
  '2 pizzas',
  'tiramisu',
  '1 margherita + 1 coke',
  'Diavola',
  'pepperoni',
  '#2',
  'taxi',
  '2 diavola',
  'pizza margherita',
  'coca cola zero',
  'tiramisu x2',
  'quattro formaggi',
  'pad thai',
  'ok ok',
  '12:30',
];

/** A detector's answer: a language of ours or none, and whether it calls that answer clear. */
interface Guess {
  language: Language | undefined;
  clear: boolean;
}

interface Candidate {
  name: string;
  /** The package whose size and licence are reported. */
  pkg: string;
  /** What is imported; its load time and heap are measured in a fresh process. */
  entry: string;
  load: (dir: string) => Promise<(text: string) => Guess>;
}

const ISO3: Readonly<Record<string, Language>> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de' };

function ours(code: string | undefined): Language | undefined {
  return isLanguage(code) ? code : undefined;
}

/** Imports `specifier` ("eld/small") as resolved from DIR/node_modules through the package's `exports`. */
async function importFrom(dir: string, specifier: string): Promise<unknown> {
  return import(resolveFrom(dir, specifier));
}

/** The file URL `specifier` resolves to from DIR/node_modules, read from the package's `exports`. */
function resolveFrom(dir: string, specifier: string): string {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  const subpath = '.' + specifier.slice(name.length);
  const root = path.join(dir, 'node_modules', name);
  const manifest = readManifest(root);
  let target: unknown = manifest.exports;
  if (target && typeof target === 'object' && !('import' in target) && !('default' in target)) {
    target = (target as Record<string, unknown>)[subpath];
  } else if (subpath !== '.') {
    target = undefined;
  }
  while (target && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    target = conditions.import ?? conditions.node ?? conditions.default ?? conditions.require;
  }
  const file =
    typeof target === 'string' ? target : subpath === '.' ? (manifest.main ?? 'index.js') : subpath;
  return pathToFileURL(path.join(root, file)).href;
}

/**
 * Time and heap growth of loading a detector, in a fresh Node process so that nothing loaded before (our
 * own choose.ts imports eld) is counted as free. A wasm module (cld3-asm) is instantiated as well.
 */
function loadCost(dir: string, entry: string): { loadMs: number; heapMb: number } | undefined {
  const code = [
    'const heap = process.memoryUsage().heapUsed; const started = performance.now();',
    `const loaded = await import(${JSON.stringify(resolveFrom(dir, entry))});`,
    "if (typeof loaded.loadModule === 'function') await loaded.loadModule();",
    'const loadMs = performance.now() - started; globalThis.gc?.();',
    'console.log(JSON.stringify({ loadMs, heapMb: (process.memoryUsage().heapUsed - heap) / 1e6 }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  const parsed = z
    .object({ loadMs: z.number(), heapMb: z.number() })
    .safeParse(JSON.parse(child.stdout.trim().split('\n').pop() || 'null'));
  return parsed.success ? parsed.data : undefined;
}

const manifestSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  license: z.string().optional(),
  main: z.string().optional(),
  exports: z.unknown().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
});

function readManifest(root: string): z.infer<typeof manifestSchema> {
  return manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')));
}

interface EldInstance {
  setLanguageSubset: (languages: string[]) => unknown;
  detect: (text: string) => {
    language: string;
    isReliable: () => boolean;
    getScores: () => Record<string, number>;
  };
}

function eldSize(size: 'extrasmall' | 'small' | 'medium' | 'large'): Candidate {
  return {
    name: `eld (${size})`,
    pkg: 'eld',
    entry: `eld/${size}`,
    load: async (dir) => {
      const { eld } = (await importFrom(dir, `eld/${size}`)) as { eld: EldInstance };
      eld.setLanguageSubset([...LANGUAGES]);
      return (text) => {
        const result = eld.detect(text);
        const [best = 0, next = 0] = Object.values(result.getScores()).sort((a, b) => b - a);
        const clear = result.isReliable() && best - next >= DETECTOR_MIN_MARGIN;
        return { language: ours(result.language), clear };
      };
    },
  };
}

interface TinyLd {
  detectAll: (text: string, options: { only: string[] }) => Array<{ lang: string; accuracy: number }>;
}

function tinyld(variant: '' | 'light' | 'heavy'): Candidate {
  return {
    name: variant ? `tinyld (${variant})` : 'tinyld',
    pkg: 'tinyld',
    entry: variant ? `tinyld/${variant}` : 'tinyld',
    load: async (dir) => {
      const { detectAll } = (await importFrom(dir, variant ? `tinyld/${variant}` : 'tinyld')) as TinyLd;
      return (text) => {
        const [first, second] = detectAll(text, { only: [...LANGUAGES] });
        return {
          language: ours(first?.lang),
          clear: first !== undefined && first.accuracy >= 2 * (second?.accuracy ?? 0),
        };
      };
    },
  };
}

interface Franc {
  francAll: (text: string, options: { only: string[]; minLength: number }) => Array<[string, number]>;
}

const francMin: Candidate = {
  name: 'franc-min',
  pkg: 'franc-min',
  entry: 'franc-min',
  load: async (dir) => {
    const { francAll } = (await importFrom(dir, 'franc-min')) as Franc;
    return (text) => {
      const [first, second] = francAll(text, { only: Object.keys(ISO3), minLength: 1 });
      return {
        language: first ? ISO3[first[0]] : undefined,
        clear: first !== undefined && (second?.[1] ?? 0) < 0.9,
      };
    };
  },
};

interface Cld3 {
  loadModule: () => Promise<{
    create: (
      minBytes: number,
      maxBytes: number,
    ) => {
      findLanguage: (text: string) => { language: string; is_reliable: boolean };
    };
  }>;
}

const cld3: Candidate = {
  name: 'cld3-asm',
  pkg: 'cld3-asm',
  entry: 'cld3-asm',
  load: async (dir) => {
    const { loadModule } = (await importFrom(dir, 'cld3-asm')) as Cld3;
    const identifier = (await loadModule()).create(0, 512);
    return (text) => {
      const result = identifier.findLanguage(text);
      return { language: ours(result.language), clear: result.is_reliable };
    };
  },
};

const CANDIDATES: readonly Candidate[] = [
  eldSize('extrasmall'),
  eldSize('small'),
  eldSize('medium'),
  eldSize('large'),
  tinyld('light'),
  tinyld(''),
  tinyld('heavy'),
  francMin,
  cld3,
];

/** Words in a message: tokens with a letter or a digit ("👍" and "?" are not words). */
function wordCount(text: string): number {
  return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}

type Bucket = '1–2' | '3–5' | '6+';
function bucketOf(text: string): Bucket {
  const words = wordCount(text);
  return words <= 2 ? '1–2' : words <= 5 ? '3–5' : '6+';
}

interface Row {
  name: string;
  about: string;
  loadMs?: number;
  heapMb?: number;
  usPerMessage: number;
  cells: string[];
}

const BUCKETS: readonly Bucket[] = ['1–2', '3–5', '6+'];
type Corpus = z.infer<typeof corpusSchema>;

function percent(hits: number, total: number): string {
  return total === 0 ? '–' : `${((100 * hits) / total).toFixed(1)}`;
}

/** Accuracy cells for a method over the corpus, plus its time per message and neutral switches. */
function measure(
  corpus: Corpus,
  method: (text: string) => Language | undefined,
): {
  cells: string[];
  usPerMessage: number;
} {
  const answers = corpus.map((sample) => method(sample.text));
  const rounds = 5;
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) for (const sample of corpus) method(sample.text);
  const usPerMessage = ((performance.now() - started) * 1000) / (rounds * corpus.length);
  const correct = (keep: (index: number) => boolean): string => {
    const indices = corpus.map((_, index) => index).filter(keep);
    return percent(
      indices.filter((index) => answers[index] === corpus[index]?.language).length,
      indices.length,
    );
  };
  const wrong = answers.filter(
    (answer, index) => answer !== undefined && answer !== corpus[index]?.language,
  ).length;
  const neutral = NEUTRAL.filter((text) => method(text) !== undefined).length;
  return {
    usPerMessage,
    cells: [
      ...LANGUAGES.map((language) => correct((index) => corpus[index]?.language === language)),
      ...BUCKETS.map((bucket) => correct((index) => bucketOf(corpus[index]?.text ?? '') === bucket)),
      `**${correct(() => true)}**`,
      percent(wrong, corpus.length),
      `${neutral}/${NEUTRAL.length}`,
    ],
  };
}

/** Bytes on disk of a package and the packages it depends on, as installed in DIR (each counted once). */
function installSize(dir: string, pkg: string): number {
  const seen = new Set<string>();
  const folderSize = (folder: string): number =>
    fs.readdirSync(folder, { withFileTypes: true }).reduce((total, entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return total + folderSize(full);
      return entry.isFile() ? total + fs.statSync(full).size : total;
    }, 0);
  const visit = (name: string): number => {
    if (seen.has(name)) return 0;
    seen.add(name);
    const root = path.join(dir, 'node_modules', name);
    if (!fs.existsSync(root)) return 0;
    const dependencies = Object.keys(readManifest(root).dependencies ?? {});
    return folderSize(root) + dependencies.reduce((total, dependency) => total + visit(dependency), 0);
  };
  return visit(pkg);
}

function table(rows: readonly Row[]): string {
  const header = [
    'method',
    'package, licence, size',
    'load ms',
    'heap MB',
    'µs/msg',
    ...LANGUAGES,
    ...BUCKETS.map((bucket) => `${bucket} words`),
    'overall %',
    'wrong %',
    'neutral switched',
  ];
  const lines = [header, header.map(() => '---')];
  for (const row of rows) {
    lines.push([
      row.name,
      row.about,
      row.loadMs === undefined ? '–' : row.loadMs.toFixed(0),
      row.heapMb === undefined ? '–' : row.heapMb.toFixed(0),
      row.usPerMessage.toFixed(1),
      ...row.cells,
    ]);
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

async function main(args: string[]): Promise<number> {
  const minWords = Number(option(args, '--min-words') ?? String(DETECTOR_MIN_WORDS));
  const positional = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--min-words');
  const dir = path.resolve(positional[0] ?? process.env.LANGUAGE_DETECTORS_DIR ?? process.cwd());
  if (!Number.isInteger(minWords) || minWords < 1) {
    console.error('usage: npx tsx scripts/measure-language.ts [DIR] [--min-words N]');
    return 2;
  }
  const corpus = corpusSchema.parse(JSON.parse(fs.readFileSync(CORPUS_FILE, 'utf8')));

  const rows: Row[] = [
    {
      name: 'words we know (choose.ts)',
      about: 'ours',
      ...measure(corpus, wordsLanguage),
    },
  ];
  const detectorFirst: Row[] = [];
  const wordsFirst: Row[] = [];
  for (const candidate of CANDIDATES) {
    const root = path.join(dir, 'node_modules', candidate.pkg);
    if (!fs.existsSync(root)) {
      console.error(`${candidate.name}: not installed in ${dir}, skipped`);
      continue;
    }
    const manifest = readManifest(root);
    const about = `${manifest.name}@${manifest.version}, ${manifest.license ?? '?'}, ${(installSize(dir, candidate.pkg) / 1e6).toFixed(1)} MB`;
    const detect = await candidate.load(dir);
    const { loadMs, heapMb } = loadCost(dir, candidate.entry) ?? {};
    rows.push({
      name: candidate.name,
      about,
      loadMs,
      heapMb,
      ...measure(corpus, (text) => detect(text).language),
    });
    const clear = (text: string): Language | undefined => {
      if (wordCount(text) < minWords) return undefined;
      const guess = detect(text);
      return guess.clear ? guess.language : undefined;
    };
    detectorFirst.push({
      name: `${candidate.name}, then words`,
      about,
      loadMs,
      heapMb,
      ...measure(corpus, (text) => clear(text) ?? wordsLanguage(text)),
    });
    wordsFirst.push({
      name: `words, then ${candidate.name}`,
      about,
      loadMs,
      heapMb,
      ...measure(corpus, (text) => wordsLanguage(text) ?? clear(text)),
    });
  }
  detectorFirst.push({
    name: `**choose.ts detectLanguage** (eld small, ${DETECTOR_MIN_WORDS}+ words, margin ${DETECTOR_MIN_MARGIN})`,
    about: 'as integrated',
    ...measure(corpus, detectLanguage),
  });

  const counts = LANGUAGES.map(
    (language) => `${language} ${corpus.filter((sample) => sample.language === language).length}`,
  ).join(', ');
  const buckets = BUCKETS.map(
    (bucket) => `${bucket} words ${corpus.filter((sample) => bucketOf(sample.text) === bucket).length}`,
  ).join(', ');
  console.log(
    `Corpus: ${corpus.length} chat messages (${counts}; ${buckets}). Accuracy in %: right answers over all` +
      ` messages; no answer counts as not right. "wrong %": a different language named. "neutral switched":` +
      ` messages without a language ("ok", "2 pizzas") given one. Load time and heap growth: importing the` +
      ` detector in a fresh process. Node ${process.version}.`,
  );
  console.log('\nEach method alone (restricted to en, es, pt, fr, de where the library allows it):\n');
  console.log(table(rows));
  console.log(
    `\nDetector first, as in choose.ts: the detector's clear answer for ${minWords}+ words; else the words we know:\n`,
  );
  console.log(table(detectorFirst));
  console.log(`\nWords first: the words we know; else the detector's clear answer for ${minWords}+ words:\n`);
  console.log(table(wordsFirst));
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
