import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A prompt that cannot be rendered: a variable it names was not given, or one given is not in it. */
export class PromptError extends Error {
  override name = 'PromptError';
}

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

/** The repository's `prompts/` folder, found upwards from this module (source under tsx, or dist/). */
function promptsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'prompts');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    dir = path.dirname(dir);
  }
  throw new PromptError('the prompts/ folder was not found');
}

const cache = new Map<string, string>();

/** The text of `prompts/<name>.md`, read once. */
export function loadPrompt(name: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new PromptError(`bad prompt name ${JSON.stringify(name)}`);
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(promptsDir(), `${name}.md`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The variables a prompt names, in order of first use. */
export function promptVariables(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}

/**
 * Fills `{{name}}` placeholders. Strict both ways: a variable the template names but `vars` lacks, or one
 * `vars` gives but the template never uses, is an error (a renamed placeholder must not silently send an
 * empty section, or drop the catalog). Values are inserted as they are, once: a value containing `{{x}}` is
 * not expanded again.
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const named = promptVariables(template);
  const missing = named.filter((name) => !(name in vars));
  const unused = Object.keys(vars).filter((name) => !named.includes(name));
  if (missing.length > 0 || unused.length > 0) {
    throw new PromptError(
      [
        missing.length > 0 ? `missing variable(s): ${missing.join(', ')}` : '',
        unused.length > 0 ? `unused variable(s): ${unused.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '');
}

/** Renders `prompts/<name>.md` with `vars` (see renderTemplate). */
export function renderPrompt(name: string, vars: Record<string, string>): string {
  try {
    return renderTemplate(loadPrompt(name), vars);
  } catch (err) {
    if (err instanceof PromptError) throw new PromptError(`prompt ${name}: ${err.message}`);
    throw err;
  }
}
