/**
 * Reads a WhatsApp Business Account's message templates from the Graph API
 * (`GET /{waba-id}/message_templates`, paged by the `after` cursor), over axios with the same base URL,
 * version and token as the sending client, so tests point it at a loopback stand-in. Each template is
 * reduced to what the bot needs to send it: body placeholders, buttons in order, and why it cannot be
 * sent when it needs something the bot does not fill (a picture header, a link with a placeholder…).
 */
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import { WhatsAppApiError, WhatsAppNetworkError } from './errors.js';

/** A template as the registry stores it (src/db/models/template.model.ts), without the business. */
export interface GraphTemplateInfo {
  metaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  body: string;
  parameterFormat: 'positional' | 'named';
  parameters: string[];
  buttons: Array<{ type: string; text: string }>;
  unsupported?: string;
}

export interface TemplateListing {
  templates: GraphTemplateInfo[];
  /** Entries of Meta's answer that were not readable templates (counted, never stored). */
  skipped: number;
}

export interface TemplateFetcherOptions {
  /** `https://graph.facebook.com` in production; a loopback stub in tests. */
  baseUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs?: number;
  /** Templates per page (Graph's `limit`), default 100. */
  pageSize?: number;
  /** Pages read at most, default 50: an account has at most a few hundred templates. */
  maxPages?: number;
}

export type FetchTemplates = (wabaId: string) => Promise<TemplateListing>;

const FIELDS = 'id,name,language,category,status,components,parameter_format';

const pageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z
    .object({
      cursors: z.object({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});

const componentSchema = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  buttons: z
    .array(z.looseObject({ type: z.string(), text: z.string().optional(), url: z.string().optional() }))
    .optional(),
});

const templateSchema = z.object({
  id: z.union([z.string().min(1), z.number().int().transform(String)]),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string().min(1),
  category: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(componentSchema).default([]),
});

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Button types the bot can send as they are (a quick reply gets a payload; the others need nothing). */
const PLAIN_BUTTONS = new Set(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'VOICE_CALL']);

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const HAS_PLACEHOLDER = /\{\{\s*[A-Za-z0-9_]+\s*\}\}/;

/** The body's placeholders, each once, in order (positional ones by number). */
export function placeholdersOf(text: string): { format: 'positional' | 'named'; names: string[] } {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!names.includes(name)) names.push(name);
  }
  const positional = names.every((name) => /^\d+$/.test(name));
  return positional
    ? { format: 'positional', names: names.sort((a, b) => Number(a) - Number(b)) }
    : { format: 'named', names };
}

/** A template of Meta's answer as the registry keeps it, or undefined when it is not readable. */
export function toTemplateInfo(raw: unknown): GraphTemplateInfo | undefined {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const t = parsed.data;
  const body = t.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  const header = t.components.find((c) => c.type.toUpperCase() === 'HEADER');
  const buttons = (t.components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ?? []).map((b) => ({
    type: b.type.toUpperCase(),
    text: b.text ?? '',
    url: b.url,
  }));
  const { format, names } = placeholdersOf(body);
  const declared = t.parameter_format?.toUpperCase();
  const parameterFormat = declared === 'NAMED' ? 'named' : declared === 'POSITIONAL' ? 'positional' : format;
  let unsupported: string | undefined;
  const headerFormat = header?.format?.toUpperCase();
  if (headerFormat && headerFormat !== 'TEXT')
    unsupported = 'its header needs a picture, video, document or location';
  else if (header?.text && HAS_PLACEHOLDER.test(header.text)) unsupported = 'its header has a placeholder';
  else if (t.components.some((c) => c.type.toUpperCase() === 'CAROUSEL')) unsupported = 'it is a carousel';
  else if (buttons.some((b) => !PLAIN_BUTTONS.has(b.type)))
    unsupported = 'it has a button the bot cannot fill (a code, a form or a catalogue)';
  else if (buttons.some((b) => b.type === 'URL' && b.url !== undefined && /\{\{/.test(b.url)))
    unsupported = 'a link button has a placeholder';
  else if (parameterFormat === 'named')
    unsupported = 'its placeholders have names; the bot fills numbered ones ({{1}}, {{2}}…)';
  else if (parameterFormat === 'positional' && names.some((name, i) => name !== String(i + 1)))
    unsupported = 'its placeholders are not numbered {{1}} to {{n}}';
  return {
    metaId: t.id,
    name: t.name,
    language: t.language,
    category: (t.category ?? '').toUpperCase(),
    status: t.status.toUpperCase(),
    body,
    parameterFormat,
    parameters: names,
    buttons: buttons.map(({ type, text }) => ({ type, text })),
    ...(unsupported ? { unsupported } : {}),
  };
}

/** Creates the reader. Nothing is requested until it is called. */
export function createTemplateFetcher(options: TemplateFetcherOptions): FetchTemplates {
  const http = axios.create({
    baseURL: `${options.baseUrl.replace(/\/+$/, '')}/${options.apiVersion}`,
    timeout: options.timeoutMs ?? 10_000,
    headers: { Authorization: `Bearer ${options.accessToken}` },
    validateStatus: () => true,
    // Graph does not redirect; following one could hand the bearer token to another host.
    maxRedirects: 0,
  });
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 50;

  function failure(response: AxiosResponse<unknown>, attempts: number): WhatsAppApiError {
    const graph = graphErrorSchema.safeParse(response.data);
    const code = graph.success ? graph.data.error.code : undefined;
    const message = graph.success ? (graph.data.error.message ?? 'Graph API error') : undefined;
    return new WhatsAppApiError({
      operation: 'listTemplates',
      code,
      subcode: graph.success ? graph.data.error.error_subcode : undefined,
      httpStatus: response.status,
      title: (message ?? 'unexpected response body')
        .replace(/^\(#\d+\)\s*/, '')
        .split(options.accessToken)
        .join('***'),
      retryable: response.status === 429 || response.status >= 500,
      attempts,
      fbtraceId: graph.success ? graph.data.error.fbtrace_id : undefined,
    });
  }

  return async (wabaId) => {
    if (!/^\d{5,20}$/.test(wabaId)) throw new TypeError('wabaId must be the numeric account id');
    const templates: GraphTemplateInfo[] = [];
    let skipped = 0;
    let after: string | undefined;
    for (let page = 1; page <= maxPages; page += 1) {
      let response: AxiosResponse<unknown>;
      try {
        // The `after` cursor on our own base URL, never `paging.next` as given: that URL is Meta's to choose.
        response = await http.get<unknown>(`/${wabaId}/message_templates`, {
          params: { fields: FIELDS, limit: pageSize, ...(after ? { after } : {}) },
        });
      } catch (error) {
        if (!axios.isAxiosError(error)) throw error;
        throw new WhatsAppNetworkError({
          operation: 'listTemplates',
          reason: error.code,
          timedOut: error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED',
          attempts: page,
        });
      }
      if (response.status < 200 || response.status >= 300) throw failure(response, page);
      const body = pageSchema.safeParse(response.data);
      if (!body.success) throw failure(response, page);
      for (const raw of body.data.data) {
        const info = toTemplateInfo(raw);
        if (info) templates.push(info);
        else skipped += 1;
      }
      after = body.data.paging?.cursors?.after;
      if (!body.data.paging?.next || !after) return { templates, skipped };
    }
    return { templates, skipped };
  };
}
