import type { FlowEvent, OutboundMessage } from '../src/core/vocabulary.js';
import { defineConcern } from './concerns.js';
import type { Menu } from './menu.js';
import { formatMoney } from '../src/core/money.js';
import { t } from '../src/language/i18n.js';
import type { Language } from '../src/language/languages.js';
import { YES, base, notProvided, outputOf, text } from './setup.js';
import type { GuardArgs, RootContext } from './setup.js';

/** Bump whenever the AI states or its context slice change shape: only this concern restarts. */
export const aiVersion = 1;

/** A cart line an AI proposed from a typed order, with what the customer is shown (checked against the catalog). */
export interface ProposedLine {
  itemId: string;
  quantity: number;
  name: string;
  unitPriceMinor: number;
}

/** What `interpretText` returns for a message the flow did not recognise: nothing, an answer, or cart lines. */
export type TextInterpretation =
  | { kind: 'none' }
  | { kind: 'answer'; text: string }
  | { kind: 'order'; lines: ProposedLine[]; currency: string };

/** The AI concern's own state. */
export interface AiSlice {
  /** Cart lines an AI proposed, shown with *Add to cart* / *No, thanks*: nothing is added until the tap. */
  proposal?: { lines: ProposedLine[]; currency: string };
  /** The customer's AI choice being saved ("no AI" / "AI is fine"). */
  choice?: 'on' | 'off';
}

declare module './setup.js' {
  interface RootContext {
    ai: AiSlice;
  }
}

export const aiInitial = (): AiSlice => ({});

/** The effects the AI concern invokes (supplied by src/conversation/effects/ai.ts). */
export const aiActors = {
  interpretText: notProvided<TextInterpretation, { text: string; language: Language }>('interpretText'),
  setAiPreference: notProvided<void, { noAi: boolean }>('setAiPreference'),
};

/** Whether an event accepts an AI proposal: what the `tappedOrSaid` guard with `ai.cart.yes` lets through. */
function acceptsProposal(event: FlowEvent): boolean {
  return (
    (event.type === 'user.button' && event.id === 'ai.cart.yes') ||
    (event.type === 'user.text' && YES.test(event.text.trim()))
  );
}

/** The lines an AI read from a typed order, for the customer to confirm: nothing is added before the tap. */
function proposalMessage(context: RootContext): OutboundMessage {
  const { language } = context;
  const proposal = context.ai.proposal;
  const lines = (proposal?.lines ?? []).map((line) =>
    t(language, 'ai:proposal.line', {
      quantity: line.quantity,
      name: line.name,
      price: formatMoney(line.unitPriceMinor, proposal?.currency ?? 'EUR'),
    }),
  );
  const question = t(language, 'ai:proposal.question');
  const body = [context.notice, t(language, 'ai:proposal.intro'), ...lines, question]
    .filter((part): part is string => Boolean(part))
    .join('\n');
  return {
    type: 'reply.buttons',
    text: body.length > 1024 ? `${body.slice(0, 1000)}…\n${question}` : body,
    buttons: [
      { id: 'ai.cart.yes', title: t(language, 'ai:proposal.yes.button') },
      { id: 'ai.cart.no', title: t(language, 'ai:proposal.no.button') },
    ],
  };
}

const ai = base(aiActors);

/** The AI concern's named actions and guards, for the root to compose (`base(…).extend(aiImpl)`). */
export const aiImpl = {
  actions: {
    /** The answer, after the greeting when this is the first message (one message, not two). */
    aiSayAnswer: ai.emit(({ context, event }) => {
      const output = outputOf<TextInterpretation>(event);
      const answer = output.kind === 'answer' ? output.text : '';
      return text(context.notice ? `${context.notice}\n\n${answer}` : answer);
    }),
    aiRememberProposal: ai.assign({
      ai: ({ context, event }) => {
        const output = outputOf<TextInterpretation>(event);
        return {
          ...context.ai,
          proposal: output.kind === 'order' ? { lines: output.lines, currency: output.currency } : undefined,
        };
      },
    }),
    aiShowProposal: ai.emit(({ context }) => proposalMessage(context)),
    /**
     * Exit actions run before a transition's own: the proposal is kept for `aiAcceptProposal` (which
     * clears it) when the event accepts it, and cleared on any other way out.
     */
    aiLeaveProposal: ai.assign({
      ai: ({ context, event }) => ({
        ...context.ai,
        proposal: acceptsProposal(event) ? context.ai.proposal : undefined,
      }),
    }),
    /** *Add to cart*: the lines are handed to ordering, which adds them once its catalog is loaded. */
    aiAcceptProposal: ai.assign({
      ordering: ({ context }) => ({
        ...context.ordering,
        pending: (context.ai.proposal?.lines ?? []).map((line) => ({
          itemId: line.itemId,
          quantity: line.quantity,
        })),
      }),
      ai: ({ context }) => ({ ...context.ai, proposal: undefined }),
    }),
    aiChooseOff: ai.assign({ ai: ({ context }) => ({ ...context.ai, choice: 'off' as const }) }),
    aiChooseOn: ai.assign({ ai: ({ context }) => ({ ...context.ai, choice: 'on' as const }) }),
    aiSayChoice: ai.emit(({ context }) =>
      text(t(context.language, context.ai.choice === 'off' ? 'ai:preference.off' : 'ai:preference.on')),
    ),
    aiSayDeclined: ai.assign({ notice: ({ context }) => t(context.language, 'ai:proposal.declined') }),
    aiSayFailed: ai.assign({ notice: ({ context }) => t(context.language, 'ai:preference.failed') }),
    aiForgetChoice: ai.assign({ ai: ({ context }) => ({ ...context.ai, choice: undefined }) }),
  },
  guards: {
    aiAnswered: ({ event }: GuardArgs) => outputOf<TextInterpretation>(event).kind === 'answer',
    aiProposed: ({ event }: GuardArgs) => {
      const output = outputOf<TextInterpretation>(event);
      return output.kind === 'order' && output.lines.length > 0;
    },
    aiAnsweredFirst: ({ context, event }: GuardArgs) =>
      outputOf<TextInterpretation>(event).kind === 'answer' && context.notice !== undefined,
    /** The greeting is pending: this is the conversation's first message. */
    aiGreeting: ({ context }: GuardArgs) => context.notice !== undefined,
  },
};

