import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../../flows/root.flow.js';
import { cartTextAction } from '../../../flows/ordering/cart.js';
import { NO_NOTE, saidFulfilment } from '../../../flows/ordering/steps.js';
import type { FlowEvent, OutboundMessage } from '../../../src/core/vocabulary.js';
import { t } from '../../../src/language/i18n.js';
import { LANGUAGES } from '../../../src/language/languages.js';
import type { Language } from '../../../src/language/languages.js';
import { customerMessages, emittedBy } from '../graph/invariants.js';
import { CATALOG, button, input, list, text } from '../graph/samples.js';

/** Intl puts a no-break space between amount and sign in these languages: written here as a plain one. */
const plain = (value: string) => value.replace(/\u00a0/g, ' ');

const done = (step: string, output: unknown) =>
  ({ type: `xstate.done.actor.0.root.ordering.${step}`, output }) as unknown as FlowEvent;

/** A conversation in `language`, driven step by step; each step returns what the customer reads. */
function conversation(language: Language) {
  let [snapshot] = initialTransition(rootFlow, { ...input, language });
  return {
    send(event: FlowEvent): OutboundMessage[] {
      const [next, actions] = transition(rootFlow, snapshot, event);
      snapshot = next;
      return customerMessages(emittedBy(actions));
    },
    get snapshot() {
      return snapshot;
    },
  };
}

function only(messages: OutboundMessage[]): OutboundMessage {
  expect(messages).toHaveLength(1);
  return messages[0] as OutboundMessage;
}

const textOf = (message: OutboundMessage) => ('text' in message ? plain(message.text) : '');
const titlesOf = (message: OutboundMessage) =>
  message.type === 'reply.buttons' ? message.buttons.map((b) => b.title) : [];

describe('ordering in Spanish', () => {
  it('when a customer orders, views the cart, checks out for pickup and confirms, then every text is Spanish', () => {
    const chat = conversation('es');
    chat.send(text('1'));

    const menu = only(chat.send(done('loading', CATALOG)));
    expect(menu.type).toBe('reply.list');
    expect(textOf(menu)).toMatch(
      /^Este es nuestro menú\. Toca \*Ver menú\*, o escribe un número o un nombre:\n1\. /,
    );
    expect(menu.type === 'reply.list' && menu.button).toBe('Ver menú');
    expect(menu.type === 'reply.list' && plain(menu.sections[0]?.rows[0]?.description ?? '')).toBe('9,00 €');

    const quantity = only(chat.send(list('item:margherita', 'Margherita')));
    expect(textOf(quantity)).toBe(
      '¿Cuántas unidades de *Margherita* (9,00 € cada una)? Toca un número, o escribe uno del 1 al 99.',
    );

    const added = only(chat.send(text('dos')));
    expect(textOf(added)).toBe('Añadido: 2 × Margherita.\nTu carrito: 2 productos, 18,00 €.');
    expect(titlesOf(added)).toEqual(['Añadir más', 'Ver carrito', 'Finalizar pedido']);

    const cart = only(chat.send(text('Ver carrito')));
    expect(textOf(cart)).toBe(
      'Tu carrito (2 productos):\n2 × Margherita — 18,00 €\n\n*Total: 18,00 €*\n\n' +
        'Para cambiar una cantidad o quitar algo, escribe *cambiar*.',
    );
    expect(titlesOf(cart)).toEqual(['Añadir más', 'Finalizar pedido', 'Vaciar carrito']);

    chat.send(text('Finalizar pedido'));
    const fulfilment = only(chat.send(done('checkout.refreshing', CATALOG)));
    expect(textOf(fulfilment)).toBe('¿Para recoger o a domicilio?');
    expect(titlesOf(fulfilment)).toEqual(['Recoger', 'A domicilio']);

    const note = only(chat.send(text('recoger')));
    expect(textOf(note)).toBe(
      '¿Algo que debamos saber (alergias, timbre…)? Escribe una nota, o toca *Sin nota*.',
    );
    expect(titlesOf(note)).toEqual(['Sin nota']);

    const summary = only(chat.send(text('Sin nota')));
    expect(textOf(summary)).toBe(
      '*Tu pedido*\n• 2 × Margherita — 18,00 €\n*Total: 18,00 €*\nRecogida en el local\n¿Hago el pedido?',
    );
    expect(titlesOf(summary)).toEqual(['Confirmar', 'Editar', 'Cancelar']);

    chat.send(text('confirmar'));
    expect(chat.snapshot.matches({ ordering: { checkout: 'placing' } })).toBe(true);
    const placed = chat.send(done('checkout.placing', { orderNumber: '1042' }));
    expect(placed.map(textOf).join('\n')).toContain(
      '✅ Pedido *1042* hecho: 18,00 €. Te avisaremos por aquí cuando avance. Elige *Seguir mi pedido* para verlo.',
    );
  });

  it('when a quantity is refused and a line changed at checkout, then the hint and the change are Spanish', () => {
    const chat = conversation('es');
    chat.send(text('1'));
    chat.send(done('loading', CATALOG));
    chat.send(list('item:margherita', 'Margherita'));

    expect(textOf(only(chat.send(text('muchas'))))).toMatch(
      /^Envía solo un número, por ejemplo 2\.\n¿Cuántas/,
    );
    chat.send(text('1'));
    chat.send(button('cart:checkout', 'Finalizar pedido'));
    const repriced = {
      ...CATALOG,
      fulfilment: { pickup: true, delivery: false },
      items: CATALOG.items.map((item) => (item.id === 'margherita' ? { ...item, priceMinor: 950 } : item)),
    };
    chat.send(done('checkout.refreshing', repriced));
    const summary = only(chat.send(button('order.nonote', 'Sin nota')));

    expect(textOf(summary)).toMatch(
      /^Algo cambió desde que lo añadiste a tu carrito:\n• El precio de Margherita subió: ahora 9,50 € \(antes 9,00 €\)\.\n\*Tu pedido\*/,
    );
  });
});

