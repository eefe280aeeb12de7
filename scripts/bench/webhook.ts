/**
 * The webhook benchmark: the real bot's `POST /webhook` against a bare Express 5 handler, under the same
 * load in the same run (optionally with parts of the bot's work taken away, to show where its time goes),
 * then the bot's memory under sustained overload (`webhook-overload.ts`). Usage in `scripts/bench-webhook.ts`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parseFlags, numberFlag } from './args.js';
import { Teardown, pendingInDb, startBenchBot, startDatabaseProcess } from './bench-bot.js';
import { CUSTOMERS, measureTarget, startLoadClient } from './closed-loop.js';
import type { LoadSpec, LoadStats } from './closed-loop.js';
import { APP_SECRET, PHONE_NUMBER_ID, UNKNOWN_PHONE_NUMBER_ID } from './fixture.js';
import type { BenchLogLevel } from './fixture.js';
import { formatMs, formatRate, stderrLog } from './format.js';
import { Helper } from './helper.js';
import { runOverload } from './webhook-overload.js';
import type { OverloadDb, OverloadResult } from './webhook-overload.js';
import { TARGET_RATIO, renderIngest, renderOverload } from './webhook-report.js';

export type { BenchLogLevel } from './fixture.js';
export type { LoadStats } from './closed-loop.js';
export type { MemorySample, OverloadDb, OverloadResult } from './webhook-overload.js';
export { TARGET_RATIO } from './webhook-report.js';

/** What the webhook section measures and for how long (every field has a default). */
export interface WebhookBenchOptions {
  /** Measured seconds per target (bare Express, bot). Default 10. */
  seconds?: number;
  /** Unmeasured seconds before each measurement (JIT, connection set-up, caches). Default 2. */
  warmupSeconds?: number;
  /** Seconds of sustained overload against the bot with a slow Graph API; 0 skips it. Default 30. */
  overloadSeconds?: number;
  /** Concurrent keep-alive connections, one request in flight on each. Default 50. */
  connections?: number;
  /** How long the Graph stand-in takes per send during the overload run. Default 200 ms. */
  graphDelayMs?: number;
  /** The bot's log level (logs go to a null sink either way). Default 'warn'. */
  logLevel?: BenchLogLevel;
  /**
   * Where the embedded database runs during the overload run: `separate` (default) in its own process, so
   * the bot's heap is the bot's alone, as with a real MongoDB; `in-process` as `npm run dev` runs it, where
   * the stored backlog is part of the same heap.
   */
  overloadDb?: OverloadDb;
  /**
   * Also measure the bot with parts of its work removed (conversation engine stopped; a phone number id
   * with no business, so nothing is stored) and with the database in its own process, to show where its
   * time goes. Default false.
   */
  breakdown?: boolean;
  /** Progress output; defaults to stderr so stdout carries only the report. */
  log?: (line: string) => void;
}

/** A bot row of the breakdown: the bot with part of its work taken away. */
export interface BreakdownRow {
  name: string;
  stats: LoadStats;
}

/** What the bot's measured window left behind: replies sent, backlog, and whether every ack was stored. */
export interface BotWindowFacts {
  /** Messages whose replies were sent during the measured window (processing runs alongside intake). */
  processedInWindow: number;
  /** The engine's in-memory backlog (conversations waiting or active) when the window ended. */
  backlogInMemoryAtEnd: number;
  /** Inbox entries still pending in the database after the load stopped. */
  pendingInDbAtEnd: number;
  /** Inbox entries in the database vs 200s the load generator received: every ack must be stored. */
  inboxEntries: number;
  acknowledged: number;
}

/** Everything the webhook section found, and its Markdown. */
export interface WebhookBenchResult {
  bare: LoadStats;
  bot: LoadStats;
  botFacts: BotWindowFacts;
  /** Extra bot rows with parts of the work removed (empty unless `breakdown`). */
  breakdown: BreakdownRow[];
  /** bot acks/s ÷ bare acks/s. */
  ratio: number;
  meetsTarget: boolean;
  overload: OverloadResult | undefined;
  /** Markdown for the ingest comparison (context line and table). */
  ingestMarkdown: string;
  /** Markdown for the overload run, empty when it was skipped. */
  overloadMarkdown: string;
  summary: string;
}

/** A target the load is pointed at, and how to stop it. */
export interface Target {
  port: number;
  close(): Promise<void>;
}

