import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import type { FlowDeps } from '../../src/conversation/flows.js';
import { chat, edgesFrom, pathProblems, problemsOf, reachableIn, valueOf } from './graph/invariants.js';
import { button, text } from './graph/samples.js';
import { formatMoney } from '../../src/core/money.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';

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
        '{"tracking":"confirmCancel"}',
        '{"tracking":"confirmCancel"} cart',
        '{"tracking":"confirmCancel"} deadline',
        '{"tracking":"confirmCancel"} deadline cart',
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
          'Your recent orders:\n• Order *12*: being prepared, €19.00, May 1, 2025, 12:00 PM\n• Order *13*: placed, €9.00, May 1, 2025, 12:00 PM' +
          '\n\nAn order can be cancelled here until the business confirms it.',
        buttons: [
          { id: 'order.cancelPlaced:13', title: 'Cancel order 13' },
          { id: 'cmd.menu', title: 'Main menu' },
        ],
      },
    ]);
  });
});

describe('tracking flow on the business’s clock', () => {
  it('when a business in Europe/Madrid has an order placed at 13:05 UTC in winter, then the customer sees 14:05', async () => {
    const madrid = toBusinessData(
      '100000000000044',
      businessInput.parse({ name: 'Casa Madrid', currency: 'EUR', timeZone: 'Europe/Madrid' }),
    );
    const orders = {
      recentOrdersOf: () =>
        Promise.resolve([
          {
            orderNumber: 7,
            status: 'preparing',
            totalMinor: 1900,
            currency: 'EUR',
            placedAt: new Date('2026-01-15T13:05:00Z'),
          },
        ]),
    } as unknown as FlowDeps['orders'];
    const send = chat({ orders }, madrid);
    await send(text('hola'));

    const result = await send(text('2'));

    const first = result.emitted[0];
    expect(first && 'text' in first ? first.text : '').toContain(
      '• Pedido *7*: en preparación, 19,00\u00a0€, 15 ene 2026, 14:05\n',
    );
  });
});

