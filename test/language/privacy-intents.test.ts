/**
 * Privacy requests in the chat (issue 6): what customers really type in English, Spanish, Portuguese,
 * French and German, with the accents, capitals and punctuation they use, alone or inside a longer
 * sentence; the taps of the privacy menu; what must stay a command or an ordinary message; and that
 * privacy requests win over commands in `toFlowEvent`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toFlowEvent } from '../../src/language/intents.js';
import { ERASE_NO, ERASE_YES } from '../../src/core/vocabulary.js';
import type { CorrectableField, InboundEvent, PrivacyEvent } from '../../src/core/vocabulary.js';
import { detectPrivacyIntent } from '../../src/language/privacy-intents.js';

const typed = (text: string): InboundEvent => ({ type: 'user.text', text });
const button = (id: string, title = 'Whatever'): InboundEvent => ({ type: 'user.button', id, title });
const row = (id: string, title = 'Whatever'): InboundEvent => ({ type: 'user.list', id, title });

type Language = 'en' | 'es' | 'pt' | 'fr' | 'de';
interface Case {
  language: Language;
  text: string;
}
const LANGUAGES: readonly Language[] = ['de', 'en', 'es', 'fr', 'pt'];

/** Every language has at least one phrase in the family. */
function coversAllLanguages(cases: readonly Case[]): void {
  expect([...new Set(cases.map((c) => c.language))].sort()).toEqual(LANGUAGES);
}

const ACCESS: Case[] = [
  { language: 'en', text: 'what data do you have on me' },
  { language: 'en', text: 'What data do you have on me?' },
  { language: 'en', text: 'WHAT DATA DO YOU HAVE ABOUT ME??' },
  { language: 'en', text: 'What personal data do you hold about me?' },
  { language: 'en', text: 'what information do you have on me' },
  { language: 'en', text: 'Hi! What data do you have on me, please?' },
  { language: 'en', text: 'what do you know about me' },
  { language: 'en', text: 'what do you have on me' },
  { language: 'en', text: 'Can I see my data?' },
  { language: 'en', text: 'show me my data' },
  { language: 'en', text: 'send me my data please' },
  { language: 'en', text: "I'd like a copy of my personal data" },
  { language: 'en', text: 'download my data' },
  { language: 'en', text: 'what data have you collected about me' },
  { language: 'es', text: 'qué datos tienen de mí' },
  { language: 'es', text: '¿Qué datos tienen de mí?' },
  { language: 'es', text: 'QUE DATOS TIENES SOBRE MI' },
  { language: 'es', text: 'qué información tienen sobre mí' },
  { language: 'es', text: 'Hola, quiero ver mis datos por favor' },
  { language: 'es', text: 'muéstrame mis datos' },
  { language: 'es', text: '¿qué saben de mí?' },
  { language: 'es', text: 'qué datos míos tienen' },
  { language: 'pt', text: 'quais dados vocês têm sobre mim' },
  { language: 'pt', text: 'Quais dados você tem sobre mim?' },
  { language: 'pt', text: 'quais informações vocês têm sobre mim' },
  { language: 'pt', text: 'Que dados vocês têm sobre mim?' },
  { language: 'pt', text: 'Olá! Quero ver meus dados, obrigado' },
  { language: 'pt', text: 'o que vocês sabem sobre mim' },
  { language: 'fr', text: 'quelles données avez-vous sur moi' },
  { language: 'fr', text: 'Quelles données avez-vous sur moi ?' },
  { language: 'fr', text: 'QUELLES DONNEES AVEZ VOUS SUR MOI' },
  { language: 'fr', text: 'quelles informations détenez-vous sur moi' },
  { language: 'fr', text: 'Bonjour, je veux voir mes données.' },
  { language: 'fr', text: 'que savez-vous sur moi ?' },
  { language: 'de', text: 'welche Daten haben Sie über mich' },
  { language: 'de', text: 'Welche Daten haben Sie über mich?' },
  { language: 'de', text: 'welche daten habt ihr ueber mich' },
  { language: 'de', text: 'Welche Daten speichern Sie?' },
  { language: 'de', text: 'Ich möchte meine Daten sehen.' },
  { language: 'de', text: 'Auskunft über meine Daten bitte' },
  { language: 'de', text: 'Was wissen Sie über mich?' },
  { language: 'de', text: 'was wissen sie ueber mich' },
];

