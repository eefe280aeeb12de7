import { normalise } from '../core/normalise.js';
import { ERASE_NO, ERASE_YES } from '../core/vocabulary.js';
import type { CorrectableField, InboundEvent, PrivacyEvent } from '../core/vocabulary.js';

/**
 * Privacy requests in typed text, English, Spanish, Portuguese, French and German, matched on normalised
 * text (lower case, no accents or punctuation: "¿Qué datos tienen de mí?" → "que datos tienen de mi").
 * Deterministic on purpose: a request made in the chat is a request (GDPR Art. 12), so it must never depend
 * on a model or fall through to "sorry, I didn't understand".
 */
const ACCESS = [
  // English
  /\bwhat (personal )?(data|information|info|details) (do|does|did) (you|u|the bot|this business)( guys)? (have|hold|store|keep|know|collect)\b/,
  /\b(see|show|show me|view|get|access|export|download|send me|give me|request) (a copy of )?(all )?my (personal )?(data|information|info|details)\b/,
  /\ba copy of (all )?my (personal )?(data|information|info|details)\b/,
  /\bwhat (personal )?(data|information|info|details) have you (got|collected|stored|kept)\b/,
  /\bwhat do you know about me\b|\bwhat do you (have|hold|store|keep) (on|about) me\b/,
  /\b(data|information) (do )?you (have|hold|store) (on|about) me\b/,
  /\bwhat (personal )?(data|information|info|details) (is|are|do you keep|have you got) (stored |kept |held )?(on|about) me\b/,
  // Spanish
  // Spanish, with the vosotros forms of Spain ("¿qué datos tenéis de mí?") and voseo ("tenés").
  /\bque (datos|informacion) (personales )?(mios |de mi |sobre mi )?(tienen|tienes|tiene|teneis|tenes|guardan|guardas|guarda|guardais|almacenan|almacenais|conservan|conservais)\b/,
  /\b(ver|mostrar|muestrame|mostradme|ensename|ensenadme|descargar|exportar|enviame|enviadme|mandame|mandadme|dame|dadme|quiero) (todos )?mis datos\b/,
  /\bque (saben|sabeis|sabes|sabe) (de|sobre) mi\b/,
  // Portuguese
  /\b(quais|que) (dados|informacoes) (pessoais )?((voces|voce|vcs|vc|o senhor|a senhora) )?(tem|teem|tens|guardam|guarda|guardas|possuem)\b/,
  /\b(ver|mostrar|baixar|exportar|me envie|envie|me mande|quero) (todos )?(os )?meus dados\b/,
  /\bo que ((voces|voce) )?(sabem|sabe|sabes) (sobre|de) mim\b/,
  // French
  /\bquelles (donnees|informations) (personnelles )?(avez vous|as tu|detenez vous|vous avez|tu as|conservez vous|gardez vous|possedez vous|stockez vous)\b/,
  /\b(vous avez|tu as) quelles (donnees|informations)\b/,
  /\b(voir|consulter|exporter|telecharger|envoyez moi|acceder a|recevoir) (toutes )?mes donnees\b/,
  /\bque (savez vous|sais tu) (sur|de) moi\b|\bqu est ce que (vous savez|tu sais) (sur|de) moi\b/,
  // German
  /\bwelche daten (haben sie|hast du|habt ihr|speichern sie|speichert ihr|speicherst du)\b/,
  /\bmeine daten (sehen|anzeigen|einsehen|exportieren|herunterladen|abrufen)\b/,
  /\bwas (wissen sie|wisst ihr|weisst du|weißt du) ue?ber mich\b/,
  /\bdatenauskunft\b|\bauskunft ue?ber meine daten\b/,
];

