import { describe, expect, it } from 'vitest';
import { demoBusinessData } from '../../src/businesses/demo.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../../src/core/vocabulary.js';
import { toFlowEvent } from '../../src/language/intents.js';
import type { OrderService } from '../../src/orders/service.js';
import type { OrderDraft } from '../../flows/root.flow.js';
import { customerMessages } from './graph/invariants.js';
import { fakeFlowDeps } from '../helpers/flows.js';

/**
 * The catalogue in the customer's language (the demo business writes its items in English and translates
 * them): through the real runner, a Spanish customer reads Spanish names, descriptions and categories, types
 * them, and the kitchen still reads the business's own names.
 */
const demo = demoBusinessData();

/** Everything a message shows the customer: its text, and its buttons' or list's titles and descriptions. */
function shown(message: OutboundMessage): string {
  const parts: string[] = 'text' in message ? [message.text] : [];
  if (message.type === 'reply.buttons') parts.push(...message.buttons.map((b) => b.title));
  if (message.type === 'reply.list')
    for (const section of message.sections)
      parts.push(section.title ?? '', ...section.rows.flatMap((row) => [row.title, row.description ?? '']));
  return parts.join('\n').replace(/\u00a0/g, ' ');
}

function customer() {
  const placed: unknown[] = [];
  const orders = {
    placeOrder: (input: unknown) => {
      placed.push(input);
      return Promise.resolve({ orderNumber: 1042 });
    },
    recentOrdersOf: () => Promise.resolve([]),
  } as unknown as OrderService;
  const flow = rootFlowDefinition(demo, 'customer-ref', fakeFlowDeps(demo, { orders }));
  let stored: StoredFlow | null = null;
  let last: StepResult | undefined;
  async function send(event: FlowEvent): Promise<FlowEmitted[]> {
    last = await runStep(flow, stored, event.type === 'user.text' ? toFlowEvent(event) : event);
    stored = JSON.parse(
      JSON.stringify({ flowId: flow.id, flowVersion: flow.version, snapshot: last.snapshot }),
    ) as StoredFlow;
    return last.emitted;
  }
  return {
    placed,
    send,
    /** The one message the customer gets for `text`, as they read it. */
    async say(text: string): Promise<OutboundMessage> {
      const replies = customerMessages(await send({ type: 'user.text', text }));
      expect(replies).toHaveLength(1);
      const [reply] = replies;
      if (reply === undefined) throw new Error('no reply');
      return reply;
    },
    get draft(): OrderDraft | undefined {
      return (last?.snapshot.context as { ordering?: OrderDraft } | undefined)?.ordering;
    },
  };
}

/** A Spanish customer at the demo's menu: "hola", then *Pedir*. */
async function spanishMenu() {
  const c = customer();
  await c.say('hola');
  const menu = await c.say('1');
  return { c, menu };
}

describe('the demo catalogue for a Spanish customer', () => {
  it('when they browse, then names, descriptions and categories are Spanish', async () => {
    const { menu } = await spanishMenu();

    expect(menu.type).toBe('reply.list');
    const text = shown(menu);
    expect(text).toContain('Agua sin gas');
    expect(text).toContain('Tomate, mozzarella, albahaca');
    expect(text).toContain('Salami picante, guindilla');
    if (menu.type !== 'reply.list') return;
    expect(menu.sections.map((section) => section.title)).toEqual(['Pizzas', 'Postres', 'Bebidas']);
    for (const english of ['Still water', 'Drinks', 'Dessert', 'Tomato', 'Spicy salami'])
      expect(text).not.toContain(english);
  });

  it('when they type the Spanish name, then it is picked, and the cart reads Spanish while the line keeps the business name', async () => {
    const { c } = await spanishMenu();

    const question = await c.say('agua sin gas');
    expect(shown(question)).toContain('Agua sin gas');
    const added = await c.say('2');
    expect(shown(added)).toContain('Agua sin gas');
    expect(shown(await c.say('ver carrito'))).toMatch(/2 × Agua sin gas — 3,60 €/);

    expect(c.draft?.cart.lines).toEqual([
      { itemId: 'water', name: 'Still water', unitPriceMinor: 180, quantity: 2 },
    ]);
  });

  it('when they type a Spanish category, or the business own one, then that category is shown', async () => {
    const { c } = await spanishMenu();
    const drinks = shown(await c.say('bebidas'));
    expect(drinks).toContain('*Bebidas*');
    expect(drinks).toContain('Agua sin gas');

    const again = await spanishMenu();
    expect(shown(await again.c.say('postres'))).toContain('Tiramisù');

    const english = await spanishMenu();
    const typed = shown(await english.c.say('drinks'));
    expect(typed).toContain('*Bebidas*');
    expect(typed).toContain('Agua sin gas');
  });

  it('when they order in one message by the Spanish names, then both go into the cart', async () => {
    const { c } = await spanishMenu();
    const cart = shown(await c.say('2 aguas sin gas y una cola'));
    expect(cart).toContain('2 × Agua sin gas');
    expect(cart).toContain('1 × Cola');
  });

  it('when the order is placed, then the summary is Spanish, and the staff and the stored order read the business names', async () => {
    const { c } = await spanishMenu();
    await c.say('2 agua sin gas');
    await c.say('pagar');
    await c.send({ type: 'user.button', id: 'order.pickup', title: 'Recoger' });
    const summary = customerMessages(await c.send(toFlowEvent({ type: 'user.text', text: 'no' }))).map(shown);
    expect(summary.join('\n')).toContain('2 × Agua sin gas');

    const emitted = await c.send({ type: 'user.button', id: 'order.confirm', title: 'Confirmar' });
    const notices = emitted.flatMap((m) => (m.type === 'notify.staff' ? [m.text] : []));
    expect(notices.join('\n')).toContain('2× Still water');
    expect(c.placed).toEqual([
      expect.objectContaining({
        items: [expect.objectContaining({ itemId: 'water', name: 'Still water', quantity: 2 })],
      }),
    ]);
  });
});

describe('the demo catalogue for an English customer', () => {
  it('when they browse, then they read the business own texts', async () => {
    const c = customer();
    await c.say('hello');
    const text = shown(await c.say('1'));
    expect(text).toContain('Still water');
    expect(text).toContain('Tomato, mozzarella, basil');
    expect(text).toContain('Drinks');
    expect(text).not.toContain('Agua sin gas');
  });
});