describe('tracking flow in the customer’s language', () => {
  const placedAt = new Date('2025-05-01T12:00:00Z');
  const ordersOf = (cancel: () => Promise<unknown>) =>
    ({
      recentOrdersOf: () =>
        Promise.resolve([
          { orderNumber: 12, status: 'preparing', totalMinor: 1900, currency: 'EUR', placedAt },
          { orderNumber: 13, status: 'placed', totalMinor: 900, currency: 'EUR', placedAt },
        ]),
      cancelByCustomer: cancel,
    }) as unknown as FlowDeps['orders'];

  it('when a customer who wrote in Spanish tracks their orders, then the list, the hint and the buttons are in Spanish', async () => {
    const send = chat({ orders: ordersOf(() => Promise.resolve()) });
    await send(text('hola'));

    const result = await send(text('2'));

    expect(valueOf(result)).toEqual({ tracking: 'tracked' });
    expect(result.emitted).toEqual([
      {
        type: 'reply.buttons',
        text:
          'Tus últimos pedidos:\n• Pedido *12*: en preparación, 19,00\u00a0€, 1 may 2025, 12:00\n• Pedido *13*: recibido, 9,00\u00a0€, 1 may 2025, 12:00' +
          '\n\nPuedes cancelar un pedido aquí mientras el negocio no lo haya confirmado.',
        buttons: [
          { id: 'order.cancelPlaced:13', title: 'Cancelar n.º 13' },
          { id: 'cmd.menu', title: 'Menú principal' },
        ],
      },
    ]);
  });

  it('when a Spanish-speaking customer taps Cancel and confirms, then they are told in Spanish that it is cancelled', async () => {
    const send = chat({ orders: ordersOf(() => Promise.resolve()) });
    await send(text('hola'));
    await send(text('2'));

    await send(button('order.cancelPlaced:13', 'Cancelar n.º 13'));
    const result = await send(button('order.cancelPlaced.yes', 'Sí, cancelar'));

    expect(valueOf(result)).toBe('menu');
    expect(JSON.stringify(result.emitted)).toContain('El pedido *13* está cancelado.');
  });

  it('when a customer cancels their order and confirms, then the staff are told in the business language not to prepare it', async () => {
    const send = chat({ orders: ordersOf(() => Promise.resolve()) });
    await send(text('hola'));
    await send(text('2'));

    await send(button('order.cancelPlaced:13', 'Cancelar n.º 13'));
    const result = await send(button('order.cancelPlaced.yes', 'Sí, cancelar'));

    expect(result.emitted.filter((m) => m.type === 'notify.staff')).toEqual([
      {
        type: 'notify.staff',
        text: 'Order 13 was cancelled by the customer. Please do not prepare it.',
        // Outside the staff number's window, the business's cancellation template carries it.
        template: { purpose: 'staff.cancellation', values: { orderNumber: '13' } },
      },
    ]);
  });

  it('when the cancellation is refused, then no staff notice is sent', async () => {
    const send = chat({ orders: ordersOf(() => Promise.reject(new Error('confirmed meanwhile'))) });
    await send(text('hola'));
    await send(text('2'));

    await send(button('order.cancelPlaced:13', 'Cancelar n.º 13'));
    const result = await send(button('order.cancelPlaced.yes', 'Sí, cancelar'));

    expect(result.emitted.filter((m) => m.type === 'notify.staff')).toEqual([]);
  });

  it('when the business confirmed the order first, then a Spanish-speaking customer is told in Spanish it can no longer be cancelled', async () => {
    const send = chat({ orders: ordersOf(() => Promise.reject(new Error('confirmed meanwhile'))) });
    await send(text('hola'));
    await send(text('2'));

    await send(button('order.cancelPlaced:13', 'Cancelar n.º 13'));
    const result = await send(button('order.cancelPlaced.yes', 'Sí, cancelar'));

    expect(JSON.stringify(result.emitted)).toContain(
      'Lo siento, el pedido *13* ya no se puede cancelar aquí (puede que el negocio ya lo haya confirmado). Elige *Hablar con una persona*.',
    );
  });

  it('when the menu is shown in Spanish, then the tracking row is in Spanish', async () => {
    const send = chat();

    const result = await send(text('hola'));

    expect(JSON.stringify(result.emitted)).toContain(
      '{"id":"menu.track","title":"Seguir mi pedido","description":"Mira cómo van tus pedidos"}',
    );
  });

  it('when a German-speaking customer has no orders, then they are told so in German', async () => {
    const send = chat();
    await send(text('hallo'));

    const result = await send(text('2'));

    expect(valueOf(result)).toBe('menu');
    expect(JSON.stringify(result.emitted)).toContain('Sie haben hier noch nichts bestellt.');
  });

  it('when the orders cannot be looked up for a Portuguese-speaking customer, then the apology is in Portuguese', async () => {
    const orders = {
      recentOrdersOf: () => Promise.reject(new Error('database down')),
    } as unknown as FlowDeps['orders'];
    const send = chat({ orders });
    await send(text('olá, bom dia'));

    const result = await send(text('2'));

    expect(JSON.stringify(result.emitted)).toContain('Desculpe, não consegui consultar seus pedidos agora.');
  });
});

