import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { createLogger } from '../../src/log.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info' }, stream), lines };
}

describe('connectDatabase', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(Boolean(process.env.MONGODB_URI))(
    'when MONGODB_URI is unset, then the embedded server starts with its journal and says it is for development',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-conn-'));
      dirs.push(dataDir);
      const { logger, lines } = capturingLogger();

      const db = await connectDatabase({ uri: undefined, dataDir, embeddedPort: 0 }, logger);
      const Note = db.connection.model('Note', new (await import('mongoose')).Schema({ text: String }));
      await Note.create({ text: 'kept' });
      await db.close();

      expect(db.embedded?.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\//);
      expect(lines.join('')).toMatch(/EMBEDDED development database/);
      expect(lines.join('')).toMatch(/MONGODB_URI/);
      const reopened = await connectDatabase({ uri: undefined, dataDir, embeddedPort: 0 }, logger);
      expect(await reopened.connection.collection('notes').countDocuments({ text: 'kept' })).toBe(1);
      await reopened.close();
    },
  );
});
