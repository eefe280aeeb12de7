import { describe, expect, it } from 'vitest';
import type { FlowDeps } from '../../src/conversation/flows.js';
import { chat, edgesFrom, pathProblems, problemsOf, reachableIn, valueOf } from './graph/invariants.js';
import { text } from './graph/samples.js';

/** Tracking: recent orders and cancelling one not yet confirmed (flows/tracking.flow.ts). */
describe('tracking flow paths', () => {
  it('when every tracking state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems(['tracking'])).toEqual([]);
  });

  it('when every sample event is sent in every reachable tracking state, then each transition keeps the invariants', () => {
    const problems = edgesFrom(['tracking']).flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then exactly the expected tracking states are reachable', () => {
    expect(reachableIn(['tracking'])).toEqual(
      [
        '{"tracking":"cancelling"}',
        '{"tracking":"cancelling"} cart',
        '{"tracking":"cancelling"} deadline',
        '{"tracking":"cancelling"} deadline cart',
        '{"tracking":"loading"}',
        '{"tracking":"loading"} cart',
        '{"tracking":"loading"} deadline',
        '{"tracking":"loading"} deadline cart',
        '{"tracking":"tracked"}',
        '{"tracking":"tracked"} cart',
        '{"tracking":"tracked"} deadline',
        '{"tracking":"tracked"} deadline cart',
      ].sort(),
    );
  });
});

describe('tracking flow examples', () => {
  it('when the customer has an order being prepared and one just placed, then both are listed in words and only the placed one can be cancelled', async () => {
    const placedAt = new Date('2025-05-01T12:00:00Z');
    const orders = {
      recentOrdersOf: () =>
        Promise.resolve([
          { orderNumber: 12, status: 'preparing', totalMinor: 1900, currency: 'EUR', placedAt },
          { orderNumber: 13, status: 'placed', totalMinor: 900, currency: 'EUR', placedAt },
        ]),
    } as unknown as FlowDeps['orders'];
    const send = chat({ orders });
    await send(text('hi'));

    const result = await send(text('2'));

    expect(valueOf(result)).toEqual({ tracking: 'tracked' });
    expect(result.emitted).toEqual([
      {
        type: 'reply.buttons',
        text:
          'Your recent orders:\n• Order *12*: being prepared, €19.00, 2025-05-01\n• Order *13*: placed, €9.00, 2025-05-01' +
          '\n\nAn order can be cancelled here until the business confirms it.',
        buttons: [
          { id: 'order.cancelPlaced:13', title: 'Cancel order 13' },
          { id: 'cmd.menu', title: 'Main menu' },
        ],
      },
    ]);
  });
});