const ERASE: Case[] = [
  { language: 'en', text: 'delete my data' },
  { language: 'en', text: 'Delete my data!' },
  { language: 'en', text: 'Hi! Please delete my data, thanks' },
  { language: 'en', text: 'please delete ALL my data' },
  { language: 'en', text: 'erase my personal data' },
  { language: 'en', text: 'remove my information' },
  { language: 'en', text: 'delete my account' },
  { language: 'en', text: 'delete all data about me' },
  { language: 'en', text: 'delete everything you have on me' },
  { language: 'en', text: 'I want my data deleted.' },
  { language: 'en', text: 'please remove me from your database' },
  { language: 'en', text: 'delete my number' },
  { language: 'en', text: 'forget me' },
  { language: 'en', text: 'Forget me, please.' },
  { language: 'en', text: 'I exercise my right to be forgotten' },
  { language: 'es', text: 'borra mis datos' },
  { language: 'es', text: 'Borra mis datos, por favor' },
  { language: 'es', text: 'BORREN TODOS MIS DATOS' },
  { language: 'es', text: 'quiero eliminar mis datos' },
  { language: 'es', text: 'elimina mis datos personales' },
  { language: 'es', text: 'borrar mi cuenta' },
  { language: 'es', text: 'olvídame' },
  { language: 'es', text: 'Ejerzo mi derecho al olvido.' },
  { language: 'pt', text: 'apague meus dados' },
  { language: 'pt', text: 'Apaguem os meus dados, por favor' },
  { language: 'pt', text: 'quero excluir todos os meus dados' },
  { language: 'pt', text: 'exclua meus dados pessoais' },
  { language: 'pt', text: 'esqueçam-me' },
  { language: 'pt', text: 'me esqueçam' },
  { language: 'pt', text: 'direito ao esquecimento' },
  { language: 'fr', text: 'supprimer mes données' },
  { language: 'fr', text: 'Supprimez mes données, svp' },
  { language: 'fr', text: 'je veux effacer toutes mes données' },
  { language: 'fr', text: 'supprimer mon compte' },
  { language: 'fr', text: 'Oubliez-moi !' },
  { language: 'fr', text: "droit à l'oubli" },
  { language: 'de', text: 'meine Daten löschen' },
  { language: 'de', text: 'Löschen Sie meine Daten!' },
  { language: 'de', text: 'bitte loeschen Sie alle meine Daten' },
  { language: 'de', text: 'lösche meine persönlichen Daten' },
  { language: 'de', text: 'Meine Daten bitte löschen.' },
  { language: 'de', text: 'Ich möchte, dass meine Daten gelöscht werden' },
  { language: 'de', text: 'Vergiss mich' },
  { language: 'de', text: 'Recht auf Vergessenwerden' },
];