const ERASE = [
  /\b(delete|erase|remove|wipe|forget|destroy|purge) (all )?(of )?my (personal )?(data|information|info|details|account|history)\b/,
  /\bdelete (all )?(the )?(data|information|info)( you have)?( on| about| of)? me\b/,
  /\b(delete|erase|remove|wipe) everything (you have |you hold |you know )?(on|about) me\b/,
  /\bmy (personal )?(data|information|info|details) (deleted|erased|removed)\b/,
  /\b(delete|erase|remove) my (phone )?number\b(?! \d)|\bremove me from your (database|list|system|records)\b/,
  // "Don't forget (about) me" is a customer waiting for their order, not an erasure request.
  /(?<!\b(don t|dont|do not|never) )\bforget (about )?me\b/,
  /\bright to be forgotten\b/,
  // Spanish, with the vosotros imperatives of Spain ("borrad mis datos") and "que borréis / borre".
  /\b(borra|borrar|borren|borrame|borrad|borre|borreis|elimina|eliminar|eliminen|eliminad|elimine|elimineis|suprime|suprimir|suprimid|suprima|quita|quitar|quitad) (todos )?mis datos\b/,
  /\b(borra|borrar|borren|borrad|borre|borreis|elimina|eliminar|eliminen|eliminad|elimine|elimineis) mi cuenta\b/,
  /\b(olvidame|olvidadme|olvideme)\b|\bderecho al olvido\b/,
  /\b(apague|apaguem|apagar|apaga|exclua|excluam|excluir|exclui|deletar|delete|remova|removam|remover|elimine|eliminem|elimina|eliminar) (todos )?(os )?meus dados\b/,
  /\besquecam me\b|(?<!\bnao )\bme esquecam\b|\bdireito ao esquecimento\b/,
  /\b(supprimer|supprimez|supprime|effacer|effacez|efface|retirer) (toutes )?mes donnees\b/,
  /\b(supprimer|supprimez|supprime) mon compte\b/,
  /\b(oubliez|oublie) moi\b|\bdroit a l oubli\b/,
  /\bmeine (persoe?nlichen )?daten (bitte )?(loe?schen|entfernen|vernichten|geloe?scht)\b/,
  /\b(loe?sche|loe?schen sie|loe?sch|loe?scht|entferne|entfernen sie|entfernt) (bitte )?(alle )?meine (persoe?nlichen )?daten\b/,
  // "Vergiss mich nicht" is "don't forget me".
  /\b(vergiss mich|vergesst mich|vergessen sie mich)\b(?! nicht)|\brecht auf vergessenwerden\b/,
  // Someone else's data, named by number ("delete the data of +44 7700 900123"): answered as otherPerson.
  /\b(delete|erase|remove) (all )?(the )?(data|information|info|details) (of|for|about|on|from) (the )?((phone )?number )?\d/,
  /\b(borra|borrar|borren|elimina|eliminar|eliminen) (todos )?los datos (de|del) (numero )?\d/,
  /\b(apague|apagar|apaguem|exclua|excluir|excluam) (todos )?os dados (de|do) (numero )?\d/,
  /\b(supprimer|supprimez|effacer|effacez) (toutes )?les donnees (de|du) (numero )?\d/,
  /\b(loe?sche|loe?schen sie|loe?schen) (alle )?(die )?daten (von|zu) (der )?(nummer )?\d/,
];

const CORRECT_FIELD: Array<[RegExp, CorrectableField | undefined]> = [];
const FIELD_WORDS: Record<CorrectableField, string> = {
  name: 'name|nombre|nome|nom|namen',
  address: 'address|delivery address|direccion|endereco|adresse|anschrift|lieferadresse',
  phone: 'phone|phone number|number|telefono|numero|telefone|telephone|telefonnummer|handynummer|nummer',
};
const CORRECT_VERBS = {
  en: 'correct|change|update|fix|edit|amend',
  es: 'corregir|corrige|cambiar|cambia|actualizar|actualiza|modificar|modifica',
  pt: 'corrigir|corrija|alterar|altere|mudar|mude|atualizar|atualize',
  fr: 'corriger|corrigez|modifier|modifiez|changer|changez|mettre a jour',
  de: 'korrigieren|andern|aendern|aktualisieren|berichtigen|korrigiere|andere|aendere|berichtige',
};
for (const [field, words] of Object.entries(FIELD_WORDS) as Array<[CorrectableField, string]>) {
  const noun = `(${words})`;
  CORRECT_FIELD.push(
    [new RegExp(`\\b(${CORRECT_VERBS.en}) my ${noun}\\b`), field],
    [new RegExp(`\\b(${CORRECT_VERBS.es}) mi ${noun}\\b`), field],
    [new RegExp(`\\b(${CORRECT_VERBS.pt}) (o |a )?(meu|minha) ${noun}\\b`), field],
    [new RegExp(`\\b(${CORRECT_VERBS.fr}) (mon|ma) ${noun}\\b`), field],
    [new RegExp(`\\bmeine[n]? ${noun} (${CORRECT_VERBS.de})\\b`), field],
    [new RegExp(`\\b(${CORRECT_VERBS.de}) (sie )?meine[n]? ${noun}\\b`), field],
  );
}
CORRECT_FIELD.push(
  [/\bmy name is (wrong|incorrect|misspelt|misspelled)\b/, 'name'],
  [/\bmy (delivery )?address is (wrong|incorrect)\b/, 'address'],
  [/\bmy (phone )?number is (wrong|incorrect)\b/, 'phone'],
  [new RegExp(`\\b(${CORRECT_VERBS.en}) my (personal )?(data|details|information|info)\\b`), undefined],
  [new RegExp(`\\b(${CORRECT_VERBS.es}) mis datos\\b`), undefined],
  [new RegExp(`\\b(${CORRECT_VERBS.pt}) (os )?meus dados\\b`), undefined],
  [new RegExp(`\\b(${CORRECT_VERBS.fr}) mes donnees\\b`), undefined],
  [new RegExp(`\\bmeine daten (${CORRECT_VERBS.de})\\b`), undefined],
);

