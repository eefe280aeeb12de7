/**
 * End-to-end benchmark: inbound signed webhook → reply received by the loopback Graph API, with every target
 * of issue 17 as a ratio to bare Express 5 measured in the same run.
 *
 *   npx tsx scripts/bench-replies.ts [--quick] [--seconds=5] [--warmup-seconds=3] [--rates=25,50,…,2000]
 *     [--refine-steps=2] [--all-rates] [--latency-seconds=10] [--soak-seconds=60] [--soak-rate=N]
 *     [--sample-seconds=5] [--connections=100] [--intake-seconds=5] [--intake-connections=50]
 *     [--overload-seconds=10] [--overload-factor=10] [--backlog-limit=N] [--two-bot-seconds=5]
 *     [--db=separate|in-process]
 *     [--log-level=warn|silent]
 *
 * `--quick` runs everything in about two minutes (3 s steps, 10 s soak on the sweep's bot); a flag given
 * with it still wins. A part whose seconds are 0 is skipped.
 *
 * Processes: this one runs the bot (`startBot`). The embedded database, with its journal in a temporary
 * directory, runs by default in its own process, as a real MongoDB would (`--db=in-process` runs it inside
 * the bot, as `npm run dev` does). Helpers run in child processes started from `scripts/bench/child.ts`
 * (`--role=…`): an open-loop load generator (raw keep-alive sockets writing pre-built, pre-signed webhooks
 * at a fixed rate, whatever the bot's answers), a closed-loop one for intake, a Graph API stand-in that
 * answers every send at once and notes when each reply arrived and to whom, and whole bots (`--role=bot`:
 * a second bot on the same database, or the engine as a worker beside a web part with its engine stopped).
 * Every message comes from a new customer, so it gets exactly one reply (the greeting with the main menu,
 * sent `to` "+<wa_id>"), which is how replies are matched to messages, and duplicates and losses counted.
 *
 * In order: intake (closed loop: bare Express 5, the bot with its engine, the web part alone, the web part
 * with the engine in a worker process); (a) increasing offered rates, a few seconds each, stopping after two
 * rates in a row fall behind, then halving the gap above the highest that kept up: the maximum sustained
 * rate; (b) latency at half of it; (c) memory over a longer run at 70% of it; overload at 10× it (no drain;
 * 503s counted); two bot processes on one database at and above one process's rate. The section opens with
 * the summary table (target | measured | ratio | met?), CPU µs per reply of the bot and the database, and a
 * line for every target not met.
 *
 * Where the time goes: `node --cpu-prof --import tsx scripts/bench-replies.ts …` profiles the bot;
 * with `BENCH_HELPER_CPU_PROF=<dir>` the helpers (the database process among them) write profiles too.
 *
 * The code is in `scripts/bench/`: `replies.ts` (the runs), `ratios.ts` (intake, overload, two bots, the
 * summary), `replies-step.ts`, `replies-soak.ts`, `replies-report.ts`, `open-loop.ts`, `bot-role.ts`, with
 * the harness the webhook benchmark shares.
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