const CORRECT: Array<Case & { field?: CorrectableField }> = [
  { language: 'en', text: 'change my name', field: 'name' },
  { language: 'en', text: 'Please correct my name.', field: 'name' },
  { language: 'en', text: 'my name is wrong', field: 'name' },
  { language: 'en', text: 'update my address', field: 'address' },
  { language: 'en', text: 'I need to change my delivery address', field: 'address' },
  { language: 'en', text: 'update my phone number', field: 'phone' },
  { language: 'en', text: 'change my details' },
  { language: 'es', text: 'cambiar mi nombre', field: 'name' },
  { language: 'es', text: 'Quiero corregir mi nombre', field: 'name' },
  { language: 'es', text: 'cambiar mi dirección', field: 'address' },
  { language: 'es', text: 'ACTUALIZAR MI DIRECCION', field: 'address' },
  { language: 'es', text: 'cambiar mi teléfono', field: 'phone' },
  { language: 'es', text: 'cambiar mi número', field: 'phone' },
  { language: 'es', text: 'corregir mis datos' },
  { language: 'pt', text: 'mudar meu nome', field: 'name' },
  { language: 'pt', text: 'corrigir o meu nome', field: 'name' },
  { language: 'pt', text: 'alterar meu endereço', field: 'address' },
  { language: 'pt', text: 'Quero alterar o meu endereço.', field: 'address' },
  { language: 'pt', text: 'mudar meu telefone', field: 'phone' },
  { language: 'pt', text: 'atualizar meu número', field: 'phone' },
  { language: 'pt', text: 'corrigir meus dados' },
  { language: 'fr', text: 'corriger mon nom', field: 'name' },
  { language: 'fr', text: 'Changer mon nom', field: 'name' },
  { language: 'fr', text: 'modifier mon adresse', field: 'address' },
  { language: 'fr', text: 'changer mon numéro', field: 'phone' },
  { language: 'fr', text: 'modifier mon téléphone', field: 'phone' },
  { language: 'fr', text: 'corriger mes données' },
  { language: 'de', text: 'meinen Namen ändern', field: 'name' },
  { language: 'de', text: 'meinen Namen aendern', field: 'name' },
  { language: 'de', text: 'Ändere meinen Namen', field: 'name' },
  { language: 'de', text: 'meine Adresse ändern', field: 'address' },
  { language: 'de', text: 'Ändern Sie meine Anschrift', field: 'address' },
  { language: 'de', text: 'meine Telefonnummer ändern', field: 'phone' },
  { language: 'de', text: 'meine Nummer aktualisieren', field: 'phone' },
  { language: 'de', text: 'meine Daten berichtigen' },
];

/** Opt-out and opt-in are whole messages, as with SMS keywords. */
const OPT_OUT: Case[] = [
  { language: 'en', text: 'stop' },
  { language: 'en', text: 'STOP' },
  { language: 'en', text: 'Stop.' },
  { language: 'en', text: '  stop!  ' },
  { language: 'en', text: 'Stop 🛑' },
  { language: 'en', text: 'unsubscribe' },
  { language: 'en', text: 'Opt out' },
  { language: 'en', text: 'no more messages' },
  { language: 'en', text: 'please stop' },
  { language: 'en', text: 'stop sending me messages' },
  { language: 'es', text: 'baja' },
  { language: 'es', text: 'BAJA' },
  { language: 'es', text: 'dar de baja' },
  { language: 'es', text: 'No más mensajes' },
  { language: 'es', text: 'cancelar suscripción' },
  { language: 'es', text: 'parar' },
  { language: 'pt', text: 'parar' },
  { language: 'pt', text: 'PARAR' },
  { language: 'pt', text: 'descadastrar' },
  { language: 'pt', text: 'não quero mais mensagens' },
  { language: 'fr', text: 'désabonner' },
  { language: 'fr', text: 'se désabonner' },
  { language: 'fr', text: 'me désabonner' },
  { language: 'fr', text: 'Arrêt' },
  { language: 'fr', text: 'arrêter' },
  { language: 'de', text: 'abmelden' },
  { language: 'de', text: 'Abmelden!' },
  { language: 'de', text: 'STOPP' },
  { language: 'de', text: 'abbestellen' },
  { language: 'de', text: 'keine Nachrichten mehr' },
];

const OPT_IN: Case[] = [
  { language: 'en', text: 'start' },
  { language: 'en', text: 'START' },
  { language: 'en', text: 'Unstop' },
  { language: 'en', text: 'subscribe' },
  { language: 'es', text: 'alta' },
  { language: 'es', text: 'Darme de alta' },
  { language: 'es', text: 'reanudar mensajes' },
  { language: 'pt', text: 'reativar' },
  { language: 'pt', text: 'voltar a receber' },
  { language: 'fr', text: 'reprendre' },
  { language: 'fr', text: "s'abonner" },
  { language: 'de', text: 'anmelden' },
  { language: 'de', text: 'Starten' },
];

