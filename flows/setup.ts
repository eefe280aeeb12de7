import type { Language } from '../src/language/languages.js';
import { assign, emit, fromPromise, setup } from 'xstate';
import type { UnknownActorLogic } from 'xstate';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';
import { picks } from './menu.js';
import type { MenuPick } from './menu.js';
import type { Offering, OfferingNoun } from '../src/core/booking.js';

/** The business's own words per language: for what is booked and for what is ordered. */
export interface BusinessNouns {
  service?: Partial<Record<Language, OfferingNoun>>;
  item?: Partial<Record<Language, OfferingNoun>>;
}

/**
 * What every concern's machine shares (STYLE.md §3): the input, the context with one slice per concern,
 * the events, what is emitted, the tag, and the few actions and guards every concern uses. Each concern
 * (`flows/<concern>.flow.ts`) calls `base(itsActors).extend({ actions, guards })` and builds its states
 * with `createStateConfig`; the root composes them all (flows/root.flow.ts).
 */

export interface RootInput {
  businessName: string;
  /** How long a handoff to a person lasts before the bot takes the conversation back. */
  handoffMinutes: number;
  /** Set when a stored conversation of an older flow version was discarded. */
  restarted?: boolean;
  /** Hours after the last change to a cart before it is discarded. */
  abandonedCartHours: number;
  /** The time of the step that starts the conversation (ISO): machines never read the clock themselves. */
  now: string;
  /** The conversation's language (src/language/choose.ts): every text comes from the catalogue in it. */
  language: Language;
  /** The language the business's staff read their notices in (its locale). */
  staffLanguage: Language;
  /** What the customer chose in an earlier conversation that was restarted (a language from the menu). */
  chosen?: { language?: Language };
  /** What the business offers in chat (the main menu shows these); absent: ordering only. */
  offers?: Offering[];
  /** The business's own words ("treatment"); absent: the catalogue's default words. */
  nouns?: BusinessNouns;
}

export interface RootContext {
  businessName: string;
  handoffMinutes: number;
  abandonedCartHours: number;
  /**
   * The time of the step being handled (ISO). From the input for a new conversation; the runner sets it
   * again before each step of a stored one, so deadlines are reckoned from the message, not from a clock.
   */
  now: string;
  /**
   * The conversation's language, decided by the runner for each message (the customer's explicit choice,
   * else the language the message is written in, else the one kept here, else the business's locale).
   */
  language: Language;
  /** The language of the staff's notices (the business's locale), set by the runner like `language`. */
  staffLanguage: Language;
  /**
   * What the customer chose in so many words (a language from the *Language* list, or asked for by name):
   * the runner lets it win over what it would decide from a message (src/conversation/runner.ts), until the
   * customer chooses again. Absent until they do.
   */
  chosen?: { language?: Language };
  /**
   * What the business offers in chat: the main menu shows only these rows (flows/menu.ts). Set again by the
   * runner before each step (`stepFacts`), so a business that changes its offer is seen at once.
   */
  offers: Offering[];
  /** The business's own words ("treatment" for what is booked), per language; absent: the catalogue's. */
  nouns?: BusinessNouns;
  /** Consecutive messages the bot did not understand: the reply changes instead of repeating itself. */
  misunderstood: number;
  /** ISO time at which the runner's sweeper sends `system.timeout`; none when nothing is pending. */
  deadline?: string;
  /** A line said together with the next menu (greeting, apology, answer): one message, not two. */
  notice?: string;
  // Each concern adds its own slice, named after it, from its own file (`declare module './setup.js'`):
  // reset alone when that concern's version changes (see flows/concerns.ts).
}

/** Stands in for an actor src/ must supply (`flow.provide({ actors })`); fails loudly if it was not. */
export function notProvided<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(() => Promise.reject(new Error(`actor ${name} was not provided`)));
}

export const text = (body: string): OutboundMessage => ({ type: 'reply.text', text: body });

/** Yes in five languages (and the words on the buttons): what a typed answer to a yes/no question means. */
export const YES =
  /^(yes|y|si|sí|sim|oui|ja|ok|okay|confirm|confirmar|confirmer|bestätigen|bestatigen|save|guardar|salvar|enregistrer|speichern)$/i;
export const NO = /^(no|n|nao|não|non|nein|keep|keep it)$/i;

/** What a guard of any concern sees (named guards are typed with this). */
export interface GuardArgs {
  context: RootContext;
  event: FlowEvent;
}

/**
 * The output of an invoked actor, in an `onDone` action or guard. Named actions and guards are typed
 * with the machine's events, which do not list xstate's `xstate.done.actor.*`: this is where that is said.
 */
export function outputOf<T>(event: FlowEvent): T {
  return (event as unknown as { output: T }).output;
}

/** A time `ms` after the step's time, as the deadline the runner's sweeper reads. */
export function after(now: string, ms: number): string {
  return new Date(Date.parse(now) + ms).toISOString();
}

/**
 * What a step is: `awaiting-input` waits for the customer; `data-entry` also says that what they type there
 * is data (an address, a name), not conversation, so it never changes the conversation's language;
 * `takes-location` says a shared location is an answer there (a delivery address), not something to explain.
 */
export type StepTag = 'awaiting-input' | 'data-entry' | 'takes-location';

/** The shared setup, with the given concern's actors (the actor contract lives with its concern). */
export function base<TActors extends Record<string, UnknownActorLogic>>(actors: TActors) {
  return setup({
    types: {
      input: {} as RootInput,
      context: {} as RootContext,
      events: {} as FlowEvent,
      emitted: {} as FlowEmitted,
      tags: {} as StepTag,
    },
    actors,
    actions: {
      /** Keep a line to say with the next message (the menu, a cart…). */
      say: assign((_, notice: string) => ({ notice })),
      /** Say a line on its own, now. */
      reply: emit((_, body: string) => text(body)),
      clearNotice: assign({ notice: undefined }),
      understood: assign({ misunderstood: 0 }),
    },
    guards: {
      /** A tap on the button `word`, or its meaning typed (yes for `*.yes` and *Confirm*, no otherwise). */
      tappedOrSaid: ({ event }, word: string) =>
        (event.type === 'user.button' && event.id === word) ||
        (event.type === 'user.text' &&
          (word.endsWith('.yes') || word === 'order.confirm' ? YES : NO).test(event.text.trim())),
      picked: ({ context, event }, pick: MenuPick) => picks(event, pick, context.offers),
    },
  });
}
