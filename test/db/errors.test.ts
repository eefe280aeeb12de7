import { describe, expect, it } from 'vitest';
import { isDuplicateKey } from '../../src/db/errors.js';

describe('isDuplicateKey', () => {
  it('when a single write hit a unique index, then it is a duplicate', () => {
    expect(isDuplicateKey({ code: 11000 })).toBe(true);
  });

  it('when every document of a bulk write was a duplicate, then it is a duplicate', () => {
    expect(isDuplicateKey({ code: 11000, writeErrors: [{ code: 11000 }, { code: 11000 }] })).toBe(true);
  });

  it('when a bulk write failed on a duplicate first and on something else after, then it is not a duplicate', () => {
    // The driver copies the first write error's code to the top level.
    expect(isDuplicateKey({ code: 11000, writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(false);
  });

  it('when the write failed otherwise, then it is not a duplicate', () => {
    expect(isDuplicateKey({ code: 121 })).toBe(false);
    expect(isDuplicateKey(new Error('connection reset'))).toBe(false);
  });
});