const PRIVACY_MENU: Case[] = [
  { language: 'en', text: 'my data' },
  { language: 'en', text: 'My data' },
  { language: 'en', text: 'Privacy' },
  { language: 'en', text: 'privacy policy' },
  { language: 'en', text: 'My data and privacy' },
  { language: 'es', text: 'mis datos' },
  { language: 'es', text: '¿Mis datos?' },
  { language: 'es', text: 'Privacidad' },
  { language: 'pt', text: 'meus dados' },
  { language: 'pt', text: 'privacidade' },
  { language: 'fr', text: 'mes données' },
  { language: 'fr', text: 'Confidentialité' },
  { language: 'de', text: 'datenschutz' },
  { language: 'de', text: 'Datenschutz' },
  { language: 'de', text: 'Meine Daten.' },
];

describe('detectPrivacyIntent: typed requests', () => {
  it('when each family of requests is listed, then every family has phrases in all five languages', () => {
    for (const cases of [ACCESS, ERASE, CORRECT, OPT_OUT, OPT_IN, PRIVACY_MENU]) coversAllLanguages(cases);
    for (const field of ['name', 'address', 'phone'] as const) {
      coversAllLanguages(CORRECT.filter((c) => c.field === field));
    }
  });

  it.each(ACCESS)('when a customer types "$text" ($language), then it is an access request', ({ text }) => {
    expect(detectPrivacyIntent(typed(text))).toEqual({ type: 'privacy.access' });
  });

  it.each(ERASE)('when a customer types "$text" ($language), then it is an erasure request', ({ text }) => {
    expect(detectPrivacyIntent(typed(text))).toEqual({ type: 'privacy.erase' });
  });

  it.each(CORRECT)(
    'when a customer types "$text" ($language), then it is a correction of $field',
    ({ text, field }) => {
      const expected: PrivacyEvent = field ? { type: 'privacy.correct', field } : { type: 'privacy.correct' };
      expect(detectPrivacyIntent(typed(text))).toEqual(expected);
    },
  );

  it.each(OPT_OUT)('when a customer types "$text" ($language), then it opts out', ({ text }) => {
    expect(detectPrivacyIntent(typed(text))).toEqual({ type: 'privacy.optOut' });
  });

  it.each(OPT_IN)('when a customer types "$text" ($language), then it opts back in', ({ text }) => {
    expect(detectPrivacyIntent(typed(text))).toEqual({ type: 'privacy.optIn' });
  });

  it.each(PRIVACY_MENU)(
    'when a customer types "$text" ($language), then the privacy menu is asked for',
    ({ text }) => {
      expect(detectPrivacyIntent(typed(text))).toEqual({ type: 'privacy.menu' });
    },
  );

  it('when a request is typed in decomposed Unicode (combining accents), then it is still recognised', () => {
    expect(detectPrivacyIntent(typed('borra mis datos'.normalize('NFD')))).toEqual({ type: 'privacy.erase' });
    expect(detectPrivacyIntent(typed('Qu\u0065\u0301 datos tienen de mi\u0301?'))).toEqual({
      type: 'privacy.access',
    });
    expect(detectPrivacyIntent(typed('Lo\u0308schen Sie meine Daten'))).toEqual({ type: 'privacy.erase' });
  });

  it('when a request spans lines and extra spaces, then it is still recognised', () => {
    expect(detectPrivacyIntent(typed('Hello,\n\nplease   DELETE\tmy   data.\nThanks'))).toEqual({
      type: 'privacy.erase',
    });
  });

  it('when the opt-out word is inside a sentence, then it is not an opt-out (only the whole message is)', () => {
    expect(detectPrivacyIntent(typed('the bus stop near the shop'))).toBeUndefined();
    expect(detectPrivacyIntent(typed('start my order'))).toBeUndefined();
    expect(detectPrivacyIntent(typed('I want to stop by later'))).toBeUndefined();
  });
});

/**
 * Phrasings a walkthrough found missing (issue 16): the vosotros forms of Spain ("¿qué datos tenéis de mí?",
 * "borrad mis datos"), typed with or without accents, and close variants in the other four languages.
 */
