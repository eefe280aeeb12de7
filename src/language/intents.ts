import { normalise } from '../core/normalise.js';
import { APPOINTMENT_BUTTONS } from '../core/booking.js';
import { templateButtonAction } from '../core/templates.js';
import type {
  AppointmentEvent,
  CommandEvent,
  FlowEvent,
  InboundEvent,
  SystemEvent,
} from '../core/vocabulary.js';
import { detectPrivacyIntent } from './privacy-intents.js';

export { normalise };

/** Whole-message commands in English, Spanish, Portuguese, French and German. */
const COMMANDS: Record<CommandEvent['type'], readonly string[]> = {
  'command.menu': [
    'menu',
    'main menu',
    'start over',
    'menu principal',
    'inicio',
    'menue',
    'hauptmenu',
    'hauptmenue',
  ],
  'command.help': ['help', 'ayuda', 'ajuda', 'aide', 'hilfe', '?'],
  'command.cancel': ['cancel', 'stop that', 'cancelar', 'annuler', 'abbrechen', 'stornieren'],
  'command.human': [
    'human',
    'agent',
    'person',
    'talk to a person',
    'talk to a human',
    'speak to a person',
    'speak to someone',
    'real person',
    'operator',
    'humano',
    'hablar con una persona',
    'falar com uma pessoa',
    'atendente',
    'parler a une personne',
    'conseiller',
    'humain',
    'mensch',
    'mitarbeiter',
    'mit einem menschen sprechen',
  ],
};

/**
 * Asking for a person in a sentence, as customers write it (checked on normalised text, the whole message):
 * "I want to talk to someone", "can I speak with a human please", "quiero hablar con una persona",
 * "necesito hablar con alguien", "quero falar com uma pessoa", "je voudrais parler à quelqu'un",
 * "ich möchte mit einem Menschen sprechen", or just "a person", "alguien", "quelqu'un". A sentence that only
 * mentions a person ("is a human there") is not such a request.
 */
const HUMAN_REQUESTS: readonly RegExp[] = [
  /^(?:(?:i|we) (?:want|need|would like|d like|wanna)(?: to)? |can i |could i |may i |let me |please )?(?:talk|speak|chat) (?:to|with) (?:a |an |some |the )?(?:real |actual )?(?:person|human|human being|someone|somebody|agent|operator|staff|member of staff)(?: please| pls)?$/,
  /^(?:a |an )?(?:real )?(?:person|human|someone|somebody)(?: please| pls)?$/,
  /^(?:(?:yo )?(?:quiero|quisiera|necesito|me gustaria|puedo|podria) )?(?:hablar|charlar) con (?:una persona(?: real)?|persona|alguien(?: del equipo)?|un humano|humano|un agente|un asesor|un operador)(?: por favor)?$/,
  /^(?:una persona|alguien)(?: por favor)?$/,
  /^(?:(?:eu )?(?:quero|queria|gostaria de|preciso|posso) )?(?:falar|conversar) com (?:uma pessoa(?: de verdade)?|pessoa|alguem(?: da equipe)?|um humano|humano|um atendente|atendente|um agente)(?: por favor)?$/,
  /^(?:uma pessoa|alguem)(?: por favor)?$/,
  /^(?:(?:je )?(?:veux|voudrais|souhaite|souhaiterais|aimerais|peux|pourrais) |puis je |est ce que je peux )?(?:parler|discuter) (?:a|avec) (?:quelqu un|une personne(?: reelle)?|une vraie personne|un humain|un conseiller|un agent|un operateur)(?: s il vous plait| svp| stp)?$/,
  /^(?:quelqu un|une personne|un humain)(?: s il vous plait| svp| stp)?$/,
  /^(?:bitte )?(?:ich (?:mochte|moechte|will|wurde gerne|wuerde gerne|muss) |kann ich |konnte ich |koennte ich |darf ich )?(?:bitte )?mit (?:einem (?:echten )?menschen|jemandem|einer (?:echten )?person|einem mitarbeiter|einer mitarbeiterin) (?:sprechen|reden)(?: bitte)?$/,
  /^(?:einen menschen|jemanden)(?: bitte)?$/,
];

/** Whether the whole message asks for a person, in one of our languages. */
function asksForPerson(plain: string): boolean {
  return HUMAN_REQUESTS.some((pattern) => pattern.test(plain));
}

