import { aggregateCommands } from './aggregate.js';
import { CommandError, commandError } from './errors.js';
import type { CommandContext, Handler } from './handler.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { namespaceCommands } from './namespaces.js';
import { readCommands } from './reads.js';
import type { Doc } from './values.js';
import { writeCommands } from './writes.js';

export type { CommandContext } from './handler.js';

/** Every command the server answers, by name; each family lives in its own module. */
const handlers: Record<string, Handler> = {
  ...handshakeCommands,
  ...namespaceCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
  ...indexCommands,
};

const aliases: Record<string, string> = {
  ismaster: 'hello',
  isMaster: 'hello',
  findandmodify: 'findAndModify',
  buildinfo: 'buildInfo',
};

/** Runs one command. Every failure becomes the real server's error document; nothing throws out of here. */
export function runCommand(cmd: Doc, db: string, ctx: CommandContext): Doc {
  const [first] = Object.keys(cmd);
  if (first === undefined) return commandError('FailedToParse', 'empty command').toReply();
  const name = aliases[first] ?? first;
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) {
    return commandError('CommandNotFound', `no such command: '${first}'`).toReply();
  }
  try {
    return handler(cmd, db, ctx);
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    return commandError('InternalError', (err as Error).message).toReply();
  }
}
