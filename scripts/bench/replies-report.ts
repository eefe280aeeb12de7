/** The replies benchmark's Markdown: context, (a) offered rates, (b) latency, (c) memory, and the summary. */
import type { BenchLogLevel, DbPlacement } from './fixture.js';
import { formatMb, formatMs, formatRate, machine } from './format.js';
import { BACKLOG_GROWTH_FRACTION, KEEP_UP_FRACTION, formatOffset } from './replies-step.js';
import type { ClockOffset, LatencyRun, StepResult } from './replies-step.js';
import type { SoakResult } from './replies-soak.js';

/** Issue 17's latency target: p99 webhook → reply at half the maximum sustained rate. */
const TARGET_P99_MS = 100;

/** How the run was set up, for the context lines. */
export interface RenderContext {
  seconds: number;
  warmupSeconds: number;
  latencySeconds: number;
  connections: number;
  db: DbPlacement;
  logLevel: BenchLogLevel;
  loadBefore: number[];
  loadAfter: number[];
  clientClock: ClockOffset;
  graphClock: ClockOffset;
}

function dbText(db: DbPlacement): string {
  return db === 'in-process'
    ? 'embedded database in the bot process (as the bot runs it without `MONGODB_URI`)'
    : 'embedded database in its own process (as a real MongoDB would be)';
}

function loadText(l: number[]): string {
  return l.map((n) => n.toFixed(2)).join(' / ');
}

/** The section's Markdown: context, (a), (b) and, if it ran, (c). */
export function render(r: {
  steps: StepResult[];
  skipped: number[];
  maxSustained: number | undefined;
  latency: LatencyRun[];
  soak: SoakResult | undefined;
  context: RenderContext;
}): string {
  const c = r.context;
  const count = (n: number): string => n.toLocaleString('en-US');
  const separate = c.db === 'separate';
  const precision = c.clientClock.uncertaintyMs + c.graphClock.uncertaintyMs;
  const lines = [
    `Inbound signed webhook → reply received by the Graph API stand-in. Node ${process.version}, ${machine()}; ` +
      `load average (1/5/15 min) ${loadText(c.loadBefore)} at the start and ${loadText(c.loadAfter)} at the end ` +
      `(the machine is shared: other work may be running). The bot runs in this process: log level ` +
      `\`${c.logLevel}\` to a null sink, ${dbText(c.db)}, with its journal in a temporary directory (every ` +
      `write is in the journal before the database answers, fsync every 100 ms). The load generator ` +
      `(own process) writes pre-built, pre-signed webhooks open loop, at a fixed rate whatever the bot ` +
      `answers, over up to ${c.connections} keep-alive connections (a message waits only if all are busy). ` +
      `Every message comes from a new customer, so it gets exactly one reply (the greeting with the main menu, ` +
      `a list message); the Graph stand-in (own process, answers at once) notes when each reply has arrived and ` +
      `replies are matched to messages by \`to\` (+wa_id). **Latency** = reply received − the time the POST ` +
      `was due (it is written then unless every connection is busy, so a slow webhook answer counts); both ` +
      `processes read \`performance.timeOrigin + performance.now()\`, offsets to this process measured over IPC ` +
      `and corrected (load generator ${formatOffset(c.clientClock)}, stand-in ${formatOffset(c.graphClock)}), so ` +
      `latencies are good to about ${precision.toFixed(2)} ms. ${c.warmupSeconds} s warm-up before the first ` +
      `rate.`,
    '',
    '#### (a) Offered rates',
    '',
    `${c.seconds} s per rate, one after another on the same bot; each waits for its replies to drain before ` +
      `the next starts. Backlog = messages sent but not yet answered at the Graph stand-in, halfway through ` +
      `and at the end of the window. A rate **keeps up** when replies/s ≥ ${KEEP_UP_FRACTION * 100}% of ` +
      `offered, the backlog grows by less than ${BACKLOG_GROWTH_FRACTION * 100}% of the offered rate over the ` +
      `second half, and every message is answered (200 and a reply). CPU during the window in % of one core ` +
      `(2 cores in all): the bot process${separate ? ', the database process' : ' (bot and database)'}, the ` +
      `Graph stand-in, the load generator, and everything else on the machine (other work; the machine is ` +
      `shared).`,
    '',
    ...stepTable(r.steps, separate),
    ...(r.skipped.length > 0
      ? [
          '',
          `Not run (\`--stop-early\`): ${r.skipped.map(count).join(', ')} msgs/s, as two lower rates in a row ` +
            'had already fallen behind.',
        ]
      : []),
    '',
    r.maxSustained !== undefined
      ? `Maximum sustained rate: **${count(r.maxSustained)} replies/s** (the highest offered rate that kept up).`
      : `Maximum sustained rate: **none of the offered rates kept up** (lowest ${count(r.steps[0]?.rate ?? 0)}/s).`,
  ];
  lines.push('', ...renderLatency(r.latency, c.latencySeconds));
  if (r.soak) lines.push('', ...renderSoak(r.soak));
  return lines.join('\n');
}

