/**
 * A bot in a helper process (`child.ts --role=bot`): the real `startBot` on a database elsewhere, so a
 * benchmark can run two bots on one database, or the web part and the conversation engine apart. With
 * `--engine=off` the process runs as `PROCESS_TYPE=web` (it only acknowledges and stores webhooks); with
 * `--sweep-ms=N` as `PROCESS_TYPE=worker`, polling the inbox every N ms (`ENGINE_POLL_MS`) for what another
 * process stored, as the Procfile's worker does.
 */
import { argValue } from './args.js';
import { startBenchBot } from './bench-bot.js';
import type { BenchBot } from './bench-bot.js';
import type { HelperChildMessage, HelperParentMessage, RoleHandle, Tagged } from './helper.js';
import { Helper, sendToParent } from './helper.js';

/** The counters a step reads from a bot, wherever it runs. */
export interface BotFigures {
  /** Messages the bot has finished with, whichever way (sent, failed, skipped, not pending). */
  deliveries: number;
  /** Sends recorded as failed. */
  failed: number;
  /** Conversations waiting or active in its engine's memory. */
  backlog: number;
}

/** What the benchmark process asks a bot helper, and what it answers. */
export type BotParentMessage = { type: 'figures' } | HelperParentMessage;
export type BotChildMessage = ({ type: 'figures' } & BotFigures) | HelperChildMessage;
export type BotHelper = Helper<BotParentMessage, BotChildMessage>;

/** A bot's figures, read from its counters. */
export function figuresOf(bench: BenchBot): BotFigures {
  const c = bench.bot.counters;
  return {
    deliveries:
      c.get('outbox.sent') + c.get('outbox.failed') + c.get('outbox.skipped') + c.get('outbox.not-pending'),
    failed: c.get('outbox.failed'),
    backlog: bench.bot.engine.backlog,
  };
}

/** How a bot helper is started. */
export interface BotProcessSpec {
  mongoUri: string;
  graphUrl: string;
  dbName: string;
  /** `off`: intake only, the engine drained at start. */
  engine: 'on' | 'off';
  /** The engine's sweep interval (default: the bot's own, 2 s). */
  sweepMs?: number;
  logLevel: 'warn' | 'silent';
}

/** Starts a bot helper process; its address is the port it listens on. */
export async function startBotProcess(spec: BotProcessSpec): Promise<{ helper: BotHelper; port: number }> {
  const { helper, address } = await Helper.start<BotParentMessage, BotChildMessage>('bot', [
    `--mongo-uri=${spec.mongoUri}`,
    `--graph-url=${spec.graphUrl}`,
    `--db-name=${spec.dbName}`,
    `--engine=${spec.engine}`,
    `--log-level=${spec.logLevel}`,
    ...(spec.sweepMs !== undefined ? [`--sweep-ms=${spec.sweepMs}`] : []),
  ]);
  return { helper, port: Number(address) };
}

/** A bot helper's figures, over IPC. */
export async function remoteFigures(helper: BotHelper): Promise<BotFigures> {
  const reply = helper.next('figures');
  helper.send({ type: 'figures' });
  const { deliveries, failed, backlog } = await reply;
  return { deliveries, failed, backlog };
}

/** The `bot` role. */
export async function botRole(args: string[]): Promise<RoleHandle> {
  const mongoUri = argValue(args, 'mongo-uri');
  const graphUrl = argValue(args, 'graph-url');
  const dbName = argValue(args, 'db-name');
  if (!mongoUri || !graphUrl || !dbName)
    throw new Error('bot helper needs --mongo-uri, --graph-url, --db-name');
  const sweep = argValue(args, 'sweep-ms');
  const bench = await startBenchBot({
    graphUrl,
    mongoUri,
    dbName,
    logLevel: argValue(args, 'log-level') === 'silent' ? 'silent' : 'warn',
    // PROCESS_TYPE as the Procfile runs it: `web` stores and acknowledges only; a `worker` polls the inbox
    // every --sweep-ms (ENGINE_POLL_MS) for what the web process stored.
    env: {
      ...(argValue(args, 'engine') === 'off' ? { PROCESS_TYPE: 'web' } : {}),
      ...(sweep ? { PROCESS_TYPE: 'worker', ENGINE_POLL_MS: sweep } : {}),
    },
  });
  return {
    address: String(bench.bot.port),
    close: () => void bench.close().finally(() => process.exit(0)),
    handle: (raw: Tagged) => {
      if ((raw as BotParentMessage).type === 'figures') {
        sendToParent<BotChildMessage>({ type: 'figures', ...figuresOf(bench) });
      }
    },
  };
}