describe('cancelling an order from tracking asks first', () => {
  const placedAt = new Date('2025-05-01T12:00:00Z');
  const margherita = {
    itemId: 'm',
    name: 'Margherita',
    unitPriceMinor: 950,
    quantity: 2,
    lineTotalMinor: 1900,
  };
  /** One order just placed (1003: 2× Margherita, €19.00); the cancellations the bot asked for are kept. */
  function ordersWithCancel() {
    const cancelled: number[] = [];
    const orders = {
      recentOrdersOf: () =>
        Promise.resolve([
          {
            orderNumber: 1003,
            status: 'placed',
            totalMinor: 1900,
            currency: 'EUR',
            placedAt,
            items: [margherita],
          },
        ]),
      cancelByCustomer: (_pnid: string, _ref: string, number: number) => {
        cancelled.push(number);
        return Promise.resolve();
      },
    } as unknown as FlowDeps['orders'];
    return { orders, cancelled };
  }
  const HELLO: Record<Language, string> = { en: 'hello', es: 'hola', pt: 'olá', fr: 'bonjour', de: 'hallo' };

  it.each(['en', 'es', 'pt', 'fr', 'de'] as const)(
    'when a %s customer taps Cancel order, then nothing is cancelled yet and they are asked, naming the items and total, with yes and no',
    async (language) => {
      const { orders, cancelled } = ordersWithCancel();
      const send = chat({ orders });
      await send(text(HELLO[language]));
      await send(text('2'));

      const result = await send(button('order.cancelPlaced:1003'));

      expect(cancelled).toEqual([]);
      expect(valueOf(result)).toEqual({ tracking: 'confirmCancel' });
      expect(result.emitted.filter((m) => m.type === 'notify.staff')).toEqual([]);
      expect(result.emitted).toEqual([
        {
          type: 'reply.buttons',
          text: t(language, 'tracking:cancel.confirm', {
            number: '1003',
            summary: `2× Margherita, ${formatMoney(1900, 'EUR', language)}`,
          }),
          buttons: [
            { id: 'order.cancelPlaced.yes', title: t(language, 'tracking:cancel.yes.button') },
            { id: 'order.cancelPlaced.no', title: t(language, 'tracking:cancel.no.button') },
          ],
        },
      ]);
    },
  );

  it('when the customer answers yes, then the order is cancelled and the staff are told', async () => {
    const { orders, cancelled } = ordersWithCancel();
    const send = chat({ orders });
    await send(text('hello'));
    await send(text('2'));
    await send(button('order.cancelPlaced:1003'));

    const result = await send(button('order.cancelPlaced.yes', 'Yes, cancel'));

    expect(cancelled).toEqual([1003]);
    expect(valueOf(result)).toBe('menu');
    expect(JSON.stringify(result.emitted)).toContain('Order *1003* is cancelled.');
    expect(result.emitted.filter((m) => m.type === 'notify.staff')).toHaveLength(1);
  });

  it('when the customer types "yes" at the question, then the order is cancelled too', async () => {
    const { orders, cancelled } = ordersWithCancel();
    const send = chat({ orders });
    await send(text('hello'));
    await send(text('2'));
    await send(button('order.cancelPlaced:1003'));

    await send(text('yes'));

    expect(cancelled).toEqual([1003]);
  });

  it.each([
    ['taps No, keep it', button('order.cancelPlaced.no', 'No, keep it')],
    ['types "no"', text('no')],
  ])(
    'when the customer %s, then the order stays, they are told so, and the staff hear nothing',
    async (_, answer) => {
      const { orders, cancelled } = ordersWithCancel();
      const send = chat({ orders });
      await send(text('hello'));
      await send(text('2'));
      await send(button('order.cancelPlaced:1003'));

      const result = await send(answer);

      expect(cancelled).toEqual([]);
      expect(valueOf(result)).toBe('menu');
      expect(JSON.stringify(result.emitted)).toContain('OK, order *1003* stays as it is.');
      expect(result.emitted.filter((m) => m.type === 'notify.staff')).toEqual([]);
    },
  );

  it('when the customer taps something else at the question, then nothing is cancelled', async () => {
    const { orders, cancelled } = ordersWithCancel();
    const send = chat({ orders });
    await send(text('hello'));
    await send(text('2'));
    await send(button('order.cancelPlaced:1003'));

    const result = await send(button('cmd.menu', 'Main menu'));

    expect(cancelled).toEqual([]);
    expect(valueOf(result)).toBe('menu');
  });
});