describe('ordering in French and German', () => {
  it('when a French customer has an item delivered, then the address, note and summary are French', () => {
    const chat = conversation('fr');
    chat.send(text('1'));
    chat.send(done('loading', CATALOG));
    chat.send(list('item:coke', 'Coca-Cola'));
    chat.send(text('trois'));
    chat.send(text('commander'));
    expect(titlesOf(only(chat.send(done('checkout.refreshing', CATALOG))))).toEqual([
      'À emporter',
      'Livraison',
    ]);

    const address = only(chat.send(text('Livraison')));
    expect(textOf(address)).toBe(
      "Où devons-nous livrer ? Tapez l'adresse, ou partagez une position (📎 → Position).",
    );
    chat.send(text('12 rue de la Paix, Paris'));
    const summary = only(chat.send(text('pas de note')));

    expect(textOf(summary)).toBe(
      '*Votre commande*\n• 3 × Coca-Cola — 7,50 €\n*Total : 7,50 €*\n' +
        'Livraison : 12 rue de la Paix, Paris\nJe passe la commande ?',
    );
    expect(titlesOf(summary)).toEqual(['Confirmer', 'Modifier', 'Annuler']);
  });

  it('when a German customer cancels a cart and says yes, then the question and the answer are German', () => {
    const chat = conversation('de');
    chat.send(text('1'));
    chat.send(done('loading', CATALOG));
    chat.send(list('item:margherita', 'Margherita'));
    expect(titlesOf(only(chat.send(text('zwei'))))).toEqual([
      'Mehr hinzufügen',
      'Warenkorb ansehen',
      'Zur Kasse',
    ]);

    const question = only(chat.send({ type: 'command.cancel' }));
    expect(textOf(question)).toBe('Diese Bestellung abbrechen und Ihren Warenkorb leeren?');
    expect(titlesOf(question)).toEqual(['Ja, abbrechen', 'Nein, behalten']);

    const answer = chat.send(text('ja'));
    expect(answer.map(textOf).join('\n')).toContain(
      'Ihre Bestellung wurde abgebrochen und der Warenkorb geleert.',
    );
    expect(chat.snapshot.context.ordering.cart.lines).toEqual([]);
  });
});

describe('typed answers in the five languages', () => {
  it.each([
    ['pickup', 'pickup'],
    ['Pick up', 'pickup'],
    ['recoger', 'pickup'],
    ['Para llevar', 'pickup'],
    ['retirar', 'pickup'],
    ['Retirada', 'pickup'],
    ['à emporter', 'pickup'],
    ['emporter', 'pickup'],
    ['abholen', 'pickup'],
    ['Abholung!', 'pickup'],
    ['delivery', 'delivery'],
    ['a domicilio', 'delivery'],
    ['entrega', 'delivery'],
    ['livraison', 'delivery'],
    ['Lieferung', 'delivery'],
    ['liefern', 'delivery'],
    ['maybe later', undefined],
    ['recoger en la tienda mañana por la tarde si puede ser', undefined],
  ])('when the customer types %j at pickup or delivery, then it means %s', (typed, meant) => {
    expect(saidFulfilment(typed)).toBe(meant);
  });

  it.each(LANGUAGES)(
    'when the pickup or delivery button title in %s is typed, then it is understood',
    (language) => {
      expect(saidFulfilment(t(language, 'ordering:fulfilment.pickup.button'))).toBe('pickup');
      expect(saidFulfilment(t(language, 'ordering:fulfilment.delivery.button'))).toBe('delivery');
    },
  );

  it.each(LANGUAGES)(
    'when a cart button title in %s is typed, then it does what the button does',
    (language) => {
      expect(cartTextAction(t(language, 'ordering:cart.add.button'))).toBe('add');
      expect(cartTextAction(t(language, 'ordering:cart.view.button'))).toBe('view');
      expect(cartTextAction(t(language, 'ordering:cart.checkout.button'))).toBe('checkout');
      expect(cartTextAction(t(language, 'ordering:cart.clear.button'))).toBe('clear');
    },
  );

  it.each(LANGUAGES)('when the *No note* button title in %s is typed, then it means no note', (language) => {
    expect(NO_NOTE.test(t(language, 'ordering:note.none.button'))).toBe(true);
  });

  it.each(['sin nota', 'Sem observação', 'aucune', 'sans note', 'Keine Notiz', 'nichts'])(
    'when the customer types %j at the note, then it means no note',
    (typed) => {
      expect(NO_NOTE.test(typed)).toBe(true);
    },
  );
});
