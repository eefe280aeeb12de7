/** The webhook benchmark's Markdown: the ingest comparison and the overload run, for the README. */
import { CUSTOMERS } from './closed-loop.js';
import type { LoadStats } from './closed-loop.js';
import type { BenchLogLevel } from './fixture.js';
import { formatMb, formatMs, formatRate, machine } from './format.js';
import type { BotWindowFacts, BreakdownRow } from './webhook.js';
import type { OverloadResult } from './webhook-overload.js';

/** The issue's target: durable ingest at no less than half the bare-Express rate. */
export const TARGET_RATIO = 0.5;

/** The ingest comparison: a context line, the table, and what the bot's window left behind. */
export function renderIngest(r: {
  bare: LoadStats;
  bot: LoadStats;
  botFacts: BotWindowFacts;
  breakdown: BreakdownRow[];
  ratio: number;
  meetsTarget: boolean;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  logLevel: BenchLogLevel;
}): string {
  const row = (name: string, s: LoadStats): string =>
    `| ${name} | ${formatRate(s.acksPerSec)} | ${formatMs(s.p50Ms)} | ${formatMs(s.p99Ms)} | ${formatMs(s.maxMs)} | ` +
    `${s.non200 + s.errors} | ${s.clientCpuPct.toFixed(0)}% |`;
  const f = r.botFacts;
  const onTheFly = r.bare.builtDuringWindow + r.bot.builtDuringWindow;
  return [
    `${r.connections} keep-alive connections, one request in flight on each; ${r.warmupSeconds} s warm-up, then ` +
      `${r.seconds} s measured per target, both in the same run. Node ${process.version}, ${machine()}; ` +
      `the load generator is a separate process on the same machine (raw sockets writing pre-built, ` +
      `pre-signed ${r.bot.requestBytes}-byte requests, each with a fresh wamid, senders rotating over ` +
      `${CUSTOMERS.toLocaleString('en-US')} customers` +
      `${onTheFly > 0 ? `; ${onTheFly.toLocaleString('en-US')} had to be built during the windows` : ''}). ` +
      `Bot: log level \`${r.logLevel}\` to a null sink, embedded database in-process with its journal in a ` +
      `temporary directory (each message is written to the journal before the 200; fsync every 100 ms), ` +
      `the conversation engine replying alongside, in the same process, through a Graph API stand-in (own ` +
      `process) that answers at once.`,
    '',
    '| target | acks/s | p50 ms | p99 ms | max ms | non-200 + errors | load generator CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('bare Express 5 (`express.json()` + 200)', r.bare),
    row('polus-bot `POST /webhook` (verify, parse, durable insert, 200; engine replying alongside)', r.bot),
    ...r.breakdown.map((b) => row(b.name, b.stats)),
    '',
    `Bot / bare: **${(r.ratio * 100).toFixed(0)}%** (${r.ratio.toFixed(2)}; target ≥ ${TARGET_RATIO * 100}%: ` +
      `${r.meetsTarget ? 'met' : 'not met'}). During the bot's window ${f.processedInWindow.toLocaleString('en-US')} ` +
      `replies were sent; when it ended ${f.backlogInMemoryAtEnd.toLocaleString('en-US')} conversations were ` +
      `waiting or active in memory and ${f.pendingInDbAtEnd.toLocaleString('en-US')} messages were pending in ` +
      `the database. ` +
      `${f.inboxEntries.toLocaleString('en-US')} inbox entries for ${f.acknowledged.toLocaleString('en-US')} ` +
      `acknowledgements: ${f.inboxEntries >= f.acknowledged ? 'every acknowledged message is stored' : 'SOME ACKNOWLEDGED MESSAGES ARE MISSING'}.` +
      (r.breakdown.length > 0
        ? ' The extra bot rows take work away to show where the time goes: with the conversation engine stopped ' +
          'only intake runs (replies would wait in the database); with an unconfigured phone number id the ' +
          'webhook is verified, parsed and acknowledged but nothing is written; with the database in its own ' +
          'process the bot and the database each get a core.'
        : ''),
  ].join('\n');
}

