/**
 * `npm run bench [-- <section>…]`: the project's benchmarks, printed as Markdown for the README.
 * Sections: `db` (embedded database through mongoose, memory-only and journaled) and `webhook` (signed
 * webhook ingest against bare Express 5, and memory under sustained overload). Not a test: figures depend on
 * the machine, so nothing here passes or fails.
 */
import { runDbBench } from './bench-db.js';
import { runWebhookBench } from './bench-webhook.js';

const sections: Record<string, () => Promise<string>> = {
  db: async () => {
    const memory = await runDbBench({ journal: false });
    const journal = await runDbBench({ journal: true });
    return [
      '### Embedded database through mongoose (memory only)',
      memory.markdown,
      memory.summary,
      '',
      '### Embedded database through mongoose (journal on disk)',
      journal.markdown,
      journal.summary,
    ].join('\n');
  },
  webhook: async () => {
    const result = await runWebhookBench();
    return [
      '### Signed webhook ingest',
      '',
      result.ingestMarkdown,
      ...(result.overloadMarkdown
        ? ['', '### Memory under sustained overload', '', result.overloadMarkdown]
        : []),
      '',
      result.summary,
    ].join('\n');
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  const run = sections[name];
  if (run) process.stdout.write(`${await run()}\n\n`);
}
