import { defineMessages } from './define.js';

/**
 * Texts of the staff namespace (keys: `staff:<key>`): the answers to the in-chat staff commands
 * (src/staff/commands.ts), in the language of the business's locale. The commands themselves (`/ai on`,
 * `/orders`, `/resume`) are the same in every language.
 */
export const staffMessages = defineMessages({
  en: {
    'notice.newOrder': 'New order {{number}}: {{lines}}; {{total}}; {{fulfilment}}.',
    'notice.pickup': 'pickup',
    'notice.delivery': 'delivery',
    'notice.handoff':
      'A customer asked to talk to a person. Answer them in the portal: Inbox (this number cannot be used from the WhatsApp app). Then hand the chat back to the bot there.',
    'notice.customer': 'Customer: {{customer}}.',
    'notice.resume': 'When done, send: /resume {{customer}}',
    usage:
      'Staff commands:\n' +
      '/ai on: AI-written replies on\n' +
      '/ai off: AI-written replies off\n' +
      '/ai status: the AI settings\n' +
      "/orders: today's open orders\n" +
      "/resume <customer's WhatsApp number>: hand a chat back to the bot after a handoff",
    'ai.notConfigured': 'This business is not configured any more.',
    'ai.offNow':
      'AI replies are now off: customers get the standard replies, and no message goes to an AI provider.',
    'ai.alreadyOff': 'AI replies are already off.',
    'ai.onNow': 'AI replies are now on, from the next customer message.',
    'ai.alreadyOn': 'AI replies are already on.',
    'ai.noEndpoint':
      'No AI endpoint is configured on this installation yet, so customers still get the standard replies.',
    'ai.noBudget':
      'The daily token budget is 0, so customers still get the standard replies; ask for a budget.',
    'status.repliesOn': 'AI replies: on',
    'status.repliesOff': 'AI replies: off',
    'status.endpointConfigured': 'AI endpoint: configured',
    'status.endpointMissing': 'AI endpoint: not configured (standard replies only)',
    'status.budget': 'Daily token budget: {{tokens}} tokens',
    'status.namesYes': 'Customer names sent to the AI: yes',
    'status.namesNo': 'Customer names sent to the AI: no',
    'status.disclosure': 'Disclosure line: "{{line}}"',
    'status.disclosureNone': 'Disclosure line: none',
    'status.personaSet': 'Persona: set',
    'status.personaNone': 'Persona: none',
    'status.switchedByOperator': 'Last switched: {{at}} by the operator',
    'status.switchedByKey': 'Last switched: {{at}} by API key {{key}}',
    'status.switchedByStaff': 'Last switched: {{at}} by a staff number',
    'orders.none': 'No open orders today.',
    'orders.title': 'Open orders today ({{total}}):',
    'orders.line': '#{{number}} · {{status}} · {{amount}} · {{items}}',
    'orders.items_one': '{{count}} item',
    'orders.items_other': '{{count}} items',
    'orders.more': '…and {{more}} more',
    'orders.status.placed': 'placed',
    'orders.status.confirmed': 'confirmed',
    'orders.status.preparing': 'preparing',
    'orders.status.ready': 'ready',
    'orders.status.outForDelivery': 'out for delivery',
    'orders.status.completed': 'completed',
    'orders.status.cancelled': 'cancelled',
    'resume.usage': "Usage: /resume <customer's WhatsApp number or user id>",
    'resume.done': 'Done: that conversation is back with the bot.',
    'resume.none': 'There is no conversation with that customer.',
    'notice.erasureCancelled_one':
      'Order {{orders}} cancelled: the customer deleted their data before you started it. Please do not prepare it.',
    'notice.erasureCancelled_other':
      'Orders {{orders}} cancelled: the customer deleted their data before you started them. Please do not prepare them.',
    'notice.deliveryTo': 'delivery to {{address}}',
    'notice.deliveryLocation': 'delivery to a shared location: {{link}}',
    'notice.orderNote': 'Note: {{note}}',
    'notice.customerCancelled': 'Order {{number}} was cancelled by the customer. Please do not prepare it.',
    'notice.preOrder': 'Pre-order: placed while closed, to prepare when you open ({{day}} at {{time}}).',
  },
  es: {
    'notice.newOrder': 'Nuevo pedido {{number}}: {{lines}}; {{total}}; {{fulfilment}}.',
    'notice.pickup': 'para recoger',
    'notice.delivery': 'a domicilio',
    'notice.handoff':
      'Un cliente pidió hablar con una persona. Respóndele en el portal: Bandeja de entrada (este número no se puede usar desde la app de WhatsApp). Después devuelve allí la conversación al bot.',
    'notice.customer': 'Cliente: {{customer}}.',
    'notice.resume': 'Al terminar, envía: /resume {{customer}}',
    usage:
      'Comandos del equipo:\n' +
      '/ai on: respuestas redactadas por IA activadas\n' +
      '/ai off: respuestas redactadas por IA desactivadas\n' +
      '/ai status: la configuración de la IA\n' +
      '/orders: los pedidos abiertos de hoy\n' +
      '/resume <número de WhatsApp del cliente>: devolver un chat al bot después de atenderlo una persona',
    'ai.notConfigured': 'Este negocio ya no está configurado.',
    'ai.offNow':
      'Las respuestas con IA están desactivadas: los clientes reciben las respuestas estándar y ningún mensaje va a un proveedor de IA.',
    'ai.alreadyOff': 'Las respuestas con IA ya estaban desactivadas.',
    'ai.onNow': 'Las respuestas con IA están activadas a partir del próximo mensaje de un cliente.',
    'ai.alreadyOn': 'Las respuestas con IA ya estaban activadas.',
    'ai.noEndpoint':
      'Esta instalación todavía no tiene un servicio de IA configurado, así que los clientes siguen recibiendo las respuestas estándar.',
    'ai.noBudget':
      'El presupuesto diario de tokens es 0, así que los clientes siguen recibiendo las respuestas estándar; pide un presupuesto.',
    'status.repliesOn': 'Respuestas con IA: activadas',
    'status.repliesOff': 'Respuestas con IA: desactivadas',
    'status.endpointConfigured': 'Servicio de IA: configurado',
    'status.endpointMissing': 'Servicio de IA: sin configurar (solo respuestas estándar)',
    'status.budget': 'Presupuesto diario: {{tokens}} tokens',
    'status.namesYes': 'Nombres de clientes enviados a la IA: sí',
    'status.namesNo': 'Nombres de clientes enviados a la IA: no',
    'status.disclosure': 'Aviso de IA: "{{line}}"',
    'status.disclosureNone': 'Aviso de IA: ninguno',
    'status.personaSet': 'Personalidad: definida',
    'status.personaNone': 'Personalidad: ninguna',
    'status.switchedByOperator': 'Último cambio: {{at}} por el operador',
    'status.switchedByKey': 'Último cambio: {{at}} por la clave de API {{key}}',
    'status.switchedByStaff': 'Último cambio: {{at}} por un número del equipo',
    'orders.none': 'Hoy no hay pedidos abiertos.',
    'orders.title': 'Pedidos abiertos hoy ({{total}}):',
    'orders.line': '#{{number}} · {{status}} · {{amount}} · {{items}}',
    'orders.items_one': '{{count}} artículo',
    'orders.items_other': '{{count}} artículos',
    'orders.more': '…y {{more}} más',
    'orders.status.placed': 'recibido',
    'orders.status.confirmed': 'confirmado',
    'orders.status.preparing': 'en preparación',
    'orders.status.ready': 'listo',
    'orders.status.outForDelivery': 'en reparto',
    'orders.status.completed': 'completado',
    'orders.status.cancelled': 'cancelado',
    'resume.usage': 'Uso: /resume <número de WhatsApp o id de usuario del cliente>',
    'resume.done': 'Hecho: esa conversación vuelve a estar con el bot.',
    'resume.none': 'No hay ninguna conversación con ese cliente.',
    'notice.erasureCancelled_one':
      'Pedido {{orders}} cancelado: el cliente borró sus datos antes de que empezarais a prepararlo. Por favor, no lo preparéis.',
    'notice.erasureCancelled_other':
      'Pedidos {{orders}} cancelados: el cliente borró sus datos antes de que empezarais a prepararlos. Por favor, no los preparéis.',
    'notice.deliveryTo': 'a domicilio: {{address}}',
    'notice.deliveryLocation': 'a domicilio, ubicación compartida: {{link}}',
    'notice.orderNote': 'Nota: {{note}}',
    'notice.customerCancelled': 'El cliente canceló el pedido {{number}}. Por favor, no lo prepares.',
    'notice.preOrder':
      'Pedido anticipado: hecho con el local cerrado, para preparar al abrir ({{day}} a las {{time}}).',
  },
  pt: {
    'notice.newOrder': 'Novo pedido {{number}}: {{lines}}; {{total}}; {{fulfilment}}.',
    'notice.pickup': 'retirada',
    'notice.delivery': 'entrega',
    'notice.handoff':
      'Um cliente pediu para falar com uma pessoa. Responda pelo portal: Caixa de entrada (este número não pode ser usado pelo app do WhatsApp). Depois devolva a conversa ao bot por lá.',
    'notice.customer': 'Cliente: {{customer}}.',
    'notice.resume': 'Ao terminar, envie: /resume {{customer}}',
    usage:
      'Comandos da equipe:\n' +
      '/ai on: respostas escritas por IA ligadas\n' +
      '/ai off: respostas escritas por IA desligadas\n' +
      '/ai status: as configurações de IA\n' +
      '/orders: os pedidos em aberto de hoje\n' +
      '/resume <número de WhatsApp do cliente>: devolver uma conversa ao bot depois do atendimento humano',
    'ai.notConfigured': 'Esta loja não está mais configurada.',
    'ai.offNow':
      'As respostas com IA foram desligadas: os clientes recebem as respostas padrão, e nenhuma mensagem vai para um provedor de IA.',
    'ai.alreadyOff': 'As respostas com IA já estão desligadas.',
    'ai.onNow': 'As respostas com IA foram ligadas a partir da próxima mensagem de cliente.',
    'ai.alreadyOn': 'As respostas com IA já estão ligadas.',
    'ai.noEndpoint':
      'Esta instalação ainda não tem um serviço de IA configurado, então os clientes continuam recebendo as respostas padrão.',
    'ai.noBudget':
      'O orçamento diário de tokens é 0, então os clientes continuam recebendo as respostas padrão; peça um orçamento.',
    'status.repliesOn': 'Respostas com IA: ligadas',
    'status.repliesOff': 'Respostas com IA: desligadas',
    'status.endpointConfigured': 'Serviço de IA: configurado',
    'status.endpointMissing': 'Serviço de IA: não configurado (só respostas padrão)',
    'status.budget': 'Orçamento diário: {{tokens}} tokens',
    'status.namesYes': 'Nomes dos clientes enviados à IA: sim',
    'status.namesNo': 'Nomes dos clientes enviados à IA: não',
    'status.disclosure': 'Aviso de IA: "{{line}}"',
    'status.disclosureNone': 'Aviso de IA: nenhum',
    'status.personaSet': 'Persona: definida',
    'status.personaNone': 'Persona: nenhuma',
    'status.switchedByOperator': 'Última mudança: {{at}} pelo operador',
    'status.switchedByKey': 'Última mudança: {{at}} pela chave de API {{key}}',
    'status.switchedByStaff': 'Última mudança: {{at}} por um número da equipe',
    'orders.none': 'Nenhum pedido em aberto hoje.',
    'orders.title': 'Pedidos em aberto hoje ({{total}}):',
    'orders.line': '#{{number}} · {{status}} · {{amount}} · {{items}}',
    'orders.items_one': '{{count}} item',
    'orders.items_other': '{{count}} itens',
    'orders.more': '…e mais {{more}}',
    'orders.status.placed': 'recebido',
    'orders.status.confirmed': 'confirmado',
    'orders.status.preparing': 'em preparo',
    'orders.status.ready': 'pronto',
    'orders.status.outForDelivery': 'saiu para entrega',
    'orders.status.completed': 'concluído',
    'orders.status.cancelled': 'cancelado',
    'resume.usage': 'Uso: /resume <número de WhatsApp ou id de usuário do cliente>',
    'resume.done': 'Pronto: essa conversa voltou para o bot.',
    'resume.none': 'Não há nenhuma conversa com esse cliente.',
    'notice.erasureCancelled_one':
      'Pedido {{orders}} cancelado: o cliente apagou os dados dele antes de vocês começarem. Por favor, não preparem.',
    'notice.erasureCancelled_other':
      'Pedidos {{orders}} cancelados: o cliente apagou os dados dele antes de vocês começarem. Por favor, não preparem.',
    'notice.deliveryTo': 'entrega em {{address}}',
    'notice.deliveryLocation': 'entrega numa localização partilhada: {{link}}',
    'notice.orderNote': 'Nota: {{note}}',
    'notice.customerCancelled': 'O cliente cancelou o pedido {{number}}. Por favor, não o prepare.',
    'notice.preOrder':
      'Pedido antecipado: feito com a loja fechada, para preparar ao abrir ({{day}} às {{time}}).',
  },
  fr: {
    'notice.newOrder': 'Nouvelle commande {{number}} : {{lines}} ; {{total}} ; {{fulfilment}}.',
    'notice.pickup': 'à emporter',
    'notice.delivery': 'livraison',
    'notice.handoff':
      'Un client a demandé à parler à une personne. Répondez-lui dans le portail : Boîte de réception (ce numéro ne peut pas être utilisé depuis l’app WhatsApp). Rendez-y ensuite la conversation au bot.',
    'notice.customer': 'Client : {{customer}}.',
    'notice.resume': 'Une fois terminé, envoyez : /resume {{customer}}',
    usage:
      "Commandes de l'équipe :\n" +
      '/ai on : réponses rédigées par IA activées\n' +
      '/ai off : réponses rédigées par IA désactivées\n' +
      "/ai status : les réglages de l'IA\n" +
      "/orders : les commandes en cours aujourd'hui\n" +
      '/resume <numéro WhatsApp du client> : rendre une discussion au bot après un passage à une personne',
    'ai.notConfigured': "Cet établissement n'est plus configuré.",
    'ai.offNow':
      "Les réponses par IA sont désactivées : les clients reçoivent les réponses standard, et aucun message ne part vers un fournisseur d'IA.",
    'ai.alreadyOff': 'Les réponses par IA sont déjà désactivées.',
    'ai.onNow': "Les réponses par IA sont activées dès le prochain message d'un client.",
    'ai.alreadyOn': 'Les réponses par IA sont déjà activées.',
    'ai.noEndpoint':
      "Aucun service d'IA n'est encore configuré sur cette installation : les clients reçoivent toujours les réponses standard.",
    'ai.noBudget':
      'Le budget quotidien de tokens est de 0 : les clients reçoivent toujours les réponses standard ; demandez un budget.',
    'status.repliesOn': 'Réponses par IA : activées',
    'status.repliesOff': 'Réponses par IA : désactivées',
    'status.endpointConfigured': "Service d'IA : configuré",
    'status.endpointMissing': "Service d'IA : non configuré (réponses standard uniquement)",
    'status.budget': 'Budget quotidien : {{tokens}} tokens',
    'status.namesYes': "Noms des clients envoyés à l'IA : oui",
    'status.namesNo': "Noms des clients envoyés à l'IA : non",
    'status.disclosure': "Mention d'IA : « {{line}} »",
    'status.disclosureNone': "Mention d'IA : aucune",
    'status.personaSet': 'Persona : définie',
    'status.personaNone': 'Persona : aucune',
    'status.switchedByOperator': "Dernier changement : {{at}} par l'opérateur",
    'status.switchedByKey': "Dernier changement : {{at}} par la clé d'API {{key}}",
    'status.switchedByStaff': "Dernier changement : {{at}} par un numéro de l'équipe",
    'orders.none': "Aucune commande en cours aujourd'hui.",
    'orders.title': "Commandes en cours aujourd'hui ({{total}}) :",
    'orders.line': '#{{number}} · {{status}} · {{amount}} · {{items}}',
    'orders.items_one': '{{count}} article',
    'orders.items_other': '{{count}} articles',
    'orders.more': '…et {{more}} de plus',
    'orders.status.placed': 'reçue',
    'orders.status.confirmed': 'confirmée',
    'orders.status.preparing': 'en préparation',
    'orders.status.ready': 'prête',
    'orders.status.outForDelivery': 'en livraison',
    'orders.status.completed': 'terminée',
    'orders.status.cancelled': 'annulée',
    'resume.usage': "Utilisation : /resume <numéro WhatsApp ou identifiant d'utilisateur du client>",
    'resume.done': "C'est fait : cette conversation est de nouveau gérée par le bot.",
    'resume.none': "Il n'y a aucune conversation avec ce client.",
    'notice.erasureCancelled_one':
      'Commande {{orders}} annulée : le client a supprimé ses données avant que vous ne la commenciez. Merci de ne pas la préparer.',
    'notice.erasureCancelled_other':
      'Commandes {{orders}} annulées : le client a supprimé ses données avant que vous ne les commenciez. Merci de ne pas les préparer.',
    'notice.deliveryTo': 'livraison à {{address}}',
    'notice.deliveryLocation': 'livraison à une position partagée : {{link}}',
    'notice.orderNote': 'Note : {{note}}',
    'notice.customerCancelled': 'Le client a annulé la commande {{number}}. Merci de ne pas la préparer.',
    'notice.preOrder':
      'Précommande : passée pendant la fermeture, à préparer à l’ouverture ({{day}} à {{time}}).',
  },
  de: {
    'notice.newOrder': 'Neue Bestellung {{number}}: {{lines}}; {{total}}; {{fulfilment}}.',
    'notice.pickup': 'Abholung',
    'notice.delivery': 'Lieferung',
    'notice.handoff':
      'Ein Kunde möchte mit einem Menschen sprechen. Antworten Sie ihm im Portal unter Posteingang (diese Nummer lässt sich nicht in der WhatsApp-App nutzen). Geben Sie den Chat danach dort an den Bot zurück.',
    'notice.customer': 'Kunde: {{customer}}.',
    'notice.resume': 'Wenn Sie fertig sind, senden Sie: /resume {{customer}}',
    usage:
      'Befehle für das Team:\n' +
      '/ai on: KI-formulierte Antworten an\n' +
      '/ai off: KI-formulierte Antworten aus\n' +
      '/ai status: die KI-Einstellungen\n' +
      '/orders: die offenen Bestellungen von heute\n' +
      '/resume <WhatsApp-Nummer des Kunden>: einen Chat nach der Übergabe an eine Person dem Bot zurückgeben',
    'ai.notConfigured': 'Dieses Geschäft ist nicht mehr eingerichtet.',
    'ai.offNow':
      'KI-Antworten sind jetzt aus: Kunden bekommen die Standardantworten, und keine Nachricht geht an einen KI-Anbieter.',
    'ai.alreadyOff': 'KI-Antworten sind bereits aus.',
    'ai.onNow': 'KI-Antworten sind jetzt an, ab der nächsten Kundennachricht.',
    'ai.alreadyOn': 'KI-Antworten sind bereits an.',
    'ai.noEndpoint':
      'Auf dieser Installation ist noch kein KI-Dienst eingerichtet, Kunden bekommen also weiter die Standardantworten.',
    'ai.noBudget':
      'Das tägliche Token-Budget ist 0, Kunden bekommen also weiter die Standardantworten; fragen Sie nach einem Budget.',
    'status.repliesOn': 'KI-Antworten: an',
    'status.repliesOff': 'KI-Antworten: aus',
    'status.endpointConfigured': 'KI-Dienst: eingerichtet',
    'status.endpointMissing': 'KI-Dienst: nicht eingerichtet (nur Standardantworten)',
    'status.budget': 'Tägliches Token-Budget: {{tokens}} Tokens',
    'status.namesYes': 'Kundennamen an die KI gesendet: ja',
    'status.namesNo': 'Kundennamen an die KI gesendet: nein',
    'status.disclosure': 'KI-Hinweis: „{{line}}“',
    'status.disclosureNone': 'KI-Hinweis: keiner',
    'status.personaSet': 'Persona: festgelegt',
    'status.personaNone': 'Persona: keine',
    'status.switchedByOperator': 'Zuletzt umgeschaltet: {{at}} vom Betreiber',
    'status.switchedByKey': 'Zuletzt umgeschaltet: {{at}} mit API-Schlüssel {{key}}',
    'status.switchedByStaff': 'Zuletzt umgeschaltet: {{at}} von einer Team-Nummer',
    'orders.none': 'Heute keine offenen Bestellungen.',
    'orders.title': 'Offene Bestellungen heute ({{total}}):',
    'orders.line': '#{{number}} · {{status}} · {{amount}} · {{items}}',
    'orders.items_one': '{{count}} Artikel',
    'orders.items_other': '{{count}} Artikel',
    'orders.more': '…und {{more}} weitere',
    'orders.status.placed': 'eingegangen',
    'orders.status.confirmed': 'bestätigt',
    'orders.status.preparing': 'in Zubereitung',
    'orders.status.ready': 'fertig',
    'orders.status.outForDelivery': 'in Zustellung',
    'orders.status.completed': 'abgeschlossen',
    'orders.status.cancelled': 'storniert',
    'resume.usage': 'Verwendung: /resume <WhatsApp-Nummer oder Nutzer-ID des Kunden>',
    'resume.done': 'Erledigt: Dieses Gespräch liegt wieder beim Bot.',
    'resume.none': 'Mit diesem Kunden gibt es kein Gespräch.',
    'notice.erasureCancelled_one':
      'Bestellung {{orders}} storniert: Der Kunde hat seine Daten gelöscht, bevor Sie damit begonnen haben. Bitte nicht zubereiten.',
    'notice.erasureCancelled_other':
      'Bestellungen {{orders}} storniert: Der Kunde hat seine Daten gelöscht, bevor Sie damit begonnen haben. Bitte nicht zubereiten.',
    'notice.deliveryTo': 'Lieferung an {{address}}',
    'notice.deliveryLocation': 'Lieferung an einen geteilten Standort: {{link}}',
    'notice.orderNote': 'Notiz: {{note}}',
    'notice.customerCancelled': 'Der Kunde hat die Bestellung {{number}} storniert. Bitte nicht zubereiten.',
    'notice.preOrder':
      'Vorbestellung: außerhalb der Öffnungszeiten aufgegeben, zuzubereiten bei Öffnung ({{day}} um {{time}}).',
  },
});
