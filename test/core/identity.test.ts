/**
 * Customer identity written once: the conversation key and its keyed reference are the same function
 * everywhere (webhook intake, customer aliases, tests), and an empty id names nobody.
 */
import { describe, expect, it } from 'vitest';
import { customerKey, customerRef, keyedCustomerRef, presentId } from '../../src/core/identity.js';

const PEPPER = 'test-pepper';

describe('keyedCustomerRef', () => {
  it('when given ids, then it is the keyed reference of their conversation key', () => {
    const ids = { waId: '34611111111', userId: 'ES.abc123' };
    expect(keyedCustomerRef(PEPPER, '1001', ids)).toBe(customerRef(PEPPER, '1001', customerKey('1001', ids)));
  });

  it('when the same person writes to two businesses, then the references are unrelated', () => {
    const ids = { waId: '34611111111' };
    expect(keyedCustomerRef(PEPPER, '1001', ids)).not.toBe(keyedCustomerRef(PEPPER, '1002', ids));
  });

  it('when the customer has no id, then it throws like customerKey', () => {
    expect(() => keyedCustomerRef(PEPPER, '1001', { waId: '', userId: undefined })).toThrow(TypeError);
  });
});

describe('presentId', () => {
  it('when an id is empty, then it counts as absent', () => {
    expect(presentId('')).toBeUndefined();
    expect(presentId(undefined)).toBeUndefined();
    expect(presentId('34611111111')).toBe('34611111111');
  });
});
