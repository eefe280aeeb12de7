import { DateTime, IANAZone } from 'luxon';
import { BOOKING_WEEKDAYS } from '../core/booking.js';
import type { BookingConfig, FreeDay, Resource, Service, Slot, WorkInterval } from '../core/booking.js';

/**
 * Free slots, computed: pure functions of the business's booking configuration, its time zone, a service,
 * `now` and the intervals its resources are already busy. Nothing here reads a clock or a database.
 *
 * How a day is read, on the business's clock:
 * - A resource's hours that date: its own exception for the date, else the business's exception for the
 *   date, else its week's hours for the weekday (an exception with no intervals: not worked that date).
 * - A working interval "HH:mm–HH:mm" runs from the first instant whose wall time reaches its start to the
 *   last instant whose wall time reaches its end: a bound in a spring-forward gap is the instant the clock
 *   jumps; at a fall-back the repeated hour is worked each time it happens.
 * - Slot starts are the wall times start, start + step, … of the interval; a wall time that does not exist
 *   that night is skipped, one that happens twice gives a slot for each real instant.
 * - The service's duration plus its buffer must fit, in elapsed time, inside that one working interval, and
 *   the resource must have fewer than `capacity` bookings at every moment of it.
 * - Inactive resources and services offer nothing; a slot starts within [now + earliest, now + latestDays].
 *
 * The offsets come from luxon (the IANA database through Intl); between two offset changes a wall time and
 * its instant differ by that constant offset, so the grid is walked in epoch milliseconds there instead of
 * creating a luxon object per step.
 */

/** When a resource is already taken: a booking with its buffer, as instants. */
export interface BusyInterval {
  resourceId: string;
  start: Date;
  end: Date;
}

/** What every slot question needs. */
export interface SlotQuery {
  config: BookingConfig;
  /** The business's IANA time zone ('Europe/Madrid'). */
  timeZone: string;
  serviceId: string;
  now: Date;
  /** The bookings of the service's resources (others are ignored), each with its buffer. */
  busy: readonly BusyInterval[];
  /**
   * The staff member the customer chose: only that resource's slots are offered (when it can perform the
   * service and is active; else none). Absent: every resource of the service, in the service's order.
   */
  preferredResourceId?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A stretch of instants [from, to) during which the zone's offset (ms) is constant. */
interface Piece {
  from: number;
  to: number;
  offset: number;
}

/** Luxon zones by name: creating one validates the name, once. */
const zones = new Map<string, IANAZone>();
function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    if (!zone.isValid) throw new RangeError(`unknown time zone ${name}`);
    zones.set(name, zone);
  }
  return zone;
}

/** Offsets by zone and date, memoised (a pure function of the tz database): days are asked for again and again. */
const piecesCache = new Map<string, Piece[]>();
const PIECES_CACHE_LIMIT = 10_000;

/** The local midnight of a 'YYYY-MM-DD' date as a "local epoch" (its wall time read as if UTC), in ms. */
function localEpochOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function dateOfLocalEpoch(local: number): string {
  return new Date(local).toISOString().slice(0, 10);
}

/**
 * The offsets in force around a local date: every instant whose wall time falls on the date lies within
 * 14 h before its local midnight and 12 h after its end (the widest offsets there are), sampled every 3 h
 * with luxon and narrowed to the minute where the offset changes.
 */
function piecesAround(zoneName: string, date: string): Piece[] {
  const key = `${zoneName}|${date}`;
  const cached = piecesCache.get(key);
  if (cached) return cached;
  const zone = zoneOf(zoneName);
  const offsetAt = (t: number): number => zone.offset(t) * MINUTE;
  const local = localEpochOf(date);
  const from = local - 14 * HOUR;
  const to = local + DAY + 12 * HOUR;
  const pieces: Piece[] = [];
  let start = from;
  let offset = offsetAt(from);
  for (let probe = from + 3 * HOUR; probe <= to; probe += 3 * HOUR) {
    const next = offsetAt(probe);
    if (next === offset) continue;
    // The change lies in (probe - 3 h, probe]: halve down to the minute (changes happen on whole minutes).
    let lo = probe - 3 * HOUR;
    let hi = probe;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offsetAt(mid) === offset) lo = mid;
      else hi = mid;
    }
    pieces.push({ from: start, to: hi, offset });
    start = hi;
    offset = offsetAt(hi);
    // A second change within the same 3 h (none known) would be seen at the next probe as a difference.
  }
  pieces.push({ from: start, to, offset });
  if (piecesCache.size >= PIECES_CACHE_LIMIT) piecesCache.clear();
  piecesCache.set(key, pieces);
  return pieces;
}

/** The first instant whose wall time reaches `wall` (a local epoch), given the pieces around its date. */
function firstInstantReaching(pieces: Piece[], wall: number): number {
  for (const piece of pieces) {
    if (wall < piece.to + piece.offset) return Math.max(piece.from, wall - piece.offset);
  }
  const last = pieces[pieces.length - 1];
  return last ? wall - last.offset : wall;
}

