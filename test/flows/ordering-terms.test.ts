import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { toFlowEvent } from '../../src/language/intents.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import type { FlowEmitted, FlowEvent } from '../../src/core/vocabulary.js';
import type { PlaceOrderInput } from '../../src/orders/service.js';
import type { OrderService } from '../../src/orders/service.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import { moneyIn } from '../../flows/ordering/steps.js';
import { t } from '../../src/language/i18n.js';

/** A pizzeria in Madrid open Tuesdays 12:00–16:00 only, delivering for €2.50 (free from €20), minimum €15. */
function business(overrides: Record<string, unknown> = {}) {
  return toBusinessData(
    '100000000000515',
    businessInput.parse({
      name: 'Terms Test',
      currency: 'EUR',
      locale: 'es',
      timeZone: 'Europe/Madrid',
      fulfilment: { pickup: false, delivery: true },
      catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
      deliveryFee: 2.5,
      freeDeliveryOver: 20,
      ...overrides,
    }),
  );
}

/** Saturday 5 December 2026, 11:00 in Madrid. */
const SATURDAY = Date.parse('2026-12-05T10:00:00Z');
/** Monday 7 December 2026, 11:00 in Madrid. */
const MONDAY = Date.parse('2026-12-07T10:00:00Z');
const TUESDAY_ONLY = { openingHours: { tue: [{ open: '12:00', close: '16:00' }] } };

async function chat(
  data: ReturnType<typeof business>,
  steps: string[],
  options: { now?: number; placed?: PlaceOrderInput[] } = {},
): Promise<FlowEmitted[][]> {
  const orders = {
    placeOrder: (input: PlaceOrderInput) => {
      options.placed?.push(input);
      return Promise.resolve({ orderNumber: 1001 });
    },
    recentOrdersOf: () => Promise.resolve([]),
  } as unknown as OrderService;
  const flow = rootFlowDefinition(
    data,
    'customer-ref',
    fakeFlowDeps(data, { orders, ...(options.now ? { now: () => options.now ?? 0 } : {}) }),
  );
  let stored: StoredFlow | null = null;
  const said: FlowEmitted[][] = [];
  for (const text of steps) {
    const event: FlowEvent = { type: 'user.text', text };
    const result: StepResult = await runStep(flow, stored, toFlowEvent(event));
    stored = { flowId: flow.id, flowVersion: flow.version, snapshot: result.snapshot };
    said.push(result.emitted);
  }
  return said;
}

const textOf = (emitted: FlowEmitted[] | undefined): string =>
  (emitted ?? []).map((m) => ('text' in m ? m.text : '')).join('\n');

