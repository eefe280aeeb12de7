import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AdminAuth } from '../admin/auth.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { BusinessData } from '../businesses/schema.js';
import { phoneNumberIdParam } from '../businesses/schema.js';
import type { AppointmentView } from '../core/booking.js';
import { fromMinorUnits } from '../core/money.js';
import { DAY_MS } from '../core/time.js';
import { AppError } from '../errors.js';
import { parseOrThrow, requireJson } from '../http/validation.js';
import type { Counters } from '../metrics.js';
import { StaffBookingError } from './desk.js';
import type { AppointmentDesk, DeskBusiness } from './desk.js';
import type { AppointmentStore } from './store.js';

export interface AppointmentRoutesDeps {
  /** The operator, or the business's own API keys (src/admin/auth.ts). */
  auth: AdminAuth;
  directory: BusinessDirectory;
  store: AppointmentStore;
  desk: AppointmentDesk;
  counters: Counters;
  now?: () => number;
}

/** The longest range one list covers. */
const MAX_RANGE_DAYS = 62;

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const listQuery = z
  .strictObject({ from: instant, to: instant, resourceId: z.string().min(1).max(64).optional() })
  .refine((q) => q.to > q.from, { message: '`to` must be after `from`', path: ['to'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_RANGE_DAYS * DAY_MS, {
    message: `at most ${MAX_RANGE_DAYS} days at a time`,
    path: ['to'],
  });

/** An idempotency key: the same key books once (a retried request). */
const key = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'letters, digits, `_` or `-`, 8–100');

const bookBody = z.strictObject({
  serviceId: z.string().min(1).max(64),
  start: instant,
  resourceId: z.string().min(1).max(64).optional(),
  /** The customer's WhatsApp number with its country code. */
  phone: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(80).optional(),
  key: key.optional(),
});

const patchBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('cancel') }),
  z.strictObject({ action: z.literal('no_show') }),
  z.strictObject({ action: z.literal('complete') }),
  z.strictObject({
    action: z.literal('move'),
    start: instant,
    resourceId: z.string().min(1).max(64).optional(),
    key: key.optional(),
  }),
]);

const numberParam = z.string().regex(/^A-\d{1,15}$/i, 'must be an appointment number such as A-1042');

/** An appointment as the business sees it: the price in major units, times as ISO instants, no customer. */
export function appointmentJson(a: AppointmentView) {
  return {
    number: a.number,
    status: a.status,
    serviceId: a.serviceId,
    serviceName: a.serviceName,
    resourceId: a.resourceId,
    resourceName: a.resourceName,
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    ...(a.priceMinor !== undefined ? { price: fromMinorUnits(a.priceMinor, a.currency) } : {}),
    currency: a.currency,
    bookedBy: a.bookedBy,
    ...(a.cancelledBy ? { cancelledBy: a.cancelledBy } : {}),
  };
}

const deskBusiness = (b: BusinessData): DeskBusiness => ({
  phoneNumberId: b.phoneNumberId,
  booking: b.booking,
  timeZone: b.timeZone,
  currency: b.currency,
});

/**
 * The business's appointments for the operator or its own API key: list a range, book on a customer's
 * behalf, cancel, move (the old time kept until the new one is booked), mark a no-show or completed. Staff
 * changes tell the customer through the desk's `notify`. No customer reference or number in any answer.
 */
