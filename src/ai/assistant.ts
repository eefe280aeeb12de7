import OpenAI from 'openai';
import type { Logger } from 'pino';
import { z } from 'zod';
import { matchFaq } from '../businesses/faq.js';
import type { BusinessData } from '../businesses/schema.js';
import type { Config } from '../config.js';
import { formatMoney } from '../core/money.js';
import { days } from '../core/time.js';
import type { AiCallOutcome } from '../db/models/ai-call.model.js';
import { AI_CALL_RETENTION_DAYS } from '../db/models/ai-call.model.js';
import type { Models } from '../db/models/index.js';
import type { Metrics } from '../metrics.js';
import { itemIn } from '../core/catalog.js';
import { languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { detectPrivacyIntent } from '../language/privacy-intents.js';
import { renderPrompt } from './prompts.js';

/** WhatsApp's text limit is 4,096 characters; an answer stays well inside it, with the disclosure line. */
const MAX_ANSWER = 1_000;
const MAX_LINES = 10;

/** What the AI made of a message the flows did not recognise; `none` means: answer deterministically. */
export type Interpretation =
  | { kind: 'none' }
  | { kind: 'answer'; text: string }
  | { kind: 'order'; lines: Array<{ itemId: string; quantity: number }> };

/** The structured output the model must return (JSON Schema sent with the request, zod on the answer). */
const interpretationSchema = z.strictObject({
  type: z.enum(['answer', 'order', 'unknown']),
  reply: z.string().max(2_000),
  lines: z
    .array(z.strictObject({ itemId: z.string().min(1).max(64), quantity: z.number().int().min(1).max(99) }))
    .max(MAX_LINES),
});

const RESPONSE_FORMAT = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'interpretation',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'reply', 'lines'],
      properties: {
        type: { type: 'string', enum: ['answer', 'order', 'unknown'] },
        reply: { type: 'string' },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['itemId', 'quantity'],
            properties: { itemId: { type: 'string' }, quantity: { type: 'integer' } },
          },
        },
      },
    },
  },
};

export interface InterpretRequest {
  business: BusinessData;
  customerRef: string;
  text: string;
  /** The WhatsApp name; sent only when the business turned `aiIncludeName` on. */
  customerName?: string | undefined;
  /**
   * The conversation's language (src/language/choose.ts): the FAQ is matched and answered in it, and the model
   * is told to answer in it, by name, so a reply never comes back in another language than the rest of the
   * chat. Default: the business's locale.
   */
  language?: Language | undefined;
}

/** Languages named in English, as the prompt is written (Intl's own names: no list of ours to keep). */
const LANGUAGE_NAME_IN_PROMPT = new Intl.DisplayNames('en', { type: 'language' });

/** The name of the language the model must answer in, for the prompt ("Spanish"). */
export function promptLanguageName(language: Language): string {
  return LANGUAGE_NAME_IN_PROMPT.of(language) ?? 'English';
}

export interface AssistantDeps {
  models: Models;
  llm: Config['llm'];
  logger: Logger;
  /** A client for tests; default: the openai package against OPENAI_BASE_URL. */
  client?: OpenAI;
  now?: () => number;
  /** Production metrics: calls by outcome. */
  metrics?: Metrics;
}

/** An answer cut to MAX_ANSWER characters, at the end of a sentence when there is one in the last third. */
export function trimAnswer(reply: string): string {
  if (reply.length <= MAX_ANSWER) return reply;
  const cut = reply.slice(0, MAX_ANSWER - 1);
  const end = Math.max(
    cut.lastIndexOf('. '),
    cut.lastIndexOf('! '),
    cut.lastIndexOf('? '),
    cut.lastIndexOf('\n'),
  );
  return end > MAX_ANSWER * 0.66 ? cut.slice(0, end + 1).trimEnd() : `${cut.trimEnd()}…`;
}