describe('ordering: the business hours, fee and minimum', () => {
  it('when a customer starts an order while closed (no pre-orders), then they hear in Spanish when it opens, with the menu', async () => {
    const said = await chat(business(TUESDAY_ONLY), ['hola', '1'], { now: SATURDAY });
    const text = textOf(said[1]);
    expect(text).toContain('Ahora estamos cerrados; abrimos el martes a las 12:00.');
    expect(text).toContain('Podrás pedir aquí cuando estemos abiertos.');
    expect(text).not.toContain('Margherita');
  });

  it('when it opens tomorrow, then the customer hears "mañana"', async () => {
    const said = await chat(business(TUESDAY_ONLY), ['hola', '1'], { now: MONDAY });
    expect(textOf(said[1])).toContain('abrimos mañana a las 12:00');
  });

  it('when closed but taking pre-orders, then the menu follows the closed line', async () => {
    const said = await chat(business({ ...TUESDAY_ONLY, preOrders: true }), ['hola', '1'], {
      now: SATURDAY,
    });
    const text = textOf(said[1]);
    expect(text).toContain('abrimos el martes a las 12:00');
    expect(text).toContain('Puedes pedir ya');
    expect(text).toContain('Margherita');
  });

  it('when a pre-order is placed while closed, then the customer hears when it will be started and the staff notice marks it', async () => {
    const placed: PlaceOrderInput[] = [];
    const said = await chat(
      business({ ...TUESDAY_ONLY, preOrders: true, fulfilment: { pickup: true, delivery: false } }),
      ['hola', '1', 'margherita', '2', 'ver carrito', 'pagar', 'sin nota', 'confirmar'],
      { now: SATURDAY, placed },
    );
    const last = said.at(-1) ?? [];
    const customer = textOf(last);
    expect(customer).toContain('lo empezaremos al abrir, martes a las 12:00');
    const staff = last.find((m) => m.type === 'notify.staff');
    expect(staff && 'text' in staff ? staff.text : '').toContain('Pedido anticipado');
    expect(staff && 'text' in staff ? staff.text : '').toContain('martes a las 12:00');
  });

  it('when the customer types a question at the summary, then they are told what the step takes, and the summary comes again', async () => {
    const placed: PlaceOrderInput[] = [];
    const said = await chat(
      business({ fulfilment: { pickup: true, delivery: false } }),
      ['hola', '1', 'margherita', '2', 'ver carrito', 'pagar', 'sin nota', '¿cuánto tarda?'],
      { placed },
    );
    const last = textOf(said.at(-1));
    expect(last).toContain('Aquí solo puedo *Confirmar*, *Editar* o *Cancelar* el pedido');
    expect(last.indexOf('Aquí solo puedo')).toBeLessThan(last.indexOf('¿Hago el pedido?'));
    expect(placed).toEqual([]);
  });

  it('when open, then nothing is said about hours', async () => {
    const said = await chat(business(TUESDAY_ONLY), ['hola', '1'], {
      now: Date.parse('2026-12-08T12:00:00Z'), // Tuesday 13:00 in Madrid
    });
    expect(textOf(said[1])).not.toContain('cerrados');
    expect(textOf(said[1])).toContain('Margherita');
  });

  it('when the customer checks out a delivery below the free threshold, then the summary shows the fee and the total includes it, and so does the order', async () => {
    const placed: PlaceOrderInput[] = [];
    const said = await chat(
      business(),
      ['hi', '1', 'margherita', '2', 'view cart', 'checkout', 'Calle Mayor 1, Madrid', 'no note', 'confirm'],
      { placed },
    );
    expect(textOf(said[4])).toContain('*Items: €19.00* · Delivery costs €2.50 (free from €20.00)');
    const summary = textOf(said[7]);
    expect(summary).toContain('Delivery fee: €2.50');
    expect(summary).toContain('*Total: €21.50*');
    expect(placed[0]?.totalMinor).toBe(1900 + 250);
    expect(placed[0]?.terms).toEqual({
      deliveryFeeMinor: 250,
      freeDeliveryOverMinor: 2000,
      minimumOrderMinor: 0,
    });
  });

  it('when the cart is shown before pickup or delivery is chosen, then it says the items and what delivery costs, not a total without the fee', async () => {
    const both = business({ fulfilment: { pickup: true, delivery: true } });
    const said = await chat(both, ['hi', '1', 'margherita', '2', 'view cart']);
    const cart = textOf(said[4]);
    expect(cart).toContain('*Items: €19.00* · Delivery costs €2.50 (free from €20.00)');
    expect(cart).not.toContain('Total');
    expect(cart).not.toMatch(/^Delivery: /m);

    const spanish = await chat(both, ['hola', '1', 'margherita', '3', 'ver carrito']);
    const carrito = textOf(spanish[4]).replace(/\u00a0/g, ' ');
    expect(carrito).toContain('*Productos: 28,50 €* · Envío a domicilio gratis (pedidos desde 20,00 €)');
    expect(carrito).not.toContain('Envío gratis en este pedido');
  });

  it('when the business only offers pickup, then the cart says its total and nothing about delivery', async () => {
    const pickupOnly = business({ fulfilment: { pickup: true, delivery: false } });
    const said = await chat(pickupOnly, ['hi', '1', 'margherita', '2', 'view cart']);
    const cart = textOf(said[4]);
    expect(cart).toContain('*Total: €19.00*');
    expect(cart).not.toMatch(/deliver/i);
  });

  it.each([
    ['es', 'hola'],
    ['pt', 'olá'],
    ['fr', 'bonjour'],
    ['de', 'hallo'],
  ] as const)(
    'when a %s customer sees the cart before choosing, then the items and the fee are said in it',
    async (language, hello) => {
      const said = await chat(business(), [hello, '1', '2 margherita']);
      const money = moneyIn(language);
      const line = `${t(language, 'ordering:cart.items', { items: money(1900, 'EUR') })} · ${t(
        language,
        'ordering:terms.deliveryFreeOver',
        { fee: money(250, 'EUR'), threshold: money(2000, 'EUR') },
      )}`;
      expect(textOf(said[2])).toContain(line);
      expect(textOf(said[2])).not.toContain(
        t(language, 'ordering:cart.total', { total: money(1900, 'EUR') }),
      );
    },
  );

  it('when the items reach the free-delivery threshold, then the summary says delivery is free', async () => {
    const said = await chat(business(), [
      'hi',
      '1',
      'margherita',
      '3',
      'checkout',
      'Calle Mayor 1, Madrid',
      'no note',
    ]);
    const summary = textOf(said[6]);
    expect(summary).toContain('Delivery: free (orders from €20.00)');
    expect(summary).toContain('*Total: €28.50*');
  });

  it('when the cart is below the minimum order, then checkout is refused with what is missing', async () => {
    const said = await chat(business({ minimumOrder: 15 }), ['hi', '1', 'margherita', '1', 'checkout']);
    const text = textOf(said[4]);
    expect(text).toContain('The minimum order is €15.00. Add €5.50 more to check out.');
    expect(text).not.toContain('address');
  });
});
