/**
 * The entry every helper process runs (`child.ts --role=<role> …`, forked by `Helper.start`): starts the
 * role, answers `memory` and `close` for all of them, hands the rest to the role, then reports ready.
 */
import { argValue } from './args.js';
import { botRole } from './bot-role.js';
import { closedLoopRole } from './closed-loop.js';
import { errorText } from './format.js';
import { exposeGc, memoryReply, sendToParent } from './helper.js';
import type { HelperParentMessage, RoleHandle, Tagged } from './helper.js';
import { repliesClientRole, repliesGraphRole } from './open-loop.js';
import { dbRole, graphRole } from './servers.js';

const roles: Record<string, (args: string[]) => RoleHandle | Promise<RoleHandle>> = {
  client: closedLoopRole,
  graph: graphRole,
  db: dbRole,
  bot: botRole,
  'replies-client': repliesClientRole,
  'replies-graph': repliesGraphRole,
};

async function run(role: string, args: string[]): Promise<void> {
  const start = roles[role];
  if (!start) throw new Error(`unknown helper role ${role}`);
  // An orphaned helper must not outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
  const collect = exposeGc();
  const handle = await start(args);
  process.on('message', (raw) => {
    const message = raw as HelperParentMessage | Tagged;
    if (message.type === 'close') handle.close();
    else if (message.type === 'memory') {
      sendToParent(memoryReply((message as Extract<HelperParentMessage, { type: 'memory' }>).gc, collect));
    } else handle.handle?.(message);
  });
  sendToParent({ type: 'ready', address: handle.address });
}

const args = process.argv.slice(2);
if (process.send !== undefined) {
  run(argValue(args, 'role') ?? '', args).catch((err: unknown) => {
    sendToParent({ type: 'failed', message: errorText(err) });
    process.exit(1);
  });
}