/** The overload run: context, memory samples, start/peak/end and the checkpoints after a full GC. */
export function renderOverload(o: OverloadResult, logLevel: BenchLogLevel): string {
  const separate = o.db === 'separate';
  const rows = o.samples.filter(
    (s, i) => s.pendingInDb !== undefined || i === o.samples.length - 1 || s.phase !== 'measuring',
  );
  const mb = (n: number | undefined): string => (n === undefined ? '' : formatMb(n));
  const count = (n: number | undefined): string => (n ?? 0).toLocaleString('en-US');
  const lines = [
    `The bot under sustained overload: the Graph API stand-in answers each send after ${o.graphDelayMs} ms, so ` +
      `the conversation engine falls far behind intake; ${o.stats.connections} connections, every message from ` +
      `a new customer (so nothing in memory is bounded by a small number of conversations), ` +
      `for ${o.seconds} s after the warm-up. Log level \`${logLevel}\`. ` +
      (separate
        ? 'The embedded database runs in its own process here (journal on disk), as a real MongoDB would, so ' +
          "the bot's heap below is the bot's own; the database's heap is shown apart."
        : 'The embedded database runs in-process here (as in development): it keeps every document in ' +
          'memory (the journal is its disk copy), so the stored backlog is part of the same heap and the ' +
          'heap grows with it by design; use the separate-process run to judge the bot itself.') +
      ` Intake: ${formatRate(o.stats.acksPerSec)} acks/s, p50 ${formatMs(o.stats.p50Ms)} ms, ` +
      `p99 ${formatMs(o.stats.p99Ms)} ms, ${o.stats.non200 + o.stats.errors} non-200/errors; ` +
      `${o.processed.toLocaleString('en-US')} replies sent.`,
    '',
    `| t s | phase | acks | bot heapUsed MB | bot rss MB | in-memory backlog | pending in database |${separate ? ' database heapUsed MB |' : ''}`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: |${separate ? ' ---: |' : ''}`,
    ...rows.map(
      (s) =>
        `| ${s.t} | ${s.phase} | ${s.acks.toLocaleString('en-US')} | ${mb(s.heapUsed)} | ${mb(s.rss)} | ` +
        `${s.backlogInMemory.toLocaleString('en-US')} | ${s.pendingInDb?.toLocaleString('en-US') ?? ''} |` +
        `${separate ? ` ${mb(s.dbHeapUsed)} |` : ''}`,
    ),
    '',
    '| sampled | start | peak | end |',
    '| --- | ---: | ---: | ---: |',
    `| bot rss MB (every second) | ${mb(o.rss.start)} | ${mb(o.rss.peak)} | ${mb(o.rss.end)} |`,
    `| bot heapUsed MB (every second) | ${mb(o.heapUsed.start)} | ${mb(o.heapUsed.peak)} | ${mb(o.heapUsed.end)} |`,
    `| in-memory backlog (\`engine.backlog\`: conversations waiting or active, every 100 ms) | ${count(o.samples[0]?.backlogInMemory)} | ${count(o.backlogInMemoryPeak)} | ${count(o.samples[o.samples.length - 1]?.backlogInMemory)} |`,
    '',
    '| checkpoint | before load | mid-window | after load |',
    '| --- | ---: | ---: | ---: |',
    ...(o.heapAfterGc
      ? [
          `| bot heap after a full GC, MB | ${mb(o.heapAfterGc.start)} | ${mb(o.heapAfterGc.mid)} | ${mb(o.heapAfterGc.end)} |`,
        ]
      : []),
    ...(o.dbHeapAfterGc
      ? [
          `| database process heap after a full GC, MB | ${mb(o.dbHeapAfterGc.start)} | ${mb(o.dbHeapAfterGc.mid)} | ${mb(o.dbHeapAfterGc.end)} |`,
        ]
      : []),
    `| inbox entries pending in the database | ${count(o.samples[0]?.pendingInDb)} | ${count(o.pendingInDbMid)} | ${count(o.pendingInDbAtEnd)} |`,
    '',
    `Heap ${o.bounded ? 'bounded' : 'NOT bounded'}: ${o.boundedReason}` +
      (o.bytesPerNewPendingEntry !== undefined
        ? ` (${o.bytesPerNewPendingEntry.toFixed(0)} bytes of retained bot heap per newly pending entry).`
        : '.'),
  ];
  return lines.join('\n');
}
