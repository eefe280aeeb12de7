import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const LOCAL = new URL('./fixtures/', import.meta.url);
const SHARED = new URL('../../../shared/reference/fixtures/', import.meta.url);

describe('Graph API fixture copies', () => {
  it.skipIf(!existsSync(SHARED))(
    'when the shared reference is present, then every copy matches it byte for byte',
    () => {
      const names = readdirSync(LOCAL).filter((name) => name.endsWith('.json'));
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) {
        expect(readFileSync(new URL(name, LOCAL)).equals(readFileSync(new URL(name, SHARED))), name).toBe(
          true,
        );
      }
    },
  );
});
