import { describe, expect, it } from 'vitest';
import { openOrdersText } from '../../flows/privacy.flow.js';
import { edgesFrom, pathProblems, problemsOf, reachableIn } from './graph/invariants.js';

/** Privacy: see, correct, erase, opt out or in (flows/privacy.flow.ts). */
describe('privacy flow paths', () => {
  it('when every privacy state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems(['privacy'])).toEqual([]);
  });

  it('when every sample event is sent in every reachable privacy state, then each transition keeps the invariants', () => {
    const problems = edgesFrom(['privacy']).flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then exactly the expected privacy states are reachable', () => {
    expect(reachableIn(['privacy'])).toEqual(
      [
        '{"privacy":"access"}',
        '{"privacy":"access"} cart',
        '{"privacy":"access"} deadline',
        '{"privacy":"access"} deadline cart',
        '{"privacy":"correctWhich"}',
        '{"privacy":"correctWhich"} cart',
        '{"privacy":"correctWhich"} deadline',
        '{"privacy":"correctWhich"} deadline cart',
        '{"privacy":"decide"}',
        '{"privacy":"decide"} cart',
        '{"privacy":"decide"} deadline',
        '{"privacy":"decide"} deadline cart',
        '{"privacy":"erase"}',
        '{"privacy":"erase"} cart',
        '{"privacy":"erase"} deadline',
        '{"privacy":"erase"} deadline cart',
        '{"privacy":"menu"}',
        '{"privacy":"menu"} cart',
        '{"privacy":"menu"} deadline',
        '{"privacy":"menu"} deadline cart',
        '{"privacy":"optingIn"}',
        '{"privacy":"optingIn"} cart',
        '{"privacy":"optingIn"} deadline',
        '{"privacy":"optingIn"} deadline cart',
        '{"privacy":"optingOut"}',
        '{"privacy":"optingOut"} cart',
        '{"privacy":"optingOut"} deadline',
        '{"privacy":"optingOut"} deadline cart',
        '{"privacy":{"correcting":"address"}} cart fix=address',
        '{"privacy":{"correcting":"address"}} deadline cart fix=address',
        '{"privacy":{"correcting":"address"}} deadline fix=address',
        '{"privacy":{"correcting":"address"}} fix=address',
        '{"privacy":{"correcting":"confirm"}} cart fix=address',
        '{"privacy":{"correcting":"confirm"}} cart fix=address remove',
        '{"privacy":{"correcting":"confirm"}} cart fix=name',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=address',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=address remove',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=name',
        '{"privacy":{"correcting":"confirm"}} deadline fix=address',
        '{"privacy":{"correcting":"confirm"}} deadline fix=address remove',
        '{"privacy":{"correcting":"confirm"}} deadline fix=name',
        '{"privacy":{"correcting":"confirm"}} fix=address',
        '{"privacy":{"correcting":"confirm"}} fix=address remove',
        '{"privacy":{"correcting":"confirm"}} fix=name',
        '{"privacy":{"correcting":"loading"}} cart fix=address',
        '{"privacy":{"correcting":"loading"}} cart fix=name',
        '{"privacy":{"correcting":"loading"}} cart fix=phone',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=address',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=name',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=phone',
        '{"privacy":{"correcting":"loading"}} deadline fix=address',
        '{"privacy":{"correcting":"loading"}} deadline fix=name',
        '{"privacy":{"correcting":"loading"}} deadline fix=phone',
        '{"privacy":{"correcting":"loading"}} fix=address',
        '{"privacy":{"correcting":"loading"}} fix=name',
        '{"privacy":{"correcting":"loading"}} fix=phone',
        '{"privacy":{"correcting":"name"}} cart fix=name',
        '{"privacy":{"correcting":"name"}} deadline cart fix=name',
        '{"privacy":{"correcting":"name"}} deadline fix=name',
        '{"privacy":{"correcting":"name"}} fix=name',
        '{"privacy":{"correcting":"pickAddress"}} cart fix=address',
        '{"privacy":{"correcting":"pickAddress"}} deadline cart fix=address',
        '{"privacy":{"correcting":"pickAddress"}} deadline fix=address',
        '{"privacy":{"correcting":"pickAddress"}} fix=address',
        '{"privacy":{"correcting":"saving"}} cart fix=address',
        '{"privacy":{"correcting":"saving"}} cart fix=address remove',
        '{"privacy":{"correcting":"saving"}} cart fix=name',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=address',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=address remove',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=name',
        '{"privacy":{"correcting":"saving"}} deadline fix=address',
        '{"privacy":{"correcting":"saving"}} deadline fix=address remove',
        '{"privacy":{"correcting":"saving"}} deadline fix=name',
        '{"privacy":{"correcting":"saving"}} fix=address',
        '{"privacy":{"correcting":"saving"}} fix=address remove',
        '{"privacy":{"correcting":"saving"}} fix=name',
      ].sort(),
    );
  });
});

describe('privacy flow examples', () => {
  it('when an erasure would touch open orders, then each is said with its status in words, a placed one as "not started yet"', () => {
    expect(
      openOrdersText([
        { orderNumber: 1001, status: 'placed', outcome: 'cancel' },
        { orderNumber: 1002, status: 'out_for_delivery', outcome: 'handover' },
      ]),
    ).toBe(
      [
        '*Your open orders* (2)',
        '• Order 1001 (not started yet): it will be *cancelled*, and the business told.',
        '• Order 1002 (on its way): it goes ahead. Only what the handover needs (address, note, your name and number) is kept until it is completed, then deleted too.',
      ].join('\n'),
    );
  });
});
