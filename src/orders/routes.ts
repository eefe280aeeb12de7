import express from 'express';
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AdminAuth } from '../admin/auth.js';
import { parseOrThrow, requireJson } from '../http/validation.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { fromMinorUnits } from '../core/money.js';
import { phoneNumberIdParam } from '../businesses/schema.js';
import { ORDER_STATUSES } from '../db/models/order.model.js';
import type { HandoverContact, Order } from '../db/models/order.model.js';
import { AppError } from '../errors.js';
import type { Counters } from '../metrics.js';
import { allowedNext, customerNotice, OrderNotFoundError, OrderTransitionError } from './service.js';
import type { OrderService } from './service.js';

export interface OrderRoutesDeps {
  /** The operator, or the business's own API keys (src/admin/auth.ts). */
  auth: AdminAuth;
  directory: BusinessDirectory;
  orders: OrderService;
  counters: Counters;
}

const status = z.enum(ORDER_STATUSES);

/** `?status=&limit=&page=`; unknown parameters are refused, so a typo (`?stauts=`) is not silently ignored. */
const listQuery = z.strictObject({
  status: status.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
});

const orderNumberParam = z
  .string()
  .regex(/^\d{1,15}$/, 'must be an order number such as 1042')
  .transform(Number);

const statusBody = z.strictObject({ status });

/**
 * An order as the business sees it: prices back in major units (money.ts), dates as ISO strings, the
 * statuses the business may move it to next. No customer reference and no phone number: the business
 * reaches the customer through the bot, not through this API.
 */
export function orderView(order: Order, contact?: HandoverContact) {
  const major = (minor: number) => fromMinorUnits(minor, order.currency);
  return {
    orderNumber: order.orderNumber,
    status: order.status,
    items: order.items.map((line) => ({
      itemId: line.itemId,
      name: line.name,
      unitPrice: major(line.unitPriceMinor),
      quantity: line.quantity,
      lineTotal: major(line.lineTotalMinor),
    })),
    total: major(order.totalMinor),
    currency: order.currency,
    fulfilment: order.fulfilment,
    ...(order.deliveryAddress ? { deliveryAddress: order.deliveryAddress } : {}),
    ...(order.note ? { note: order.note } : {}),
    // The customer deleted their data while the order was open: `cancelled` by that, or kept for the
    // `handover` with the contact it needs until it is finished.
    ...(order.erasure ? { customerErasure: order.erasure } : {}),
    ...(contact
      ? {
          handoverContact: {
            ...(contact.name ? { name: contact.name } : {}),
            ...(contact.waId ? { phone: `+${contact.waId}` } : {}),
          },
        }
      : {}),
    statusHistory: order.statusHistory.map((change) => ({
      status: change.status,
      at: change.at.toISOString(),
      by: change.by,
    })),
    nextStatuses: allowedNext(order, 'business'),
    placedAt: order.placedAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export type OrderView = ReturnType<typeof orderView>;

/**
 * The business's side of orders, for the operator or the business's own API key: list them, and move one through
 * its statuses. Each change tells the customer when it can (src/orders/service.ts; `customerNotice` says
 * whether a message went out); a change the status table or a
 * concurrent change refuses is a 409 whose message names the statuses involved.
 */
export function ordersRouter(deps: OrderRoutesDeps): Router {
  const router = express.Router();
  const business = deps.auth.business;
  const json = express.json({ limit: '16kb', type: () => true });
  const base = '/admin/businesses/:phoneNumberId/orders';

  async function businessId(req: Request): Promise<string> {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    if (!(await deps.directory.get(id)))
      throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    return id;
  }

  router.get(base, business, async (req, res) => {
    const query = parseOrThrow(listQuery, req.query, 'query');
    const id = await businessId(req);
    const page = await deps.orders.listOrders(id, query);
    res.json({
      orders: page.orders.map((o) => orderView(o, deps.orders.handoverContact(o))),
      page: page.page,
      limit: page.limit,
      total: page.total,
    });
  });

  router.patch(`${base}/:orderNumber`, business, requireJson, json, async (req, res) => {
    const orderNumber = parseOrThrow(orderNumberParam, req.params.orderNumber, 'orderNumber');
    const body = parseOrThrow(statusBody, req.body, 'body');
    const id = await businessId(req);
    try {
      const result = await deps.orders.changeStatus(id, orderNumber, body.status, 'business');
      deps.counters.add(result.changed ? 'admin.order.status_changed' : 'admin.order.status_unchanged');
      res.json({
        order: orderView(result.order, deps.orders.handoverContact(result.order)),
        changed: result.changed,
        notification: result.notification,
        // Only `sent` means the customer was sent a message about this change.
        customerNotice: customerNotice(result),
      });
    } catch (err) {
      if (err instanceof OrderNotFoundError) throw new AppError('NOT_FOUND', err.message, { cause: err });
      if (err instanceof OrderTransitionError) {
        deps.counters.add('admin.order.status_refused');
        throw new AppError('CONFLICT', err.message, { cause: err });
      }
      throw err;
    }
  });

  return router;
}