/** The baseline: Express 5 that parses JSON and answers 200, nothing else. */
export async function startBareExpress(): Promise<Target> {
  const app = express();
  app.use(express.json({ limit: '3mb' }));
  app.post('/webhook', (_req, res) => {
    res.sendStatus(200);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs the ingest comparison (and breakdown), then the overload run; figures and Markdown. */
export async function runWebhookBench(options: WebhookBenchOptions = {}): Promise<WebhookBenchResult> {
  const seconds = options.seconds ?? 10;
  const warmupSeconds = options.warmupSeconds ?? 2;
  const overloadSeconds = options.overloadSeconds ?? 30;
  const connections = options.connections ?? 50;
  const graphDelayMs = options.graphDelayMs ?? 200;
  const logLevel = options.logLevel ?? 'warn';
  const overloadDb = options.overloadDb ?? 'separate';
  const log = options.log ?? stderrLog;
  const runTag = Math.random().toString(36).slice(2, 8).toUpperCase();
  const spec = (label: string, port: number, durationSeconds: number): LoadSpec => ({
    label,
    port,
    connections,
    warmupMs: warmupSeconds * 1000,
    durationMs: durationSeconds * 1000,
    appSecret: APP_SECRET,
    phoneNumberId: PHONE_NUMBER_ID,
    customers: CUSTOMERS,
    tag: `${runTag}${label
      .replace(/[^a-z]/gi, '')
      .toUpperCase()
      .slice(0, 6)}`,
  });

  const teardown = new Teardown();
  try {
    const client = await startLoadClient();
    teardown.helpers.push(client);

    // 1. Bare Express.
    log(`bare Express 5: ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s measured`);
    const bare = await startBareExpress();
    let bareStats: LoadStats;
    try {
      bareStats = await measureTarget(client, spec('bare', bare.port, seconds), log);
    } finally {
      await bare.close();
    }

    // 2. The bot, embedded database in-process with a journal, Graph stand-in answering at once.
    const { helper: fastGraph, address: fastGraphUrl } = await Helper.start('graph', ['--delay-ms=0']);
    teardown.helpers.push(fastGraph);
    const botDir = teardown.tempDir('ingest');
    const ingest = await startBenchBot({
      graphUrl: fastGraphUrl,
      logLevel,
      dataDir: botDir,
      dbName: 'polus_bench',
    });
    let botStats: LoadStats;
    let botFacts: BotWindowFacts;
    try {
      log(`polus-bot: ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s measured`);
      let sentAtStart = 0;
      let sentAtEnd = 0;
      let backlogAtEnd = 0;
      botStats = await measureTarget(client, spec('bot', ingest.bot.port, seconds), log, {
        onPhase: (phase) => {
          if (phase === 'measuring') sentAtStart = ingest.bot.counters.get('outbox.sent');
          if (phase === 'draining') {
            sentAtEnd = ingest.bot.counters.get('outbox.sent');
            backlogAtEnd = ingest.bot.engine.backlog;
          }
        },
      });
      botFacts = {
        processedInWindow: sentAtEnd - sentAtStart,
        backlogInMemoryAtEnd: backlogAtEnd,
        pendingInDbAtEnd: await pendingInDb(ingest.bot),
        inboxEntries: await ingest.bot.models.Inbox.estimatedDocumentCount().exec(),
        acknowledged: botStats.totalOk,
      };
      log(
        `  bot: ${botFacts.processedInWindow} replies sent in the window, backlog at end ` +
          `${botFacts.backlogInMemoryAtEnd} in memory / ${botFacts.pendingInDbAtEnd} pending in the database; ` +
          `${botFacts.inboxEntries} inbox entries for ${botFacts.acknowledged} acknowledgements`,
      );
    } finally {
      await ingest.close();
    }

    // 2b. Where the bot's time goes: the same load with parts of the work taken away.
    const breakdown: BreakdownRow[] = [];
    if (options.breakdown) {
      const dir = teardown.tempDir('breakdown');
      const paused = await startBenchBot({
        graphUrl: fastGraphUrl,
        logLevel,
        dataDir: dir,
        dbName: 'polus_bd',
      });
      try {
        // drain() stops the engine for good: webhooks are still stored durably, nothing is processed.
        await paused.bot.engine.drain();
        log('breakdown: conversation engine stopped (intake and durable insert only)');
        breakdown.push({
          name: 'bot, conversation engine stopped (verify, parse, durable insert, 200)',
          stats: await measureTarget(client, spec('intake', paused.bot.port, seconds), log),
        });
        log('breakdown: unconfigured phone number id (acknowledged, nothing stored)');
        breakdown.push({
          name: 'bot, unconfigured phone number id (verify, parse, 200; no database write)',
          stats: await measureTarget(
            client,
            { ...spec('unknown', paused.bot.port, seconds), phoneNumberId: UNKNOWN_PHONE_NUMBER_ID },
            log,
          ),
        });
      } finally {
        await paused.close();
      }
      // The full bot again, with the database in another process: the HTTP thread no longer runs it.
      const dbDir = teardown.tempDir('breakdown-db');
      const { helper: dbHelper, uri: mongoUri } = await startDatabaseProcess(dbDir);
      teardown.helpers.push(dbHelper);
      const apart = await startBenchBot({
        graphUrl: fastGraphUrl,
        logLevel,
        mongoUri,
        dbName: 'polus_apart',
      });
      try {
        log('breakdown: embedded database in its own process');
        breakdown.push({
          name: 'bot, embedded database in its own process (engine replying alongside)',
          stats: await measureTarget(client, spec('apart', apart.bot.port, seconds), log),
        });
      } finally {
        await apart.close();
        await dbHelper.close();
      }
    }
    await fastGraph.close();

    // 3. Sustained overload.
    let overload: OverloadResult | undefined;
    if (overloadSeconds > 0) {
      overload = await runOverload({
        client,
        spec: { ...spec('overload', 0, overloadSeconds), customers: 0 },
        graphDelayMs,
        logLevel,
        db: overloadDb,
        log,
        teardown,
      });
    }

    const ratio = bareStats.acksPerSec > 0 ? botStats.acksPerSec / bareStats.acksPerSec : 0;
    const meetsTarget = ratio >= TARGET_RATIO;
    const ingestMarkdown = renderIngest({
      bare: bareStats,
      bot: botStats,
      botFacts,
      breakdown,
      ratio,
      meetsTarget,
      seconds,
      warmupSeconds,
      connections,
      logLevel,
    });
    const overloadMarkdown = overload ? renderOverload(overload, logLevel) : '';
    const summary =
      `Summary: bot ${formatRate(botStats.acksPerSec)} acks/s vs bare Express ${formatRate(bareStats.acksPerSec)} acks/s ` +
      `= ${(ratio * 100).toFixed(0)}% (target ≥ ${TARGET_RATIO * 100}%: ${meetsTarget ? 'met' : 'NOT met'}); ` +
      `bot p50/p99 ${formatMs(botStats.p50Ms)}/${formatMs(botStats.p99Ms)} ms at ${connections} connections` +
      (overload
        ? `; overload ${overload.seconds} s with ${overload.graphDelayMs} ms sends: in-memory backlog peak ` +
          `${overload.backlogInMemoryPeak.toLocaleString('en-US')}, ${overload.pendingInDbAtEnd.toLocaleString('en-US')} pending in the database ` +
          `at the end, bot heap ${overload.bounded ? 'bounded' : 'NOT bounded'} (${overload.boundedReason})`
        : '') +
      '.';
    return {
      bare: bareStats,
      bot: botStats,
      botFacts,
      breakdown,
      ratio,
      meetsTarget,
      overload,
      ingestMarkdown,
      overloadMarkdown,
      summary,
    };
  } finally {
    await teardown.run();
  }
}

/** The command line of the webhook section. */
export const WEBHOOK_USAGE =
  'usage: npx tsx scripts/bench-webhook.ts [--seconds=10] [--warmup-seconds=2] [--overload-seconds=30] ' +
  '[--connections=50] [--graph-delay-ms=200] [--log-level=warn|silent] [--overload-db=separate|in-process] ' +
  '[--breakdown]\n';

/** Reads the webhook section's options from the command line (`--help` prints the usage and exits). */
export function parseWebhookArgs(argv: string[]): WebhookBenchOptions {
  const options: WebhookBenchOptions = {};
  parseFlags(argv, WEBHOOK_USAGE, (flag, value) => {
    if (flag === '--seconds') options.seconds = numberFlag(flag, value, 1);
    else if (flag === '--warmup-seconds') options.warmupSeconds = numberFlag(flag, value, 0);
    else if (flag === '--overload-seconds') options.overloadSeconds = numberFlag(flag, value, 0);
    else if (flag === '--connections') options.connections = Math.round(numberFlag(flag, value, 1));
    else if (flag === '--graph-delay-ms') options.graphDelayMs = numberFlag(flag, value, 0);
    else if (flag === '--log-level' && (value === 'warn' || value === 'silent')) options.logLevel = value;
    else if (flag === '--overload-db' && (value === 'separate' || value === 'in-process'))
      options.overloadDb = value;
    else if (flag === '--breakdown' && value === undefined) options.breakdown = true;
    else return false;
    return true;
  });
  return options;
}

/** The section as `npm run bench` prints it: headings, the ingest table, the overload run, the summary. */
export function webhookSection(result: WebhookBenchResult): string {
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
}
