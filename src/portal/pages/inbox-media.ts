import { Readable } from 'node:stream';
import express from 'express';
import type { Router } from 'express';
import { MEDIA_ID } from '../../whatsapp/media.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';

const HANDOFF_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Types a browser may show inline from our origin; anything else downloads (an HTML or SVG never renders). */
const INLINE = /^(image\/(jpeg|png|webp)|audio\/(ogg|mpeg|mp4|aac|amr)|video\/(mp4|3gpp))(;.*)?$/;

/**
 * Issue 16: a photo, voice note, video or document a customer sent during a handoff, shown to staff on
 * demand. Fetched from the Graph API when asked and streamed through, never stored (Meta keeps it for a
 * limited time; after that the page says it is gone). Only a media id this handoff's customer sent, for a
 * business the session may see; the view is recorded in the access log like reading the thread.
 */
export function inboxMediaPages(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid/inbox/:handoffId/media/:mediaId', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = String(req.params.handoffId);
    const mediaId = String(req.params.mediaId);
    const { handoffs, media } = portal.deps;
    if (!handoffs || !media) throw new PortalError(404, 'Media are not available on this server.');
    if (!HANDOFF_ID.test(id) || !MEDIA_ID.test(mediaId)) throw new PortalError(404, 'No such media.');
    const h = await handoffs.get(business.phoneNumberId, id);
    const sent = h?.messages.some((m) => m.direction === 'in' && m.mediaId === mediaId);
    if (!h || !sent) throw new PortalError(404, 'No such media.');
    await portal.deps.desk.record(business.phoneNumberId, session.actor, 'handoff.thread', h.id);
    const opened = await media.open(mediaId);
    if (!opened) throw new PortalError(404, 'This media is no longer available from WhatsApp.');
    const inline = INLINE.test(opened.mimeType);
    res.status(200).set({
      'content-type': inline ? opened.mimeType : 'application/octet-stream',
      'content-disposition': inline ? 'inline' : `attachment; filename="media-${mediaId}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    Readable.fromWeb(opened.body as Parameters<typeof Readable.fromWeb>[0]).pipe(res);
  });

  return router;
}