function renderLatency(runs: LatencyRun[], seconds: number): string[] {
  const count = (n: number): string => n.toLocaleString('en-US');
  if (runs.length === 0) return ['#### (b) Latency', '', 'Skipped.'];
  return [
    '#### (b) Latency',
    '',
    `${seconds} s per run, same bot, after (a). Other CPU: everything else on the machine, % of one core.`,
    '',
    '| offered msgs/s | chosen as | replies/s | p50 ms | p99 ms | max ms | failed/missing | other CPU | p99 < 100 ms |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runs.map(
      (l) =>
        `| ${count(l.step.rate)} | ${l.reason} | ${formatRate(l.step.repliesPerSec)} | ${formatMs(l.step.p50Ms)} | ` +
        `${formatMs(l.step.p99Ms)} | ${formatMs(l.step.maxMs)} | ${l.step.ackFailures + l.step.sendFailures}/` +
        `${l.step.missing} | ${l.step.otherCpuPct.toFixed(0)}% | ` +
        `${l.step.p99Ms < TARGET_P99_MS && l.step.missing === 0 ? 'yes' : '**no**'} |`,
    ),
  ];
}

function renderSoak(s: SoakResult): string[] {
  const separate = s.db === 'separate';
  const mb = (n: number | undefined): string => (n === undefined ? '' : formatMb(n));
  const count = (n: number): string => n.toLocaleString('en-US');
  const st = s.step;
  return [
    '#### (c) Memory over a longer run',
    '',
    `${st.seconds} s at ${count(s.rate)} msgs/s (${s.rateReason}) ${s.fresh ? 'on a fresh bot, after a warm-up' : 'on the bot of (a) and (b), straight after them'}; ${dbText(s.db)}, ` +
      `journal in a temporary directory. ` +
      (separate
        ? "The embedded database keeps every document in memory, so it runs apart here: the bot's heap below " +
          "is the bot's own; the database's heap (which grows with the stored messages by design) is shown " +
          'apart. '
        : 'The embedded database keeps every document in memory: the stored messages are part of this heap, so it grows with them by design. ') +
      `Every ${s.samples[1]?.t ?? 5} s a full GC runs in the bot${separate ? ' and in the database process' : ''} (it pauses them briefly, which shows in the ` +
      `latency of this run) and the heap is read. Over the run: ${formatRate(st.repliesPerSec)} replies/s, ` +
      `p50 ${formatMs(st.p50Ms)} ms, p99 ${formatMs(st.p99Ms)} ms, max ${formatMs(st.maxMs)} ms, ` +
      `${st.ackFailures + st.sendFailures} failed, ${st.missing} missing, ${st.keepsUp ? 'kept up' : '**did not keep up**'}; ` +
      `CPU bot ${st.botCpuPct.toFixed(0)}%${st.dbCpuPct !== undefined ? `, database ${st.dbCpuPct.toFixed(0)}%` : ''}, ` +
      `everything else on the machine ${st.otherCpuPct.toFixed(0)}% of one core.`,
    '',
    `| t s | bot heap after GC MB | bot rss MB |${separate ? ' database heap after GC MB |' : ''} replies sent | messages offered | in-memory backlog |`,
    `| ---: | ---: | ---: |${separate ? ' ---: |' : ''} ---: | ---: | ---: |`,
    ...s.samples.map(
      (x) =>
        `| ${x.t} | ${mb(x.heapAfterGc)} | ${mb(x.rss)} |${separate ? ` ${mb(x.dbHeapAfterGc)} |` : ''} ` +
        `${count(x.replies)} | ${count(x.offered)} | ${count(x.backlogInMemory)} |`,
    ),
    '',
    `Heap ${s.flat ? '**flat**' : '**NOT flat**'}: ${s.flatReason}.` +
      (s.dbHeap
        ? ` Database process heap after GC ${formatMb(s.dbHeap.start)} → ${formatMb(s.dbHeap.mid)} → ` +
          `${formatMb(s.dbHeap.end)} MB (${st.replied > 0 ? ((s.dbHeap.end - s.dbHeap.start) / st.replied).toFixed(0) : '?'} bytes per message stored).`
        : ''),
  ];
}

/** The offered-rates table: one row per step, CPU of the bot (every bot process), database, helpers, other. */
export function stepTable(steps: StepResult[], separate: boolean): string[] {
  const count = (n: number): string => n.toLocaleString('en-US');
  const cpu = (n: number | undefined): string => (n === undefined ? '' : `${n.toFixed(0)}%`);
  return [
    `| offered msgs/s | replies/s | % of offered | p50 ms | p99 ms | max ms | backlog mid → end | drain s | webhook 200 p99 ms | failed/missing | CPU bot${separate ? ' / database' : ''} / stand-in / generator / other | keeps up |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps.map(
      (s) =>
        `| ${count(s.rate)} | ${formatRate(s.repliesPerSec)} | ${((s.repliesPerSec / s.rate) * 100).toFixed(0)}% | ` +
        `${formatMs(s.p50Ms)} | ${formatMs(s.p99Ms)} | ${formatMs(s.maxMs)} | ${count(s.backlogMid)} → ` +
        `${count(s.backlogEnd)} | ${s.drainSeconds.toFixed(1)} | ${formatMs(s.ackP99Ms)} | ` +
        `${s.ackFailures + s.sendFailures}/${s.missing} | ${cpu(s.botCpuPct)}${separate ? ` / ${cpu(s.dbCpuPct)}` : ''} / ` +
        `${cpu(s.graphCpuPct)} / ${cpu(s.clientCpuPct)} / ${cpu(s.otherCpuPct)} | ${s.keepsUp ? 'yes' : '**no**'} |`,
    ),
  ];
}