/** Phone numbers and e-mail addresses typed in a message are replaced before it leaves for the provider. */
export function redactForAi(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[e-mail]')
    .replace(/\+?\(?\d(?:[\s().-]{0,2}\d){6,}/g, '[number]');
}

const MONEY =
  /(?:[€$£¥]|\b[A-Z]{3}\s?)\s?(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s?(?:€|\$|£|¥|\b[A-Z]{3}\b|euros?\b|dollars?\b)/g;

/**
 * A reply claiming an action the model cannot take (erasing data, placing or cancelling an order): "I have
 * deleted your data", "your order has been placed". Only the customer's buttons do those.
 */
const ACTION_CLAIM =
  /\b(?:i|we)(?:\s+have|['’]ve)?(?:\s+just|\s+now|\s+already)?\s+(?:deleted|erased|removed|wiped|forgotten|cancell?ed|placed|submitted)\b|\b(?:your|the)\s+(?:personal\s+)?(?:data|information|info|details|account|number|order)\s+(?:has|have|was|were)\s+(?:now\s+|already\s+)?(?:been\s+)?(?:deleted|erased|removed|wiped|cancell?ed|placed|submitted)\b/i;

/** The amounts of money a text names, in minor units of `currency`. */
function amounts(text: string, currency: string): number[] {
  const digits = currency === 'JPY' ? 0 : 2;
  return Array.from(text.matchAll(MONEY), (m) =>
    Math.round(Number((m[1] ?? m[2] ?? '').replace(',', '.')) * 10 ** digits),
  );
}

/**
 * Prices in a reply that are neither a catalog price nor named in the FAQ, in any of its languages (the model
 * must not invent them).
 */
export function unknownPrices(reply: string, business: BusinessData): number[] {
  const known = new Set([
    ...business.catalog.map((item) => item.priceMinor),
    ...business.faq.flatMap((f) =>
      [f, ...Object.values(f.translations ?? {})].flatMap((text) =>
        amounts(`${text.question} ${text.answer}`, business.currency),
      ),
    ),
  ]);
  return amounts(reply, business.currency).filter((minor) => !known.has(minor));
}

/**
 * Phrases replies with an OpenAI-compatible model, only for a business that switched AI on, only when an
 * endpoint is configured, only for customers who did not say "no AI", and only within the business's daily
 * token budget; otherwise (and on any failure, timeout or invalid output) it answers `none` without calling
 * anything, and the flow's deterministic reply is used. What is sent: the business's name, tone, catalog and
 * FAQ, and the customer's message with phone numbers and e-mail addresses masked; the customer's name only
 * if the business allows it. Never their number, wa_id, addresses or other customers' data. The model can only
 * propose: an answer to show, or cart lines the customer confirms with a button.
 */
export class Assistant {
  private readonly client: OpenAI | undefined;
  private readonly now: () => number;

  constructor(private readonly d: AssistantDeps) {
    this.now = d.now ?? Date.now;
    this.client =
      d.client ??
      (d.llm.configured
        ? new OpenAI({
            apiKey: d.llm.apiKey ?? 'unused',
            ...(d.llm.baseUrl ? { baseURL: d.llm.baseUrl } : {}),
            timeout: d.llm.timeoutMs,
            maxRetries: d.llm.maxRetries,
          })
        : undefined);
  }

  /** Whether this business's customers may get AI replies at all (the customer's own choice aside). */
  enabledFor(business: BusinessData): boolean {
    return this.client !== undefined && this.d.llm.model !== undefined && business.aiReplies;
  }

  private budgetKey(phoneNumberId: string): string {
    return `ai-tokens:${phoneNumberId}:${new Date(this.now()).toISOString().slice(0, 10)}`;
  }

  /** Tokens this business used today (UTC). */
  async tokensToday(phoneNumberId: string): Promise<number> {
    const counter = await this.d.models.Counter.findById(this.budgetKey(phoneNumberId)).lean().exec();
    return counter?.seq ?? 0;
  }

  async interpret(request: InterpretRequest): Promise<Interpretation> {
    const { business, customerRef } = request;
    // The business's own answers first, without AI: a question close to an FAQ entry gets that answer,
    // whether or not AI is on; only what matches nothing goes to the model.
    // Matched in the conversation's language first, answered in it when the entry has it.
    const known = matchFaq(business.faq, request.text, {
      language: request.language,
      locale: business.locale,
    });
    if (known) return { kind: 'answer', text: known.answer };
    const model = this.d.llm.model;
    if (!this.client || !model || !this.enabledFor(business)) return { kind: 'none' };
    const customer = await this.d.models.Customer.findById(customerRef, { noAi: 1 }).lean().exec();
    if (customer?.noAi) return { kind: 'none' };
    if ((await this.tokensToday(business.phoneNumberId)) >= business.aiDailyTokenBudget) {
      this.d.logger.info({ phoneNumberId: business.phoneNumberId }, 'AI budget for today used up');
      return { kind: 'none' };
    }
    const started = this.now();
    let outcome: AiCallOutcome = 'error';
    let usage = { prompt: 0, completion: 0 };
    let result: Interpretation = { kind: 'none' };
    // The whole call, retries and their waits included, ends at the timeout: the client's own retry sleep
    // (e.g. a 429's Retry-After) does not watch the signal, so the call is raced against it too.
    const deadline = AbortSignal.timeout(this.d.llm.timeoutMs);
    try {
      const call = this.client.chat.completions.create(
        {
          model,
          temperature: 0.2,
          max_tokens: 500,
          response_format: RESPONSE_FORMAT,
          messages: [
            { role: 'system', content: this.systemPrompt(request) },
            {
              role: 'user',
              content: renderPrompt('customer-message', { message: redactForAi(request.text) }),
            },
          ],
        },
        { signal: deadline },
      );
      const response = await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          deadline.addEventListener('abort', () => reject(deadline.reason as Error), { once: true });
        }),
      ]);
      usage = {
        prompt: response.usage?.prompt_tokens ?? 0,
        completion: response.usage?.completion_tokens ?? 0,
      };
      const checked = this.check(response.choices[0]?.message.content ?? '', business);
      outcome = checked.outcome;
      result = checked.result;
    } catch (err) {
      // The openai package's error classes do not set `name`: classify by the deadline and by class.
      const timedOut = deadline.aborted || err instanceof OpenAI.APIConnectionTimeoutError;
      outcome = timedOut ? 'timeout' : 'error';
      this.d.logger.warn(
        {
          phoneNumberId: business.phoneNumberId,
          outcome,
          kind: err instanceof Error ? err.constructor.name : 'unknown',
          status: (err as { status?: unknown }).status,
        },
        'AI call failed; deterministic reply used',
      );
    }
    this.d.metrics?.aiCall(outcome);
    await this.record(request, model, usage, outcome, this.now() - started);
    return result;
  }

  private systemPrompt(request: InterpretRequest): string {
    const { business } = request;
    const language = request.language ?? languageOfLocale(business.locale);
    // The dishes as the customer reads them (the business's translations), so the model names them so too.
    const available = business.catalog.filter((item) => item.available).map((item) => itemIn(item, language));
    return renderPrompt('interpret', {
      business_name: business.name,
      language: promptLanguageName(language),
      persona: business.persona || 'friendly, brief and clear.',
      currency: business.currency,
      catalog:
        available
          .map((item) =>
            [
              item.id,
              item.name,
              formatMoney(item.priceMinor, business.currency),
              item.category ?? '',
              item.description ?? '',
            ].join(' | '),
          )
          .join('\n') || '(no items)',
      // Each entry in the conversation's language when the business translated it.
      faq:
        business.faq
          .map((f) => f.translations?.[language] ?? f)
          .map((f) => `Q: ${f.question}\nA: ${f.answer}`)
          .join('\n') || '(none)',
      customer:
        business.aiIncludeName && request.customerName
          ? `The customer's name is ${request.customerName}.`
          : 'The customer did not share a name with you.',
    });
  }

  /** The model's output, checked: anything malformed, off-catalog, price-inventing or action-claiming is ignored. */
  private check(content: string, business: BusinessData): { outcome: AiCallOutcome; result: Interpretation } {
    const invalid = { outcome: 'invalid' as const, result: { kind: 'none' as const } };
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return invalid;
    }
    const parsed = interpretationSchema.safeParse(json);
    if (!parsed.success) return invalid;
    const output = parsed.data;
    if (output.type === 'unknown') return { outcome: 'unknown', result: { kind: 'none' } };
    if (output.type === 'order') {
      const available = new Set(business.catalog.filter((item) => item.available).map((item) => item.id));
      if (output.lines.length === 0 || output.lines.some((line) => !available.has(line.itemId)))
        return invalid;
      const merged = new Map<string, number>();
      for (const line of output.lines)
        merged.set(line.itemId, Math.min(99, (merged.get(line.itemId) ?? 0) + line.quantity));
      return {
        outcome: 'order',
        result: { kind: 'order', lines: [...merged].map(([itemId, quantity]) => ({ itemId, quantity })) },
      };
    }
    const reply = trimAnswer(output.reply.trim());
    if (reply.length === 0) return invalid;
    // No invented prices, and no claim of a privacy action: those are the customer's to start, with buttons.
    if (unknownPrices(reply, business).length > 0) return invalid;
    if (detectPrivacyIntent({ type: 'user.text', text: reply })) return invalid;
    if (ACTION_CLAIM.test(reply)) return invalid;
    const disclosure = business.aiDisclosure.trim();
    return {
      outcome: 'answer',
      result: { kind: 'answer', text: disclosure ? `${reply}\n\n_${disclosure}_` : reply },
    };
  }

  private async record(
    request: InterpretRequest,
    model: string,
    usage: { prompt: number; completion: number },
    outcome: AiCallOutcome,
    durationMs: number,
  ): Promise<void> {
    const at = new Date(this.now());
    const tokens = usage.prompt + usage.completion;
    await Promise.all([
      this.d.models.AiCall.create({
        phoneNumberId: request.business.phoneNumberId,
        customerRef: request.customerRef,
        at,
        purpose: 'interpret',
        model,
        promptTokens: usage.prompt,
        completionTokens: usage.completion,
        outcome,
        durationMs,
        expiresAt: new Date(at.getTime() + days(AI_CALL_RETENTION_DAYS)),
      }),
      tokens > 0
        ? this.d.models.Counter.updateOne(
            { _id: this.budgetKey(request.business.phoneNumberId) },
            { $inc: { seq: tokens } },
            { upsert: true },
          ).exec()
        : Promise.resolve(),
    ]);
  }
}
