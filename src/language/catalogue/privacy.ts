import { defineMessages } from './define.js';

/**
 * Texts of the privacy namespace (keys: `privacy:<key>`): the "My data & privacy" menu, seeing one's data
 * (the summary and the file's caption), correcting it, deleting it (the offer, the open orders, the receipt)
 * and stopping or resuming messages. Commands the texts tell a customer to type are the words
 * src/language/privacy-intents.ts and intents.ts recognise in that language.
 */
export const privacyMessages = defineMessages({
  en: {
    'menu.row': 'My data & privacy',
    'menu.rowDescription': 'See, correct or delete your data',
    'menu.help': 'see or delete *your data*',
    'menu.body':
      'Your data with us: you can see everything we hold about you (with a copy as a file), correct it, delete it, or stop messages you did not ask for. What would you like to do?',
    'menu.button': 'My data',
    'menu.section.row': 'My data & privacy',
    'menu.access.row': 'See my data',
    'menu.access.rowDescription': 'A summary here, and a copy as a file',
    'menu.correct.row': 'Correct my data',
    'menu.correct.rowDescription': 'Your name or a saved address',
    'menu.erase.row': 'Delete my data',
    'menu.erase.rowDescription': 'What is deleted and kept is explained first',
    'menu.stop.row': 'Stop messages',
    'menu.stop.rowDescription': 'No updates unless you write first',
    'menu.start.row': 'Resume messages',
    'menu.start.rowDescription': 'Get order updates again',

    'access.ack': 'Got it: you asked to see your data. Putting it together now…',
    'access.failed':
      'Sorry, I could not put your data together right now. Your request is recorded; please ask again in a few minutes.',
    'access.caption': 'Your data with {{business}} ({{code}})',
    'summary.title': '*Your data with {{business}}* (request {{code}})',
    'summary.profile': '*Profile*',
    'summary.number': '• WhatsApp number: {{number}}',
    'summary.notStored': '• WhatsApp number: (not stored)',
    'summary.name': '• Name: {{name}}',
    'summary.nameFromProfile': '• Name: {{name}} (from your WhatsApp profile)',
    'summary.noName': '• Name: (none)',
    'summary.addresses': '• Saved addresses: {{addresses}}',
    'summary.noAddresses': '• Saved addresses: none',
    'summary.location': 'shared location ({{latitude}}, {{longitude}})',
    'summary.messagesOn': '• Messages you did not ask for: order updates on',
    'summary.messagesStopped': '• Messages you did not ask for: stopped (you sent *stop*)',
    'summary.aiNever': '• AI-written replies: never for you (you said *no AI*)',
    'summary.aiOn_one':
      '• AI-written replies: on at this business ({{count}} AI call(s) about your messages; type *no AI* to refuse)',
    'summary.aiOn_other':
      '• AI-written replies: on at this business ({{count}} AI call(s) about your messages; type *no AI* to refuse)',
    'summary.aiOff': '• AI-written replies: off at this business',
    'summary.orders': '*Orders* ({{total}})',
    'summary.order_one': '• {{number}}, {{date}}, {{status}}, {{count}} item(s){{details}}',
    'summary.order_other': '• {{number}}, {{date}}, {{status}}, {{count}} item(s){{details}}',
    'summary.withAddress': ', with delivery address',
    'summary.withNote': ', with a note',
    'summary.moreOrders': '• …and {{total}} more in the file',
    'summary.conversation': '*Conversation*',
    'summary.inProgress': '• In progress ({{place}})',
    'summary.inProgressCart_one': '• In progress ({{place}}), cart with {{count}} item(s)',
    'summary.inProgressCart_other': '• In progress ({{place}}), cart with {{count}} item(s)',
    'summary.noConversation': '• None in progress',
    'summary.records':
      '• Records of messages: {{received}} received, {{sent}} sent, {{statuses}} delivery updates (times only; the texts are deleted once handled)',
    'summary.requests': '*Privacy requests* ({{total}})',
    'summary.request': '• {{date}} {{type}}: {{status}} ({{code}})',
    'summary.why': '*Why and how long*',
    'summary.recipients': '*Who receives it*',
    'summary.rights':
      '*Your rights*\n• Correct your name or addresses: type *correct my data*.\n• Delete your data: type *delete my data*.\n• Stop messages you did not ask for: type *stop*.\n• Complain to your data protection authority if you think we got it wrong.',
    'summary.file':
      'Two files follow: a copy to read (PDF), and the complete copy made for computers to read (JSON), which you can keep or give to another service.',
    'place.menu': 'at the menu',
    'place.ordering': 'placing an order',
    'place.tracking': 'looking at your orders',
    'place.privacy': 'about your data',
    'place.handoff': 'with a person from the team',
    'why.suppressions':
      '• Your choice to stop messages: so we respect *stop*. Kept until you send *start*; after a deletion, a note without your number stops scheduled messages for {{period}}.',
    'why.conversations':
      '• Where our chat stopped, and your cart: to carry on where you left off. Kept: idle conversations {{idle}}; carts {{cart}}.',
    'why.inbox':
      '• Records of the messages you send (their text only until answered): to answer each message once and in order. Kept: {{period}}.',
    'why.outbox':
      '• Our replies and whether they arrived (their text only until sent): to send each reply once, in time. Kept: {{period}}.',
    'why.customers':
      '• Your profile (WhatsApp number, name, saved addresses): to reply to you, know you, and offer your saved addresses. Kept: {{period}} after your last message.',
    'why.customerIds':
      '• A coded form of your number (never the number itself): to know you are the same person. Kept: {{period}} and a day after your last message.',
    'why.orders':
      '• Your orders: to prepare and deliver them, and for the business’s accounting. Kept: {{period}} (accounting law); the delivery address and note {{contact}} after the order is finished.',
    'why.aiCalls':
      '• When the AI was used for your messages (time and purpose, never your words): to show the business what it was used for and keep within its budget. Kept: {{period}}.',
    'why.privacyRequests':
      '• Your privacy requests, like this one (no personal data): to show each was answered in time. Kept: {{period}}.',
    'recipient.controller': '• {{business}}, who decides how your data is used (the controller)',
    'recipient.meta':
      '• WhatsApp / Meta Platforms, which carries the messages (Meta keeps message content for up to 30 days)',
    'recipient.hosting':
      '• The hosting provider running this service and its database, on the business’s behalf',
    'recipient.ai':
      '• The AI provider this business enabled, which phrases some replies (never your phone number or address)',
    'recipient.noAi': '• No AI provider: AI replies are off for this business',
    'requestType.access': 'see my data',
    'requestType.correction': 'correct my data',
    'requestType.erasure': 'delete my data',
    'requestType.optOut': 'stop messages',
    'requestType.optIn': 'resume messages',
    'requestStatus.received': 'received',
    'requestStatus.awaitingConfirmation': 'waiting for your confirmation',
    'requestStatus.inProgress': 'in progress',
    'requestStatus.completed': 'done',
    'requestStatus.failed': 'not finished yet, the team is on it',
    'requestStatus.cancelled': 'cancelled',
    'orderStatus.placed': 'placed',
    'orderStatus.notStarted': 'not started yet',
    'orderStatus.confirmed': 'confirmed',
    'orderStatus.preparing': 'being prepared',
    'orderStatus.ready': 'ready',
    'orderStatus.outForDelivery': 'on its way',
    'orderStatus.completed': 'completed',
    'orderStatus.cancelled': 'cancelled',
    'duration.days_one': '{{count}} day',
    'duration.days_other': '{{count}} days',
    'duration.years_one': '{{count}} year',
    'duration.years_other': '{{count}} years',
    'duration.hours_one': '{{count}} hour',
    'duration.hours_other': '{{count}} hours',

    'erase.failed':
      'Sorry, something went wrong on our side. Your request is recorded; please ask again in a few minutes.',
    'erase.inProgress':
      'Your data is being deleted right now (request {{code}}). I will confirm here when it is done.',
    'erase.otherPerson':
      'I can only act on the data of the WhatsApp number writing here, never on someone else’s: they must ask from their own number.',
    'erase.offer.title': '*Delete your data with {{business}}?* (request {{code}})',
    'erase.offer.deleted':
      '*Deleted:* your profile (WhatsApp number, name, saved addresses), this conversation and any cart, the records of your messages and their delivery statuses, and your opt-out settings.',
    'erase.offer.keptOrders_one':
      '*Kept, anonymised:* your {{count}} order(s) — items, amounts, dates and order number only, with no name, phone, address or chat text — for {{period}}, because the business must keep accounting records.',
    'erase.offer.keptOrders_other':
      '*Kept, anonymised:* your {{count}} order(s) — items, amounts, dates and order number only, with no name, phone, address or chat text — for {{period}}, because the business must keep accounting records.',
    'erase.offer.noOrders': '*Kept:* nothing about orders (you have none).',
    'erase.offer.keptRequest':
      '*Kept:* a record of this request (code, dates and counts, no personal data) for 3 years, to show it was done.',
    'erase.offer.meta':
      'WhatsApp (Meta) keeps its own copy of messages for up to 30 days. This cannot be undone.',
    'erase.delete.button': 'Delete my data',
    'erase.keep.button': 'Keep my data',
    'erase.openOrders.title': '*Your open orders* ({{total}})',
    'erase.openOrders.cancel':
      '• Order {{number}} ({{status}}): it will be *cancelled*, and the business told.',
    'erase.openOrders.handover':
      '• Order {{number}} ({{status}}): it goes ahead. Only what the handover needs (address, note, your name and number) is kept until it is completed, then deleted too.',
    'erase.erasing': 'Deleting your data now. I will confirm here in a moment.',
    'erase.kept': 'OK, nothing was deleted. Your data stays as it is.',
    'erase.stale':
      'That button has expired or was already used, so nothing changed. Type *delete my data* to start again.',
    'erase.decideFailed': 'Sorry, something went wrong on our side. Please tap the button again.',
    'receipt.failed':
      'We deleted your data, but a final check found something left behind (request *{{code}}*).\nThe team has been alerted and will finish the deletion; you do not need to do anything.',
    'receipt.done': '✅ *Your data has been deleted.* Confirmation code: *{{code}}*',
    'receipt.deleted_one':
      'Deleted: {{count}} record(s) — profile, saved addresses, conversation, message and delivery records.',
    'receipt.deleted_other':
      'Deleted: {{count}} record(s) — profile, saved addresses, conversation, message and delivery records.',
    'receipt.keptOrdersUntil_one':
      'Kept, anonymised: {{count}} order(s) (items, amounts, dates, order number; no name, phone, address or chat) until {{date}}, for the business’s accounting.',
    'receipt.keptOrdersUntil_other':
      'Kept, anonymised: {{count}} order(s) (items, amounts, dates, order number; no name, phone, address or chat) until {{date}}, for the business’s accounting.',
    'receipt.keptOrders_one':
      'Kept, anonymised: {{count}} order(s) (items, amounts, dates, order number; no name, phone, address or chat), for the business’s accounting.',
    'receipt.keptOrders_other':
      'Kept, anonymised: {{count}} order(s) (items, amounts, dates, order number; no name, phone, address or chat), for the business’s accounting.',
    'receipt.noOrders': 'No orders were kept.',
    'receipt.cancelled_one':
      'Cancelled: order(s) {{orders}}, which the business had not started; the business has been told.',
    'receipt.cancelled_other':
      'Cancelled: order(s) {{orders}}, which the business had not started; the business has been told.',
    'receipt.handover_one':
      'Still on its way: order(s) {{orders}}. Only what the handover needs (the delivery address and note, your name and number, sealed) is kept until it is completed or cancelled, then deleted too.',
    'receipt.handover_other':
      'Still on its way: order(s) {{orders}}. Only what the handover needs (the delivery address and note, your name and number, sealed) is kept until it is completed or cancelled, then deleted too.',
    'receipt.keptRequest':
      'Kept: the record of this request (code, dates, counts; no personal data) for 3 years.',
    'receipt.fresh': 'If you write to us again, we start from scratch.',

    'optOut.done':
      "Done: you won't get order updates or other messages from us unless you write first. We still answer when you write. Type *start* to get updates again.",
    'optOut.failed': 'Sorry, please send *stop* again in a moment.',
    'optIn.done': "Welcome back: you'll get order updates here again.",
    'optIn.failed': 'Sorry, please send *start* again in a moment.',

    'correct.which': 'What would you like to correct?',
    'correct.which.name.button': 'My name',
    'correct.which.address.button': 'A saved address',
    'correct.which.phone.button': 'My phone number',
    'correct.phone':
      'Your phone number cannot be changed here: it is how WhatsApp tells us this chat is yours, so nobody can move your data to another number by typing it. To use another number, just write to us from it. You can also have this number’s data deleted: type *delete my data*.',
    'correct.hint':
      'Please answer the question above by typing, or type *cancel* to leave your details as they are.',
    'correct.unchanged': 'OK, nothing was changed.',
    'correct.noAddresses':
      'You have no saved addresses with us. An address is saved when you order for delivery.',
    'correct.loadFailed': 'Sorry, I could not load your details right now.',
    'correct.name.known':
      'The name we have for you is *{{name}}*. Type your name as you would like us to use it, or *cancel*.',
    'correct.name.none':
      'We have no name for you. Type your name as you would like us to use it, or *cancel*.',
    'correct.pickAddress': 'Which saved address do you want to correct or remove?',
    'correct.pickAddress.button': 'Addresses',
    'correct.address.row': 'Address {{number}}',
    'correct.addressPrompt':
      'Type the corrected address, or *remove* to delete it from your saved addresses (or *cancel*).',
    'correct.confirm.name': '*Your name*\nBefore: {{before}}\nAfter: {{after}}\nSave this change?',
    'correct.confirm.address':
      '*Your saved address*\nBefore: {{before}}\nAfter: {{after}}\nSave this change?',
    'correct.none': '(none)',
    'correct.removed': '(removed)',
    'correct.save.button': 'Save',
    'correct.cancel.button': 'Cancel',
    'correct.saved': 'Saved. Thank you for keeping your details correct.',
    'correct.saveFailed': 'Sorry, the change could not be saved. Please try again later.',

    'document.caption': 'Your data with {{business}}, as a document to read ({{code}})',
    'document.title': 'Your data with {{business}}',
    'document.subtitle': 'Request {{code}} · {{date}}',
    'document.intro': 'Everything {{business}} holds about you on this date, in plain words.',
    'document.profile': 'Your profile',
    'document.firstContact': '• First message: {{date}}',
    'document.lastMessage': '• Last message: {{date}}',
    'document.addresses': '• Saved addresses:',
    'document.preferences': 'Your preferences',
    'document.orders': 'Your orders ({{total}})',
    'document.noOrders': 'No orders.',
    'document.order': 'Order {{number}} · {{date}} · {{status}}',
    'document.item': '{{quantity}} × {{name}}, {{price}} each: {{total}}',
    'document.total': 'Total: {{total}}',
    'document.pickup': 'Pickup',
    'document.delivery': 'Delivery to: {{address}}',
    'document.deliveryNoAddress': 'Delivery',
    'document.note': 'Note: {{note}}',
    'document.keptUntil': 'Kept until {{date}}, for the business’s accounting',
    'document.conversation': 'Our conversation',
    'document.messages': 'Messages',
    'document.requests': 'Your privacy requests',
    'document.why': 'Why we keep it and for how long',
    'document.recipients': 'Who receives it',
    'document.closing':
      'The JSON file sent with this document is the complete copy of the same data, made for computers to read: you can keep it, or give it to another service.',
    'document.page': 'Page {{page}} of {{pages}}',
    'processing.suppressions.holds':
      'Your choice to stop messages and, after a deletion, a note without your number that stops scheduled messages.',
    'processing.suppressions.purpose': 'To respect “stop” and send nothing scheduled after a deletion.',
    'processing.suppressions.retention': 'Until you send “start”; the note after a deletion, {{period}}.',
    'processing.conversations.holds': 'Where our chat stopped and your cart; no message history.',
    'processing.conversations.purpose': 'To carry on where you left off and keep your cart until you order.',
    'processing.conversations.retention': 'Idle conversations {{idle}}; carts {{cart}}.',
    'processing.inbox.holds':
      'Records of the messages you send: when, and whether they were answered; their text only until answered.',
    'processing.inbox.purpose': 'To answer each message once and in order.',
    'processing.inbox.retention': '{{period}} after each message.',
    'processing.outbox.holds':
      'Our replies, whether they arrived and your reactions to them; their text only until sent.',
    'processing.outbox.purpose': 'To send each reply once, in time, and know it arrived.',
    'processing.outbox.retention': '{{period}} after each reply.',
    'processing.customers.holds':
      'Your profile: WhatsApp number, name, saved addresses and the language we use with you.',
    'processing.customers.purpose': 'To reply to you, know you, and offer your saved addresses.',
    'processing.customers.retention': '{{period}} after your last message.',
    'processing.customerIds.holds':
      'A coded form of your number and WhatsApp user id, never the number itself.',
    'processing.customerIds.purpose': 'To know you are the same person, however WhatsApp identifies you.',
    'processing.customerIds.retention': '{{period}} and a day after your last message.',
    'processing.orders.holds':
      'Your orders: number, items, amounts, dates, status, the delivery address and note.',
    'processing.orders.purpose': 'To prepare and deliver your orders, and for the business’s accounting.',
    'processing.orders.retention':
      '{{period}} (accounting law); the delivery address and note {{contact}} after the order is finished.',
    'processing.aiCalls.holds':
      'When the AI was used for your messages: time, purpose and how much; never your words.',
    'processing.aiCalls.purpose': 'To show the business what the AI was used for and keep within its budget.',
    'processing.aiCalls.retention': '{{period}} after each use.',
    'processing.privacyRequests.holds':
      'Your privacy requests, like this one: type, dates, code and outcome; no personal data.',
    'processing.privacyRequests.purpose': 'To show that each request was answered in time.',
    'processing.privacyRequests.retention': '{{period}} after each request.',
    'why.handoffs':
      '• The messages you and the team exchanged after you asked for a person (sealed): so the team can read and answer them. Kept while the chat is open, then {{period}}.',
    'processing.handoffs.holds':
      'The messages you and the team exchanged after you asked for a person (sealed), with when the chat was opened, taken and ended.',
    'processing.handoffs.purpose': 'So a person from the team can read and answer you.',
    'processing.handoffs.retention': 'While the chat with a person is open, then {{period}}.',
    'document.handoffs': 'Your chats with a person ({{total}})',
    'document.noHandoffs': 'You have not asked to talk to a person.',
    'document.handoff_one': '{{date}} · {{status}} · {{count}} message',
    'document.handoff_other': '{{date}} · {{status}} · {{count}} messages',
    'document.handoffTexts': 'The messages themselves are in the JSON file.',
    'handoffStatus.waiting': 'waiting for a person',
    'handoffStatus.taken': 'a person is answering',
    'handoffStatus.returned': 'handed back to the assistant',
    'handoffStatus.closed': 'closed',
    'summary.noHistory': '• No message history is kept',
    'summary.handoffs_one':
      '• Chats with a person: {{count}}, kept with its messages until {{days}} days after the last one; no other message history is kept',
    'summary.handoffs_other':
      '• Chats with a person: {{count}}, kept with their messages until {{days}} days after the last one; no other message history is kept',
    'processing.appointments.holds':
      'Your appointments: number, service, who or where, times, status, price, and your answers to the questions before booking (sealed).',
    'processing.appointments.purpose':
      'To keep your appointments, remind you of them, and for the business’s records.',
    'processing.appointments.retention':
      '{{period}} after each appointment; your answers to the questions are removed if you ask to erase your data.',
    'why.appointments':
      '• Your appointments (and your answers to the questions before booking, sealed): to keep them, remind you, and for the business’s records. Kept: {{period}} after each appointment.',
  },
  es: {
    'menu.row': 'Mis datos',
    'menu.rowDescription': 'Ver, corregir o borrar tus datos',
    'menu.help': 'ver o borrar *tus datos*',
    'menu.body':
      'Tus datos con nosotros: puedes ver todo lo que guardamos sobre ti (con una copia en un archivo), corregirlo, borrarlo o dejar de recibir mensajes que no pediste. ¿Qué quieres hacer?',
    'menu.button': 'Mis datos',
    'menu.section.row': 'Mis datos y privacidad',
    'menu.access.row': 'Ver mis datos',
    'menu.access.rowDescription': 'Un resumen aquí y una copia en un archivo',
    'menu.correct.row': 'Corregir mis datos',
    'menu.correct.rowDescription': 'Tu nombre o una dirección guardada',
    'menu.erase.row': 'Borrar mis datos',
    'menu.erase.rowDescription': 'Antes te explicamos qué se borra y qué se guarda',
    'menu.stop.row': 'Parar mensajes',
    'menu.stop.rowDescription': 'Sin avisos, salvo que escribas tú primero',
    'menu.start.row': 'Reanudar mensajes',
    'menu.start.rowDescription': 'Volver a recibir avisos de tus pedidos',

    'access.ack': 'Entendido: pediste ver tus datos. Los estoy reuniendo…',
    'access.failed':
      'Lo siento, ahora no pude reunir tus datos. Tu solicitud quedó registrada; vuelve a pedirlo en unos minutos.',
    'access.caption': 'Tus datos en {{business}} ({{code}})',
    'summary.title': '*Tus datos en {{business}}* (solicitud {{code}})',
    'summary.profile': '*Perfil*',
    'summary.number': '• Número de WhatsApp: {{number}}',
    'summary.notStored': '• Número de WhatsApp: (no guardado)',
    'summary.name': '• Nombre: {{name}}',
    'summary.nameFromProfile': '• Nombre: {{name}} (de tu perfil de WhatsApp)',
    'summary.noName': '• Nombre: (ninguno)',
    'summary.addresses': '• Direcciones guardadas: {{addresses}}',
    'summary.noAddresses': '• Direcciones guardadas: ninguna',
    'summary.location': 'ubicación compartida ({{latitude}}, {{longitude}})',
    'summary.messagesOn': '• Mensajes que no pediste: avisos de pedidos activados',
    'summary.messagesStopped': '• Mensajes que no pediste: desactivados (enviaste *baja*)',
    'summary.aiNever': '• Respuestas escritas por IA: nunca para ti (dijiste *sin IA*)',
    'summary.aiOn_one':
      '• Respuestas escritas por IA: activadas en este negocio ({{count}} uso de la IA con tus mensajes; escribe *sin IA* para rechazarlas)',
    'summary.aiOn_other':
      '• Respuestas escritas por IA: activadas en este negocio ({{count}} usos de la IA con tus mensajes; escribe *sin IA* para rechazarlas)',
    'summary.aiOff': '• Respuestas escritas por IA: desactivadas en este negocio',
    'summary.orders': '*Pedidos* ({{total}})',
    'summary.order_one': '• {{number}}, {{date}}, {{status}}, {{count}} producto{{details}}',
    'summary.order_other': '• {{number}}, {{date}}, {{status}}, {{count}} productos{{details}}',
    'summary.withAddress': ', con dirección de entrega',
    'summary.withNote': ', con una nota',
    'summary.moreOrders': '• …y {{total}} más en el archivo',
    'summary.conversation': '*Conversación*',
    'summary.inProgress': '• En curso ({{place}})',
    'summary.inProgressCart_one': '• En curso ({{place}}), carrito con {{count}} producto',
    'summary.inProgressCart_other': '• En curso ({{place}}), carrito con {{count}} productos',
    'summary.noConversation': '• Ninguna en curso',
    'summary.records':
      '• Registros de mensajes: {{received}} recibidos, {{sent}} enviados, {{statuses}} avisos de entrega (solo horas; los textos se borran una vez atendidos)',
    'summary.requests': '*Solicitudes de privacidad* ({{total}})',
    'summary.request': '• {{date}} {{type}}: {{status}} ({{code}})',
    'summary.why': '*Para qué y cuánto tiempo*',
    'summary.recipients': '*Quién los recibe*',
    'summary.rights':
      '*Tus derechos*\n• Corregir tu nombre o tus direcciones: escribe *corregir mis datos*.\n• Borrar tus datos: escribe *borra mis datos*.\n• Dejar de recibir mensajes que no pediste: escribe *baja*.\n• Reclamar ante tu autoridad de protección de datos si crees que nos equivocamos.',
    'summary.file':
      'A continuación llegan dos archivos: una copia para leer (PDF) y la copia completa pensada para que la lea un ordenador (JSON), que puedes guardar o dar a otro servicio.',
    'place.menu': 'en el menú',
    'place.ordering': 'haciendo un pedido',
    'place.tracking': 'viendo tus pedidos',
    'place.privacy': 'sobre tus datos',
    'place.handoff': 'con una persona del equipo',
    'why.suppressions':
      '• Tu decisión de no recibir mensajes: para respetar tu *baja*. Se guarda hasta que envíes *alta*; tras un borrado, una nota sin tu número frena los mensajes programados durante {{period}}.',
    'why.conversations':
      '• Dónde quedó nuestra conversación y tu carrito: para seguir donde lo dejaste. Se guarda: conversaciones inactivas {{idle}}; carritos {{cart}}.',
    'why.inbox':
      '• Registros de los mensajes que envías (el texto solo hasta responderlos): para responder cada mensaje una vez y en orden. Se guarda: {{period}}.',
    'why.outbox':
      '• Nuestras respuestas y si llegaron (el texto solo hasta enviarlas): para enviar cada respuesta una vez y a tiempo. Se guarda: {{period}}.',
    'why.customers':
      '• Tu perfil (número de WhatsApp, nombre, direcciones guardadas): para responderte, reconocerte y ofrecerte tus direcciones guardadas. Se guarda: {{period}} desde tu último mensaje.',
    'why.customerIds':
      '• Una forma cifrada de tu número (nunca el número en sí): para saber que eres la misma persona. Se guarda: {{period}} y un día desde tu último mensaje.',
    'why.orders':
      '• Tus pedidos: para prepararlos y entregarlos, y para la contabilidad del negocio. Se guardan: {{period}} (ley contable); la dirección de entrega y la nota, {{contact}} después de terminar el pedido.',
    'why.aiCalls':
      '• Cuándo se usó la IA con tus mensajes (hora y motivo, nunca tus palabras): para mostrar al negocio para qué se usó y no pasar de su límite. Se guarda: {{period}}.',
    'why.privacyRequests':
      '• Tus solicitudes de privacidad, como esta (sin datos personales): para demostrar que cada una se atendió a tiempo. Se guardan: {{period}}.',
    'recipient.controller':
      '• {{business}}, que decide cómo se usan tus datos (el responsable del tratamiento)',
    'recipient.meta':
      '• WhatsApp / Meta Platforms, que transporta los mensajes (Meta guarda su contenido hasta 30 días)',
    'recipient.hosting':
      '• El proveedor de alojamiento que ejecuta este servicio y su base de datos, por encargo del negocio',
    'recipient.ai':
      '• El proveedor de IA que activó este negocio, que redacta algunas respuestas (nunca recibe tu número ni tu dirección)',
    'recipient.noAi': '• Ningún proveedor de IA: las respuestas con IA están desactivadas en este negocio',
    'requestType.access': 'ver mis datos',
    'requestType.correction': 'corregir mis datos',
    'requestType.erasure': 'borrar mis datos',
    'requestType.optOut': 'parar mensajes',
    'requestType.optIn': 'reanudar mensajes',
    'requestStatus.received': 'recibida',
    'requestStatus.awaitingConfirmation': 'esperando tu confirmación',
    'requestStatus.inProgress': 'en curso',
    'requestStatus.completed': 'hecha',
    'requestStatus.failed': 'aún sin terminar, el equipo se encarga',
    'requestStatus.cancelled': 'cancelada',
    'orderStatus.placed': 'realizado',
    'orderStatus.notStarted': 'aún sin empezar',
    'orderStatus.confirmed': 'confirmado',
    'orderStatus.preparing': 'en preparación',
    'orderStatus.ready': 'listo',
    'orderStatus.outForDelivery': 'en camino',
    'orderStatus.completed': 'completado',
    'orderStatus.cancelled': 'cancelado',
    'duration.days_one': '{{count}} día',
    'duration.days_other': '{{count}} días',
    'duration.years_one': '{{count}} año',
    'duration.years_other': '{{count}} años',
    'duration.hours_one': '{{count}} hora',
    'duration.hours_other': '{{count}} horas',

    'erase.failed':
      'Lo siento, algo falló de nuestro lado. Tu solicitud quedó registrada; vuelve a pedirlo en unos minutos.',
    'erase.inProgress':
      'Tus datos se están borrando ahora mismo (solicitud {{code}}). Te lo confirmo aquí cuando termine.',
    'erase.otherPerson':
      'Solo puedo actuar sobre los datos del número de WhatsApp que escribe aquí, nunca sobre los de otra persona: esa persona debe pedirlo desde su propio número.',
    'erase.offer.title': '*¿Borrar tus datos en {{business}}?* (solicitud {{code}})',
    'erase.offer.deleted':
      '*Se borra:* tu perfil (número de WhatsApp, nombre, direcciones guardadas), esta conversación y cualquier carrito, los registros de tus mensajes y de su entrega, y tu decisión de no recibir mensajes.',
    'erase.offer.keptOrders_one':
      '*Se guarda, anonimizado:* {{count}} pedido tuyo — solo productos, importes, fechas y número de pedido, sin nombre, teléfono, dirección ni texto del chat — durante {{period}}, porque el negocio debe llevar su contabilidad.',
    'erase.offer.keptOrders_other':
      '*Se guardan, anonimizados:* tus {{count}} pedidos — solo productos, importes, fechas y número de pedido, sin nombre, teléfono, dirección ni texto del chat — durante {{period}}, porque el negocio debe llevar su contabilidad.',
    'erase.offer.noOrders': '*Se guarda:* nada sobre pedidos (no tienes ninguno).',
    'erase.offer.keptRequest':
      '*Se guarda:* un registro de esta solicitud (código, fechas y cantidades, sin datos personales) durante 3 años, para demostrar que se hizo.',
    'erase.offer.meta':
      'WhatsApp (Meta) guarda su propia copia de los mensajes hasta 30 días. Esto no se puede deshacer.',
    'erase.delete.button': 'Borrar mis datos',
    'erase.keep.button': 'Conservar mis datos',
    'erase.openOrders.title': '*Tus pedidos en curso* ({{total}})',
    'erase.openOrders.cancel': '• Pedido {{number}} ({{status}}): se *cancelará* y se avisará al negocio.',
    'erase.openOrders.handover':
      '• Pedido {{number}} ({{status}}): sigue adelante. Solo se guarda lo necesario para la entrega (dirección, nota, tu nombre y número) hasta que se complete, y luego también se borra.',
    'erase.erasing': 'Borrando tus datos ahora. Te lo confirmo aquí en un momento.',
    'erase.kept': 'Vale, no se borró nada. Tus datos siguen como estaban.',
    'erase.stale':
      'Ese botón caducó o ya se usó, así que no cambió nada. Escribe *borra mis datos* para empezar de nuevo.',
    'erase.decideFailed': 'Lo siento, algo falló de nuestro lado. Toca el botón otra vez.',
    'receipt.failed':
      'Borramos tus datos, pero una última comprobación encontró algo pendiente (solicitud *{{code}}*).\nEl equipo ya está avisado y terminará el borrado; no tienes que hacer nada.',
    'receipt.done': '✅ *Tus datos se han borrado.* Código de confirmación: *{{code}}*',
    'receipt.deleted_one':
      'Borrado: {{count}} registro — perfil, direcciones guardadas, conversación, registros de mensajes y de entrega.',
    'receipt.deleted_other':
      'Borrados: {{count}} registros — perfil, direcciones guardadas, conversación, registros de mensajes y de entrega.',
    'receipt.keptOrdersUntil_one':
      'Se guarda, anonimizado: {{count}} pedido (productos, importes, fechas, número de pedido; sin nombre, teléfono, dirección ni chat) hasta el {{date}}, para la contabilidad del negocio.',
    'receipt.keptOrdersUntil_other':
      'Se guardan, anonimizados: {{count}} pedidos (productos, importes, fechas, número de pedido; sin nombre, teléfono, dirección ni chat) hasta el {{date}}, para la contabilidad del negocio.',
    'receipt.keptOrders_one':
      'Se guarda, anonimizado: {{count}} pedido (productos, importes, fechas, número de pedido; sin nombre, teléfono, dirección ni chat), para la contabilidad del negocio.',
    'receipt.keptOrders_other':
      'Se guardan, anonimizados: {{count}} pedidos (productos, importes, fechas, número de pedido; sin nombre, teléfono, dirección ni chat), para la contabilidad del negocio.',
    'receipt.noOrders': 'No se guardó ningún pedido.',
    'receipt.cancelled_one':
      'Cancelado: el pedido {{orders}}, que el negocio aún no había empezado; ya se avisó al negocio.',
    'receipt.cancelled_other':
      'Cancelados: los pedidos {{orders}}, que el negocio aún no había empezado; ya se avisó al negocio.',
    'receipt.handover_one':
      'Sigue en camino: el pedido {{orders}}. Solo se guarda lo necesario para la entrega (la dirección y la nota, tu nombre y número, cifrados) hasta que se complete o se cancele, y luego también se borra.',
    'receipt.handover_other':
      'Siguen en camino: los pedidos {{orders}}. Solo se guarda lo necesario para la entrega (la dirección y la nota, tu nombre y número, cifrados) hasta que se completen o se cancelen, y luego también se borra.',
    'receipt.keptRequest':
      'Se guarda: el registro de esta solicitud (código, fechas, cantidades; sin datos personales) durante 3 años.',
    'receipt.fresh': 'Si vuelves a escribirnos, empezamos de cero.',

    'optOut.done':
      'Hecho: no recibirás avisos de pedidos ni otros mensajes nuestros, salvo que escribas tú primero. Seguimos respondiendo cuando escribas. Escribe *alta* para volver a recibir avisos.',
    'optOut.failed': 'Lo siento, envía *baja* otra vez en un momento.',
    'optIn.done': '¡Qué bien tenerte de vuelta! Volverás a recibir aquí los avisos de tus pedidos.',
    'optIn.failed': 'Lo siento, envía *alta* otra vez en un momento.',

    'correct.which': '¿Qué quieres corregir?',
    'correct.which.name.button': 'Mi nombre',
    'correct.which.address.button': 'Una dirección',
    'correct.which.phone.button': 'Mi teléfono',
    'correct.phone':
      'Tu número de teléfono no se puede cambiar aquí: así es como WhatsApp nos dice que este chat es tuyo, para que nadie pueda pasar tus datos a otro número escribiéndolo. Para usar otro número, escríbenos desde él. También puedes hacer que borremos los datos de este número: escribe *borra mis datos*.',
    'correct.hint':
      'Responde a la pregunta de arriba escribiendo, o escribe *cancelar* para dejar tus datos como están.',
    'correct.unchanged': 'Vale, no se cambió nada.',
    'correct.noAddresses':
      'No tienes direcciones guardadas con nosotros. Una dirección se guarda cuando pides a domicilio.',
    'correct.loadFailed': 'Lo siento, ahora no pude cargar tus datos.',
    'correct.name.known':
      'El nombre que tenemos para ti es *{{name}}*. Escribe tu nombre como quieres que lo usemos, o *cancelar*.',
    'correct.name.none':
      'No tenemos ningún nombre para ti. Escribe tu nombre como quieres que lo usemos, o *cancelar*.',
    'correct.pickAddress': '¿Qué dirección guardada quieres corregir o quitar?',
    'correct.pickAddress.button': 'Direcciones',
    'correct.address.row': 'Dirección {{number}}',
    'correct.addressPrompt':
      'Escribe la dirección corregida, o *borrar* para quitarla de tus direcciones guardadas (o *cancelar*).',
    'correct.confirm.name': '*Tu nombre*\nAntes: {{before}}\nDespués: {{after}}\n¿Guardar este cambio?',
    'correct.confirm.address':
      '*Tu dirección guardada*\nAntes: {{before}}\nDespués: {{after}}\n¿Guardar este cambio?',
    'correct.none': '(vacío)',
    'correct.removed': '(quitada)',
    'correct.save.button': 'Guardar',
    'correct.cancel.button': 'Cancelar',
    'correct.saved': 'Guardado. Gracias por mantener tus datos al día.',
    'correct.saveFailed': 'Lo siento, no se pudo guardar el cambio. Inténtalo más tarde.',

    'document.caption': 'Tus datos en {{business}}, en un documento para leer ({{code}})',
    'document.title': 'Tus datos en {{business}}',
    'document.subtitle': 'Solicitud {{code}} · {{date}}',
    'document.intro': 'Todo lo que {{business}} guarda sobre ti en esta fecha, en palabras sencillas.',
    'document.profile': 'Tu perfil',
    'document.firstContact': '• Primer mensaje: {{date}}',
    'document.lastMessage': '• Último mensaje: {{date}}',
    'document.addresses': '• Direcciones guardadas:',
    'document.preferences': 'Tus preferencias',
    'document.orders': 'Tus pedidos ({{total}})',
    'document.noOrders': 'Ningún pedido.',
    'document.order': 'Pedido {{number}} · {{date}} · {{status}}',
    'document.item': '{{quantity}} × {{name}}, {{price}} cada uno: {{total}}',
    'document.total': 'Total: {{total}}',
    'document.pickup': 'Recogida en el local',
    'document.delivery': 'Entrega en: {{address}}',
    'document.deliveryNoAddress': 'Entrega a domicilio',
    'document.note': 'Nota: {{note}}',
    'document.keptUntil': 'Se guarda hasta el {{date}}, para la contabilidad del negocio',
    'document.conversation': 'Nuestra conversación',
    'document.messages': 'Mensajes',
    'document.requests': 'Tus solicitudes de privacidad',
    'document.why': 'Para qué los guardamos y cuánto tiempo',
    'document.recipients': 'Quién los recibe',
    'document.closing':
      'El archivo JSON que llega con este documento es la copia completa de los mismos datos, pensada para que la lea un ordenador: puedes guardarla o dársela a otro servicio.',
    'document.page': 'Página {{page}} de {{pages}}',
    'processing.suppressions.holds':
      'Tu decisión de no recibir mensajes y, tras un borrado, una nota sin tu número que frena los mensajes programados.',
    'processing.suppressions.purpose': 'Respetar tu “baja” y no enviar nada programado tras un borrado.',
    'processing.suppressions.retention': 'Hasta que envíes “alta”; la nota tras un borrado, {{period}}.',
    'processing.conversations.holds':
      'Dónde quedó nuestra conversación y tu carrito; sin historial de mensajes.',
    'processing.conversations.purpose': 'Seguir donde lo dejaste y guardar tu carrito hasta que pidas.',
    'processing.conversations.retention': 'Conversaciones inactivas: {{idle}}; carritos: {{cart}}.',
    'processing.inbox.holds':
      'Registros de los mensajes que envías: cuándo y si se respondieron; el texto solo hasta responderlos.',
    'processing.inbox.purpose': 'Responder cada mensaje una vez y en orden.',
    'processing.inbox.retention': '{{period}} desde cada mensaje.',
    'processing.outbox.holds':
      'Nuestras respuestas, si llegaron y tus reacciones a ellas; el texto solo hasta enviarlas.',
    'processing.outbox.purpose': 'Enviar cada respuesta una vez, a tiempo, y saber que llegó.',
    'processing.outbox.retention': '{{period}} desde cada respuesta.',
    'processing.customers.holds':
      'Tu perfil: número de WhatsApp, nombre, direcciones guardadas y el idioma en que te hablamos.',
    'processing.customers.purpose': 'Responderte, reconocerte y ofrecerte tus direcciones guardadas.',
    'processing.customers.retention': '{{period}} desde tu último mensaje.',
    'processing.customerIds.holds':
      'Una forma cifrada de tu número y de tu identificador de WhatsApp, nunca el número en sí.',
    'processing.customerIds.purpose':
      'Saber que eres la misma persona, aunque WhatsApp te identifique de otra forma.',
    'processing.customerIds.retention': '{{period}} y un día desde tu último mensaje.',
    'processing.orders.holds':
      'Tus pedidos: número, productos, importes, fechas, estado, la dirección de entrega y la nota.',
    'processing.orders.purpose': 'Preparar y entregar tus pedidos, y la contabilidad del negocio.',
    'processing.orders.retention':
      '{{period}} (ley contable); la dirección de entrega y la nota, {{contact}} después de terminar el pedido.',
    'processing.aiCalls.holds':
      'Cuándo se usó la IA con tus mensajes: hora, motivo y cuánto; nunca tus palabras.',
    'processing.aiCalls.purpose': 'Mostrar al negocio para qué se usó la IA y no pasar de su límite.',
    'processing.aiCalls.retention': '{{period}} desde cada uso.',
    'processing.privacyRequests.holds':
      'Tus solicitudes de privacidad, como esta: tipo, fechas, código y resultado; sin datos personales.',
    'processing.privacyRequests.purpose': 'Demostrar que cada solicitud se atendió a tiempo.',
    'processing.privacyRequests.retention': '{{period}} desde cada solicitud.',
    'why.handoffs':
      '• Los mensajes que tú y el equipo os enviasteis después de pedir hablar con una persona (cifrados): para que el equipo pueda leerlos y responder. Se guardan mientras la conversación está abierta y después {{period}}.',
    'processing.handoffs.holds':
      'Los mensajes que intercambiaste con el equipo después de pedir hablar con una persona (cifrados), y cuándo se abrió, atendió y cerró el chat.',
    'processing.handoffs.purpose': 'Para que una persona del equipo pueda leerte y responderte.',
    'processing.handoffs.retention': 'Mientras el chat con una persona siga abierto, y luego {{period}}.',
    'document.handoffs': 'Tus conversaciones con una persona ({{total}})',
    'document.noHandoffs': 'No has pedido hablar con una persona.',
    'document.handoff_one': '{{date}} · {{status}} · {{count}} mensaje',
    'document.handoff_other': '{{date}} · {{status}} · {{count}} mensajes',
    'document.handoffTexts': 'Los mensajes en sí están en el archivo JSON.',
    'handoffStatus.waiting': 'esperando a una persona',
    'handoffStatus.taken': 'una persona te está respondiendo',
    'handoffStatus.returned': 'de vuelta con el asistente',
    'handoffStatus.closed': 'cerrada',
    'summary.noHistory': '• No se guarda el historial de mensajes',
    'summary.handoffs_one':
      '• Conversaciones con una persona: {{count}}, guardada con sus mensajes hasta {{days}} días después del último; no se guarda otro historial de mensajes',
    'summary.handoffs_other':
      '• Conversaciones con una persona: {{count}}, guardadas con sus mensajes hasta {{days}} días después del último; no se guarda otro historial de mensajes',
    'processing.appointments.holds':
      'Tus citas: número, servicio, con quién o dónde, horas, estado, precio y tus respuestas a las preguntas antes de reservar (cifradas).',
    'processing.appointments.purpose': 'Mantener tus citas, recordártelas y para los registros del negocio.',
    'processing.appointments.retention':
      '{{period}} después de cada cita; tus respuestas a las preguntas se eliminan si pides borrar tus datos.',
    'why.appointments':
      '• Tus citas (y tus respuestas a las preguntas antes de reservar, cifradas): para mantenerlas, recordártelas y para los registros del negocio. Se guardan: {{period}} después de cada cita.',
  },
  pt: {
    'menu.row': 'Meus dados',
    'menu.rowDescription': 'Ver, corrigir ou apagar seus dados',
    'menu.help': 'ver ou apagar *seus dados*',
    'menu.body':
      'Seus dados conosco: você pode ver tudo o que guardamos sobre você (com uma cópia em arquivo), corrigir, apagar ou parar mensagens que você não pediu. O que você quer fazer?',
    'menu.button': 'Meus dados',
    'menu.section.row': 'Meus dados e privacidade',
    'menu.access.row': 'Ver meus dados',
    'menu.access.rowDescription': 'Um resumo aqui e uma cópia em arquivo',
    'menu.correct.row': 'Corrigir meus dados',
    'menu.correct.rowDescription': 'Seu nome ou um endereço salvo',
    'menu.erase.row': 'Apagar meus dados',
    'menu.erase.rowDescription': 'Antes explicamos o que é apagado e o que fica',
    'menu.stop.row': 'Parar mensagens',
    'menu.stop.rowDescription': 'Sem avisos, a menos que você escreva primeiro',
    'menu.start.row': 'Retomar mensagens',
    'menu.start.rowDescription': 'Receber avisos de pedidos de novo',

    'access.ack': 'Entendido: você pediu para ver seus dados. Estou reunindo tudo agora…',
    'access.failed':
      'Desculpe, não consegui reunir seus dados agora. Seu pedido foi registrado; peça de novo em alguns minutos.',
    'access.caption': 'Seus dados em {{business}} ({{code}})',
    'summary.title': '*Seus dados em {{business}}* (pedido {{code}})',
    'summary.profile': '*Perfil*',
    'summary.number': '• Número de WhatsApp: {{number}}',
    'summary.notStored': '• Número de WhatsApp: (não guardado)',
    'summary.name': '• Nome: {{name}}',
    'summary.nameFromProfile': '• Nome: {{name}} (do seu perfil do WhatsApp)',
    'summary.noName': '• Nome: (nenhum)',
    'summary.addresses': '• Endereços salvos: {{addresses}}',
    'summary.noAddresses': '• Endereços salvos: nenhum',
    'summary.location': 'localização compartilhada ({{latitude}}, {{longitude}})',
    'summary.messagesOn': '• Mensagens que você não pediu: avisos de pedidos ativados',
    'summary.messagesStopped': '• Mensagens que você não pediu: desativadas (você enviou *parar*)',
    'summary.aiNever': '• Respostas escritas por IA: nunca para você (você disse *sem IA*)',
    'summary.aiOn_one':
      '• Respostas escritas por IA: ativadas neste estabelecimento ({{count}} uso da IA com suas mensagens; escreva *sem IA* para recusar)',
    'summary.aiOn_other':
      '• Respostas escritas por IA: ativadas neste estabelecimento ({{count}} usos da IA com suas mensagens; escreva *sem IA* para recusar)',
    'summary.aiOff': '• Respostas escritas por IA: desativadas neste estabelecimento',
    'summary.orders': '*Pedidos* ({{total}})',
    'summary.order_one': '• {{number}}, {{date}}, {{status}}, {{count}} item{{details}}',
    'summary.order_other': '• {{number}}, {{date}}, {{status}}, {{count}} itens{{details}}',
    'summary.withAddress': ', com endereço de entrega',
    'summary.withNote': ', com uma observação',
    'summary.moreOrders': '• …e mais {{total}} no arquivo',
    'summary.conversation': '*Conversa*',
    'summary.inProgress': '• Em andamento ({{place}})',
    'summary.inProgressCart_one': '• Em andamento ({{place}}), carrinho com {{count}} item',
    'summary.inProgressCart_other': '• Em andamento ({{place}}), carrinho com {{count}} itens',
    'summary.noConversation': '• Nenhuma em andamento',
    'summary.records':
      '• Registros de mensagens: {{received}} recebidas, {{sent}} enviadas, {{statuses}} atualizações de entrega (só horários; os textos são apagados depois de tratados)',
    'summary.requests': '*Pedidos de privacidade* ({{total}})',
    'summary.request': '• {{date}} {{type}}: {{status}} ({{code}})',
    'summary.why': '*Para quê e por quanto tempo*',
    'summary.recipients': '*Quem recebe*',
    'summary.rights':
      '*Seus direitos*\n• Corrigir seu nome ou endereços: escreva *corrigir meus dados*.\n• Apagar seus dados: escreva *apague meus dados*.\n• Parar mensagens que você não pediu: escreva *parar*.\n• Reclamar à autoridade de proteção de dados se achar que erramos.',
    'summary.file':
      'A seguir vêm dois arquivos: uma cópia para ler (PDF) e a cópia completa feita para ser lida por computador (JSON), que você pode guardar ou passar para outro serviço.',
    'place.menu': 'no menu',
    'place.ordering': 'fazendo um pedido',
    'place.tracking': 'vendo seus pedidos',
    'place.privacy': 'sobre seus dados',
    'place.handoff': 'com uma pessoa da equipe',
    'why.suppressions':
      '• Sua escolha de parar mensagens: para respeitar seu *parar*. Fica guardada até você enviar *reativar*; depois de uma exclusão, uma nota sem seu número bloqueia mensagens agendadas por {{period}}.',
    'why.conversations':
      '• Onde nossa conversa parou e seu carrinho: para continuar de onde você parou. Fica guardado: conversas paradas {{idle}}; carrinhos {{cart}}.',
    'why.inbox':
      '• Registros das mensagens que você envia (o texto só até serem respondidas): para responder cada mensagem uma vez e em ordem. Fica guardado: {{period}}.',
    'why.outbox':
      '• Nossas respostas e se chegaram (o texto só até serem enviadas): para enviar cada resposta uma vez e a tempo. Fica guardado: {{period}}.',
    'why.customers':
      '• Seu perfil (número de WhatsApp, nome, endereços salvos): para responder, reconhecer você e oferecer seus endereços salvos. Fica guardado: {{period}} após sua última mensagem.',
    'why.customerIds':
      '• Uma forma codificada do seu número (nunca o número em si): para saber que você é a mesma pessoa. Fica guardado: {{period}} e um dia após sua última mensagem.',
    'why.orders':
      '• Seus pedidos: para preparar e entregar, e para a contabilidade do estabelecimento. Ficam guardados: {{period}} (lei contábil); o endereço de entrega e a observação, {{contact}} após o pedido ser concluído.',
    'why.aiCalls':
      '• Quando a IA foi usada com suas mensagens (horário e motivo, nunca suas palavras): para mostrar ao estabelecimento para que foi usada e respeitar o limite dele. Fica guardado: {{period}}.',
    'why.privacyRequests':
      '• Seus pedidos de privacidade, como este (sem dados pessoais): para mostrar que cada um foi atendido a tempo. Ficam guardados: {{period}}.',
    'recipient.controller': '• {{business}}, que decide como seus dados são usados (o controlador)',
    'recipient.meta':
      '• WhatsApp / Meta Platforms, que transporta as mensagens (a Meta guarda o conteúdo por até 30 dias)',
    'recipient.hosting':
      '• O provedor de hospedagem que roda este serviço e seu banco de dados, em nome do estabelecimento',
    'recipient.ai':
      '• O provedor de IA que este estabelecimento ativou, que redige algumas respostas (nunca recebe seu número nem endereço)',
    'recipient.noAi': '• Nenhum provedor de IA: as respostas com IA estão desativadas neste estabelecimento',
    'requestType.access': 'ver meus dados',
    'requestType.correction': 'corrigir meus dados',
    'requestType.erasure': 'apagar meus dados',
    'requestType.optOut': 'parar mensagens',
    'requestType.optIn': 'retomar mensagens',
    'requestStatus.received': 'recebido',
    'requestStatus.awaitingConfirmation': 'aguardando sua confirmação',
    'requestStatus.inProgress': 'em andamento',
    'requestStatus.completed': 'concluído',
    'requestStatus.failed': 'ainda não concluído, a equipe está cuidando',
    'requestStatus.cancelled': 'cancelado',
    'orderStatus.placed': 'feito',
    'orderStatus.notStarted': 'ainda não começou',
    'orderStatus.confirmed': 'confirmado',
    'orderStatus.preparing': 'em preparo',
    'orderStatus.ready': 'pronto',
    'orderStatus.outForDelivery': 'a caminho',
    'orderStatus.completed': 'concluído',
    'orderStatus.cancelled': 'cancelado',
    'duration.days_one': '{{count}} dia',
    'duration.days_other': '{{count}} dias',
    'duration.years_one': '{{count}} ano',
    'duration.years_other': '{{count}} anos',
    'duration.hours_one': '{{count}} hora',
    'duration.hours_other': '{{count}} horas',

    'erase.failed':
      'Desculpe, algo deu errado do nosso lado. Seu pedido foi registrado; peça de novo em alguns minutos.',
    'erase.inProgress':
      'Seus dados estão sendo apagados agora (pedido {{code}}). Confirmo aqui quando terminar.',
    'erase.otherPerson':
      'Só posso agir sobre os dados do número de WhatsApp que está escrevendo aqui, nunca sobre os de outra pessoa: ela precisa pedir do próprio número.',
    'erase.offer.title': '*Apagar seus dados em {{business}}?* (pedido {{code}})',
    'erase.offer.deleted':
      '*Apagado:* seu perfil (número de WhatsApp, nome, endereços salvos), esta conversa e qualquer carrinho, os registros das suas mensagens e da entrega delas, e sua escolha de não receber mensagens.',
    'erase.offer.keptOrders_one':
      '*Fica guardado, anonimizado:* {{count}} pedido seu — só itens, valores, datas e número do pedido, sem nome, telefone, endereço nem texto da conversa — por {{period}}, porque o estabelecimento precisa manter registros contábeis.',
    'erase.offer.keptOrders_other':
      '*Ficam guardados, anonimizados:* seus {{count}} pedidos — só itens, valores, datas e número do pedido, sem nome, telefone, endereço nem texto da conversa — por {{period}}, porque o estabelecimento precisa manter registros contábeis.',
    'erase.offer.noOrders': '*Fica guardado:* nada sobre pedidos (você não tem nenhum).',
    'erase.offer.keptRequest':
      '*Fica guardado:* um registro deste pedido (código, datas e contagens, sem dados pessoais) por 3 anos, para mostrar que foi feito.',
    'erase.offer.meta':
      'O WhatsApp (Meta) guarda sua própria cópia das mensagens por até 30 dias. Isso não pode ser desfeito.',
    'erase.delete.button': 'Apagar meus dados',
    'erase.keep.button': 'Manter meus dados',
    'erase.openOrders.title': '*Seus pedidos em aberto* ({{total}})',
    'erase.openOrders.cancel':
      '• Pedido {{number}} ({{status}}): será *cancelado*, e o estabelecimento será avisado.',
    'erase.openOrders.handover':
      '• Pedido {{number}} ({{status}}): ele segue em frente. Só o que a entrega precisa (endereço, observação, seu nome e número) fica guardado até ele ser concluído, e depois também é apagado.',
    'erase.erasing': 'Apagando seus dados agora. Confirmo aqui em instantes.',
    'erase.kept': 'Ok, nada foi apagado. Seus dados continuam como estão.',
    'erase.stale':
      'Esse botão expirou ou já foi usado, então nada mudou. Escreva *apague meus dados* para começar de novo.',
    'erase.decideFailed': 'Desculpe, algo deu errado do nosso lado. Toque no botão de novo.',
    'receipt.failed':
      'Apagamos seus dados, mas uma verificação final encontrou algo que ficou para trás (pedido *{{code}}*).\nA equipe foi avisada e vai concluir a exclusão; você não precisa fazer nada.',
    'receipt.done': '✅ *Seus dados foram apagados.* Código de confirmação: *{{code}}*',
    'receipt.deleted_one':
      'Apagado: {{count}} registro — perfil, endereços salvos, conversa, registros de mensagens e de entrega.',
    'receipt.deleted_other':
      'Apagados: {{count}} registros — perfil, endereços salvos, conversa, registros de mensagens e de entrega.',
    'receipt.keptOrdersUntil_one':
      'Fica guardado, anonimizado: {{count}} pedido (itens, valores, datas, número do pedido; sem nome, telefone, endereço nem conversa) até {{date}}, para a contabilidade do estabelecimento.',
    'receipt.keptOrdersUntil_other':
      'Ficam guardados, anonimizados: {{count}} pedidos (itens, valores, datas, número do pedido; sem nome, telefone, endereço nem conversa) até {{date}}, para a contabilidade do estabelecimento.',
    'receipt.keptOrders_one':
      'Fica guardado, anonimizado: {{count}} pedido (itens, valores, datas, número do pedido; sem nome, telefone, endereço nem conversa), para a contabilidade do estabelecimento.',
    'receipt.keptOrders_other':
      'Ficam guardados, anonimizados: {{count}} pedidos (itens, valores, datas, número do pedido; sem nome, telefone, endereço nem conversa), para a contabilidade do estabelecimento.',
    'receipt.noOrders': 'Nenhum pedido foi guardado.',
    'receipt.cancelled_one':
      'Cancelado: o pedido {{orders}}, que o estabelecimento ainda não tinha começado; ele já foi avisado.',
    'receipt.cancelled_other':
      'Cancelados: os pedidos {{orders}}, que o estabelecimento ainda não tinha começado; ele já foi avisado.',
    'receipt.handover_one':
      'Ainda a caminho: o pedido {{orders}}. Só o que a entrega precisa (o endereço e a observação, seu nome e número, cifrados) fica guardado até ele ser concluído ou cancelado, e depois também é apagado.',
    'receipt.handover_other':
      'Ainda a caminho: os pedidos {{orders}}. Só o que a entrega precisa (o endereço e a observação, seu nome e número, cifrados) fica guardado até eles serem concluídos ou cancelados, e depois também é apagado.',
    'receipt.keptRequest':
      'Fica guardado: o registro deste pedido (código, datas, contagens; sem dados pessoais) por 3 anos.',
    'receipt.fresh': 'Se você nos escrever de novo, começamos do zero.',

    'optOut.done':
      'Pronto: você não vai receber avisos de pedidos nem outras mensagens nossas, a menos que escreva primeiro. Continuamos respondendo quando você escrever. Escreva *reativar* para receber avisos de novo.',
    'optOut.failed': 'Desculpe, envie *parar* de novo daqui a pouco.',
    'optIn.done': 'Que bom ter você de volta: você vai receber avisos de pedidos aqui de novo.',
    'optIn.failed': 'Desculpe, envie *reativar* de novo daqui a pouco.',

    'correct.which': 'O que você quer corrigir?',
    'correct.which.name.button': 'Meu nome',
    'correct.which.address.button': 'Endereço salvo',
    'correct.which.phone.button': 'Meu telefone',
    'correct.phone':
      'Seu número de telefone não pode ser alterado aqui: é assim que o WhatsApp nos diz que este chat é seu, para que ninguém possa passar seus dados para outro número digitando-o. Para usar outro número, é só nos escrever dele. Você também pode pedir para apagar os dados deste número: escreva *apague meus dados*.',
    'correct.hint':
      'Responda à pergunta acima escrevendo, ou escreva *cancelar* para deixar seus dados como estão.',
    'correct.unchanged': 'Ok, nada foi alterado.',
    'correct.noAddresses':
      'Você não tem endereços salvos conosco. Um endereço é salvo quando você pede para entrega.',
    'correct.loadFailed': 'Desculpe, não consegui carregar seus dados agora.',
    'correct.name.known':
      'O nome que temos para você é *{{name}}*. Escreva seu nome como você quer que a gente use, ou *cancelar*.',
    'correct.name.none':
      'Não temos nenhum nome para você. Escreva seu nome como você quer que a gente use, ou *cancelar*.',
    'correct.pickAddress': 'Qual endereço salvo você quer corrigir ou remover?',
    'correct.pickAddress.button': 'Endereços',
    'correct.address.row': 'Endereço {{number}}',
    'correct.addressPrompt':
      'Escreva o endereço corrigido, ou *remover* para tirá-lo dos seus endereços salvos (ou *cancelar*).',
    'correct.confirm.name': '*Seu nome*\nAntes: {{before}}\nDepois: {{after}}\nSalvar esta alteração?',
    'correct.confirm.address':
      '*Seu endereço salvo*\nAntes: {{before}}\nDepois: {{after}}\nSalvar esta alteração?',
    'correct.none': '(vazio)',
    'correct.removed': '(removido)',
    'correct.save.button': 'Salvar',
    'correct.cancel.button': 'Cancelar',
    'correct.saved': 'Salvo. Obrigado por manter seus dados corretos.',
    'correct.saveFailed': 'Desculpe, não foi possível salvar a alteração. Tente de novo mais tarde.',

    'document.caption': 'Seus dados em {{business}}, em um documento para ler ({{code}})',
    'document.title': 'Seus dados em {{business}}',
    'document.subtitle': 'Pedido de privacidade {{code}} · {{date}}',
    'document.intro': 'Tudo o que {{business}} guarda sobre você nesta data, em palavras simples.',
    'document.profile': 'Seu perfil',
    'document.firstContact': '• Primeira mensagem: {{date}}',
    'document.lastMessage': '• Última mensagem: {{date}}',
    'document.addresses': '• Endereços salvos:',
    'document.preferences': 'Suas preferências',
    'document.orders': 'Seus pedidos ({{total}})',
    'document.noOrders': 'Nenhum pedido.',
    'document.order': 'Pedido {{number}} · {{date}} · {{status}}',
    'document.item': '{{quantity}} × {{name}}, {{price}} cada: {{total}}',
    'document.total': 'Total: {{total}}',
    'document.pickup': 'Retirada no local',
    'document.delivery': 'Entrega em: {{address}}',
    'document.deliveryNoAddress': 'Entrega',
    'document.note': 'Observação: {{note}}',
    'document.keptUntil': 'Guardado até {{date}}, para a contabilidade do negócio',
    'document.conversation': 'Nossa conversa',
    'document.messages': 'Mensagens',
    'document.requests': 'Seus pedidos de privacidade',
    'document.why': 'Por que guardamos e por quanto tempo',
    'document.recipients': 'Quem recebe',
    'document.closing':
      'O arquivo JSON enviado com este documento é a cópia completa dos mesmos dados, feita para ser lida por computador: você pode guardá-la ou passá-la para outro serviço.',
    'document.page': 'Página {{page}} de {{pages}}',
    'processing.suppressions.holds':
      'Sua escolha de parar mensagens e, depois de uma exclusão, uma nota sem seu número que bloqueia mensagens agendadas.',
    'processing.suppressions.purpose':
      'Respeitar seu “parar” e não enviar nada agendado depois de uma exclusão.',
    'processing.suppressions.retention':
      'Até você enviar “reativar”; a nota depois de uma exclusão, {{period}}.',
    'processing.conversations.holds': 'Onde nossa conversa parou e seu carrinho; sem histórico de mensagens.',
    'processing.conversations.purpose': 'Continuar de onde você parou e guardar seu carrinho até você pedir.',
    'processing.conversations.retention': 'Conversas paradas: {{idle}}; carrinhos: {{cart}}.',
    'processing.inbox.holds':
      'Registros das mensagens que você envia: quando e se foram respondidas; o texto só até serem respondidas.',
    'processing.inbox.purpose': 'Responder cada mensagem uma vez e em ordem.',
    'processing.inbox.retention': '{{period}} após cada mensagem.',
    'processing.outbox.holds':
      'Nossas respostas, se chegaram e suas reações a elas; o texto só até serem enviadas.',
    'processing.outbox.purpose': 'Enviar cada resposta uma vez, a tempo, e saber que chegou.',
    'processing.outbox.retention': '{{period}} após cada resposta.',
    'processing.customers.holds':
      'Seu perfil: número de WhatsApp, nome, endereços salvos e o idioma em que falamos com você.',
    'processing.customers.purpose': 'Responder, reconhecer você e oferecer seus endereços salvos.',
    'processing.customers.retention': '{{period}} após sua última mensagem.',
    'processing.customerIds.holds':
      'Uma forma codificada do seu número e do seu identificador do WhatsApp, nunca o número em si.',
    'processing.customerIds.purpose':
      'Saber que você é a mesma pessoa, seja qual for a forma como o WhatsApp identifica você.',
    'processing.customerIds.retention': '{{period}} e um dia após sua última mensagem.',
    'processing.orders.holds':
      'Seus pedidos: número, itens, valores, datas, status, o endereço de entrega e a observação.',
    'processing.orders.purpose': 'Preparar e entregar seus pedidos, e a contabilidade do estabelecimento.',
    'processing.orders.retention':
      '{{period}} (lei contábil); o endereço de entrega e a observação, {{contact}} após o pedido ser concluído.',
    'processing.aiCalls.holds':
      'Quando a IA foi usada com suas mensagens: horário, motivo e quanto; nunca suas palavras.',
    'processing.aiCalls.purpose':
      'Mostrar ao estabelecimento para que a IA foi usada e respeitar o limite dele.',
    'processing.aiCalls.retention': '{{period}} após cada uso.',
    'processing.privacyRequests.holds':
      'Seus pedidos de privacidade, como este: tipo, datas, código e resultado; sem dados pessoais.',
    'processing.privacyRequests.purpose': 'Mostrar que cada pedido foi atendido a tempo.',
    'processing.privacyRequests.retention': '{{period}} após cada pedido.',
    'why.handoffs':
      '• As mensagens que você e a equipe trocaram depois que você pediu para falar com uma pessoa (cifradas): para que a equipe possa lê-las e responder. Ficam guardadas enquanto a conversa está aberta e depois {{period}}.',
    'processing.handoffs.holds':
      'As mensagens que você trocou com a equipe depois de pedir para falar com uma pessoa (cifradas), e quando o chat foi aberto, atendido e encerrado.',
    'processing.handoffs.purpose': 'Para que uma pessoa da equipe possa ler e responder você.',
    'processing.handoffs.retention': 'Enquanto o chat com uma pessoa estiver aberto, e depois {{period}}.',
    'document.handoffs': 'Suas conversas com uma pessoa ({{total}})',
    'document.noHandoffs': 'Você não pediu para falar com uma pessoa.',
    'document.handoff_one': '{{date}} · {{status}} · {{count}} mensagem',
    'document.handoff_other': '{{date}} · {{status}} · {{count}} mensagens',
    'document.handoffTexts': 'As mensagens em si estão no arquivo JSON.',
    'handoffStatus.waiting': 'aguardando uma pessoa',
    'handoffStatus.taken': 'uma pessoa está respondendo',
    'handoffStatus.returned': 'de volta com o assistente',
    'handoffStatus.closed': 'encerrada',
    'summary.noHistory': '• O histórico de mensagens não é guardado',
    'summary.handoffs_one':
      '• Conversas com uma pessoa: {{count}}, guardada com as mensagens até {{days}} dias depois da última; nenhum outro histórico de mensagens é guardado',
    'summary.handoffs_other':
      '• Conversas com uma pessoa: {{count}}, guardadas com as mensagens até {{days}} dias depois da última; nenhum outro histórico de mensagens é guardado',
    'processing.appointments.holds':
      'Seus agendamentos: número, serviço, com quem ou onde, horários, status, preço e suas respostas às perguntas antes de agendar (cifradas).',
    'processing.appointments.purpose':
      'Manter seus agendamentos, lembrar você deles e para os registros do estabelecimento.',
    'processing.appointments.retention':
      '{{period}} após cada agendamento; suas respostas às perguntas são apagadas se você pedir para apagar seus dados.',
    'why.appointments':
      '• Seus agendamentos (e suas respostas às perguntas antes de agendar, cifradas): para mantê-los, lembrar você e para os registros do estabelecimento. Guardados: {{period}} após cada agendamento.',
  },
  fr: {
    'menu.row': 'Mes données',
    'menu.rowDescription': 'Voir, corriger ou supprimer vos données',
    'menu.help': 'voir ou supprimer *vos données*',
    'menu.body':
      'Vos données chez nous : vous pouvez voir tout ce que nous conservons sur vous (avec une copie en fichier), les corriger, les supprimer ou arrêter les messages que vous n’avez pas demandés. Que souhaitez-vous faire ?',
    'menu.button': 'Mes données',
    'menu.section.row': 'Données et vie privée',
    'menu.access.row': 'Voir mes données',
    'menu.access.rowDescription': 'Un résumé ici et une copie en fichier',
    'menu.correct.row': 'Corriger mes données',
    'menu.correct.rowDescription': 'Votre nom ou une adresse enregistrée',
    'menu.erase.row': 'Supprimer mes données',
    'menu.erase.rowDescription': 'Ce qui est supprimé ou gardé est expliqué avant',
    'menu.stop.row': 'Arrêter les messages',
    'menu.stop.rowDescription': 'Plus de mises à jour, sauf si vous écrivez d’abord',
    'menu.start.row': 'Reprendre les messages',
    'menu.start.rowDescription': 'Recevoir à nouveau les mises à jour de commande',

    'access.ack': 'C’est noté : vous avez demandé à voir vos données. Je les rassemble…',
    'access.failed':
      'Désolé, je n’ai pas pu rassembler vos données pour le moment. Votre demande est enregistrée ; redemandez dans quelques minutes.',
    'access.caption': 'Vos données chez {{business}} ({{code}})',
    'summary.title': '*Vos données chez {{business}}* (demande {{code}})',
    'summary.profile': '*Profil*',
    'summary.number': '• Numéro WhatsApp : {{number}}',
    'summary.notStored': '• Numéro WhatsApp : (non conservé)',
    'summary.name': '• Nom : {{name}}',
    'summary.nameFromProfile': '• Nom : {{name}} (de votre profil WhatsApp)',
    'summary.noName': '• Nom : (aucun)',
    'summary.addresses': '• Adresses enregistrées : {{addresses}}',
    'summary.noAddresses': '• Adresses enregistrées : aucune',
    'summary.location': 'position partagée ({{latitude}}, {{longitude}})',
    'summary.messagesOn': '• Messages non demandés : mises à jour de commande activées',
    'summary.messagesStopped': '• Messages non demandés : arrêtés (vous avez envoyé *arrêter*)',
    'summary.aiNever': '• Réponses rédigées par IA : jamais pour vous (vous avez dit *sans IA*)',
    'summary.aiOn_one':
      '• Réponses rédigées par IA : activées dans ce commerce ({{count}} appel à l’IA sur vos messages ; écrivez *sans IA* pour refuser)',
    'summary.aiOn_other':
      '• Réponses rédigées par IA : activées dans ce commerce ({{count}} appels à l’IA sur vos messages ; écrivez *sans IA* pour refuser)',
    'summary.aiOff': '• Réponses rédigées par IA : désactivées dans ce commerce',
    'summary.orders': '*Commandes* ({{total}})',
    'summary.order_one': '• {{number}}, {{date}}, {{status}}, {{count}} article{{details}}',
    'summary.order_other': '• {{number}}, {{date}}, {{status}}, {{count}} articles{{details}}',
    'summary.withAddress': ', avec adresse de livraison',
    'summary.withNote': ', avec une note',
    'summary.moreOrders': '• …et {{total}} de plus dans le fichier',
    'summary.conversation': '*Conversation*',
    'summary.inProgress': '• En cours ({{place}})',
    'summary.inProgressCart_one': '• En cours ({{place}}), panier de {{count}} article',
    'summary.inProgressCart_other': '• En cours ({{place}}), panier de {{count}} articles',
    'summary.noConversation': '• Aucune en cours',
    'summary.records':
      '• Traces des messages : {{received}} reçus, {{sent}} envoyés, {{statuses}} mises à jour de remise (heures seulement ; les textes sont supprimés une fois traités)',
    'summary.requests': '*Demandes sur vos données* ({{total}})',
    'summary.request': '• {{date}} {{type}} : {{status}} ({{code}})',
    'summary.why': '*Pourquoi et combien de temps*',
    'summary.recipients': '*Qui les reçoit*',
    'summary.rights':
      '*Vos droits*\n• Corriger votre nom ou vos adresses : écrivez *corriger mes données*.\n• Supprimer vos données : écrivez *supprimer mes données*.\n• Arrêter les messages non demandés : écrivez *arrêter*.\n• Porter plainte auprès de votre autorité de protection des données si vous pensez que nous nous sommes trompés.',
    'summary.file':
      'Deux fichiers suivent : une copie à lire (PDF), et la copie complète faite pour être lue par un ordinateur (JSON), que vous pouvez garder ou transmettre à un autre service.',
    'place.menu': 'au menu',
    'place.ordering': 'en train de commander',
    'place.tracking': 'en consultant vos commandes',
    'place.privacy': 'à propos de vos données',
    'place.handoff': 'avec une personne de l’équipe',
    'why.suppressions':
      '• Votre choix d’arrêter les messages : pour respecter votre *arrêter*. Conservé jusqu’à ce que vous envoyiez *reprendre* ; après une suppression, une note sans votre numéro bloque les messages programmés pendant {{period}}.',
    'why.conversations':
      '• Où notre conversation s’est arrêtée, et votre panier : pour reprendre là où vous en étiez. Conservé : conversations inactives {{idle}} ; paniers {{cart}}.',
    'why.inbox':
      '• Traces des messages que vous envoyez (leur texte seulement jusqu’à la réponse) : pour répondre à chaque message une fois et dans l’ordre. Conservé : {{period}}.',
    'why.outbox':
      '• Nos réponses et leur arrivée (leur texte seulement jusqu’à l’envoi) : pour envoyer chaque réponse une fois, à temps. Conservé : {{period}}.',
    'why.customers':
      '• Votre profil (numéro WhatsApp, nom, adresses enregistrées) : pour vous répondre, vous reconnaître et vous proposer vos adresses. Conservé : {{period}} après votre dernier message.',
    'why.customerIds':
      '• Une forme codée de votre numéro (jamais le numéro lui-même) : pour savoir que vous êtes la même personne. Conservé : {{period}} et un jour après votre dernier message.',
    'why.orders':
      '• Vos commandes : pour les préparer et les livrer, et pour la comptabilité du commerce. Conservées : {{period}} (obligation comptable) ; l’adresse de livraison et la note, {{contact}} après la fin de la commande.',
    'why.aiCalls':
      '• Quand l’IA a servi pour vos messages (heure et motif, jamais vos mots) : pour montrer au commerce à quoi elle a servi et rester dans son budget. Conservé : {{period}}.',
    'why.privacyRequests':
      '• Vos demandes sur vos données, comme celle-ci (aucune donnée personnelle) : pour montrer que chacune a reçu une réponse à temps. Conservées : {{period}}.',
    'recipient.controller':
      '• {{business}}, qui décide de l’usage de vos données (le responsable du traitement)',
    'recipient.meta':
      '• WhatsApp / Meta Platforms, qui achemine les messages (Meta en garde le contenu jusqu’à 30 jours)',
    'recipient.hosting':
      '• L’hébergeur qui fait tourner ce service et sa base de données, pour le compte du commerce',
    'recipient.ai':
      '• Le fournisseur d’IA activé par ce commerce, qui formule certaines réponses (jamais votre numéro ni votre adresse)',
    'recipient.noAi': '• Aucun fournisseur d’IA : les réponses par IA sont désactivées dans ce commerce',
    'requestType.access': 'voir mes données',
    'requestType.correction': 'corriger mes données',
    'requestType.erasure': 'supprimer mes données',
    'requestType.optOut': 'arrêter les messages',
    'requestType.optIn': 'reprendre les messages',
    'requestStatus.received': 'reçue',
    'requestStatus.awaitingConfirmation': 'en attente de votre confirmation',
    'requestStatus.inProgress': 'en cours',
    'requestStatus.completed': 'traitée',
    'requestStatus.failed': 'pas encore terminée, l’équipe s’en occupe',
    'requestStatus.cancelled': 'annulée',
    'orderStatus.placed': 'passée',
    'orderStatus.notStarted': 'pas encore commencée',
    'orderStatus.confirmed': 'confirmée',
    'orderStatus.preparing': 'en préparation',
    'orderStatus.ready': 'prête',
    'orderStatus.outForDelivery': 'en route',
    'orderStatus.completed': 'terminée',
    'orderStatus.cancelled': 'annulée',
    'duration.days_one': '{{count}} jour',
    'duration.days_other': '{{count}} jours',
    'duration.years_one': '{{count}} an',
    'duration.years_other': '{{count}} ans',
    'duration.hours_one': '{{count}} heure',
    'duration.hours_other': '{{count}} heures',

    'erase.failed':
      'Désolé, un problème est survenu de notre côté. Votre demande est enregistrée ; redemandez dans quelques minutes.',
    'erase.inProgress':
      'Vos données sont en cours de suppression (demande {{code}}). Je vous confirme ici quand c’est fait.',
    'erase.otherPerson':
      'Je ne peux agir que sur les données du numéro WhatsApp qui écrit ici, jamais sur celles de quelqu’un d’autre : cette personne doit le demander depuis son propre numéro.',
    'erase.offer.title': '*Supprimer vos données chez {{business}} ?* (demande {{code}})',
    'erase.offer.deleted':
      '*Supprimé :* votre profil (numéro WhatsApp, nom, adresses enregistrées), cette conversation et tout panier, les traces de vos messages et de leur remise, et votre choix de ne plus recevoir de messages.',
    'erase.offer.keptOrders_one':
      '*Conservée, anonymisée :* {{count}} commande — uniquement articles, montants, dates et numéro de commande, sans nom, téléphone, adresse ni texte de conversation — pendant {{period}}, car le commerce doit tenir sa comptabilité.',
    'erase.offer.keptOrders_other':
      '*Conservées, anonymisées :* vos {{count}} commandes — uniquement articles, montants, dates et numéro de commande, sans nom, téléphone, adresse ni texte de conversation — pendant {{period}}, car le commerce doit tenir sa comptabilité.',
    'erase.offer.noOrders': '*Conservé :* rien sur des commandes (vous n’en avez pas).',
    'erase.offer.keptRequest':
      '*Conservé :* une trace de cette demande (code, dates et nombres, aucune donnée personnelle) pendant 3 ans, pour montrer qu’elle a été traitée.',
    'erase.offer.meta':
      'WhatsApp (Meta) garde sa propre copie des messages jusqu’à 30 jours. Cette action est irréversible.',
    'erase.delete.button': 'Tout supprimer',
    'erase.keep.button': 'Garder mes données',
    'erase.openOrders.title': '*Vos commandes en cours* ({{total}})',
    'erase.openOrders.cancel':
      '• Commande {{number}} ({{status}}) : elle sera *annulée*, et le commerce prévenu.',
    'erase.openOrders.handover':
      '• Commande {{number}} ({{status}}) : elle continue. Seul ce dont la remise a besoin (adresse, note, votre nom et numéro) est gardé jusqu’à ce qu’elle soit terminée, puis supprimé aussi.',
    'erase.erasing': 'Je supprime vos données maintenant. Je vous le confirme ici dans un instant.',
    'erase.kept': 'D’accord, rien n’a été supprimé. Vos données restent telles quelles.',
    'erase.stale':
      'Ce bouton a expiré ou a déjà été utilisé : rien n’a changé. Écrivez *supprimer mes données* pour recommencer.',
    'erase.decideFailed': 'Désolé, un problème est survenu de notre côté. Touchez à nouveau le bouton.',
    'receipt.failed':
      'Nous avons supprimé vos données, mais une dernière vérification a trouvé un reste (demande *{{code}}*).\nL’équipe est prévenue et terminera la suppression ; vous n’avez rien à faire.',
    'receipt.done': '✅ *Vos données ont été supprimées.* Code de confirmation : *{{code}}*',
    'receipt.deleted_one':
      'Supprimé : {{count}} enregistrement — profil, adresses enregistrées, conversation, traces des messages et de leur remise.',
    'receipt.deleted_other':
      'Supprimés : {{count}} enregistrements — profil, adresses enregistrées, conversation, traces des messages et de leur remise.',
    'receipt.keptOrdersUntil_one':
      'Conservée, anonymisée : {{count}} commande (articles, montants, dates, numéro de commande ; sans nom, téléphone, adresse ni conversation) jusqu’au {{date}}, pour la comptabilité du commerce.',
    'receipt.keptOrdersUntil_other':
      'Conservées, anonymisées : {{count}} commandes (articles, montants, dates, numéro de commande ; sans nom, téléphone, adresse ni conversation) jusqu’au {{date}}, pour la comptabilité du commerce.',
    'receipt.keptOrders_one':
      'Conservée, anonymisée : {{count}} commande (articles, montants, dates, numéro de commande ; sans nom, téléphone, adresse ni conversation), pour la comptabilité du commerce.',
    'receipt.keptOrders_other':
      'Conservées, anonymisées : {{count}} commandes (articles, montants, dates, numéro de commande ; sans nom, téléphone, adresse ni conversation), pour la comptabilité du commerce.',
    'receipt.noOrders': 'Aucune commande n’a été conservée.',
    'receipt.cancelled_one':
      'Annulée : la commande {{orders}}, que le commerce n’avait pas commencée ; il a été prévenu.',
    'receipt.cancelled_other':
      'Annulées : les commandes {{orders}}, que le commerce n’avait pas commencées ; il a été prévenu.',
    'receipt.handover_one':
      'Toujours en route : la commande {{orders}}. Seul ce dont la remise a besoin (l’adresse et la note de livraison, votre nom et numéro, chiffrés) est gardé jusqu’à ce qu’elle soit terminée ou annulée, puis supprimé aussi.',
    'receipt.handover_other':
      'Toujours en route : les commandes {{orders}}. Seul ce dont la remise a besoin (l’adresse et la note de livraison, votre nom et numéro, chiffrés) est gardé jusqu’à ce qu’elles soient terminées ou annulées, puis supprimé aussi.',
    'receipt.keptRequest':
      'Conservé : la trace de cette demande (code, dates, nombres ; aucune donnée personnelle) pendant 3 ans.',
    'receipt.fresh': 'Si vous nous écrivez à nouveau, nous repartons de zéro.',

    'optOut.done':
      'C’est fait : vous ne recevrez plus de mises à jour de commande ni d’autres messages de notre part, sauf si vous écrivez d’abord. Nous répondons toujours quand vous écrivez. Écrivez *reprendre* pour recevoir à nouveau les mises à jour.',
    'optOut.failed': 'Désolé, renvoyez *arrêter* dans un instant.',
    'optIn.done': 'Ravi de vous revoir : vous recevrez à nouveau les mises à jour de commande ici.',
    'optIn.failed': 'Désolé, renvoyez *reprendre* dans un instant.',

    'correct.which': 'Que souhaitez-vous corriger ?',
    'correct.which.name.button': 'Mon nom',
    'correct.which.address.button': 'Une adresse',
    'correct.which.phone.button': 'Mon numéro',
    'correct.phone':
      'Votre numéro de téléphone ne peut pas être modifié ici : c’est ainsi que WhatsApp nous indique que cette conversation est la vôtre, pour que personne ne puisse transférer vos données vers un autre numéro en le tapant. Pour utiliser un autre numéro, écrivez-nous simplement depuis celui-ci. Vous pouvez aussi faire supprimer les données de ce numéro : écrivez *supprimer mes données*.',
    'correct.hint':
      'Répondez à la question ci-dessus par écrit, ou écrivez *annuler* pour laisser vos informations telles quelles.',
    'correct.unchanged': 'D’accord, rien n’a été modifié.',
    'correct.noAddresses':
      'Vous n’avez aucune adresse enregistrée chez nous. Une adresse est enregistrée quand vous commandez en livraison.',
    'correct.loadFailed': 'Désolé, je n’ai pas pu charger vos informations pour le moment.',
    'correct.name.known':
      'Le nom que nous avons pour vous est *{{name}}*. Écrivez votre nom tel que vous souhaitez que nous l’utilisions, ou *annuler*.',
    'correct.name.none':
      'Nous n’avons pas de nom pour vous. Écrivez votre nom tel que vous souhaitez que nous l’utilisions, ou *annuler*.',
    'correct.pickAddress': 'Quelle adresse enregistrée souhaitez-vous corriger ou supprimer ?',
    'correct.pickAddress.button': 'Adresses',
    'correct.address.row': 'Adresse {{number}}',
    'correct.addressPrompt':
      'Écrivez l’adresse corrigée, ou *supprimer* pour la retirer de vos adresses enregistrées (ou *annuler*).',
    'correct.confirm.name':
      '*Votre nom*\nAvant : {{before}}\nAprès : {{after}}\nEnregistrer cette modification ?',
    'correct.confirm.address':
      '*Votre adresse enregistrée*\nAvant : {{before}}\nAprès : {{after}}\nEnregistrer cette modification ?',
    'correct.none': '(vide)',
    'correct.removed': '(supprimée)',
    'correct.save.button': 'Enregistrer',
    'correct.cancel.button': 'Annuler',
    'correct.saved': 'Enregistré. Merci de garder vos informations à jour.',
    'correct.saveFailed': 'Désolé, la modification n’a pas pu être enregistrée. Réessayez plus tard.',

    'document.caption': 'Vos données chez {{business}}, dans un document à lire ({{code}})',
    'document.title': 'Vos données chez {{business}}',
    'document.subtitle': 'Demande {{code}} · {{date}}',
    'document.intro': 'Tout ce que {{business}} conserve sur vous à cette date, en termes simples.',
    'document.profile': 'Votre profil',
    'document.firstContact': '• Premier message : {{date}}',
    'document.lastMessage': '• Dernier message : {{date}}',
    'document.addresses': '• Adresses enregistrées :',
    'document.preferences': 'Vos préférences',
    'document.orders': 'Vos commandes ({{total}})',
    'document.noOrders': 'Aucune commande.',
    'document.order': 'Commande {{number}} · {{date}} · {{status}}',
    'document.item': '{{quantity}} × {{name}}, {{price}} l’unité : {{total}}',
    'document.total': 'Total : {{total}}',
    'document.pickup': 'À emporter',
    'document.delivery': 'Livraison à : {{address}}',
    'document.deliveryNoAddress': 'Livraison',
    'document.note': 'Note : {{note}}',
    'document.keptUntil': 'Conservée jusqu’au {{date}}, pour la comptabilité du commerce',
    'document.conversation': 'Notre conversation',
    'document.messages': 'Messages',
    'document.requests': 'Vos demandes sur vos données',
    'document.why': 'Pourquoi nous les conservons et combien de temps',
    'document.recipients': 'Qui les reçoit',
    'document.closing':
      'Le fichier JSON envoyé avec ce document est la copie complète des mêmes données, faite pour être lue par un ordinateur : vous pouvez la garder ou la transmettre à un autre service.',
    'document.page': 'Page {{page}} sur {{pages}}',
    'processing.suppressions.holds':
      'Votre choix d’arrêter les messages et, après une suppression, une note sans votre numéro qui bloque les messages programmés.',
    'processing.suppressions.purpose':
      'Respecter votre « arrêter » et ne rien envoyer de programmé après une suppression.',
    'processing.suppressions.retention':
      'Jusqu’à ce que vous envoyiez « reprendre » ; la note après une suppression, {{period}}.',
    'processing.conversations.holds':
      'Où notre conversation s’est arrêtée, et votre panier ; aucun historique des messages.',
    'processing.conversations.purpose':
      'Reprendre là où vous en étiez et garder votre panier jusqu’à la commande.',
    'processing.conversations.retention': 'Conversations inactives : {{idle}} ; paniers : {{cart}}.',
    'processing.inbox.holds':
      'Traces des messages que vous envoyez : quand, et s’ils ont reçu une réponse ; leur texte seulement jusqu’à la réponse.',
    'processing.inbox.purpose': 'Répondre à chaque message une fois et dans l’ordre.',
    'processing.inbox.retention': '{{period}} après chaque message.',
    'processing.outbox.holds':
      'Nos réponses, leur arrivée et vos réactions ; leur texte seulement jusqu’à l’envoi.',
    'processing.outbox.purpose': 'Envoyer chaque réponse une fois, à temps, et savoir qu’elle est arrivée.',
    'processing.outbox.retention': '{{period}} après chaque réponse.',
    'processing.customers.holds':
      'Votre profil : numéro WhatsApp, nom, adresses enregistrées et la langue dans laquelle nous vous écrivons.',
    'processing.customers.purpose':
      'Vous répondre, vous reconnaître et vous proposer vos adresses enregistrées.',
    'processing.customers.retention': '{{period}} après votre dernier message.',
    'processing.customerIds.holds':
      'Une forme codée de votre numéro et de votre identifiant WhatsApp, jamais le numéro lui-même.',
    'processing.customerIds.purpose':
      'Savoir que vous êtes la même personne, quelle que soit la façon dont WhatsApp vous identifie.',
    'processing.customerIds.retention': '{{period}} et un jour après votre dernier message.',
    'processing.orders.holds':
      'Vos commandes : numéro, articles, montants, dates, statut, l’adresse de livraison et la note.',
    'processing.orders.purpose': 'Préparer et livrer vos commandes, et la comptabilité du commerce.',
    'processing.orders.retention':
      '{{period}} (obligation comptable) ; l’adresse de livraison et la note, {{contact}} après la fin de la commande.',
    'processing.aiCalls.holds':
      'Quand l’IA a servi pour vos messages : heure, motif et quantité ; jamais vos mots.',
    'processing.aiCalls.purpose': 'Montrer au commerce à quoi l’IA a servi et rester dans son budget.',
    'processing.aiCalls.retention': '{{period}} après chaque utilisation.',
    'processing.privacyRequests.holds':
      'Vos demandes sur vos données, comme celle-ci : type, dates, code et résultat ; aucune donnée personnelle.',
    'processing.privacyRequests.purpose': 'Montrer que chaque demande a reçu une réponse à temps.',
    'processing.privacyRequests.retention': '{{period}} après chaque demande.',
    'why.handoffs':
      '• Les messages échangés avec l’équipe après votre demande de parler à une personne (chiffrés) : pour que l’équipe puisse les lire et y répondre. Conservés tant que la conversation est ouverte, puis {{period}}.',
    'processing.handoffs.holds':
      'Les messages échangés avec l’équipe après avoir demandé à parler à une personne (chiffrés), et quand la discussion a été ouverte, prise en charge et close.',
    'processing.handoffs.purpose': 'Pour qu’une personne de l’équipe puisse vous lire et vous répondre.',
    'processing.handoffs.retention': 'Tant que la discussion avec une personne est ouverte, puis {{period}}.',
    'document.handoffs': 'Vos conversations avec une personne ({{total}})',
    'document.noHandoffs': 'Vous n’avez pas demandé à parler à une personne.',
    'document.handoff_one': '{{date}} · {{status}} · {{count}} message',
    'document.handoff_other': '{{date}} · {{status}} · {{count}} messages',
    'document.handoffTexts': 'Les messages eux-mêmes sont dans le fichier JSON.',
    'handoffStatus.waiting': 'en attente d’une personne',
    'handoffStatus.taken': 'une personne vous répond',
    'handoffStatus.returned': 'rendue à l’assistant',
    'handoffStatus.closed': 'fermée',
    'summary.noHistory': '• L’historique des messages n’est pas conservé',
    'summary.handoffs_one':
      '• Échanges avec une personne : {{count}}, conservé avec ses messages jusqu’à {{days}} jours après le dernier ; aucun autre historique des messages n’est conservé',
    'summary.handoffs_other':
      '• Échanges avec une personne : {{count}}, conservés avec leurs messages jusqu’à {{days}} jours après le dernier ; aucun autre historique des messages n’est conservé',
    'processing.appointments.holds':
      'Vos rendez-vous : numéro, prestation, avec qui ou où, horaires, statut, prix, et vos réponses aux questions avant la réservation (chiffrées).',
    'processing.appointments.purpose':
      'Tenir vos rendez-vous, vous les rappeler, et pour les registres du commerce.',
    'processing.appointments.retention':
      '{{period}} après chaque rendez-vous ; vos réponses aux questions sont supprimées si vous demandez l’effacement de vos données.',
    'why.appointments':
      '• Vos rendez-vous (et vos réponses aux questions avant la réservation, chiffrées) : pour les tenir, vous les rappeler, et pour les registres du commerce. Conservés : {{period}} après chaque rendez-vous.',
  },
  de: {
    'menu.row': 'Meine Daten',
    'menu.rowDescription': 'Ihre Daten ansehen, berichtigen oder löschen',
    'menu.help': 'Ihre *Daten* anzusehen oder zu löschen',
    'menu.body':
      'Ihre Daten bei uns: Sie können alles sehen, was wir über Sie speichern (mit einer Kopie als Datei), es korrigieren, löschen oder Nachrichten stoppen, die Sie nicht angefordert haben. Was möchten Sie tun?',
    'menu.button': 'Meine Daten',
    'menu.section.row': 'Daten & Datenschutz',
    'menu.access.row': 'Meine Daten ansehen',
    'menu.access.rowDescription': 'Eine Übersicht hier und eine Kopie als Datei',
    'menu.correct.row': 'Daten korrigieren',
    'menu.correct.rowDescription': 'Ihr Name oder eine gespeicherte Adresse',
    'menu.erase.row': 'Meine Daten löschen',
    'menu.erase.rowDescription': 'Vorher erklären wir, was gelöscht wird und was bleibt',
    'menu.stop.row': 'Nachrichten stoppen',
    'menu.stop.rowDescription': 'Keine Updates, außer Sie schreiben zuerst',
    'menu.start.row': 'Nachrichten fortsetzen',
    'menu.start.rowDescription': 'Wieder Updates zu Bestellungen erhalten',

    'access.ack': 'Verstanden: Sie möchten Ihre Daten sehen. Ich stelle sie gerade zusammen…',
    'access.failed':
      'Entschuldigung, ich konnte Ihre Daten gerade nicht zusammenstellen. Ihre Anfrage ist gespeichert; bitte fragen Sie in ein paar Minuten noch einmal.',
    'access.caption': 'Ihre Daten bei {{business}} ({{code}})',
    'summary.title': '*Ihre Daten bei {{business}}* (Anfrage {{code}})',
    'summary.profile': '*Profil*',
    'summary.number': '• WhatsApp-Nummer: {{number}}',
    'summary.notStored': '• WhatsApp-Nummer: (nicht gespeichert)',
    'summary.name': '• Name: {{name}}',
    'summary.nameFromProfile': '• Name: {{name}} (aus Ihrem WhatsApp-Profil)',
    'summary.noName': '• Name: (keiner)',
    'summary.addresses': '• Gespeicherte Adressen: {{addresses}}',
    'summary.noAddresses': '• Gespeicherte Adressen: keine',
    'summary.location': 'geteilter Standort ({{latitude}}, {{longitude}})',
    'summary.messagesOn': '• Nicht angeforderte Nachrichten: Bestell-Updates an',
    'summary.messagesStopped': '• Nicht angeforderte Nachrichten: gestoppt (Sie haben *abmelden* gesendet)',
    'summary.aiNever': '• Von KI geschriebene Antworten: nie für Sie (Sie sagten *keine KI*)',
    'summary.aiOn_one':
      '• Von KI geschriebene Antworten: bei diesem Geschäft an ({{count}} KI-Aufruf zu Ihren Nachrichten; schreiben Sie *keine KI*, um abzulehnen)',
    'summary.aiOn_other':
      '• Von KI geschriebene Antworten: bei diesem Geschäft an ({{count}} KI-Aufrufe zu Ihren Nachrichten; schreiben Sie *keine KI*, um abzulehnen)',
    'summary.aiOff': '• Von KI geschriebene Antworten: bei diesem Geschäft aus',
    'summary.orders': '*Bestellungen* ({{total}})',
    'summary.order_one': '• {{number}}, {{date}}, {{status}}, {{count}} Artikel{{details}}',
    'summary.order_other': '• {{number}}, {{date}}, {{status}}, {{count}} Artikel{{details}}',
    'summary.withAddress': ', mit Lieferadresse',
    'summary.withNote': ', mit Notiz',
    'summary.moreOrders': '• …und {{total}} weitere in der Datei',
    'summary.conversation': '*Chat*',
    'summary.inProgress': '• Läuft ({{place}})',
    'summary.inProgressCart_one': '• Läuft ({{place}}), Warenkorb mit {{count}} Artikel',
    'summary.inProgressCart_other': '• Läuft ({{place}}), Warenkorb mit {{count}} Artikeln',
    'summary.noConversation': '• Gerade keiner',
    'summary.records':
      '• Aufzeichnungen zu Nachrichten: {{received}} empfangen, {{sent}} gesendet, {{statuses}} Zustellmeldungen (nur Zeiten; die Texte werden nach der Bearbeitung gelöscht)',
    'summary.requests': '*Datenschutzanfragen* ({{total}})',
    'summary.request': '• {{date}} {{type}}: {{status}} ({{code}})',
    'summary.why': '*Wozu und wie lange*',
    'summary.recipients': '*Wer sie erhält*',
    'summary.rights':
      '*Ihre Rechte*\n• Name oder Adressen korrigieren: Schreiben Sie *meine Daten korrigieren*.\n• Ihre Daten löschen: Schreiben Sie *meine Daten löschen*.\n• Nicht angeforderte Nachrichten stoppen: Schreiben Sie *abmelden*.\n• Sich bei Ihrer Datenschutzbehörde beschweren, wenn Sie meinen, dass wir etwas falsch gemacht haben.',
    'summary.file':
      'Es folgen zwei Dateien: eine Kopie zum Lesen (PDF) und die vollständige Kopie für Computer (JSON), die Sie aufbewahren oder an einen anderen Dienst weitergeben können.',
    'place.menu': 'im Menü',
    'place.ordering': 'beim Bestellen',
    'place.tracking': 'beim Ansehen Ihrer Bestellungen',
    'place.privacy': 'zu Ihren Daten',
    'place.handoff': 'mit einer Person aus dem Team',
    'why.suppressions':
      '• Ihre Abmeldung von Nachrichten: damit wir *abmelden* einhalten. Gespeichert, bis Sie *anmelden* senden; nach einer Löschung stoppt ein Vermerk ohne Ihre Nummer geplante Nachrichten für {{period}}.',
    'why.conversations':
      '• Wo unser Chat stehen geblieben ist, und Ihr Warenkorb: damit Sie dort weitermachen können. Gespeichert: inaktive Chats {{idle}}; Warenkörbe {{cart}}.',
    'why.inbox':
      '• Aufzeichnungen Ihrer Nachrichten (der Text nur bis zur Antwort): damit jede Nachricht genau einmal und der Reihe nach beantwortet wird. Gespeichert: {{period}}.',
    'why.outbox':
      '• Unsere Antworten und ob sie angekommen sind (der Text nur bis zum Versand): damit jede Antwort genau einmal und rechtzeitig rausgeht. Gespeichert: {{period}}.',
    'why.customers':
      '• Ihr Profil (WhatsApp-Nummer, Name, gespeicherte Adressen): um Ihnen zu antworten, Sie wiederzuerkennen und Ihre Adressen anzubieten. Gespeichert: {{period}} nach Ihrer letzten Nachricht.',
    'why.customerIds':
      '• Eine verschlüsselte Form Ihrer Nummer (nie die Nummer selbst): um zu wissen, dass Sie dieselbe Person sind. Gespeichert: {{period}} und einen Tag nach Ihrer letzten Nachricht.',
    'why.orders':
      '• Ihre Bestellungen: um sie zuzubereiten und zu liefern, und für die Buchhaltung des Geschäfts. Gespeichert: {{period}} (Buchhaltungspflicht); Lieferadresse und Notiz {{contact}} nach Abschluss der Bestellung.',
    'why.aiCalls':
      '• Wann die KI für Ihre Nachrichten genutzt wurde (Zeit und Zweck, nie Ihre Worte): um dem Geschäft zu zeigen, wofür, und sein Budget einzuhalten. Gespeichert: {{period}}.',
    'why.privacyRequests':
      '• Ihre Datenschutzanfragen wie diese (keine persönlichen Daten): um zu zeigen, dass jede rechtzeitig beantwortet wurde. Gespeichert: {{period}}.',
    'recipient.controller':
      '• {{business}}, das entscheidet, wie Ihre Daten genutzt werden (der Verantwortliche)',
    'recipient.meta':
      '• WhatsApp / Meta Platforms, das die Nachrichten überträgt (Meta speichert Inhalte bis zu 30 Tage)',
    'recipient.hosting':
      '• Der Hosting-Anbieter, der diesen Dienst und seine Datenbank im Auftrag des Geschäfts betreibt',
    'recipient.ai':
      '• Der KI-Anbieter, den dieses Geschäft aktiviert hat und der manche Antworten formuliert (nie Ihre Nummer oder Adresse)',
    'recipient.noAi': '• Kein KI-Anbieter: KI-Antworten sind bei diesem Geschäft aus',
    'requestType.access': 'Daten ansehen',
    'requestType.correction': 'Daten korrigieren',
    'requestType.erasure': 'Daten löschen',
    'requestType.optOut': 'Nachrichten stoppen',
    'requestType.optIn': 'Nachrichten fortsetzen',
    'requestStatus.received': 'eingegangen',
    'requestStatus.awaitingConfirmation': 'wartet auf Ihre Bestätigung',
    'requestStatus.inProgress': 'in Bearbeitung',
    'requestStatus.completed': 'erledigt',
    'requestStatus.failed': 'noch nicht abgeschlossen, das Team kümmert sich',
    'requestStatus.cancelled': 'abgebrochen',
    'orderStatus.placed': 'aufgegeben',
    'orderStatus.notStarted': 'noch nicht begonnen',
    'orderStatus.confirmed': 'bestätigt',
    'orderStatus.preparing': 'in Zubereitung',
    'orderStatus.ready': 'fertig',
    'orderStatus.outForDelivery': 'unterwegs',
    'orderStatus.completed': 'abgeschlossen',
    'orderStatus.cancelled': 'storniert',
    'duration.days_one': '{{count}} Tag',
    'duration.days_other': '{{count}} Tage',
    'duration.years_one': '{{count}} Jahr',
    'duration.years_other': '{{count}} Jahre',
    'duration.hours_one': '{{count}} Stunde',
    'duration.hours_other': '{{count}} Stunden',

    'erase.failed':
      'Entschuldigung, bei uns ist etwas schiefgelaufen. Ihre Anfrage ist gespeichert; bitte fragen Sie in ein paar Minuten noch einmal.',
    'erase.inProgress':
      'Ihre Daten werden gerade gelöscht (Anfrage {{code}}). Ich bestätige es hier, sobald es erledigt ist.',
    'erase.otherPerson':
      'Ich kann nur mit den Daten der WhatsApp-Nummer arbeiten, die hier schreibt, nie mit denen einer anderen Person: Diese muss es von ihrer eigenen Nummer aus anfragen.',
    'erase.offer.title': '*Ihre Daten bei {{business}} löschen?* (Anfrage {{code}})',
    'erase.offer.deleted':
      '*Gelöscht:* Ihr Profil (WhatsApp-Nummer, Name, gespeicherte Adressen), dieser Chat und ein Warenkorb, die Aufzeichnungen Ihrer Nachrichten und ihrer Zustellung sowie Ihre Abmeldung von Nachrichten.',
    'erase.offer.keptOrders_one':
      '*Anonymisiert aufbewahrt:* {{count}} Bestellung — nur Artikel, Beträge, Daten und Bestellnummer, ohne Name, Telefon, Adresse oder Chattext — für {{period}}, weil das Geschäft Buchhaltungsunterlagen aufbewahren muss.',
    'erase.offer.keptOrders_other':
      '*Anonymisiert aufbewahrt:* Ihre {{count}} Bestellungen — nur Artikel, Beträge, Daten und Bestellnummer, ohne Name, Telefon, Adresse oder Chattext — für {{period}}, weil das Geschäft Buchhaltungsunterlagen aufbewahren muss.',
    'erase.offer.noOrders': '*Aufbewahrt:* nichts zu Bestellungen (Sie haben keine).',
    'erase.offer.keptRequest':
      '*Aufbewahrt:* ein Nachweis dieser Anfrage (Code, Daten und Anzahlen, keine persönlichen Daten) für 3 Jahre, um zu zeigen, dass sie erledigt wurde.',
    'erase.offer.meta':
      'WhatsApp (Meta) behält eine eigene Kopie der Nachrichten bis zu 30 Tage. Das kann nicht rückgängig gemacht werden.',
    'erase.delete.button': 'Daten löschen',
    'erase.keep.button': 'Daten behalten',
    'erase.openOrders.title': '*Ihre offenen Bestellungen* ({{total}})',
    'erase.openOrders.cancel':
      '• Bestellung {{number}} ({{status}}): Sie wird *storniert*, und das Geschäft wird informiert.',
    'erase.openOrders.handover':
      '• Bestellung {{number}} ({{status}}): Sie geht weiter. Nur was für die Übergabe nötig ist (Adresse, Notiz, Ihr Name und Ihre Nummer), bleibt gespeichert, bis sie abgeschlossen ist, und wird dann ebenfalls gelöscht.',
    'erase.erasing': 'Ich lösche jetzt Ihre Daten. Ich bestätige es hier gleich.',
    'erase.kept': 'In Ordnung, es wurde nichts gelöscht. Ihre Daten bleiben, wie sie sind.',
    'erase.stale':
      'Diese Schaltfläche ist abgelaufen oder wurde schon benutzt, es hat sich nichts geändert. Schreiben Sie *meine Daten löschen*, um neu zu beginnen.',
    'erase.decideFailed':
      'Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte tippen Sie noch einmal auf die Schaltfläche.',
    'receipt.failed':
      'Wir haben Ihre Daten gelöscht, aber eine letzte Prüfung hat noch etwas gefunden (Anfrage *{{code}}*).\nDas Team ist informiert und schließt die Löschung ab; Sie müssen nichts tun.',
    'receipt.done': '✅ *Ihre Daten wurden gelöscht.* Bestätigungscode: *{{code}}*',
    'receipt.deleted_one':
      'Gelöscht: {{count}} Eintrag — Profil, gespeicherte Adressen, Chat, Nachrichten- und Zustellungsaufzeichnungen.',
    'receipt.deleted_other':
      'Gelöscht: {{count}} Einträge — Profil, gespeicherte Adressen, Chat, Nachrichten- und Zustellungsaufzeichnungen.',
    'receipt.keptOrdersUntil_one':
      'Anonymisiert aufbewahrt: {{count}} Bestellung (Artikel, Beträge, Daten, Bestellnummer; ohne Name, Telefon, Adresse oder Chat) bis {{date}}, für die Buchhaltung des Geschäfts.',
    'receipt.keptOrdersUntil_other':
      'Anonymisiert aufbewahrt: {{count}} Bestellungen (Artikel, Beträge, Daten, Bestellnummer; ohne Name, Telefon, Adresse oder Chat) bis {{date}}, für die Buchhaltung des Geschäfts.',
    'receipt.keptOrders_one':
      'Anonymisiert aufbewahrt: {{count}} Bestellung (Artikel, Beträge, Daten, Bestellnummer; ohne Name, Telefon, Adresse oder Chat), für die Buchhaltung des Geschäfts.',
    'receipt.keptOrders_other':
      'Anonymisiert aufbewahrt: {{count}} Bestellungen (Artikel, Beträge, Daten, Bestellnummer; ohne Name, Telefon, Adresse oder Chat), für die Buchhaltung des Geschäfts.',
    'receipt.noOrders': 'Es wurden keine Bestellungen aufbewahrt.',
    'receipt.cancelled_one':
      'Storniert: Bestellung {{orders}}, die das Geschäft noch nicht begonnen hatte; das Geschäft ist informiert.',
    'receipt.cancelled_other':
      'Storniert: Bestellungen {{orders}}, die das Geschäft noch nicht begonnen hatte; das Geschäft ist informiert.',
    'receipt.handover_one':
      'Noch unterwegs: Bestellung {{orders}}. Nur was für die Übergabe nötig ist (Lieferadresse und Notiz, Ihr Name und Ihre Nummer, verschlüsselt), bleibt gespeichert, bis sie abgeschlossen oder storniert ist, und wird dann ebenfalls gelöscht.',
    'receipt.handover_other':
      'Noch unterwegs: Bestellungen {{orders}}. Nur was für die Übergabe nötig ist (Lieferadresse und Notiz, Ihr Name und Ihre Nummer, verschlüsselt), bleibt gespeichert, bis sie abgeschlossen oder storniert sind, und wird dann ebenfalls gelöscht.',
    'receipt.keptRequest':
      'Aufbewahrt: der Nachweis dieser Anfrage (Code, Daten, Anzahlen; keine persönlichen Daten) für 3 Jahre.',
    'receipt.fresh': 'Wenn Sie uns wieder schreiben, beginnen wir ganz von vorn.',

    'optOut.done':
      'Erledigt: Sie bekommen keine Bestell-Updates oder anderen Nachrichten mehr von uns, außer Sie schreiben zuerst. Wir antworten weiterhin, wenn Sie schreiben. Schreiben Sie *anmelden*, um wieder Updates zu bekommen.',
    'optOut.failed': 'Entschuldigung, bitte senden Sie gleich noch einmal *abmelden*.',
    'optIn.done': 'Willkommen zurück: Sie bekommen hier wieder Updates zu Ihren Bestellungen.',
    'optIn.failed': 'Entschuldigung, bitte senden Sie gleich noch einmal *anmelden*.',

    'correct.which': 'Was möchten Sie korrigieren?',
    'correct.which.name.button': 'Mein Name',
    'correct.which.address.button': 'Eine Adresse',
    'correct.which.phone.button': 'Meine Nummer',
    'correct.phone':
      'Ihre Telefonnummer kann hier nicht geändert werden: Daran erkennt WhatsApp für uns, dass dieser Chat Ihnen gehört, damit niemand Ihre Daten durch Eintippen auf eine andere Nummer übertragen kann. Um eine andere Nummer zu nutzen, schreiben Sie uns einfach von dort. Sie können die Daten dieser Nummer auch löschen lassen: Schreiben Sie *meine Daten löschen*.',
    'correct.hint':
      'Bitte beantworten Sie die Frage oben schriftlich, oder schreiben Sie *abbrechen*, um Ihre Angaben so zu lassen.',
    'correct.unchanged': 'In Ordnung, es wurde nichts geändert.',
    'correct.noAddresses':
      'Sie haben bei uns keine gespeicherten Adressen. Eine Adresse wird gespeichert, wenn Sie mit Lieferung bestellen.',
    'correct.loadFailed': 'Entschuldigung, ich konnte Ihre Angaben gerade nicht laden.',
    'correct.name.known':
      'Der Name, den wir für Sie haben, ist *{{name}}*. Schreiben Sie Ihren Namen so, wie wir ihn verwenden sollen, oder *abbrechen*.',
    'correct.name.none':
      'Wir haben keinen Namen für Sie. Schreiben Sie Ihren Namen so, wie wir ihn verwenden sollen, oder *abbrechen*.',
    'correct.pickAddress': 'Welche gespeicherte Adresse möchten Sie korrigieren oder entfernen?',
    'correct.pickAddress.button': 'Adressen',
    'correct.address.row': 'Adresse {{number}}',
    'correct.addressPrompt':
      'Schreiben Sie die korrigierte Adresse, oder *löschen*, um sie aus Ihren gespeicherten Adressen zu entfernen (oder *abbrechen*).',
    'correct.confirm.name': '*Ihr Name*\nVorher: {{before}}\nNachher: {{after}}\nDiese Änderung speichern?',
    'correct.confirm.address':
      '*Ihre gespeicherte Adresse*\nVorher: {{before}}\nNachher: {{after}}\nDiese Änderung speichern?',
    'correct.none': '(leer)',
    'correct.removed': '(entfernt)',
    'correct.save.button': 'Speichern',
    'correct.cancel.button': 'Abbrechen',
    'correct.saved': 'Gespeichert. Danke, dass Sie Ihre Angaben aktuell halten.',
    'correct.saveFailed':
      'Entschuldigung, die Änderung konnte nicht gespeichert werden. Bitte versuchen Sie es später noch einmal.',

    'document.caption': 'Ihre Daten bei {{business}}, als Dokument zum Lesen ({{code}})',
    'document.title': 'Ihre Daten bei {{business}}',
    'document.subtitle': 'Anfrage {{code}} · {{date}}',
    'document.intro': 'Alles, was {{business}} an diesem Tag über Sie gespeichert hat, in einfachen Worten.',
    'document.profile': 'Ihr Profil',
    'document.firstContact': '• Erste Nachricht: {{date}}',
    'document.lastMessage': '• Letzte Nachricht: {{date}}',
    'document.addresses': '• Gespeicherte Adressen:',
    'document.preferences': 'Ihre Einstellungen',
    'document.orders': 'Ihre Bestellungen ({{total}})',
    'document.noOrders': 'Keine Bestellungen.',
    'document.order': 'Bestellung {{number}} · {{date}} · {{status}}',
    'document.item': '{{quantity}} × {{name}}, je {{price}}: {{total}}',
    'document.total': 'Summe: {{total}}',
    'document.pickup': 'Abholung',
    'document.delivery': 'Lieferung an: {{address}}',
    'document.deliveryNoAddress': 'Lieferung',
    'document.note': 'Notiz: {{note}}',
    'document.keptUntil': 'Aufbewahrt bis {{date}}, für die Buchhaltung des Geschäfts',
    'document.conversation': 'Unser Chat',
    'document.messages': 'Nachrichten',
    'document.requests': 'Ihre Datenschutz-Anfragen',
    'document.why': 'Warum wir sie aufbewahren und wie lange',
    'document.recipients': 'Wer sie erhält',
    'document.closing':
      'Die JSON-Datei, die mit diesem Dokument kommt, ist die vollständige Kopie derselben Daten für Computer: Sie können sie aufbewahren oder an einen anderen Dienst weitergeben.',
    'document.page': 'Seite {{page}} von {{pages}}',
    'processing.suppressions.holds':
      'Ihre Abmeldung von Nachrichten und nach einer Löschung ein Vermerk ohne Ihre Nummer, der geplante Nachrichten stoppt.',
    'processing.suppressions.purpose':
      'Damit wir „abmelden“ einhalten und nach einer Löschung nichts Geplantes mehr senden.',
    'processing.suppressions.retention':
      'Bis Sie „anmelden“ senden; der Vermerk nach einer Löschung {{period}}.',
    'processing.conversations.holds':
      'Wo unser Chat stehen geblieben ist, und Ihr Warenkorb; kein Nachrichtenverlauf.',
    'processing.conversations.purpose':
      'Damit Sie dort weitermachen können und Ihr Warenkorb bis zur Bestellung bleibt.',
    'processing.conversations.retention': 'Inaktive Chats: {{idle}}; Warenkörbe: {{cart}}.',
    'processing.inbox.holds':
      'Aufzeichnungen Ihrer Nachrichten: wann, und ob sie beantwortet wurden; der Text nur bis zur Antwort.',
    'processing.inbox.purpose': 'Damit jede Nachricht genau einmal und der Reihe nach beantwortet wird.',
    'processing.inbox.retention': '{{period}} nach jeder Nachricht.',
    'processing.outbox.holds':
      'Unsere Antworten, ob sie angekommen sind, und Ihre Reaktionen darauf; der Text nur bis zum Versand.',
    'processing.outbox.purpose':
      'Damit jede Antwort genau einmal und rechtzeitig rausgeht und wir wissen, dass sie ankam.',
    'processing.outbox.retention': '{{period}} nach jeder Antwort.',
    'processing.customers.holds':
      'Ihr Profil: WhatsApp-Nummer, Name, gespeicherte Adressen und die Sprache, in der wir mit Ihnen schreiben.',
    'processing.customers.purpose':
      'Um Ihnen zu antworten, Sie wiederzuerkennen und Ihre gespeicherten Adressen anzubieten.',
    'processing.customers.retention': '{{period}} nach Ihrer letzten Nachricht.',
    'processing.customerIds.holds':
      'Eine verschlüsselte Form Ihrer Nummer und Ihrer WhatsApp-Nutzerkennung, nie die Nummer selbst.',
    'processing.customerIds.purpose':
      'Um zu wissen, dass Sie dieselbe Person sind, wie auch immer WhatsApp Sie kennzeichnet.',
    'processing.customerIds.retention': '{{period}} und einen Tag nach Ihrer letzten Nachricht.',
    'processing.orders.holds':
      'Ihre Bestellungen: Nummer, Artikel, Beträge, Daten, Status, Lieferadresse und Notiz.',
    'processing.orders.purpose':
      'Um Ihre Bestellungen zuzubereiten und zu liefern, und für die Buchhaltung des Geschäfts.',
    'processing.orders.retention':
      '{{period}} (Buchhaltungspflicht); Lieferadresse und Notiz {{contact}} nach Abschluss der Bestellung.',
    'processing.aiCalls.holds':
      'Wann die KI für Ihre Nachrichten genutzt wurde: Zeit, Zweck und Umfang; nie Ihre Worte.',
    'processing.aiCalls.purpose':
      'Um dem Geschäft zu zeigen, wofür die KI genutzt wurde, und sein Budget einzuhalten.',
    'processing.aiCalls.retention': '{{period}} nach jeder Nutzung.',
    'processing.privacyRequests.holds':
      'Ihre Datenschutzanfragen wie diese: Art, Daten, Code und Ergebnis; keine persönlichen Daten.',
    'processing.privacyRequests.purpose': 'Um zu zeigen, dass jede Anfrage rechtzeitig beantwortet wurde.',
    'processing.privacyRequests.retention': '{{period}} nach jeder Anfrage.',
    'why.handoffs':
      '• Die Nachrichten zwischen Ihnen und dem Team, nachdem Sie nach einem Menschen gefragt haben (verschlüsselt): damit das Team sie lesen und beantworten kann. Gespeichert, solange der Chat offen ist, danach {{period}}.',
    'processing.handoffs.holds':
      'Die Nachrichten, die Sie mit dem Team ausgetauscht haben, nachdem Sie eine Person verlangt haben (verschlüsselt), und wann der Chat geöffnet, übernommen und beendet wurde.',
    'processing.handoffs.purpose': 'Damit eine Person aus dem Team Sie lesen und Ihnen antworten kann.',
    'processing.handoffs.retention': 'Solange der Chat mit einer Person offen ist, danach {{period}}.',
    'document.handoffs': 'Ihre Gespräche mit einer Person ({{total}})',
    'document.noHandoffs': 'Sie haben nicht darum gebeten, mit einer Person zu sprechen.',
    'document.handoff_one': '{{date}} · {{status}} · {{count}} Nachricht',
    'document.handoff_other': '{{date}} · {{status}} · {{count}} Nachrichten',
    'document.handoffTexts': 'Die Nachrichten selbst stehen in der JSON-Datei.',
    'handoffStatus.waiting': 'wartet auf eine Person',
    'handoffStatus.taken': 'eine Person antwortet',
    'handoffStatus.returned': 'zurück beim Assistenten',
    'handoffStatus.closed': 'geschlossen',
    'summary.noHistory': '• Ein Nachrichtenverlauf wird nicht gespeichert',
    'summary.handoffs_one':
      '• Chats mit einer Person: {{count}}, samt Nachrichten gespeichert bis {{days}} Tage nach der letzten; sonst wird kein Nachrichtenverlauf gespeichert',
    'summary.handoffs_other':
      '• Chats mit einer Person: {{count}}, samt Nachrichten gespeichert bis {{days}} Tage nach der letzten; sonst wird kein Nachrichtenverlauf gespeichert',
    'processing.appointments.holds':
      'Ihre Termine: Nummer, Leistung, bei wem oder wo, Zeiten, Status, Preis und Ihre Antworten auf die Fragen vor der Buchung (verschlüsselt).',
    'processing.appointments.purpose':
      'Ihre Termine einhalten, Sie daran erinnern, und für die Unterlagen des Betriebs.',
    'processing.appointments.retention':
      '{{period}} nach jedem Termin; Ihre Antworten auf die Fragen werden gelöscht, wenn Sie die Löschung Ihrer Daten verlangen.',
    'why.appointments':
      '• Ihre Termine (und Ihre Antworten auf die Fragen vor der Buchung, verschlüsselt): um sie einzuhalten, Sie zu erinnern, und für die Unterlagen des Betriebs. Gespeichert: {{period}} nach jedem Termin.',
  },
});
