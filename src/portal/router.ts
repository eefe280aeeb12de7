import express from 'express';
import type { Router } from 'express';
import type { LiveHub } from '../live/hub.js';
import { liveRouter } from '../live/routes.js';
import { createPortal } from './context.js';
import type { PortalDeps } from './context.js';
import { errorPage, notFound } from './error-page.js';
import { accessLogPage } from './pages/access-log.js';
import { bookingSetupPages } from './pages/booking-setup.js';
import { businessesPage } from './pages/businesses.js';
import { calendarPages } from './pages/calendar.js';
import { catalogPages } from './pages/catalog.js';
import { faqPages } from './pages/faq.js';
import { inboxPages } from './pages/inbox.js';
import { inboxMediaPages } from './pages/inbox-media.js';
import { noticesPage } from './pages/notices.js';
import { orderDetailPages } from './pages/order-detail.js';
import { ordersPage } from './pages/orders.js';
import { overviewPage } from './pages/overview.js';
import { privacyPage } from './pages/privacy.js';
import { settingsPages } from './pages/settings.js';
import { signInPages } from './pages/sign-in.js';
import { templatesPages } from './pages/templates.js';

export type { PortalDeps } from './context.js';

/**
 * The business portal: server-rendered pages under /portal for the operator (ADMIN_TOKEN: every business)
 * and a business (its API key: its own business only). Sessions in MongoDB behind an HttpOnly,
 * SameSite=Strict cookie; a synchronizer CSRF token on every form; sign-in failures rate-limited per
 * client address. No customer identifiers are shown, and nothing personal or secret goes in a URL.
 *
 * One file per page under `pages/`; what they share (session guard, cookies, CSRF, forms, layout, error
 * page) sits beside this file. Any /portal path no page answers gets the portal's own 404 page. With a live
 * hub, pages marked `data-live` refresh themselves when something happens at their business (src/live/).
 */
export function portalRouter(deps: PortalDeps & { live?: LiveHub }): Router {
  const portal = createPortal(deps);
  const router = express.Router();
  // Live updates (src/live/): the client script and each business's event stream.
  if (deps.live) router.use(liveRouter(portal, deps.live));
  router.use(
    signInPages(portal),
    businessesPage(portal),
    overviewPage(portal),
    catalogPages(portal),
    faqPages(portal),
    ordersPage(portal),
    inboxPages(portal),
    inboxMediaPages(portal),
    noticesPage(portal),
    orderDetailPages(portal),
    calendarPages(portal),
    privacyPage(portal),
    settingsPages(portal),
    accessLogPage(portal),
    templatesPages(portal),
    // Each service's "next free" preview counts the bookings already stored.
    bookingSetupPages(portal, {
      ...(deps.appointments
        ? {
            busy: (business, _service, now) =>
              deps.appointments?.busy(
                business.phoneNumberId,
                new Date(now.getTime() - 86_400_000),
                new Date(now.getTime() + ((business.booking?.latestDays ?? 60) + 1) * 86_400_000),
              ) ?? Promise.resolve([]),
          }
        : {}),
    }),
  );
  router.use('/portal', notFound);
  router.use('/portal', errorPage);
  return router;
}
