/**
 * `npm run bench [-- <section>… [--option=value…]]`: the project's benchmarks, printed as Markdown for the
 * README. Sections: `db` (embedded database through mongoose, memory-only and journaled), `webhook` (signed
 * webhook ingest against bare Express 5, and memory under sustained overload) and `replies` (end to end:
 * signed webhook in, reply out at a loopback Graph API; issue 17's targets as ratios to bare Express 5 in the
 * same run: replies/s, latency, intake with the engine alongside and apart, overload, memory, two bots;
 * `npm run bench -- replies --quick` re-measures all of it in about two minutes) and `slots` (the "next free
 * days" answer of the slot engine for a busy business, in memory).
 * Options are handed to every section named (see each script's usage), so give them with one section at a
 * time. Not a test: figures depend on the machine, so nothing here passes or fails.
 */
import { runDbBench } from './bench-db.js';
import { parseSlotsArgs, runSlotsBench, slotsSection } from './bench-slots.js';
import { parseRepliesArgs, repliesSection, runRepliesBench } from './bench/replies.js';
import { parseWebhookArgs, runWebhookBench, webhookSection } from './bench/webhook.js';

const sections: Record<string, (args: string[]) => Promise<string>> = {
  db: async (args) => {
    if (args.length > 0) throw new Error(`the db section takes no options (got ${args.join(' ')})`);
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
  webhook: async (args) => webhookSection(await runWebhookBench(parseWebhookArgs(args))),
  replies: async (args) => repliesSection(await runRepliesBench(parseRepliesArgs(args))),
  slots: (args) => Promise.resolve(slotsSection(runSlotsBench(parseSlotsArgs(args)))),
};

const argv = process.argv.slice(2);
const options = argv.filter((arg) => arg.startsWith('-'));
const wanted = argv.filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  const run = sections[name];
  if (run) process.stdout.write(`${await run(options)}\n\n`);
}
