import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_FILES, fixtureBytes, SHARED_FIXTURE_DIR } from './fixtures.js';

const sharedPresent = existsSync(SHARED_FIXTURE_DIR);

describe('WhatsApp fixture copies', () => {
  it.skipIf(!sharedPresent).each(FIXTURE_FILES)(
    'when the shared fixtures are beside the repo, then the copy of %s is byte-identical',
    (name) => {
      const shared = readFileSync(new URL(name, SHARED_FIXTURE_DIR));

      expect(fixtureBytes(name).equals(shared)).toBe(true);
    },
  );
});
