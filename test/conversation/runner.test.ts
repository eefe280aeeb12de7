import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import { RESTART_NOTICE, restartNotice, runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import { aiVersion } from '../../flows/ai.flow.js';
import { bookingVersion } from '../../flows/booking.flow.js';
import { orderingVersion } from '../../flows/ordering.flow.js';
import { privacyVersion } from '../../flows/privacy.flow.js';
import { trackingVersion } from '../../flows/tracking.flow.js';
import type { FlowEvent } from '../../src/core/vocabulary.js';

const business = toBusinessData('100000000000077', businessInput.parse({ name: 'Café Zé', currency: 'EUR' }));
const flow = rootFlowDefinition(business, 'customer-ref', fakeFlowDeps(business));
const hi: FlowEvent = { type: 'user.text', text: 'hi' };

/** What the store hands back: the stored record, after the JSON round trip every store does. */
function stored(snapshot: Record<string, unknown>, overrides: Partial<StoredFlow> = {}): StoredFlow {
  return JSON.parse(
    JSON.stringify({ flowId: flow.id, flowVersion: flow.version, snapshot, ...overrides }),
  ) as StoredFlow;
}

/**
 * Errors thrown outside the awaited call (xstate reports an actor's unhandled error from a timer): a
 * runner that "recovers" but leaves one of these behind still crashes the process (main.ts exits on them).
 */
const stray: unknown[] = [];
const onStray = (err: unknown): void => {
  stray.push(err);
};
beforeEach(() => {
  stray.length = 0;
  process.on('uncaughtException', onStray);
});
afterEach(() => {
  process.off('uncaughtException', onStray);
});
const nextTimerTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('runStep', () => {
  it('when there is no stored conversation, then it starts one and answers the first message', async () => {
    const result = await runStep(flow, null, hi);

    expect(result.restarted).toBe(false);
    expect(result.snapshot).toMatchObject({ status: 'active', value: 'menu' });
    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]).toMatchObject({ type: 'reply.list' });
    expect(result.deadline).toBeUndefined();
  });

  it('when a stored conversation is restored, then the next message continues it without greeting again', async () => {
    const first = await runStep(flow, null, hi);

    const second = await runStep(flow, stored(first.snapshot), { type: 'user.text', text: 'qwerty' });

    expect(second.restarted).toBe(false);
    expect(second.snapshot).toMatchObject({ value: 'menu', context: { misunderstood: 1 } });
    expect(second.emitted).toHaveLength(1);
    const [reply] = second.emitted;
    expect(reply?.type === 'reply.list' ? reply.text : '').toMatch(/didn't understand/);
    expect(reply?.type === 'reply.list' ? reply.text : '').not.toContain('Welcome');
  });

  it('when the persisted snapshot goes through JSON, then it is unchanged and restores to the same state', async () => {
    const first = await runStep(flow, null, { type: 'command.human' });

    const copy = JSON.parse(JSON.stringify(first.snapshot)) as Record<string, unknown>;
    const next = await runStep(flow, stored(copy), { type: 'command.cancel' });

    expect(copy).toEqual(first.snapshot);
    expect(copy).toMatchObject({ value: 'handoff', children: {}, historyValue: {} });
    expect(first.deadline).toEqual(expect.any(String));
    expect(next.snapshot).toMatchObject({ value: 'menu' });
    expect(next.restarted).toBe(false);
    expect(next.deadline).toBeUndefined();
  });

  it('when the stored snapshot is of another flow version, then a fresh conversation starts with the restart notice', async () => {
    const old = await runStep(flow, null, hi);

    const result = await runStep(flow, stored(old.snapshot, { flowVersion: flow.version - 1 }), hi);
    await nextTimerTurn();

    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: RESTART_NOTICE });
    expect(result.emitted[1]).toMatchObject({ type: 'reply.list' });
    expect(result.snapshot).toMatchObject({ status: 'active', value: 'menu' });
    expect(stray).toEqual([]);
  });

  it('when the stored snapshot is of another flow, then a fresh conversation starts with the restart notice', async () => {
    const old = await runStep(flow, null, hi);

    const result = await runStep(flow, stored(old.snapshot, { flowId: 'ordering' }), hi);

    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: RESTART_NOTICE });
  });

  it.each([
    {
      name: 'names a state that does not exist (and lacks children)',
      snapshot: { status: 'active', value: 'nonexistent-state', context: {} },
    },
    {
      name: 'names a state that does not exist',
      snapshot: { status: 'active', value: 'nonexistent-state', context: {}, children: {}, historyValue: {} },
    },
    {
      name: 'lost its empty objects (a store with minimize: true)',
      snapshot: { status: 'active', value: 'menu', context: { businessName: 'Café Zé', misunderstood: 0 } },
    },
  ])(
    'when the stored snapshot $name, then a fresh conversation starts with the notice and nothing throws later',
    async ({ snapshot }) => {
      const result = await runStep(flow, stored(snapshot), hi);
      await nextTimerTurn();

      expect(result.restarted).toBe(true);
      expect(result.emitted[0]).toEqual({ type: 'reply.text', text: RESTART_NOTICE });
      expect(result.emitted[1]).toMatchObject({ type: 'reply.list' });
      expect(result.snapshot).toMatchObject({ status: 'active', value: 'menu' });
      expect(stray.map((err) => (err instanceof Error ? err.message : String(err)))).toEqual([]);
    },
  );

  it('when the stored conversation is done, then a fresh one starts without the restart notice', async () => {
    const done = { status: 'done', value: 'menu', context: {}, children: {}, historyValue: {}, output: null };

    const result = await runStep(flow, stored(done), hi);

    expect(result.restarted).toBe(false);
    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]).toMatchObject({ type: 'reply.list' });
    expect(JSON.stringify(result.emitted)).not.toContain(RESTART_NOTICE);
  });

  it('when a conversation restarts and the customer writes Spanish, then the restart notice is in Spanish', async () => {
    const old = await runStep(flow, null, hi);

    const result = await runStep(flow, stored(old.snapshot, { flowVersion: flow.version - 1 }), {
      type: 'user.text',
      text: 'hola',
    });

    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: restartNotice('es') });
    expect(restartNotice('es')).toMatch(/^Hemos actualizado nuestro asistente/);
    expect(result.emitted[1]).toMatchObject({ type: 'reply.list', button: 'Opciones' });
  });

  it('when a customer chose a language and the conversation restarts, then the choice is kept over the words they write', async () => {
    const old = await runStep(flow, null, { type: 'user.text', text: 'en español' });
    expect(old.snapshot).toMatchObject({ context: { chosen: { language: 'es' } } });

    const result = await runStep(flow, stored(old.snapshot, { flowVersion: flow.version - 1 }), {
      type: 'user.text',
      text: 'hello, what can I order today?',
    });
    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: restartNotice('es') });
    expect(result.snapshot).toMatchObject({ context: { language: 'es', chosen: { language: 'es' } } });

    const next = await runStep(flow, stored(result.snapshot), {
      type: 'user.text',
      text: 'show me the menu please',
    });
    expect(next.snapshot).toMatchObject({ context: { language: 'es' } });
  });

  it('when a German conversation cannot be restored, then the restart notice is in German', async () => {
    const old = await runStep(flow, null, { type: 'user.text', text: 'hallo' });
    expect(old.snapshot).toMatchObject({ context: { language: 'de' } });

    const result = await runStep(flow, stored(old.snapshot, { flowId: 'ordering' }), {
      type: 'command.menu',
    });

    expect(result.emitted[0]).toEqual({
      type: 'reply.text',
      text: 'Wir haben unseren Assistenten aktualisiert und beginnen das Gespräch deshalb neu. Entschuldigen Sie die Umstände!',
    });
  });

  it('when the step is given the typed text of a command, then the flow decides its facts on it', async () => {
    const seen: Array<string | undefined> = [];
    const spying = {
      ...flow,
      stepFacts: (
        event: FlowEvent,
        context: Readonly<Record<string, unknown>> | undefined,
        text?: string,
      ) => {
        seen.push(text);
        return flow.stepFacts?.(event, context, text) ?? {};
      },
    };

    await runStep(spying, null, { type: 'command.human' }, { text: 'quiero hablar con una persona' });

    expect(seen).toEqual(['quiero hablar con una persona']);
  });
});