/** Whole messages that opt out of everything that is not a direct answer ("STOP"), and back in. */
const OPT_OUT = new Set(
  [
    'stop',
    'stop messages',
    'stop all messages',
    'unsubscribe',
    'opt out',
    'optout',
    'no more messages',
    'stop please',
    'please stop',
    'stop sending me messages',
    'unsubscribe me',
    'baja',
    'darme de baja',
    'dar de baja',
    'no mas mensajes',
    'no quiero mas mensajes',
    'cancelar suscripcion',
    'parar',
    'parar mensagens',
    'descadastrar',
    'cancelar inscricao',
    'nao quero mais mensagens',
    'arret',
    'arreter',
    'desabonner',
    'se desabonner',
    'me desabonner',
    'desinscrire',
    'plus de messages',
    'stopp',
    'abmelden',
    'abbestellen',
    'keine nachrichten mehr',
  ].map(normalise),
);
const OPT_IN = new Set(
  [
    'start',
    'unstop',
    'subscribe',
    'opt in',
    'optin',
    'resume messages',
    'alta',
    'darme de alta',
    'reanudar mensajes',
    'voltar a receber',
    'reativar',
    'reativar mensagens',
    'reprendre',
    'reprendre les messages',
    'abonner',
    's abonner',
    'anmelden',
    'starten',
    'nachrichten wieder erhalten',
  ].map(normalise),
);

/** Whole messages refusing AI-written replies (GDPR Art. 21/22-style objection), and accepting them again. */
const NO_AI = new Set(
  [
    'no ai',
    'no ai please',
    'no ai replies',
    'stop ai',
    'without ai',
    'i dont want ai',
    'i do not want ai',
    'no bots',
    'sin ia',
    'no quiero ia',
    'sem ia',
    'nao quero ia',
    'pas d ia',
    'sans ia',
    'je ne veux pas d ia',
    'keine ki',
    'ohne ki',
    'ich will keine ki',
  ].map(normalise),
);
const AI_OK = new Set(
  [
    'ai is fine',
    'ai ok',
    'allow ai',
    'ai replies ok',
    'con ia',
    'ia esta bien',
    'com ia',
    'ia tudo bem',
    'avec ia',
    'ia ok',
    'mit ki',
    'ki ist ok',
  ].map(normalise),
);

/** "My data & privacy" typed: the privacy menu. */
const PRIVACY_MENU = new Set(
  [
    'privacy',
    'privacy policy',
    'my data',
    'my personal data',
    'my data and privacy',
    'data protection',
    'privacidad',
    'politica de privacidad',
    'mis datos',
    'privacidade',
    'politica de privacidade',
    'meus dados',
    'confidentialite',
    'politique de confidentialite',
    'mes donnees',
    'datenschutz',
    'datenschutzerklarung',
    'meine daten',
  ].map(normalise),
);

/** Taps on the privacy menu's rows and buttons (ids the flows emit). */
const TAPS: Record<string, PrivacyEvent> = {
  'pv.menu': { type: 'privacy.menu' },
  'pv.access': { type: 'privacy.access' },
  'pv.erase': { type: 'privacy.erase' },
  'pv.correct': { type: 'privacy.correct' },
  'pv.correct.name': { type: 'privacy.correct', field: 'name' },
  'pv.correct.address': { type: 'privacy.correct', field: 'address' },
  'pv.correct.phone': { type: 'privacy.correct', field: 'phone' },
  'pv.stop': { type: 'privacy.optOut' },
  'pv.start': { type: 'privacy.optIn' },
};

/** Seven or more digits in a row (spaces and dashes allowed between): the text names a phone number. */
const PHONE_IN_TEXT = /\+?\d(?:[\s-]?\d){6,}/;

/**
 * The privacy request a message is, if it is one. The subject is never read from the text: whatever number
 * or name it mentions, the request is about the sender (`otherPerson` only changes the wording).
 */
export function detectPrivacyIntent(event: InboundEvent): PrivacyEvent | undefined {
  if (event.type === 'user.button' || event.type === 'user.list') {
    if (event.id.startsWith(ERASE_YES)) {
      return { type: 'privacy.eraseConfirm', token: event.id.slice(ERASE_YES.length) };
    }
    if (event.id.startsWith(ERASE_NO)) {
      return { type: 'privacy.eraseCancel', token: event.id.slice(ERASE_NO.length) };
    }
    return TAPS[event.id];
  }
  if (event.type !== 'user.text') return undefined;
  const text = normalise(event.text);
  if (text === '') return undefined;
  if (OPT_OUT.has(text)) return { type: 'privacy.optOut' };
  if (OPT_IN.has(text)) return { type: 'privacy.optIn' };
  if (NO_AI.has(text)) return { type: 'privacy.noAi' };
  if (AI_OK.has(text)) return { type: 'privacy.aiOk' };
  if (PRIVACY_MENU.has(text)) return { type: 'privacy.menu' };
  if (ERASE.some((pattern) => pattern.test(text))) {
    return PHONE_IN_TEXT.test(event.text)
      ? { type: 'privacy.erase', otherPerson: true }
      : { type: 'privacy.erase' };
  }
  for (const [pattern, field] of CORRECT_FIELD) {
    if (pattern.test(text)) return field ? { type: 'privacy.correct', field } : { type: 'privacy.correct' };
  }
  if (ACCESS.some((pattern) => pattern.test(text))) return { type: 'privacy.access' };
  return undefined;
}