export function appointmentsRouter(deps: AppointmentRoutesDeps): Router {
  const router = express.Router();
  const business = deps.auth.business;
  const json = express.json({ limit: '16kb', type: () => true });
  const base = '/admin/businesses/:phoneNumberId/appointments';

  async function businessOf(req: Request): Promise<BusinessData> {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const found = await deps.directory.get(id);
    if (!found) throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    return found;
  }

  async function appointmentOf(req: Request, b: BusinessData): Promise<AppointmentView> {
    const number = parseOrThrow(numberParam, req.params.number, 'number');
    const found = await deps.store.get(b.phoneNumberId, number);
    if (!found) throw new AppError('NOT_FOUND', `no appointment ${number}`);
    return found;
  }

  const refused = (err: unknown): never => {
    if (err instanceof StaffBookingError) {
      throw new AppError(err.field === 'start' ? 'CONFLICT' : 'VALIDATION_FAILED', err.message, {
        cause: err,
        ...(err.field === 'start' ? {} : { fields: [{ field: err.field, message: err.message }] }),
      });
    }
    throw err;
  };

  router.get(base, business, async (req, res) => {
    const query = parseOrThrow(listQuery, req.query, 'query');
    const b = await businessOf(req);
    const list = await deps.store.forRange(b.phoneNumberId, query.from, query.to, query.resourceId);
    res.json({ appointments: list.map(appointmentJson) });
  });

  router.get(`${base}/:number`, business, async (req, res) => {
    const b = await businessOf(req);
    res.json({ appointment: appointmentJson(await appointmentOf(req, b)) });
  });

  router.post(base, business, requireJson, json, async (req, res) => {
    const body = parseOrThrow(bookBody, req.body, 'body');
    const b = await businessOf(req);
    try {
      const customerRef = await deps.desk.customerFor(b.phoneNumberId, body.phone, body.name);
      const result = await deps.desk.book(deskBusiness(b), {
        serviceId: body.serviceId,
        start: body.start,
        resourceId: body.resourceId,
        customerRef,
        key: body.key ?? randomUUID(),
      });
      if (result.status === 'taken') throw new StaffBookingError('start', 'that time was just taken');
      deps.counters.add('admin.appointment.booked');
      res.status(201).json({ appointment: appointmentJson(result.appointment) });
    } catch (err) {
      refused(err);
    }
  });

  router.patch(`${base}/:number`, business, requireJson, json, async (req, res) => {
    const body = parseOrThrow(patchBody, req.body, 'body');
    const b = await businessOf(req);
    const current = await appointmentOf(req, b);
    if (body.action === 'move') {
      try {
        const result = await deps.desk.move(deskBusiness(b), current.id, {
          start: body.start,
          resourceId: body.resourceId,
          key: body.key ?? randomUUID(),
        });
        if (result.status === 'taken') throw new StaffBookingError('start', 'that time was just taken');
        deps.counters.add('admin.appointment.moved');
        res.json({ appointment: appointmentJson(result.appointment), movedFrom: current.number });
      } catch (err) {
        refused(err);
      }
      return;
    }
    if (body.action === 'cancel') {
      const result = await deps.desk.cancel(b.phoneNumberId, current.id);
      if (result.status === 'not_found') throw new AppError('NOT_FOUND', `no appointment ${current.number}`);
      if (result.status === 'too_late')
        throw new AppError(
          'CONFLICT',
          `appointment ${current.number} is ${current.status}: it cannot be cancelled`,
        );
      deps.counters.add('admin.appointment.cancelled');
      res.json({ appointment: appointmentJson(result.appointment) });
      return;
    }
    if (body.action === 'complete' && current.start.getTime() > (deps.now ?? Date.now)())
      throw new AppError('CONFLICT', `appointment ${current.number} has not started yet`);
    const result =
      body.action === 'no_show'
        ? await deps.store.markNoShow(b.phoneNumberId, current.id)
        : await deps.store.markCompleted(b.phoneNumberId, current.id);
    if (result.status === 'not_found') throw new AppError('NOT_FOUND', `no appointment ${current.number}`);
    if (result.status === 'too_early')
      throw new AppError(
        'CONFLICT',
        `appointment ${current.number} has not started yet: it can be marked a no-show only after its start`,
      );
    if (result.status === 'not_booked')
      throw new AppError(
        'CONFLICT',
        `appointment ${current.number} is ${result.appointment.status}: it cannot be changed`,
      );
    deps.counters.add(`admin.appointment.${body.action}`);
    res.json({ appointment: appointmentJson(result.appointment) });
  });

  return router;
}