describe('runStep with per-concern versions', () => {
  const pizzeria = toBusinessData(
    '100000000000078',
    businessInput.parse({
      name: 'Café Zé',
      currency: 'EUR',
      fulfilment: { pickup: true, delivery: false },
      catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
    }),
  );
  const ordering = rootFlowDefinition(pizzeria, 'customer-ref', fakeFlowDeps(pizzeria));

  /** A conversation with one Margherita in the cart, stored after the given events (JSON round trip). */
  async function withCart(...then: FlowEvent[]): Promise<StoredFlow> {
    let snapshot: Record<string, unknown> | undefined;
    for (const event of [hi, text('1'), text('margherita'), text('2'), ...then]) {
      const result = await runStep(ordering, snapshot ? storedOf(snapshot) : null, event);
      snapshot = result.snapshot;
    }
    return storedOf(snapshot ?? {});
  }
  const text = (body: string): FlowEvent => ({ type: 'user.text', text: body });
  const storedOf = (snapshot: Record<string, unknown>): StoredFlow =>
    JSON.parse(
      JSON.stringify({ flowId: ordering.id, flowVersion: ordering.version, snapshot }),
    ) as StoredFlow;
  /** The stored conversation as an older release wrote it: `concern` at another version. */
  function olderVersionOf(stored: StoredFlow, concern: string): StoredFlow {
    const snapshot = stored.snapshot ?? {};
    const concerns = snapshot.concerns as Record<string, number>;
    return { ...stored, snapshot: { ...snapshot, concerns: { ...concerns, [concern]: -1 } } };
  }
  const cartOf = (result: StepResult): unknown[] =>
    (result.snapshot.context as { ordering: { cart: { lines: unknown[] } } }).ordering.cart.lines;

  it('when a step is stored, then the versions of its concerns are stored with the snapshot', async () => {
    const result = await runStep(ordering, null, hi);

    expect(result.snapshot.concerns).toEqual({
      ordering: orderingVersion,
      tracking: trackingVersion,
      privacy: privacyVersion,
      ai: aiVersion,
      booking: bookingVersion,
    });
  });

  it('when the privacy version changed and the customer is in the privacy menu with a cart, then the cart stays and only privacy starts over, with the notice', async () => {
    const stored = olderVersionOf(await withCart({ type: 'privacy.menu' }), 'privacy');
    expect(stored.snapshot?.value).toEqual({ privacy: 'menu' });

    const result = await runStep(ordering, stored, { type: 'command.menu' });

    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: RESTART_NOTICE });
    expect(result.emitted[1]).toMatchObject({ type: 'reply.list' });
    expect(result.snapshot.value).toBe('menu');
    expect(cartOf(result)).toHaveLength(1);
    expect(result.deadline).toEqual(expect.any(String));
  });

  it('when the privacy version changed and the customer is ordering, then the conversation goes on without a notice', async () => {
    const stored = olderVersionOf(await withCart(), 'privacy');

    const result = await runStep(ordering, stored, {
      type: 'user.button',
      id: 'cart:view',
      title: 'View cart',
    });

    expect(result.restarted).toBe(false);
    expect(JSON.stringify(result.emitted)).not.toContain(RESTART_NOTICE);
    expect(result.snapshot.value).toEqual({ ordering: 'cart' });
    expect(cartOf(result)).toHaveLength(1);
  });

  it('when the ordering version changed and the customer is ordering, then the cart is dropped and the notice said', async () => {
    const stored = olderVersionOf(await withCart(), 'ordering');
    expect(stored.snapshot?.value).toEqual({ ordering: 'added' });

    const result = await runStep(ordering, stored, { type: 'command.menu' });

    expect(result.restarted).toBe(true);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: RESTART_NOTICE });
    expect(result.emitted[1]).toMatchObject({ type: 'reply.list' });
    expect(result.snapshot.value).toBe('menu');
    expect(cartOf(result)).toEqual([]);
    expect(result.deadline).toBeUndefined();
    expect((result.snapshot.concerns as Record<string, number>).ordering).toBe(orderingVersion);
  });

  it('when the ordering version changed and the customer is at the menu with a cart, then the cart and its deadline go without a notice', async () => {
    const stored = olderVersionOf(await withCart({ type: 'command.menu' }), 'ordering');

    const result = await runStep(ordering, stored, { type: 'command.help' });

    expect(result.restarted).toBe(false);
    expect(JSON.stringify(result.emitted)).not.toContain(RESTART_NOTICE);
    expect(cartOf(result)).toEqual([]);
    expect(result.deadline).toBeUndefined();
  });
});
