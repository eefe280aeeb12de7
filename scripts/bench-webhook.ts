/**
 * Benchmarks signed webhook ingest: the real bot's `POST /webhook` against a bare Express 5 handler, under
 * the same load in the same run, then the bot's memory under sustained overload.
 *
 *   npx tsx scripts/bench-webhook.ts [--seconds=10] [--warmup-seconds=2] [--overload-seconds=30]
 *     [--connections=50] [--graph-delay-ms=200] [--log-level=warn|silent] [--overload-db=separate|in-process]
 *     [--breakdown]
 *
 * Processes: this one runs the servers (bare Express, then the bot with its embedded database in-process on
 * a temporary data directory, so every acknowledgement has been written to the journal). Helpers run in
 * child processes started from this same file (`--role=…`): the load generator (raw keep-alive sockets
 * writing pre-built, pre-signed requests, so its CPU cost stays small), the Graph API stand-in the bot sends
 * its replies to, and, for the overload run, the embedded database, so that the bot's own heap can be told
 * apart from the documents piling up in the database. Everything shares one machine; the output says so.
 *
 * The overload run makes the Graph stand-in slow (200 ms per send), so the conversation engine falls far
 * behind intake; it samples memory every second and reports whether the bot's heap stayed bounded while the
 * backlog grew in the database.
 *
 * The code is in `scripts/bench/`: `webhook.ts` (the ingest comparison), `webhook-overload.ts`,
 * `webhook-report.ts`, with the harness the replies benchmark shares (helpers, load generator, the bot).
 */
import { pathToFileURL } from 'node:url';
import { errorText } from './bench/format.js';
import { parseWebhookArgs, runWebhookBench, webhookSection } from './bench/webhook.js';

export * from './bench/webhook.js';

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (invokedDirectly) {
  Promise.resolve()
    .then(() => runWebhookBench(parseWebhookArgs(process.argv.slice(2))))
    .then((result) => {
      process.stdout.write(`${webhookSection(result)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench-webhook failed: ${errorText(err)}\n`);
      process.exitCode = 1;
    });
}
