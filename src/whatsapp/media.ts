import { z } from 'zod';

/** A customer's photo, voice note or document as Meta serves it: streamed through, never stored. */
export interface OpenedMedia {
  mimeType: string;
  body: ReadableStream<Uint8Array>;
}

/** Fetches a media id a customer sent from the Graph API, on demand (issue 16: the staff inbox's *Show*). */
export interface MediaSource {
  /** The media's bytes; undefined when Meta no longer has it (media ids expire) or the id is unknown. */
  open(mediaId: string): Promise<OpenedMedia | undefined>;
}

/** Meta's media ids are numeric; anything else never reaches a URL. */
export const MEDIA_ID = /^\d{1,32}$/;

const mediaUrlSchema = z.object({ url: z.url({ protocol: /^https?$/ }), mime_type: z.string().min(1) });

/**
 * The Graph API's two steps (`GET /{media-id}` for a short-lived URL, then that URL with the same token),
 * per Meta's media page. Errors other than "not there" throw; the token never appears in a message.
 */
export function graphMediaSource(o: {
  baseUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs?: number;
}): MediaSource {
  const headers = { authorization: `Bearer ${o.accessToken}` };
  const timeout = () => AbortSignal.timeout(o.timeoutMs ?? 15_000);
  return {
    async open(mediaId) {
      if (!MEDIA_ID.test(mediaId)) return undefined;
      const meta = await fetch(`${o.baseUrl}/${o.apiVersion}/${mediaId}`, { headers, signal: timeout() });
      if (meta.status === 400 || meta.status === 404) return undefined;
      if (!meta.ok) throw new Error(`media lookup failed with HTTP ${meta.status}`);
      const found = mediaUrlSchema.safeParse(await meta.json());
      if (!found.success) throw new Error('media lookup answered without a url');
      const file = await fetch(found.data.url, { headers, signal: timeout() });
      if (file.status === 404) return undefined;
      if (!file.ok || !file.body) throw new Error(`media download failed with HTTP ${file.status}`);
      return { mimeType: found.data.mime_type, body: file.body };
    },
  };
}