const BY_PHRASE = new Map<string, CommandEvent['type']>();
for (const [type, phrases] of Object.entries(COMMANDS) as Array<[CommandEvent['type'], readonly string[]]>) {
  for (const phrase of phrases) BY_PHRASE.set(normalise(phrase) || phrase, type);
}

/** Buttons any flow may offer for the global commands. */
export const COMMAND_BUTTON_IDS: Record<string, CommandEvent['type']> = {
  'cmd.menu': 'command.menu',
  'cmd.help': 'command.help',
  'cmd.cancel': 'command.cancel',
  'cmd.human': 'command.human',
};

/** The global command a message is, if it is one: the whole message must be the command. */
export function detectCommand(event: InboundEvent): CommandEvent | undefined {
  if (event.type === 'user.text') {
    const text = event.text.trim();
    const plain = normalise(text);
    const type = BY_PHRASE.get(plain || text) ?? (asksForPerson(plain) ? 'command.human' : undefined);
    return type ? { type } : undefined;
  }
  if (event.type === 'user.button' || event.type === 'user.list') {
    const type = COMMAND_BUTTON_IDS[event.id];
    return type ? { type } : undefined;
  }
  return undefined;
}

/** A message that only greets or only thanks: the bot answers it at the menu instead of "not understood". */
export type Pleasantry = 'greeting' | 'thanks';

/** Greetings in our five languages, whole messages of one or two of them ("hola buenas", "oi, bom dia"). */
const GREETING =
  /^(?:(?:hi|hello|hey|hiya|good morning|good afternoon|good evening|morning|hola|buenas|buenos dias|buenas tardes|buenas noches|ola|oi|oie|bom dia|boa tarde|boa noite|bonjour|bonsoir|salut|coucou|hallo|guten tag|guten morgen|guten abend|moin|servus|gruss gott|gruezi)(?: |$)){1,2}(?:there|all|everyone|team|a todos|pessoal|tout le monde|zusammen)?$/;

/** Thanks in our five languages, alone or after "ok" ("ok thanks", "perfecto, gracias", "merci beaucoup"). */
const THANKS =
  /^(?:(?:ok|okay|oh|great|perfect|perfecto|perfeito|parfait|super|vale|genial|top|prima) )?(?:thanks|thank you|thx|ty|cheers|many thanks|gracias|muchas gracias|mil gracias|obrigado|obrigada|muito obrigado|muito obrigada|valeu|merci|merci beaucoup|merci bien|danke|danke schon|dankeschon|danke sehr|vielen dank)(?: (?:so much|a lot|very much|again|de nuevo|otra vez|mesmo|encore))?$/;

/** Whether a typed message only greets or only thanks (checked on normalised text, the whole message). */
export function detectPleasantry(text: string): Pleasantry | undefined {
  const plain = normalise(text);
  if (GREETING.test(plain)) return 'greeting';
  if (THANKS.test(plain)) return 'thanks';
  return undefined;
}

/** The tracking concern's menu row (flows/tracking.flow.ts): a template's "track" button opens it like the menu. */
export const TRACK_ROW_ID = 'menu.track';

/**
 * A tap on a template's quick-reply button carrying one of the bot's payloads (src/core/templates.ts), as the
 * same entry the menu offers: track → the tracking row, menu → the menu, person → a person, optout → "stop".
 */
function templateTap(event: InboundEvent): FlowEvent | undefined {
  if (event.type !== 'user.button') return undefined;
  switch (templateButtonAction(event.id)) {
    case 'track':
      return { ...event, id: TRACK_ROW_ID };
    case 'menu':
      return { type: 'command.menu' };
    case 'person':
      return { type: 'command.human' };
    case 'optout':
      return { type: 'privacy.optOut' };
    default:
      return undefined;
  }
}

/** An appointment's id as a reminder's button carries it: a bounded token, never free text. */
const APPOINTMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A tap on an appointment reminder's button (src/core/booking.ts `APPOINTMENT_BUTTONS`), as an interactive
 * reply or a template's quick reply: the appointment event it names. Whose appointment it is, and whether it
 * is still open, the booking machine's effects check.
 */
