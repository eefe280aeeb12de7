import { shortOfMinimum } from '../../src/core/charges.js';
import { t } from '../../src/language/i18n.js';
import { base } from '../setup.js';
import type { GuardArgs } from '../setup.js';
import { cartTotal } from './cart.js';
import { currencyOf, moneyIn, orderingActors } from './steps.js';
import type { OrderingCatalog } from './steps.js';
import { closedText, termsOf } from './terms.js';

const ordering = base(orderingActors);

/** The named actions and guards of hours, fees and minimum (merged into ordering's in impl.ts). */
export const termsImpl = {
  actions: {
    /** "We're closed now…", kept to say with the next message (after any notice already kept). */
    orderingSayClosed: ordering.assign({
      notice: ({ context }) => {
        const open = context.ordering.catalog?.open;
        if (!open || open.now) return context.notice;
        return [context.notice, closedText(context.language, open)].filter(Boolean).join('\n');
      },
    }),
    /** The minimum order is not met: said with the cart. */
    orderingSayMinimum: ordering.assign({
      notice: ({ context }) => {
        const draft = context.ordering;
        const money = moneyIn(context.language);
        const currency = currencyOf(draft);
        const terms = termsOf(draft);
        return t(context.language, 'ordering:checkout.minimum', {
          minimum: money(terms.minimumOrderMinor, currency),
          short: money(shortOfMinimum(cartTotal(draft.cart), terms), currency),
        });
      },
    }),
  },
  guards: {
    /** Closed, and orders are not taken for later. */
    orderingClosedNoPreOrders: ({ context, event }: GuardArgs) => {
      // At `loadCatalog`'s onDone the catalog is in the event, not yet in the context.
      const loaded = (event as { output?: Partial<OrderingCatalog> }).output;
      const open = loaded ? loaded.open : context.ordering.catalog?.open;
      return open !== undefined && !open.now && !open.preOrders;
    },
    orderingBelowMinimum: ({ context }: GuardArgs) =>
      shortOfMinimum(cartTotal(context.ordering.cart), termsOf(context.ordering)) > 0,
  },
};