const VARIANTS: Array<Case & { intent: PrivacyEvent['type'] }> = [
  { language: 'es', text: '¿qué datos tenéis de mí?', intent: 'privacy.access' },
  { language: 'es', text: 'que datos teneis de mi', intent: 'privacy.access' },
  { language: 'es', text: '¿Qué datos guardáis sobre mí?', intent: 'privacy.access' },
  { language: 'es', text: 'qué información tenéis de mí', intent: 'privacy.access' },
  { language: 'es', text: '¿Qué datos personales tienen de mí?', intent: 'privacy.access' },
  { language: 'es', text: 'qué datos tenés de mí', intent: 'privacy.access' },
  { language: 'es', text: '¿qué sabéis de mí?', intent: 'privacy.access' },
  { language: 'es', text: 'enseñadme mis datos', intent: 'privacy.access' },
  { language: 'es', text: 'mandadme mis datos, porfa', intent: 'privacy.access' },
  { language: 'es', text: 'borrad mis datos', intent: 'privacy.erase' },
  { language: 'es', text: 'Eliminad mis datos, por favor', intent: 'privacy.erase' },
  { language: 'es', text: 'borrad todos mis datos', intent: 'privacy.erase' },
  { language: 'es', text: 'quiero que borréis mis datos', intent: 'privacy.erase' },
  { language: 'es', text: 'suprimid mis datos personales', intent: 'privacy.erase' },
  { language: 'es', text: 'eliminad mi cuenta', intent: 'privacy.erase' },
  { language: 'es', text: 'olvidadme', intent: 'privacy.erase' },
  { language: 'en', text: 'what data is stored about me?', intent: 'privacy.access' },
  { language: 'en', text: 'what information do you keep on me', intent: 'privacy.access' },
  { language: 'pt', text: 'que dados tens sobre mim?', intent: 'privacy.access' },
  { language: 'pt', text: 'Quais dados têm sobre mim?', intent: 'privacy.access' },
  { language: 'pt', text: 'o que sabem de mim?', intent: 'privacy.access' },
  { language: 'pt', text: 'eliminem os meus dados', intent: 'privacy.erase' },
  { language: 'fr', text: 'vous avez quelles données sur moi ?', intent: 'privacy.access' },
  { language: 'fr', text: "qu'est-ce que vous savez sur moi ?", intent: 'privacy.access' },
  { language: 'fr', text: 'quelles données gardez-vous sur moi', intent: 'privacy.access' },
  { language: 'fr', text: 'oublie-moi', intent: 'privacy.erase' },
  { language: 'de', text: 'Was wisst ihr über mich?', intent: 'privacy.access' },
  { language: 'de', text: 'was weißt du über mich', intent: 'privacy.access' },
  { language: 'de', text: 'Löscht bitte meine Daten', intent: 'privacy.erase' },
  { language: 'de', text: 'vergesst mich', intent: 'privacy.erase' },
];

describe('detectPrivacyIntent: vosotros forms and close variants', () => {
  it('when the variants are listed, then every language has some', () => {
    coversAllLanguages(VARIANTS);
  });

  it.each(VARIANTS)('when a customer types "$text" ($language), then it is $intent', ({ text, intent }) => {
    expect(detectPrivacyIntent(typed(text))).toEqual({ type: intent });
    expect(toFlowEvent(typed(text))).toEqual({ type: intent });
  });
});

describe('detectPrivacyIntent: a phone number in the text', () => {
  it.each([
    'delete my data, my number is +34 612 345 678',
    'Please delete my data. Number: 0044 7700-900-123',
    'delete the data of +44 7700 900123',
    'borra los datos de 612345678',
    'apague os dados do número 11 98765-4321',
    'supprimez les données du 06 12 34 56 78',
    'Löschen Sie die Daten von +49 151 2345678',
  ])(
    'when "%s" names a number, then it is an erasure for someone else, and the number is not in it',
    (text) => {
      const event = detectPrivacyIntent(typed(text));
      expect(event).toEqual({ type: 'privacy.erase', otherPerson: true });
      const json = JSON.stringify(event);
      const digits = text.replace(/\D/g, '');
      expect(json).not.toMatch(/\d{3,}/);
      expect(json).not.toContain(digits.slice(-6));
    },
  );

  it('when an erasure names a short number (an order number, a year), then it is about the sender', () => {
    expect(detectPrivacyIntent(typed('delete my data from order 42'))).toEqual({ type: 'privacy.erase' });
    expect(detectPrivacyIntent(typed('delete my data since 2024'))).toEqual({ type: 'privacy.erase' });
  });

  it('when a non-erasure request names a number, then the number changes nothing and is not carried', () => {
    expect(detectPrivacyIntent(typed('change my phone number to +351 912 345 678'))).toEqual({
      type: 'privacy.correct',
      field: 'phone',
    });
    expect(detectPrivacyIntent(typed('what data do you have on +351 912 345 678?'))).toEqual({
      type: 'privacy.access',
    });
  });
});

