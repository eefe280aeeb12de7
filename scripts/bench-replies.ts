/**
 * End-to-end benchmark: inbound signed webhook → reply received by the loopback Graph API.
 *
 *   npx tsx scripts/bench-replies.ts [--seconds=5] [--warmup-seconds=3] [--rates=100,200,400,…,1200]
 *     [--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N] [--sample-seconds=5] [--connections=100]
 *     [--db=separate|in-process] [--stop-early] [--log-level=warn|silent]
 *
 * Processes: this one runs the bot (`startBot`). The embedded database, with its journal in a temporary
 * directory, runs by default in its own process, as a real MongoDB would (`--db=in-process` runs it inside
 * the bot, as `npm run dev` does). Two helpers run in child processes started from this same file
 * (`--role=…`): an open-loop load generator (raw keep-alive sockets writing pre-built, pre-signed webhooks
 * at a fixed rate, whatever the bot's answers) and a Graph API stand-in that answers every send at once and
 * notes when each reply arrived. Every message comes from a new customer, so it gets exactly one reply (the
 * greeting with the main menu, sent `to` "+<wa_id>"), which is how replies are matched to messages.
 *
 * Three measurements, after a warm-up: (a) increasing offered rates, a few seconds each: replies per
 * second, latency, backlog; the highest rate whose replies keep up is the maximum sustained rate; (b) latency
 * at the half rate (500/s) and at half the maximum sustained rate when that is lower; (c) a longer run
 * at 70% of the maximum sustained rate, sampling the bot's heap after a full GC every few seconds.
 *
 * Where the time goes: `node --cpu-prof --import tsx scripts/bench-replies.ts …` profiles the bot;
 * with `BENCH_HELPER_CPU_PROF=<dir>` the helpers (the database process among them) write profiles too.
 *
 * The code is in `scripts/bench/`: `replies.ts` (the runs), `replies-step.ts`, `replies-soak.ts`,
 * `replies-report.ts`, `open-loop.ts` (both helpers), with the harness the webhook benchmark shares.
 */
import { pathToFileURL } from 'node:url';
import { errorText } from './bench/format.js';
import { parseRepliesArgs, repliesSection, runRepliesBench } from './bench/replies.js';

export * from './bench/replies.js';

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (invokedDirectly) {
  Promise.resolve()
    .then(() => runRepliesBench(parseRepliesArgs(process.argv.slice(2))))
    .then((result) => {
      process.stdout.write(`${repliesSection(result)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench-replies failed: ${errorText(err)}\n`);
      process.exitCode = 1;
    });
}
