import { defineMessages } from './define.js';

/**
 * Texts of the tracking namespace (keys: `tracking:<key>`): "Track my order", the customer's recent orders
 * and cancelling one the business has not confirmed yet. `status` is an `orders:status.*` phrase, `person`
 * the menu's row for a person (`root:menu.human.row`); `menu.help` follows `root:help.intro`.
 */
export const trackingMessages = defineMessages({
  en: {
    'menu.row': 'Track my order',
    'menu.rowDescription': 'See the status of your orders',
    'menu.help': '*track* an order',
    'orders.none': "You haven't placed any orders here yet.",
    'orders.list': 'Your recent orders:\n{{lines}}',
    'orders.line': '• Order *{{number}}*: {{status}}, {{total}}, {{date}}',
    'orders.cancelHint': 'An order can be cancelled here until the business confirms it.',
    'orders.failed': 'Sorry, I could not look up your orders right now.',
    'cancel.button': 'Cancel order {{number}}',
    'menu.button': 'Main menu',
    'cancel.done': 'Order *{{number}}* is cancelled.',
    'cancel.refused':
      'Sorry, order *{{number}}* can no longer be cancelled here (the business may have confirmed it). Please choose *{{person}}*.',
  },
  es: {
    'menu.row': 'Seguir mi pedido',
    'menu.rowDescription': 'Mira cómo van tus pedidos',
    'menu.help': '*seguir* un pedido',
    'orders.none': 'Todavía no has hecho ningún pedido aquí.',
    'orders.list': 'Tus últimos pedidos:\n{{lines}}',
    'orders.line': '• Pedido *{{number}}*: {{status}}, {{total}}, {{date}}',
    'orders.cancelHint': 'Puedes cancelar un pedido aquí mientras el negocio no lo haya confirmado.',
    'orders.failed': 'Lo siento, ahora mismo no puedo consultar tus pedidos.',
    'cancel.button': 'Cancelar n.º {{number}}',
    'menu.button': 'Menú principal',
    'cancel.done': 'El pedido *{{number}}* está cancelado.',
    'cancel.refused':
      'Lo siento, el pedido *{{number}}* ya no se puede cancelar aquí (puede que el negocio ya lo haya confirmado). Elige *{{person}}*.',
  },
  pt: {
    'menu.row': 'Acompanhar pedido',
    'menu.rowDescription': 'Veja o status dos seus pedidos',
    'menu.help': '*acompanhar* um pedido',
    'orders.none': 'Você ainda não fez nenhum pedido aqui.',
    'orders.list': 'Seus pedidos recentes:\n{{lines}}',
    'orders.line': '• Pedido *{{number}}*: {{status}}, {{total}}, {{date}}',
    'orders.cancelHint': 'Você pode cancelar um pedido aqui até a loja confirmá-lo.',
    'orders.failed': 'Desculpe, não consegui consultar seus pedidos agora.',
    'cancel.button': 'Cancelar nº {{number}}',
    'menu.button': 'Menu principal',
    'cancel.done': 'O pedido *{{number}}* foi cancelado.',
    'cancel.refused':
      'Desculpe, o pedido *{{number}}* não pode mais ser cancelado aqui (a loja pode já ter confirmado). Escolha *{{person}}*.',
  },
  fr: {
    'menu.row': 'Suivre ma commande',
    'menu.rowDescription': 'Voir où en sont vos commandes',
    'menu.help': '*suivre* une commande',
    'orders.none': "Vous n'avez encore passé aucune commande ici.",
    'orders.list': 'Vos dernières commandes :\n{{lines}}',
    'orders.line': '• Commande *{{number}}* : {{status}}, {{total}}, {{date}}',
    'orders.cancelHint':
      "Vous pouvez annuler une commande ici tant que l'établissement ne l'a pas confirmée.",
    'orders.failed': 'Désolé, je ne peux pas consulter vos commandes pour le moment.',
    'cancel.button': 'Annuler n° {{number}}',
    'menu.button': 'Menu principal',
    'cancel.done': 'La commande *{{number}}* est annulée.',
    'cancel.refused':
      "Désolé, la commande *{{number}}* ne peut plus être annulée ici (l'établissement l'a peut-être déjà confirmée). Choisissez *{{person}}*.",
  },
  de: {
    'menu.row': 'Bestellung verfolgen',
    'menu.rowDescription': 'Sehen Sie, wie es um Ihre Bestellungen steht',
    'menu.help': 'eine Bestellung zu *verfolgen*',
    'orders.none': 'Sie haben hier noch nichts bestellt.',
    'orders.list': 'Ihre letzten Bestellungen:\n{{lines}}',
    'orders.line': '• Bestellung *{{number}}*: {{status}}, {{total}}, {{date}}',
    'orders.cancelHint':
      'Sie können eine Bestellung hier stornieren, solange das Geschäft sie nicht bestätigt hat.',
    'orders.failed': 'Leider kann ich Ihre Bestellungen gerade nicht abrufen.',
    'cancel.button': 'Nr. {{number}} stornieren',
    'menu.button': 'Hauptmenü',
    'cancel.done': 'Die Bestellung *{{number}}* ist storniert.',
    'cancel.refused':
      'Die Bestellung *{{number}}* kann hier leider nicht mehr storniert werden (das Geschäft hat sie vielleicht schon bestätigt). Bitte wählen Sie *{{person}}*.',
  },
});
