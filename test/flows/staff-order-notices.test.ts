import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import type { FlowEmitted, FlowEvent } from '../../src/core/vocabulary.js';
import { toFlowEvent } from '../../src/language/intents.js';
import type { OrderService } from '../../src/orders/service.js';
import { fakeFlowDeps } from '../helpers/flows.js';

/** A delivery-only pizzeria whose staff read `locale`'s language. */
const pizzeria = (locale: string): BusinessData =>
  toBusinessData(
    '100000000000078',
    businessInput.parse({
      name: 'Notice Test',
      currency: 'EUR',
      locale,
      fulfilment: { pickup: false, delivery: true },
      catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
    }),
  );

/** Orders a delivery to `address` with `note` and confirms it; returns the staff notices of the last step. */
async function staffNoticeOf(business: BusinessData, address: FlowEvent, note: string): Promise<string[]> {
  const orders = {
    placeOrder: () => Promise.resolve({ orderNumber: 1042 }),
    recentOrdersOf: () => Promise.resolve([]),
  } as unknown as OrderService;
  const flow = rootFlowDefinition(business, 'customer-ref', fakeFlowDeps(business, { orders }));
  let stored: StoredFlow | null = null;
  let last: FlowEmitted[] = [];
  const steps: FlowEvent[] = [
    { type: 'user.text', text: 'hi' },
    { type: 'user.text', text: '1' },
    { type: 'user.text', text: 'margherita' },
    { type: 'user.text', text: '2' },
    { type: 'user.text', text: 'checkout' },
    address,
    { type: 'user.text', text: note },
    { type: 'user.button', id: 'order.confirm', title: 'Confirm' },
  ];
  for (const step of steps) {
    const result: StepResult = await runStep(
      flow,
      stored,
      step.type === 'user.text' ? toFlowEvent(step) : step,
    );
    stored = { flowId: flow.id, flowVersion: flow.version, snapshot: result.snapshot };
    last = result.emitted;
  }
  return last.flatMap((m) => (m.type === 'notify.staff' ? [m.text] : []));
}

describe('new-order staff notice', () => {
  it('when a delivery order with a note is placed, then the staff read the address and the note', async () => {
    const notices = await staffNoticeOf(
      pizzeria('en'),
      { type: 'user.text', text: 'Calle Almendro 41, 3º B, Sevilla' },
      'No basil please',
    );
    expect(notices).toEqual([
      'New order 1042: 2× Margherita; €19.00; delivery to Calle Almendro 41, 3º B, Sevilla.\nNote: No basil please',
    ]);
  });

  it('when the staff read Spanish and the customer shared a location, then the notice is Spanish with a map link', async () => {
    const notices = await staffNoticeOf(
      pizzeria('es-ES'),
      { type: 'user.location', latitude: 37.3891, longitude: -5.9845 },
      'sin albahaca',
    );
    expect(notices).toEqual([
      'Nuevo pedido 1042: 2× Margherita; 19,00\u00a0€; a domicilio, ubicación compartida: ' +
        'https://www.openstreetmap.org/?mlat=37.389100&mlon=-5.984500.\nNota: sin albahaca',
    ]);
  });

  it('when the typed address is very long, then the notice carries it in short', async () => {
    const long = `Calle ${'Larga '.repeat(30)}1`;
    const [notice] = await staffNoticeOf(pizzeria('en'), { type: 'user.text', text: long }, 'no note');
    expect(notice).toMatch(/delivery to Calle Larga .{60,}…\.$/);
    expect(notice).not.toContain('Note:');
  });
});