/**
 * The last instant at which the wall time reaches `wall`: at a fall-back, its second occurrence (the
 * repeated hour is worked); in a spring-forward gap, the instant the clock jumps.
 */
function lastInstantReaching(pieces: Piece[], wall: number): number {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i];
    if (!piece || wall < piece.from + piece.offset) continue;
    return wall < piece.to + piece.offset ? wall - piece.offset : piece.to;
  }
  const first = pieces[0];
  return first ? wall - first.offset : wall;
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The hours a resource works on a date: its own exception, the business's, or its week. */
function hoursOn(config: BookingConfig, resource: Resource, date: string): WorkInterval[] {
  const own = resource.exceptions?.find((e) => e.date === date);
  if (own) return own.intervals;
  const business = config.exceptions?.find((e) => e.date === date);
  if (business) return business.intervals;
  const weekday = BOOKING_WEEKDAYS[(new Date(localEpochOf(date)).getUTCDay() + 6) % 7];
  return weekday ? (resource.week[weekday] ?? []) : [];
}

/** One resource's bookings as sorted numbers, with the longest one (to find overlaps by binary search). */
interface BusyIndex {
  starts: number[];
  ends: number[];
  longest: number;
}

function indexBusy(busy: readonly BusyInterval[], resourceIds: ReadonlySet<string>): Map<string, BusyIndex> {
  const grouped = new Map<string, Array<[number, number]>>();
  for (const b of busy) {
    if (!resourceIds.has(b.resourceId)) continue;
    const start = b.start.getTime();
    const end = b.end.getTime();
    if (!(end > start)) continue;
    let list = grouped.get(b.resourceId);
    if (!list) grouped.set(b.resourceId, (list = []));
    list.push([start, end]);
  }
  const index = new Map<string, BusyIndex>();
  for (const [id, list] of grouped) {
    list.sort((a, b) => a[0] - b[0]);
    let longest = 0;
    for (const [s, e] of list) longest = Math.max(longest, e - s);
    index.set(id, { starts: list.map((i) => i[0]), ends: list.map((i) => i[1]), longest });
  }
  return index;
}