/** "No AI" / "AI is fine", from any state: the root puts these in its own `on`. */
const aiRequests = {
  'privacy.noAi': { target: '.ai.preference', actions: ['understood', 'aiChooseOff'] },
  'privacy.aiOk': { target: '.ai.preference', actions: ['understood', 'aiChooseOn'] },
} as const;

/** *Add to cart* / *No, thanks* on an AI proposal, tapped or typed (yes / no in five languages). */
const proposalAnswer = [
  {
    guard: { type: 'tappedOrSaid', params: 'ai.cart.yes' },
    target: '#ordering',
    actions: 'aiAcceptProposal',
  },
  {
    guard: { type: 'tappedOrSaid', params: 'ai.cart.no' },
    target: '#root.menu',
    actions: 'aiSayDeclined',
  },
] as const;

/**
 * Text no step recognised: an AI (only for a business that enabled it; src/ai/) answers it from the
 * business's facts or reads an order from it. Without AI, or when it fails or says nothing useful, the
 * deterministic path: the greeting and menu on a first message, else "not understood".
 */
const aiStates = ({ choices }: Menu) =>
  ai.extend(aiImpl).createStateConfig({
    id: 'ai',
    initial: 'interpreting',
    states: {
      interpreting: {
        invoke: {
          src: 'interpretText',
          input: ({ context, event }) => ({
            text: event.type === 'user.text' ? event.text : '',
            language: context.language,
          }),
          onDone: [
            // A first message answered: the greeting with the answer, then the menu (a new customer sees
            // what the bot can do).
            {
              guard: 'aiAnsweredFirst',
              target: '#root.menu',
              actions: ['aiSayAnswer', 'understood', 'clearNotice'],
            },
            {
              guard: 'aiAnswered',
              target: '#root.idle',
              actions: ['aiSayAnswer', 'understood', 'clearNotice'],
            },
            { guard: 'aiProposed', target: 'proposal', actions: ['understood', 'aiRememberProposal'] },
            { guard: 'aiGreeting', target: '#root.menu' },
            { target: '#root.confused' },
          ],
          onError: [{ guard: 'aiGreeting', target: '#root.menu' }, { target: '#root.confused' }],
        },
      },
      /** Lines read from a typed order: added to the cart only when the customer taps *Add to cart*. */
      proposal: {
        tags: 'awaiting-input',
        entry: ['aiShowProposal', 'clearNotice'],
        exit: 'aiLeaveProposal',
        on: {
          'user.button': [...proposalAnswer, ...choices, { target: '#root.menu' }],
          'user.text': [...proposalAnswer, ...choices, { target: 'interpreting' }],
          'user.list': [...choices, { target: '#root.menu' }],
          'user.location': { target: '#root.menu' },
          'user.media': { target: '#root.menu' },
          'user.unsupported': { target: '#root.menu' },
        },
      },
      /** "No AI" / "AI is fine": the customer's own choice, kept with their profile and in their export. */
      preference: {
        // The choice is cleared by the transitions out, after their reply: an `exit` would run before it.
        invoke: {
          src: 'setAiPreference',
          input: ({ context }) => ({ noAi: context.ai.choice === 'off' }),
          onDone: { target: '#root.idle', actions: ['aiSayChoice', 'aiForgetChoice'] },
          onError: {
            target: '#root.menu',
            actions: ['aiSayFailed', 'aiForgetChoice'],
          },
        },
      },
    },
  });

/** What an AI makes of text no step recognised, and the customer's own AI choice. */
export const aiConcern = defineConcern({
  id: 'ai',
  version: aiVersion,
  actors: aiActors,
  impl: aiImpl,
  states: aiStates,
  initial: aiInitial,
  on: aiRequests,
});