describe('detectPrivacyIntent: taps', () => {
  it.each([
    { id: 'pv.menu', event: { type: 'privacy.menu' } },
    { id: 'pv.access', event: { type: 'privacy.access' } },
    { id: 'pv.erase', event: { type: 'privacy.erase' } },
    { id: 'pv.correct', event: { type: 'privacy.correct' } },
    { id: 'pv.correct.name', event: { type: 'privacy.correct', field: 'name' } },
    { id: 'pv.correct.address', event: { type: 'privacy.correct', field: 'address' } },
    { id: 'pv.correct.phone', event: { type: 'privacy.correct', field: 'phone' } },
    { id: 'pv.stop', event: { type: 'privacy.optOut' } },
    { id: 'pv.start', event: { type: 'privacy.optIn' } },
  ] satisfies Array<{ id: string; event: PrivacyEvent }>)(
    'when the button or list row $id is tapped, then it is $event.type',
    ({ id, event }) => {
      expect(detectPrivacyIntent(button(id))).toEqual(event);
      expect(detectPrivacyIntent(row(id))).toEqual(event);
    },
  );

  it('when the erasure confirmation buttons are tapped, then their token is carried exactly', () => {
    const token = 'Zx_9-abcDEF0123456789xyz';
    expect(ERASE_YES).toBe('pv.erase.yes:');
    expect(ERASE_NO).toBe('pv.erase.no:');
    expect(detectPrivacyIntent(button(`pv.erase.yes:${token}`, 'Delete my data'))).toEqual({
      type: 'privacy.eraseConfirm',
      token,
    });
    expect(detectPrivacyIntent(button(`pv.erase.no:${token}`, 'Keep my data'))).toEqual({
      type: 'privacy.eraseCancel',
      token,
    });
    expect(detectPrivacyIntent(row(`${ERASE_YES}${token}`))).toEqual({ type: 'privacy.eraseConfirm', token });
  });

  it('when a confirmation button has no token, then it is still a confirmation (with an empty token to refuse)', () => {
    expect(detectPrivacyIntent(button(ERASE_YES))).toEqual({ type: 'privacy.eraseConfirm', token: '' });
    expect(detectPrivacyIntent(button(ERASE_NO))).toEqual({ type: 'privacy.eraseCancel', token: '' });
  });

  it('when a button titled like a privacy request has another id, then the id decides, not the title', () => {
    expect(detectPrivacyIntent(button('menu.order', 'Delete my data'))).toBeUndefined();
    expect(detectPrivacyIntent(button('pv.unknown', 'Stop'))).toBeUndefined();
    expect(detectPrivacyIntent(button('cmd.cancel', 'Stop'))).toBeUndefined();
  });

  it('when someone types a tap id, then it is not a tap', () => {
    expect(detectPrivacyIntent(typed('pv.erase.yes:abc'))).toBeUndefined();
    expect(detectPrivacyIntent(typed('pv.access'))).toBeUndefined();
  });

  it.each([
    { type: 'user.location', latitude: 38.7, longitude: -9.1, name: 'delete my data' },
    { type: 'user.media', mediaType: 'image', mediaId: 'm1', caption: 'delete my data' },
    { type: 'user.unsupported', kind: 'reaction' },
  ] satisfies InboundEvent[])('when the customer sends $type, then it is not a privacy request', (event) => {
    expect(detectPrivacyIntent(event)).toBeUndefined();
  });
});