function appointmentTap(event: InboundEvent): AppointmentEvent | undefined {
  if (event.type !== 'user.button') return undefined;
  for (const action of ['confirm', 'move', 'cancel'] as const) {
    const prefix = APPOINTMENT_BUTTONS[action];
    if (!event.id.startsWith(prefix)) continue;
    const id = event.id.slice(prefix.length);
    return APPOINTMENT_ID.test(id) ? { type: `appointment.${action}`, id } : undefined;
  }
  return undefined;
}

/**
 * What a flow receives for a stored inbound event: template button taps as the menu's entries, privacy requests first (before any other handling, and
 * before any AI), then global commands, checked at every step by every flow; everything else passes through.
 */
export function toFlowEvent(event: InboundEvent | SystemEvent): FlowEvent {
  if (event.type === 'system.timeout' || event.type === 'system.resume' || event.type === 'system.taken')
    return event;
  return (
    templateTap(event) ?? appointmentTap(event) ?? detectPrivacyIntent(event) ?? detectCommand(event) ?? event
  );
}

/** A question typed at the menu that names one of its options: where my order is, or the menu of dishes. */
export type MenuQuestion = 'track' | 'browse' | 'book';

/** Said before a question ("hi, where is my order?") or after it ("… please"): not part of it. */
const OPENER = String.raw`(?:(?:hi|hello|hey|hola|buenas|ola|oi|bonjour|salut|hallo|excuse me|perdona|perdon|disculpa|desculpe|pardon|entschuldigung)\s)*`;
const PLEASE = String.raw`(?:\s(?:please|pls|por favor|porfa|porfavor|s il vous plait|svp|stp|bitte))?`;

/** "My order" and what customers call it, per language. */
const MY_ORDER = {
  en: String.raw`my (?:order|food|pizza|pizzas|delivery|meal|dinner|lunch)`,
  es: String.raw`(?:mi|el) (?:pedido|comida|orden|pizza|cena)`,
  pt: String.raw`(?:o )?(?:meu|minha) (?:pedido|comida|encomenda|pizza)`,
  fr: String.raw`(?:ma|la) (?:commande|livraison|pizza)`,
  de: String.raw`(?:meine|die) (?:bestellung|lieferung|pizza)|mein essen`,
};

/**
 * Where is my order, in the five languages, as whole messages (normalised text): "where is my order",
 * "where's my food", "¿dónde está mi pedido?", "¿cómo va mi pedido?", "cadê meu pedido", "où en est ma
 * commande", "wo bleibt meine Bestellung". Narrow on purpose: a sentence that only mentions an order is
 * left to ordering or the AI.
 */
const TRACK_QUESTIONS: readonly string[] = [
  String.raw`(?:where is|wheres|where s|how is|hows|how s|what about|whats happening with|what s happening with) ${MY_ORDER.en}(?: going| coming| coming along)?`,
  String.raw`(?:(?:what is|whats|what s) the )?status of ${MY_ORDER.en}|${MY_ORDER.en} status|order status`,
  String.raw`(?:is|when will|when is) ${MY_ORDER.en} (?:ready|coming|arriving|arrive|on its way|on the way|be ready|be here)`,
  String.raw`(?:track|check on|check) ${MY_ORDER.en}`,
  String.raw`(?:donde (?:esta|anda|va|queda)|como va|como vamos con|que pasa con|que hay de|cuando llega|cuando viene|cuanto (?:tarda|falta para)|estado de) ${MY_ORDER.es}`,
  String.raw`(?:seguir|ver el estado de) ${MY_ORDER.es}`,
  String.raw`(?:onde (?:esta|anda|fica)|cade|como (?:esta|vai)|quando chega|status d[oa]|estado d[oa]) ${MY_ORDER.pt}`,
  String.raw`(?:acompanhar) ${MY_ORDER.pt}`,
  String.raw`(?:ou est|ou en est|quand arrive|statut de|suivi de|suivre) ${MY_ORDER.fr}`,
  String.raw`(?:wo (?:ist|bleibt)|wann kommt|wie steht es um|status) ${MY_ORDER.de}`,
  String.raw`(?:${MY_ORDER.de}) verfolgen|status meiner bestellung|wie ist der status meiner bestellung`,
  // Cancelling an order starts where its Cancel button is: the customer's orders (tracking).
  String.raw`(?:(?:i (?:want|would like|d like) to|can i|please|how do i|how can i) )?cancel ${MY_ORDER.en}(?: please)?`,
  String.raw`(?:(?:quiero|quisiera|puedo|como) )?(?:cancelar|anular) ${MY_ORDER.es}(?: por favor)?`,
  String.raw`(?:(?:quero|queria|posso|como) )?(?:cancelar|anular) ${MY_ORDER.pt}(?: por favor)?`,
  String.raw`(?:(?:je veux|je voudrais|comment) )?annuler ${MY_ORDER.fr}(?: s il vous plait| svp)?`,
  String.raw`(?:ich (?:will|mochte|moechte) )?(?:${MY_ORDER.de}) (?:stornieren|absagen)(?: bitte)?`,
];

