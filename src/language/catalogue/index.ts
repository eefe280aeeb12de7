import { aiMessages } from './ai.js';
import { appointmentsMessages } from './appointments.js';
import { bookingMessages } from './booking.js';
import { orderingMessages } from './ordering.js';
import { ordersMessages } from './orders.js';
import { pagesMessages } from './pages.js';
import { privacyMessages } from './privacy.js';
import { rootMessages } from './root.js';
import { staffMessages } from './staff.js';
import { trackingMessages } from './tracking.js';

/**
 * Every text a customer, a staff member or a visitor of the public pages reads, by namespace: one file
 * per part of the product, each in every language (src/language/catalogue/define.ts).
 */
export const catalogue = {
  root: rootMessages,
  ordering: orderingMessages,
  tracking: trackingMessages,
  ai: aiMessages,
  privacy: privacyMessages,
  orders: ordersMessages,
  staff: staffMessages,
  pages: pagesMessages,
  appointments: appointmentsMessages,
  booking: bookingMessages,
};

export type Catalogue = typeof catalogue;
export type Namespace = keyof Catalogue;
