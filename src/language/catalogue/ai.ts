import { defineMessages } from './define.js';

/**
 * Texts of the ai namespace (keys: `ai:<key>`): an order an AI read from a typed message, offered for the
 * customer to confirm, and the customer's own AI choice. The phrases the preference texts name (*no AI*,
 * *AI is fine*) are the ones src/language/privacy-intents.ts recognises in that language.
 */
export const aiMessages = defineMessages({
  en: {
    'proposal.intro': 'I understood this order:',
    'proposal.line': '• {{quantity}} × {{name}} ({{price}} each)',
    'proposal.question': 'Add it to your cart?',
    'proposal.yes.button': 'Add to cart',
    'proposal.no.button': 'No, thanks',
    'proposal.declined': 'OK, nothing was added.',
    'preference.off':
      'Done: no AI will write replies to you here, even where the business uses it. Type *AI is fine* to change your mind.',
    'preference.on':
      'Done: replies to you may be phrased by AI where the business uses it. Type *no AI* to turn it off.',
    'preference.failed': 'Sorry, please send that again in a moment.',
  },
  es: {
    'proposal.intro': 'He entendido este pedido:',
    'proposal.line': '• {{quantity}} × {{name}} ({{price}} c/u)',
    'proposal.question': '¿Lo añado a tu carrito?',
    'proposal.yes.button': 'Añadir al carrito',
    'proposal.no.button': 'No, gracias',
    'proposal.declined': 'Vale, no he añadido nada.',
    'preference.off':
      'Hecho: aquí ninguna IA te escribirá respuestas, aunque el negocio la use. Escribe *IA está bien* si cambias de opinión.',
    'preference.on':
      'Hecho: las respuestas pueden estar redactadas por IA donde el negocio la use. Escribe *sin IA* para desactivarlo.',
    'preference.failed': 'Lo siento, vuelve a enviarlo en un momento.',
  },
  pt: {
    'proposal.intro': 'Entendi este pedido:',
    'proposal.line': '• {{quantity}} × {{name}} ({{price}} cada)',
    'proposal.question': 'Adiciono ao seu carrinho?',
    'proposal.yes.button': 'Pôr no carrinho',
    'proposal.no.button': 'Não, obrigado',
    'proposal.declined': 'Tudo bem, nada foi adicionado.',
    'preference.off':
      'Pronto: nenhuma IA vai escrever respostas para você aqui, mesmo que a loja use. Digite *IA tudo bem* se mudar de ideia.',
    'preference.on':
      'Pronto: as respostas podem ser escritas por IA onde a loja usa. Digite *sem IA* para desativar.',
    'preference.failed': 'Desculpe, envie de novo daqui a pouco.',
  },
  fr: {
    'proposal.intro': "J'ai compris cette commande :",
    'proposal.line': "• {{quantity}} × {{name}} ({{price}} l'unité)",
    'proposal.question': "Je l'ajoute à votre panier ?",
    'proposal.yes.button': 'Ajouter au panier',
    'proposal.no.button': 'Non, merci',
    'proposal.declined': "D'accord, rien n'a été ajouté.",
    'preference.off':
      "C'est fait : aucune IA ne rédigera de réponses pour vous ici, même si l'établissement en utilise une. Écrivez *IA ok* si vous changez d'avis.",
    'preference.on':
      "C'est fait : les réponses pourront être rédigées par une IA là où l'établissement en utilise une. Écrivez *sans IA* pour la désactiver.",
    'preference.failed': 'Désolé, renvoyez votre message dans un instant.',
  },
  de: {
    'proposal.intro': 'Ich habe diese Bestellung verstanden:',
    'proposal.line': '• {{quantity}} × {{name}} (je {{price}})',
    'proposal.question': 'In den Warenkorb legen?',
    'proposal.yes.button': 'In den Warenkorb',
    'proposal.no.button': 'Nein, danke',
    'proposal.declined': 'Alles klar, es wurde nichts hinzugefügt.',
    'preference.off':
      'Erledigt: Hier schreibt Ihnen keine KI Antworten, auch wenn das Geschäft KI nutzt. Schreiben Sie *KI ist ok*, wenn Sie es sich anders überlegen.',
    'preference.on':
      'Erledigt: Antworten an Sie können von einer KI formuliert werden, wo das Geschäft KI nutzt. Schreiben Sie *keine KI*, um das abzuschalten.',
    'preference.failed': 'Entschuldigung, bitte senden Sie das gleich noch einmal.',
  },
});