describe('detectPrivacyIntent: not privacy requests', () => {
  it.each([
    '',
    '   ',
    '!!!',
    '1',
    '3',
    'menu',
    'cancel',
    'stop that',
    'start over',
    'stop it',
    'forget it',
    'help',
    'hi',
    'data',
    'datos',
    'I want to order data cables',
    'do you sell data cables?',
    'the data cable I ordered',
    'change my order',
    'cancel my order',
    'delete my order',
    'remove the cola from my cart',
    'remove my number 2 from the cart',
    'what is my order status',
    'I forgot my order number',
    "don't forget my extra cheese",
    "don't forget me",
    'please don’t forget about me!',
    'hello? dont forget about me',
    'vergiss mich nicht',
    'Vergessen Sie mich nicht!',
    'não me esqueçam',
    'no me olvides',
    "ne m'oubliez pas",
    'my name is Maria',
    'what is your name',
    'Necesito cambiar mi pedido',
    'Quero cancelar o pedido',
    'Je voudrais changer ma commande',
    'Ich möchte meine Bestellung ändern',
  ])('when a customer types "%s", then it is not a privacy request', (text) => {
    expect(detectPrivacyIntent(typed(text))).toBeUndefined();
  });
});

describe('toFlowEvent: privacy before commands', () => {
  afterEach(() => {
    vi.doUnmock('../../src/language/privacy-intents.js');
    vi.resetModules();
  });

  it.each([
    { text: 'stop that', event: { type: 'command.cancel' } },
    { text: 'Stop that!', event: { type: 'command.cancel' } },
    { text: 'start over', event: { type: 'command.menu' } },
    { text: 'menu', event: { type: 'command.menu' } },
    { text: 'cancel', event: { type: 'command.cancel' } },
    { text: 'help', event: { type: 'command.help' } },
  ])(
    'when a customer types "$text", then the flow receives $event.type, not a privacy request',
    ({ text, event }) => {
      expect(toFlowEvent(typed(text))).toEqual(event);
    },
  );

  it.each([
    { text: 'stop', event: { type: 'privacy.optOut' } },
    { text: 'start', event: { type: 'privacy.optIn' } },
    { text: 'Datenschutz', event: { type: 'privacy.menu' } },
    { text: 'Hi! Please delete my data, thanks', event: { type: 'privacy.erase' } },
    { text: '¿Qué datos tienen de mí?', event: { type: 'privacy.access' } },
    { text: 'changer mon adresse', event: { type: 'privacy.correct', field: 'address' } },
  ] satisfies Array<{ text: string; event: PrivacyEvent }>)(
    'when a customer types "$text", then the flow receives $event.type',
    ({ text, event }) => {
      expect(toFlowEvent(typed(text))).toEqual(event);
    },
  );

  it('when a privacy tap arrives, then the flow receives the privacy event', () => {
    expect(toFlowEvent(button('pv.erase.yes:tok'))).toEqual({ type: 'privacy.eraseConfirm', token: 'tok' });
    expect(toFlowEvent(row('pv.correct.name'))).toEqual({ type: 'privacy.correct', field: 'name' });
  });

  it('when "1" or an order phrase is typed, then the flow receives the message as it came', () => {
    for (const event of [typed('1'), typed('I want to order data cables'), typed('cancel my order')]) {
      expect(toFlowEvent(event)).toEqual(event);
    }
  });

  it('when a message is both a privacy request and a command, then the privacy request wins', async () => {
    // No phrase is in both vocabularies today, so the order is shown with a privacy detector that claims
    // every message: even "menu" and a "cmd.cancel" tap then reach the flow as privacy requests.
    vi.resetModules();
    vi.doMock('../../src/language/privacy-intents.js', () => ({
      detectPrivacyIntent: (): PrivacyEvent => ({ type: 'privacy.menu' }),
    }));
    const fresh = await import('../../src/language/intents.js');
    expect(fresh.detectCommand(typed('menu'))).toEqual({ type: 'command.menu' });
    expect(fresh.toFlowEvent(typed('menu'))).toEqual({ type: 'privacy.menu' });
    expect(fresh.toFlowEvent(button('cmd.cancel', 'Cancel'))).toEqual({ type: 'privacy.menu' });
    expect(fresh.toFlowEvent({ type: 'system.timeout' })).toEqual({ type: 'system.timeout' });
  });
});