/** The first index whose start is at or after `t`. */
function lowerBound(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether fewer than `capacity` bookings overlap at every moment of [from, to). */
function hasRoom(busy: BusyIndex | undefined, capacity: number, from: number, to: number): boolean {
  if (!busy) return true;
  const first = lowerBound(busy.starts, from - busy.longest);
  const last = lowerBound(busy.starts, to);
  const overlapping: Array<[number, number]> = [];
  for (let i = first; i < last; i++) {
    const end = busy.ends[i] ?? 0;
    if (end > from) {
      if (capacity === 1) return false;
      overlapping.push([Math.max(busy.starts[i] ?? 0, from), Math.min(end, to)]);
    }
  }
  if (overlapping.length < capacity) return true;
  // Enough bookings to fill it somewhere: the most at one moment decides (ends before starts at a tie).
  const events: Array<[number, number]> = [];
  for (const [s, e] of overlapping) events.push([s, 1], [e, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let depth = 0;
  for (const [, step] of events) {
    depth += step;
    if (depth >= capacity) return false;
  }
  return true;
}

/** A query resolved once: the service, its resources, their bookings and the window, as numbers. */
interface Prepared {
  config: BookingConfig;
  timeZone: string;
  service: Service;
  resources: Resource[];
  busy: Map<string, BusyIndex>;
  /** Elapsed time a booking holds its resource: duration plus buffer, ms. */
  hold: number;
  duration: number;
  step: number;
  earliest: number;
  latest: number;
  firstDate: string;
  lastDate: string;
}

function prepare(query: SlotQuery): Prepared | null {
  const { config, timeZone, now } = query;
  const service = config.services.find((s) => s.id === query.serviceId);
  if (!service || !service.active) return null;
  const byId = new Map(config.resources.map((r) => [r.id, r]));
  const ids =
    query.preferredResourceId === undefined
      ? service.resourceIds
      : service.resourceIds.filter((id) => id === query.preferredResourceId);
  const resources = ids.map((id) => byId.get(id)).filter((r): r is Resource => r !== undefined && r.active);
  if (resources.length === 0) return null;
  const start = DateTime.fromJSDate(now, { zone: zoneOf(timeZone) });
  const end = start.plus({ days: config.latestDays });
  return {
    config,
    timeZone,
    service,
    resources,
    busy: indexBusy(query.busy, new Set(resources.map((r) => r.id))),
    hold: (service.durationMinutes + (service.bufferMinutes ?? 0)) * MINUTE,
    duration: service.durationMinutes * MINUTE,
    step: Math.max(1, config.slotStepMinutes) * MINUTE,
    earliest: now.getTime() + config.earliestMinutes * MINUTE,
    latest: end.toMillis(),
    firstDate: start.toISODate() ?? '',
    lastDate: end.toISODate() ?? '',
  };
}

/** The free slot starts of one resource on one date, ascending (a wall time twice at a fall-back: twice). */
function resourceStarts(p: Prepared, resource: Resource, date: string, out: Map<number, string[]>): void {
  const pieces = piecesAround(p.timeZone, date);
  const midnight = localEpochOf(date);
  const busy = p.busy.get(resource.id);
  const capacity = Math.max(1, resource.capacity);
  for (const interval of hoursOn(p.config, resource, date)) {
    const wallStart = midnight + minutesOf(interval.start) * MINUTE;
    const wallEnd = midnight + minutesOf(interval.end) * MINUTE;
    if (wallEnd <= wallStart) continue;
    const begins = firstInstantReaching(pieces, wallStart);
    const ends = lastInstantReaching(pieces, wallEnd);
    for (const piece of pieces) {
      const from = Math.max(piece.from, begins);
      const to = Math.min(piece.to, ends);
      if (from >= to) continue;
      // Wall times on the grid whose instant, at this piece's offset, lies in [from, to).
      const firstStep = Math.max(0, Math.ceil((from + piece.offset - wallStart) / p.step));
      for (let wall = wallStart + firstStep * p.step; ; wall += p.step) {
        const t = wall - piece.offset;
        if (t >= to) break;
        if (t + p.hold > ends) break;
        if (t < p.earliest) continue;
        if (t > p.latest) break;
        if (!hasRoom(busy, capacity, t, t + p.hold)) continue;
        const list = out.get(t);
        if (list) list.push(resource.id);
        else out.set(t, [resource.id]);
      }
    }
  }
}

/** The free starts of a date, each with the resources free for it (in the service's order). */
function startsOfDate(p: Prepared, date: string): Map<number, string[]> {
  const starts = new Map<number, string[]>();
  if (date < p.firstDate || date > p.lastDate) return starts;
  for (const resource of p.resources) resourceStarts(p, resource, date, starts);
  return starts;
}

function slotsOfDate(p: Prepared, date: string): Slot[] {
  return [...startsOfDate(p, date).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, resourceIds]) => ({
      start: new Date(t).toISOString(),
      end: new Date(t + p.duration).toISOString(),
      resourceIds,
    }));
}

const nextDate = (date: string, days = 1): string => dateOfLocalEpoch(localEpochOf(date) + days * DAY);

/** The free slots on one date ('YYYY-MM-DD' on the business's clock), earliest first. */
export function slotsOn(query: SlotQuery, date: string): Slot[] {
  const p = prepare(query);
  return p ? slotsOfDate(p, date) : [];
}

/** The next dates (from today on the business's clock) with at least one free slot, up to `limit`. */
export function freeDays(query: SlotQuery, options: { limit: number }): FreeDay[] {
  const p = prepare(query);
  if (!p || options.limit <= 0) return [];
  const days: FreeDay[] = [];
  for (let date = p.firstDate; date <= p.lastDate && days.length < options.limit; date = nextDate(date)) {
    const free = startsOfDate(p, date).size;
    if (free > 0) days.push({ date, free });
  }
  return days;
}

/**
 * The `n` free slots nearest an instant (the slot a customer just lost to another), nearest first (the
 * earlier of two equally near). Days are searched outwards from the instant's date until no day further
 * away can hold a nearer slot.
 */
export function nearestFree(query: SlotQuery, around: Date, n: number): Slot[] {
  const p = prepare(query);
  if (!p || n <= 0) return [];
  const target = around.getTime();
  const distance = (slot: Slot): number => Math.abs(Date.parse(slot.start) - target);
  const centre = DateTime.fromJSDate(around, { zone: zoneOf(p.timeZone) }).toISODate() ?? p.firstDate;
  const found: Slot[] = [];
  const nth = (): number => {
    if (found.length < n) return Infinity;
    return found.map(distance).sort((a, b) => a - b)[n - 1] ?? Infinity;
  };
  for (let k = 0; ; k++) {
    const later = nextDate(centre, k);
    const earlier = nextDate(centre, -k);
    if (later > p.lastDate && earlier < p.firstDate) break;
    found.push(...slotsOfDate(p, later));
    if (k > 0) found.push(...slotsOfDate(p, earlier));
    // The nearest instant any date beyond this ring could have: the start of the next later date, the end
    // of the next earlier one (their midnights, found as the grid finds wall times).
    const beyondLater = firstInstantReaching(
      piecesAround(p.timeZone, nextDate(later)),
      localEpochOf(nextDate(later)),
    );
    const beyondEarlier = firstInstantReaching(piecesAround(p.timeZone, earlier), localEpochOf(earlier));
    if (Math.min(beyondLater - target, target - beyondEarlier) > nth()) break;
  }
  return found
    .sort((a, b) => distance(a) - distance(b) || Date.parse(a.start) - Date.parse(b.start))
    .slice(0, n);
}