/** The menu of dishes, per language. */
const THE_MENU = {
  en: String.raw`(?:the |your )?(?:menu|food menu)`,
  es: String.raw`(?:el |la |vuestro |vuestra |su |tu )?(?:menu|carta)`,
  pt: String.raw`(?:o |a |seu |vosso )?(?:cardapio|menu|ementa)`,
  fr: String.raw`(?:le |la |votre )?(?:menu|carte)`,
  de: String.raw`(?:die |eure |ihre |deine |das )?(?:speisekarte|karte|menu|menue)`,
};

/**
 * Asking to see the menu of dishes, as whole messages: "can I see the menu?", "show me the menu", "quiero ver
 * el menú por favor", "posso ver o cardápio?", "je voudrais voir la carte", "kann ich die Speisekarte sehen".
 * "menu" alone stays the main menu (a command).
 */
const BROWSE_QUESTIONS: readonly string[] = [
  String.raw`(?:(?:can|could|may) i (?:see|have|get|look at)|(?:can|could) you (?:show|send) me|show me|send me|let me see|i (?:want|d like|would like) to see|i want|see|what s on|whats on|what is on) ${THE_MENU.en}`,
  String.raw`(?:(?:yo )?(?:quiero|quisiera|puedo|podria|me gustaria) ver|ver|(?:me )?(?:ensenas|ensenais|ensena|muestras|mostrais|pasas|pasais|mandas|mandais)|ensename|ensenadme|muestrame|mostradme|pasame|pasadme|mandame|mandadme) ${THE_MENU.es}`,
  String.raw`(?:(?:eu )?(?:quero|queria|posso|gostaria de) ver|ver|(?:me )?(?:mostra|mostre|manda|mande|envia|envie)|mostra me|manda me) ${THE_MENU.pt}`,
  String.raw`(?:(?:je )?(?:veux|voudrais|peux|aimerais) voir|puis je voir|est ce que je peux voir|voir|montrez moi|montre moi|envoyez moi) ${THE_MENU.fr}`,
  String.raw`(?:(?:kann|konnte|koennte|darf) ich ${THE_MENU.de} (?:sehen|haben|bekommen)|(?:zeig|zeigen sie|zeigt) mir ${THE_MENU.de}|ich (?:mochte|moechte|will|wurde gerne|wuerde gerne) ${THE_MENU.de} sehen)`,
  String.raw`(?:the menu|la carta|el menu|o cardapio|la carte|le menu|die speisekarte|die karte|speisekarte)`,
];

/**
 * Asking to book, or for one's own appointments, as whole messages: "I'd like to book an appointment", "my
 * appointments", "quiero pedir cita", "mis citas", "quero marcar uma consulta", "je voudrais prendre
 * rendez-vous", "mes rendez-vous", "ich möchte einen Termin buchen", "meine Termine".
 */
