/**
 * isDuplicateKey: a write that failed only because its records already exist is the retry of an idempotent
 * insert; anything else (a validation error in the same batch, a lost connection) must still be thrown.
 */
import { describe, expect, it } from 'vitest';
import { isDuplicateKey } from '../../src/db/errors.js';

const writeError = (code: number, index: number) => ({ code, index, errmsg: `E${code}` });

describe('isDuplicateKey', () => {
  it('when a single insert fails with E11000, then it is a duplicate', () => {
    expect(isDuplicateKey({ code: 11000, message: 'E11000 duplicate key error' })).toBe(true);
  });

  it('when every write error of a bulk insert is E11000, then it is a duplicate', () => {
    const err = { code: 11000, writeErrors: [writeError(11000, 0), writeError(11000, 2)] };
    expect(isDuplicateKey(err)).toBe(true);
  });

  it('when a bulk insert has a duplicate first and a validation error after, then it is not a duplicate', () => {
    // The driver copies the first write error's code onto the bulk error: the list must decide.
    const err = { code: 11000, writeErrors: [writeError(11000, 0), writeError(121, 1)] };
    expect(isDuplicateKey(err)).toBe(false);
  });

  it('when a bulk error holds one write error as an object, then that error decides', () => {
    expect(isDuplicateKey({ writeErrors: writeError(11000, 0) })).toBe(true);
    expect(isDuplicateKey({ writeErrors: writeError(121, 0) })).toBe(false);
  });

  it('when the error is another code, a lost connection or not an object, then it is not a duplicate', () => {
    expect(isDuplicateKey({ code: 121 })).toBe(false);
    expect(isDuplicateKey({ writeErrors: [] })).toBe(false);
    expect(isDuplicateKey(new Error('connection closed'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey('E11000')).toBe(false);
  });
});
