import { defineMessages } from './define.js';

/**
 * Texts of the root namespace (keys: `root:<key>`): the shell of the conversation (flows/root.flow.ts and
 * flows/menu.ts): greeting, main menu, help, misunderstandings, handoff to a person, the global commands'
 * answers, and the runner's restart notice. The help line's list is joined per language (Intl.ListFormat):
 * `menu.human.help` is one of its parts, written to follow `help.intro` (in German, a zu-infinitive).
 */
export const rootMessages = defineMessages({
  en: {
    greeting: "Hi! Welcome to *{{business}}*. I'm the automated assistant.",
    'greeting.again': 'Hi again!',
    thanks: "You're welcome!",
    'unreadable.first': "Sorry, I can't read that kind of message. Please type, or tap an option.",
    unreadable: "Sorry, I can't read that kind of message. Please type your answer or tap an option.",
    'menu.intro': 'What would you like to do? Tap *Options*, or type a number.',
    'menu.button': 'Options',
    'menu.section': 'Main menu',
    'menu.human.row': 'Talk to a person',
    'menu.human.rowDescription': 'A member of the team answers here',
    'menu.human.help': 'get you to *a person*',
    'help.intro': 'I can help you {{options}}.',
    'help.commands':
      'At any time you can type *menu* to see the options, *cancel* to stop what you are doing, or *human* to talk to a person.',
    notUnderstood: "Sorry, I didn't understand that.",
    'stuck.text':
      "I'm still not sure what you need. Would you like to see the options again, or talk to a person?",
    'stuck.options.button': 'Show options',
    'stuck.person.button': 'Talk to a person',
    'stuck.hint': 'Please tap one of the buttons above, or type *human* to reach a person.',
    'stuck.again': "Sorry, I still didn't get that. Would you like the options, or a person?",
    'stuck.lost': "I can't follow that, sorry. Tap *{{options}}* to see what I can do, or *{{person}}*.",
    nothingToCancel: 'Nothing to cancel right now.',
    cancelled: 'Cancelled.',
    'handoff.announce':
      'OK, a person from *{{business}}* will answer you here as soon as possible. The assistant stays quiet until then (type *cancel* to come back to it).',
    'handoff.cancelled': "OK, you're back with the automated assistant.",
    'handoff.resumed': "You're back with the automated assistant.",
    'handoff.timeout':
      "Sorry, nobody from the team could answer in time. You're back with the automated assistant.",
    restart: "We've updated our assistant, so we're starting our conversation over. Sorry for the trouble!",
    'menu.language.row': '🌐 Language',
    'menu.language.rowDescription': 'Choose the language I write in',
    'language.prompt': 'Which language should I write in? Tap *Languages*, or type a number.',
    'language.button': 'Languages',
    'language.set': "OK, I'll write in English from now on.",
    'aside.greeting': "Hi! Let's carry on where we were.",
    'aside.thanks': "You're welcome! Let's carry on.",
    'handoff.joined': '*{{business}}*: a person has joined the chat and will answer you here.',
    'form.received': 'Thanks, received.',
    'unread.audio': "I can't listen to voice notes yet. Please type your message, or tap an option.",
    'unread.image': "I can't look at photos yet. Please tell me in words what you need, or tap an option.",
    'unread.video': "I can't watch videos yet. Please tell me in words what you need, or tap an option.",
    'unread.document': "I can't open documents yet. Please type your message, or tap an option.",
    'unread.sticker': 'Nice sticker! I can only read typed messages and taps, though.',
    'unread.contacts':
      "Thanks, I've seen the contact, but I can't use contacts here. Please type your answer, or tap an option.",
    'unread.location':
      "Thanks, I've seen the location, but I don't need one here. Please type your answer, or tap an option.",
    'unread.edit': "I can't see edits to messages. Please send what you meant as a new message.",
    orderQuestion:
      "I can't answer that about your order here, but a person at *{{business}}* can. Tap *{{person}}*.",
    staleTap: 'That option is from an earlier message and no longer open. Here is what you can do now:',
  },
  es: {
    greeting: '¡Hola! Te damos la bienvenida a *{{business}}*. Soy el asistente automático.',
    'greeting.again': '¡Hola de nuevo!',
    thanks: '¡De nada!',
    'unreadable.first': 'Lo siento, no puedo leer ese tipo de mensaje. Escribe o toca una opción.',
    unreadable: 'Lo siento, no puedo leer ese tipo de mensaje. Escribe tu respuesta o toca una opción.',
    'menu.intro': '¿Qué te gustaría hacer? Toca *Opciones* o escribe un número.',
    'menu.button': 'Opciones',
    'menu.section': 'Menú principal',
    'menu.human.row': 'Hablar con una persona',
    'menu.human.rowDescription': 'Alguien del equipo te responde aquí',
    'menu.human.help': 'ponerte con *una persona*',
    'help.intro': 'Puedo ayudarte a {{options}}.',
    'help.commands':
      'En cualquier momento puedes escribir *menú* para ver las opciones, *cancelar* para dejar lo que estás haciendo o *humano* para hablar con una persona.',
    notUnderstood: 'Perdona, no lo he entendido.',
    'stuck.text':
      'Sigo sin saber qué necesitas. ¿Quieres ver las opciones otra vez o hablar con una persona?',
    'stuck.options.button': 'Ver opciones',
    'stuck.person.button': 'Hablar con alguien',
    'stuck.hint': 'Toca uno de los botones de arriba o escribe *humano* para hablar con una persona.',
    'stuck.again': 'Perdona, sigo sin entenderlo. ¿Quieres ver las opciones o hablar con una persona?',
    'stuck.lost':
      'No consigo entenderlo, perdona. Toca *{{options}}* para ver lo que puedo hacer o *{{person}}*.',
    nothingToCancel: 'Ahora mismo no hay nada que cancelar.',
    cancelled: 'Cancelado.',
    'handoff.announce':
      'Vale, una persona de *{{business}}* te responderá aquí lo antes posible. Mientras tanto, el asistente no dirá nada (escribe *cancelar* para volver con él).',
    'handoff.cancelled': 'Vale, vuelves a estar con el asistente automático.',
    'handoff.resumed': 'Vuelves a estar con el asistente automático.',
    'handoff.timeout':
      'Lo siento, nadie del equipo ha podido responder a tiempo. Vuelves a estar con el asistente automático.',
    restart:
      'Hemos actualizado nuestro asistente, así que empezamos la conversación de nuevo. ¡Perdona las molestias!',
    'menu.language.row': '🌐 Idioma',
    'menu.language.rowDescription': 'Elige el idioma en el que te escribo',
    'language.prompt': '¿En qué idioma te escribo? Toca *Idiomas* o escribe un número.',
    'language.button': 'Idiomas',
    'language.set': 'Vale, a partir de ahora te escribo en español.',
    'aside.greeting': '¡Hola! Seguimos donde lo dejamos.',
    'aside.thanks': '¡De nada! Sigamos.',
    'handoff.joined': '*{{business}}*: una persona se ha unido a la conversación y te responderá aquí.',
    'form.received': 'Gracias, recibido.',
    'unread.audio': 'Todavía no puedo escuchar notas de voz. Escribe tu mensaje o toca una opción.',
    'unread.image': 'Todavía no puedo ver fotos. Dime con palabras qué necesitas o toca una opción.',
    'unread.video': 'Todavía no puedo ver vídeos. Dime con palabras qué necesitas o toca una opción.',
    'unread.document': 'Todavía no puedo abrir documentos. Escribe tu mensaje o toca una opción.',
    'unread.sticker': '¡Bonito sticker! Pero solo puedo leer mensajes escritos y toques en las opciones.',
    'unread.contacts':
      'Gracias, he visto el contacto, pero aquí no puedo usar contactos. Escribe tu respuesta o toca una opción.',
    'unread.location':
      'Gracias, he visto la ubicación, pero aquí no la necesito. Escribe tu respuesta o toca una opción.',
    'unread.edit': 'No puedo ver los mensajes editados. Envía lo que querías decir en un mensaje nuevo.',
    orderQuestion:
      'No puedo responder a eso sobre tu pedido, pero una persona de *{{business}}* sí. Toca *{{person}}*.',
    staleTap:
      'Esa opción es de un mensaje anterior y ya no está disponible. Esto es lo que puedes hacer ahora:',
  },
  pt: {
    greeting: 'Olá! Boas-vindas ao atendimento de *{{business}}*. Sou o assistente automático.',
    'greeting.again': 'Olá de novo!',
    thanks: 'De nada!',
    'unreadable.first': 'Desculpe, não consigo ler esse tipo de mensagem. Digite ou toque em uma opção.',
    unreadable: 'Desculpe, não consigo ler esse tipo de mensagem. Digite sua resposta ou toque em uma opção.',
    'menu.intro': 'O que você gostaria de fazer? Toque em *Opções* ou digite um número.',
    'menu.button': 'Opções',
    'menu.section': 'Menu principal',
    'menu.human.row': 'Falar com uma pessoa',
    'menu.human.rowDescription': 'Alguém da equipe responde aqui',
    'menu.human.help': 'chamar *uma pessoa*',
    'help.intro': 'Posso ajudar você a {{options}}.',
    'help.commands':
      'A qualquer momento, você pode digitar *menu* para ver as opções, *cancelar* para parar o que está fazendo ou *atendente* para falar com uma pessoa.',
    notUnderstood: 'Desculpe, não entendi.',
    'stuck.text':
      'Ainda não entendi do que você precisa. Quer ver as opções de novo ou falar com uma pessoa?',
    'stuck.options.button': 'Ver opções',
    'stuck.person.button': 'Falar com alguém',
    'stuck.hint': 'Toque em um dos botões acima ou digite *atendente* para falar com uma pessoa.',
    'stuck.again': 'Desculpe, ainda não entendi. Quer ver as opções ou falar com uma pessoa?',
    'stuck.lost':
      'Não consegui entender, desculpe. Toque em *{{options}}* para ver o que posso fazer ou em *{{person}}*.',
    nothingToCancel: 'Não há nada para cancelar agora.',
    cancelled: 'Cancelado.',
    'handoff.announce':
      'Certo, uma pessoa da equipe de *{{business}}* vai responder aqui o quanto antes. Até lá, o assistente fica em silêncio (digite *cancelar* para voltar a ele).',
    'handoff.cancelled': 'Certo, você está de volta com o assistente automático.',
    'handoff.resumed': 'Você está de volta com o assistente automático.',
    'handoff.timeout':
      'Desculpe, ninguém da equipe conseguiu responder a tempo. Você está de volta com o assistente automático.',
    restart: 'Atualizamos nosso assistente, então vamos começar a conversa de novo. Desculpe o transtorno!',
    'menu.language.row': '🌐 Idioma',
    'menu.language.rowDescription': 'Escolha o idioma em que eu escrevo',
    'language.prompt': 'Em qual idioma devo escrever? Toque em *Idiomas* ou digite um número.',
    'language.button': 'Idiomas',
    'language.set': 'Certo, a partir de agora escrevo em português.',
    'aside.greeting': 'Olá! Vamos continuar de onde paramos.',
    'aside.thanks': 'De nada! Vamos continuar.',
    'handoff.joined': '*{{business}}*: uma pessoa entrou na conversa e vai responder você aqui.',
    'form.received': 'Obrigado, recebido.',
    'unread.audio': 'Ainda não consigo ouvir mensagens de voz. Digite sua mensagem ou toque em uma opção.',
    'unread.image': 'Ainda não consigo ver fotos. Diga em palavras do que precisa ou toque em uma opção.',
    'unread.video': 'Ainda não consigo ver vídeos. Diga em palavras do que precisa ou toque em uma opção.',
    'unread.document': 'Ainda não consigo abrir documentos. Digite sua mensagem ou toque em uma opção.',
    'unread.sticker': 'Que figurinha legal! Mas só consigo ler mensagens digitadas e toques nas opções.',
    'unread.contacts':
      'Obrigado, vi o contato, mas não consigo usar contatos aqui. Digite sua resposta ou toque em uma opção.',
    'unread.location':
      'Obrigado, vi a localização, mas não preciso dela aqui. Digite sua resposta ou toque em uma opção.',
    'unread.edit': 'Não consigo ver mensagens editadas. Envie o que queria dizer em uma nova mensagem.',
    orderQuestion:
      'Não consigo responder isso sobre o seu pedido, mas uma pessoa da *{{business}}* consegue. Toque em *{{person}}*.',
    staleTap:
      'Essa opção é de uma mensagem anterior e já não está disponível. Isto é o que pode fazer agora:',
  },
  fr: {
    greeting: "Bonjour ! Bienvenue chez *{{business}}*. Je suis l'assistant automatique.",
    'greeting.again': 'Rebonjour !',
    thanks: 'Avec plaisir !',
    'unreadable.first':
      'Désolé, je ne peux pas lire ce type de message. Écrivez votre message, ou touchez une option.',
    unreadable:
      'Désolé, je ne peux pas lire ce type de message. Écrivez votre réponse ou touchez une option.',
    'menu.intro': 'Que souhaitez-vous faire ? Touchez *Options* ou tapez un numéro.',
    'menu.button': 'Options',
    'menu.section': 'Menu principal',
    'menu.human.row': "Parler à quelqu'un",
    'menu.human.rowDescription': "Un membre de l'équipe vous répond ici",
    'menu.human.help': 'vous mettre en contact avec *une personne*',
    'help.intro': 'Je peux vous aider à {{options}}.',
    'help.commands':
      'À tout moment, vous pouvez taper *menu* pour voir les options, *annuler* pour arrêter ce que vous faites, ou *humain* pour parler à une personne.',
    notUnderstood: "Désolé, je n'ai pas compris.",
    'stuck.text':
      "Je ne sais toujours pas ce qu'il vous faut. Voulez-vous revoir les options, ou parler à une personne ?",
    'stuck.options.button': 'Voir les options',
    'stuck.person.button': "Parler à quelqu'un",
    'stuck.hint': "Touchez l'un des boutons ci-dessus, ou tapez *humain* pour joindre une personne.",
    'stuck.again':
      'Désolé, je ne comprends toujours pas. Voulez-vous voir les options, ou parler à une personne ?',
    'stuck.lost':
      "Je n'arrive pas à suivre, désolé. Touchez *{{options}}* pour voir ce que je peux faire, ou *{{person}}*.",
    nothingToCancel: "Il n'y a rien à annuler pour le moment.",
    cancelled: 'Annulé.',
    'handoff.announce':
      "D'accord, une personne de *{{business}}* va vous répondre ici dès que possible. D'ici là, l'assistant ne dit rien (tapez *annuler* pour revenir vers lui).",
    'handoff.cancelled': "D'accord, vous êtes de retour avec l'assistant automatique.",
    'handoff.resumed': "Vous êtes de retour avec l'assistant automatique.",
    'handoff.timeout':
      "Désolé, personne de l'équipe n'a pu répondre à temps. Vous êtes de retour avec l'assistant automatique.",
    restart:
      'Nous avons mis à jour notre assistant, nous reprenons donc la conversation depuis le début. Désolés pour le dérangement !',
    'menu.language.row': '🌐 Langue',
    'menu.language.rowDescription': 'Choisissez la langue de mes messages',
    'language.prompt': 'Dans quelle langue dois-je vous écrire ? Touchez *Langues* ou tapez un numéro.',
    'language.button': 'Langues',
    'language.set': "D'accord, je vous écris désormais en français.",
    'aside.greeting': 'Bonjour ! Reprenons où nous en étions.',
    'aside.thanks': 'Avec plaisir ! Continuons.',
    'handoff.joined': '*{{business}}* : une personne a rejoint la conversation et va vous répondre ici.',
    'form.received': 'Merci, bien reçu.',
    'unread.audio':
      'Je ne peux pas encore écouter les messages vocaux. Écrivez votre message ou touchez une option.',
    'unread.image':
      "Je ne peux pas encore voir les photos. Dites-moi avec des mots ce qu'il vous faut, ou touchez une option.",
    'unread.video':
      "Je ne peux pas encore regarder les vidéos. Dites-moi avec des mots ce qu'il vous faut, ou touchez une option.",
    'unread.document':
      'Je ne peux pas encore ouvrir les documents. Écrivez votre message ou touchez une option.',
    'unread.sticker': 'Joli autocollant ! Mais je ne lis que les messages écrits et les options touchées.',
    'unread.contacts':
      "Merci, j'ai vu le contact, mais je ne peux pas utiliser de contacts ici. Écrivez votre réponse ou touchez une option.",
    'unread.location':
      "Merci, j'ai vu la position, mais je n'en ai pas besoin ici. Écrivez votre réponse ou touchez une option.",
    'unread.edit':
      'Je ne vois pas les messages modifiés. Envoyez ce que vous vouliez dire dans un nouveau message.',
    orderQuestion:
      'Je ne peux pas répondre à cela sur votre commande, mais une personne de *{{business}}* le peut. Touchez *{{person}}*.',
    staleTap:
      'Cette option vient d’un message précédent et n’est plus disponible. Voici ce que vous pouvez faire maintenant :',
  },
  de: {
    greeting: 'Hallo! Willkommen bei *{{business}}*. Ich bin der automatische Assistent.',
    'greeting.again': 'Hallo nochmal!',
    thanks: 'Gern geschehen!',
    'unreadable.first':
      'Entschuldigung, diese Art von Nachricht kann ich nicht lesen. Bitte schreiben Sie oder tippen Sie auf eine Option.',
    unreadable:
      'Entschuldigung, diese Art von Nachricht kann ich nicht lesen. Bitte schreiben Sie Ihre Antwort oder tippen Sie auf eine Option.',
    'menu.intro': 'Was möchten Sie tun? Tippen Sie auf *Optionen* oder schreiben Sie eine Nummer.',
    'menu.button': 'Optionen',
    'menu.section': 'Hauptmenü',
    'menu.human.row': 'Mit einem Menschen reden',
    'menu.human.rowDescription': 'Jemand aus dem Team antwortet Ihnen hier',
    'menu.human.help': 'Sie mit *einem Menschen* zu verbinden',
    'help.intro': 'Ich kann Ihnen helfen, {{options}}.',
    'help.commands':
      'Sie können jederzeit *Menü* schreiben, um die Optionen zu sehen, *abbrechen*, um aufzuhören, oder *Mensch*, um mit einem Menschen zu sprechen.',
    notUnderstood: 'Entschuldigung, das habe ich nicht verstanden.',
    'stuck.text':
      'Ich weiß noch nicht genau, was Sie brauchen. Möchten Sie die Optionen noch einmal sehen oder mit einem Menschen sprechen?',
    'stuck.options.button': 'Optionen zeigen',
    'stuck.person.button': 'Mit jemandem reden',
    'stuck.hint':
      'Bitte tippen Sie auf einen der Knöpfe oben oder schreiben Sie *Mensch*, um jemanden aus dem Team zu erreichen.',
    'stuck.again':
      'Entschuldigung, das verstehe ich noch immer nicht. Möchten Sie die Optionen sehen oder mit einem Menschen sprechen?',
    'stuck.lost':
      'Das kann ich leider nicht zuordnen. Tippen Sie auf *{{options}}*, um zu sehen, was ich kann, oder auf *{{person}}*.',
    nothingToCancel: 'Im Moment gibt es nichts abzubrechen.',
    cancelled: 'Abgebrochen.',
    'handoff.announce':
      'Alles klar, jemand von *{{business}}* antwortet Ihnen hier so bald wie möglich. Bis dahin bleibt der Assistent still (schreiben Sie *abbrechen*, um zu ihm zurückzukehren).',
    'handoff.cancelled': 'Alles klar, Sie sind wieder beim automatischen Assistenten.',
    'handoff.resumed': 'Sie sind wieder beim automatischen Assistenten.',
    'handoff.timeout':
      'Entschuldigung, leider konnte niemand aus dem Team rechtzeitig antworten. Sie sind wieder beim automatischen Assistenten.',
    restart:
      'Wir haben unseren Assistenten aktualisiert und beginnen das Gespräch deshalb neu. Entschuldigen Sie die Umstände!',
    'menu.language.row': '🌐 Sprache',
    'menu.language.rowDescription': 'Wählen Sie die Sprache meiner Nachrichten',
    'language.prompt':
      'In welcher Sprache soll ich schreiben? Tippen Sie auf *Sprachen* oder schreiben Sie eine Nummer.',
    'language.button': 'Sprachen',
    'language.set': 'Alles klar, ich schreibe Ihnen ab jetzt auf Deutsch.',
    'aside.greeting': 'Hallo! Machen wir dort weiter, wo wir waren.',
    'aside.thanks': 'Gern geschehen! Machen wir weiter.',
    'handoff.joined': '*{{business}}*: Ein Mensch ist dem Chat beigetreten und antwortet Ihnen hier.',
    'form.received': 'Danke, erhalten.',
    'unread.audio':
      'Sprachnachrichten kann ich noch nicht anhören. Bitte schreiben Sie Ihre Nachricht oder tippen Sie auf eine Option.',
    'unread.image':
      'Fotos kann ich noch nicht ansehen. Bitte sagen Sie mir in Worten, was Sie brauchen, oder tippen Sie auf eine Option.',
    'unread.video':
      'Videos kann ich noch nicht ansehen. Bitte sagen Sie mir in Worten, was Sie brauchen, oder tippen Sie auf eine Option.',
    'unread.document':
      'Dokumente kann ich noch nicht öffnen. Bitte schreiben Sie Ihre Nachricht oder tippen Sie auf eine Option.',
    'unread.sticker':
      'Schöner Sticker! Ich kann aber nur geschriebene Nachrichten und getippte Optionen lesen.',
    'unread.contacts':
      'Danke, ich habe den Kontakt gesehen, kann hier aber keine Kontakte verwenden. Bitte schreiben Sie Ihre Antwort oder tippen Sie auf eine Option.',
    'unread.location':
      'Danke, ich habe den Standort gesehen, brauche hier aber keinen. Bitte schreiben Sie Ihre Antwort oder tippen Sie auf eine Option.',
    'unread.edit':
      'Bearbeitete Nachrichten kann ich nicht sehen. Bitte senden Sie das Gemeinte als neue Nachricht.',
    orderQuestion:
      'Das kann ich zu Ihrer Bestellung hier nicht beantworten, aber eine Person von *{{business}}* schon. Tippen Sie auf *{{person}}*.',
    staleTap:
      'Diese Auswahl stammt aus einer früheren Nachricht und ist nicht mehr verfügbar. Das können Sie jetzt tun:',
  },
});