const BOOK_QUESTIONS: readonly string[] = [
  String.raw`(?:(?:i (?:want|would like|d like|need) to|can i|could i|how do i|how can i) )?(?:book|make|get|schedule) (?:an? |my )?(?:appointment|booking|visit|slot)`,
  String.raw`(?:(?:show|see|check|view) )?(?:my|our) (?:appointments?|bookings?)`,
  String.raw`(?:(?:yo )?(?:quiero|quisiera|necesito|puedo|podria|me gustaria|como) )?(?:pedir|coger|reservar|concertar|solicitar|tener|agendar) (?:una )?(?:cita|hora|consulta)`,
  String.raw`(?:(?:ver|consultar|mostrar) )?(?:mis|mi|nuestras) citas?`,
  String.raw`(?:(?:eu )?(?:quero|queria|preciso|posso|gostaria de|como) )?(?:marcar|agendar|reservar|fazer) (?:uma )?(?:consulta|marcacao|horario|sessao)`,
  String.raw`(?:as )?(?:minhas|minha) (?:consultas?|marcacoes|marcacao)`,
  String.raw`(?:(?:je )?(?:veux|voudrais|peux|aimerais|souhaite) |comment )?(?:prendre|reserver|avoir) (?:un )?rendez vous`,
  String.raw`(?:mes|mon) rendez vous`,
  String.raw`(?:ich (?:mochte|moechte|will|wurde gerne|wuerde gerne|brauche) )?(?:einen )?termin (?:buchen|machen|vereinbaren|ausmachen)`,
  String.raw`meine termine|mein termin`,
];

/** Asking for one's own appointments ("my appointments", "mis citas", "meine Termine"), a subset of the above. */
const MINE_QUESTIONS: readonly string[] = [
  String.raw`(?:(?:show|see|check|view) )?(?:my|our) (?:appointments?|bookings?)`,
  String.raw`(?:(?:ver|consultar|mostrar) )?(?:mis|mi) citas?`,
  String.raw`(?:(?:ver|consultar) )?(?:as )?(?:minhas|minha) (?:consultas?|marcacoes|marcacao)`,
  String.raw`(?:(?:voir|consulter) )?(?:mes|mon) rendez vous`,
  String.raw`(?:meine termine|mein termin)(?: (?:anzeigen|sehen))?`,
];

const whole = (questions: readonly string[]) => new RegExp(`^${OPENER}(?:${questions.join('|')})${PLEASE}$`);
const TRACK = whole(TRACK_QUESTIONS);
const BROWSE = whole(BROWSE_QUESTIONS);
const BOOK = whole(BOOK_QUESTIONS);
const MINE = whole(MINE_QUESTIONS);

/** Whether a whole message asks for the customer's own appointments rather than a new booking. */
export function asksForOwnAppointments(text: string): boolean {
  return MINE.test(normalise(text));
}

/**
 * The menu option a typed question asks for, if it is one of the few asked in so many words ("where is my
 * order?", "can I see the menu?"), in our five languages; checked on normalised text, the whole message.
 */
export function detectMenuQuestion(text: string): MenuQuestion | undefined {
  const plain = normalise(text);
  if (TRACK.test(plain)) return 'track';
  if (BROWSE.test(plain)) return 'browse';
  if (BOOK.test(plain)) return 'book';
  return undefined;
}

/** A question's opening words: why, how come, what happened, in the five languages (normalised). */
const WHY =
  /^(?:(?:hi|hello|hey|hola|oye|buenas|ola|oi|bonjour|salut|hallo|excuse me|perdona|disculpa|desculpe|pardon|entschuldigung) )*(?:why|how come|what happened|what s going on|whats going on|por que|porque|por q|pq|que ha pasado|que paso|que pasa con|o que aconteceu|o que houve|pourquoi|qu est ce qui se passe|que s est il passe|warum|wieso|weshalb|was ist (?:passiert|los))\b/;

/** Words about an order and what a business does to one: cancelled, late, refunded… (normalised). */
const ABOUT_AN_ORDER =
  /\b(?:order|orders|food|delivery|cancel\w*|refund\w*|late|delayed|pedido|pedidos|comida|envio|cancela\w*|anula\w*|reembolso|tarde|retras\w*|encomenda|entrega|atras\w*|commande|livraison|annul\w*|rembours\w*|retard|bestellung|lieferung|essen|storn\w*|erstatt\w*|verspat\w*|spat)\b/;

/**
 * A question about the customer's own order that only the business can answer ("¿por qué lo habéis
 * cancelado?", "why was my order cancelled?", "warum ist meine Bestellung so spät?"): typically the reply to a
 * notice the business sent. The bot offers a person rather than "not understood". Whole message, normalised.
 */
export function asksWhyAboutOrder(text: string): boolean {
  const plain = normalise(text);
  return plain.length <= 200 && WHY.test(plain) && ABOUT_AN_ORDER.test(plain);
}
