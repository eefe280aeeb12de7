import { normalise } from '../core/normalise.js';
import type { CommandEvent, FlowEvent, InboundEvent, SystemEvent } from '../core/vocabulary.js';
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
    'mensch',
    'mitarbeiter',
    'mit einem menschen sprechen',
  ],
};

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
    const type = BY_PHRASE.get(normalise(text) || text);
    return type ? { type } : undefined;
  }
  if (event.type === 'user.button' || event.type === 'user.list') {
    const type = COMMAND_BUTTON_IDS[event.id];
    return type ? { type } : undefined;
  }
  return undefined;
}

/**
 * What a flow receives for a stored inbound event: privacy requests first (before any other handling, and
 * before any AI), then global commands, checked at every step by every flow; everything else passes through.
 */
export function toFlowEvent(event: InboundEvent | SystemEvent): FlowEvent {
  if (event.type === 'system.timeout' || event.type === 'system.resume') return event;
  return detectPrivacyIntent(event) ?? detectCommand(event) ?? event;
}
