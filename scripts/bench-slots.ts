/**
 * Slot search benchmark (`npm run bench slots [-- --calls=1000 --seed=18]`): how long one "next free days"
 * answer takes for a busy business: 10 resources, 30 services, 60 days of dense bookings (random but seeded,
 * so every run measures the same calendar).
 *
 * Each call picks a random service and a random `now` in the first week, takes the bookings a store query
 * would return for the service's resources in the booking window (appointment start and end, plus the
 * service's buffer: as src/appointments/ gives them), and asks `freeDays(…, { limit: 10 })`. Pure in
 * memory: the database read itself is not measured (the store's query is one indexed range read), only
 * filtering the bookings and computing the answer. Not a test: figures depend on the machine.
 */
import { pathToFileURL } from 'node:url';
import { freeDays } from '../src/appointments/slots.js';
import type { BusyInterval } from '../src/appointments/slots.js';
import { BOOKING_DEFAULTS } from '../src/core/booking.js';
import type { BookingConfig, Resource, Service, WeeklyWork } from '../src/core/booking.js';
import { errorText, formatMs, machine, percentile } from './bench/format.js';

export interface SlotsBenchOptions {
  calls: number;
  warmup: number;
  seed: number;
}

export interface SlotsBenchResult {
  options: SlotsBenchOptions;
  bookings: number;
  /** Per call, ms, ascending: elapsed (wall clock) and CPU time of this process (shows a busy machine's share). */
  sorted: number[];
  cpuSorted: number[];
  meanDays: number;
}

const TIME_ZONE = 'Europe/Madrid';
/** The first `now`: a Monday in March, so the window crosses the spring-forward night (2026-03-29). */
const FIRST_NOW = Date.parse('2026-03-02T07:00:00Z');
const DAY = 86_400_000;
const MINUTE = 60_000;

/** mulberry32: a small seeded generator, so the calendar is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)] as T;

function clinic(random: () => number): BookingConfig {
  const split = [
    { start: '09:00', end: '14:00' },
    { start: '15:00', end: '19:00' },
  ];
  const week: WeeklyWork = {
    mon: split,
    tue: split,
    wed: split,
    thu: split,
    fri: split,
    sat: [{ start: '09:00', end: '13:00' }],
  };
  const resources: Resource[] = Array.from({ length: 10 }, (_, i) => ({
    id: `r${i}`,
    name: `Resource ${i}`,
    kind: i < 8 ? 'staff' : 'room',
    capacity: i < 8 ? 1 : 3,
    week,
    exceptions: [{ date: '2026-04-0' + String(1 + (i % 9)), intervals: [] }],
    active: true,
  }));
  const services: Service[] = Array.from({ length: 30 }, (_, i) => {
    const count = 2 + Math.floor(random() * 4);
    const ids = new Set<string>();
    while (ids.size < count) ids.add(`r${Math.floor(random() * 10)}`);
    return {
      id: `s${i}`,
      name: `Service ${i}`,
      durationMinutes: pick(random, [15, 20, 30, 45, 60, 90]),
      bufferMinutes: pick(random, [0, 0, 5, 10, 15]),
      resourceIds: [...ids],
      active: true,
    };
  });
  return {
    ...BOOKING_DEFAULTS,
    remindersMinutes: [...BOOKING_DEFAULTS.remindersMinutes],
    services,
    resources,
    exceptions: [{ date: '2026-04-03', intervals: [] }],
  };
}

/** A stored appointment as the store reads it: its resource, service and instants (end without buffer). */
interface Booked {
  resourceId: string;
  serviceId: string;
  start: number;
  end: number;
}

/**
 * Fills 67 days (the first week of `now`s plus 60) densely: along each resource's day, from 09:00 to 19:00
 * local, three times in four a booking of one of its services, else a gap of 15–60 minutes. Rooms get up to
 * three bookings at once. Working hours are not consulted: bookings outside them only add to the search.
 */
function calendar(config: BookingConfig, random: () => number): Booked[] {
  const booked: Booked[] = [];
  const byResource = new Map<string, Service[]>();
  for (const service of config.services)
    for (const id of service.resourceIds) byResource.set(id, [...(byResource.get(id) ?? []), service]);
  for (const resource of config.resources) {
    const services = byResource.get(resource.id) ?? [];
    if (services.length === 0) continue;
    for (let lane = 0; lane < resource.capacity; lane++) {
      for (let d = 0; d < 67; d++) {
        // 08:00Z is 09:00 in winter, 10:00 in summer: close enough for a dense calendar.
        let t = FIRST_NOW + d * DAY + MINUTE * 60;
        const close = t + 10 * 60 * MINUTE;
        while (t < close) {
          if (random() < 0.75) {
            const service = pick(random, services);
            const end = t + service.durationMinutes * MINUTE;
            booked.push({ resourceId: resource.id, serviceId: service.id, start: t, end });
            t = end + (service.bufferMinutes ?? 0) * MINUTE;
          } else t += pick(random, [15, 30, 45, 60]) * MINUTE;
        }
      }
    }
  }
  return booked.sort((a, b) => a.start - b.start);
}

/** The first booking of an ascending list starting at or after `t`. */
function firstFrom(list: Booked[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.start ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function runSlotsBench(options: SlotsBenchOptions): SlotsBenchResult {
  const random = seeded(options.seed);
  const config = clinic(random);
  const booked = calendar(config, random);
  const buffers = new Map(config.services.map((s) => [s.id, (s.bufferMinutes ?? 0) * MINUTE]));
  const byResource = new Map<string, Booked[]>();
  let longest = 0;
  for (const b of booked) {
    byResource.set(b.resourceId, [...(byResource.get(b.resourceId) ?? []), b]);
    longest = Math.max(longest, b.end - b.start);
  }
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let days = 0;
  for (let call = 0; call < options.warmup + options.calls; call++) {
    const service = pick(random, config.services);
    const now = new Date(FIRST_NOW + Math.floor(random() * 7 * DAY));
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // What the store query returns: the service's resources' appointments overlapping the window, read
    // from an index on (resource, start) as the appointments collection has one.
    const from = now.getTime() - DAY;
    const to = now.getTime() + (config.latestDays + 1) * DAY;
    const busy: BusyInterval[] = [];
    for (const resourceId of service.resourceIds) {
      const list = byResource.get(resourceId) ?? [];
      for (let i = firstFrom(list, from - longest); i < list.length; i++) {
        const b = list[i];
        if (!b || b.start >= to) break;
        if (b.end <= from) continue;
        busy.push({
          resourceId,
          start: new Date(b.start),
          end: new Date(b.end + (buffers.get(b.serviceId) ?? 0)),
        });
      }
    }
    const answer = freeDays({ config, timeZone: TIME_ZONE, serviceId: service.id, now, busy }, { limit: 10 });
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    if (call >= options.warmup) {
      times.push(elapsed);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      days += answer.length;
    }
  }
  return {
    options,
    bookings: booked.length,
    sorted: times.sort((a, b) => a - b),
    cpuSorted: cpuTimes.sort((a, b) => a - b),
    meanDays: days / Math.max(1, options.calls),
  };
}

export function parseSlotsArgs(args: string[]): SlotsBenchOptions {
  const options: SlotsBenchOptions = { calls: 1000, warmup: 50, seed: 18 };
  for (const arg of args) {
    const match = /^--(calls|warmup|seed)=(\d+)$/.exec(arg);
    if (!match?.[1] || !match[2])
      throw new Error(`slots: unknown option ${arg} (--calls=N --warmup=N --seed=N)`);
    options[match[1] as keyof SlotsBenchOptions] = Number(match[2]);
  }
  if (options.calls < 1) throw new Error('slots: --calls must be at least 1');
  return options;
}

function row(label: string, sorted: number[]): string {
  const mean = sorted.reduce((sum, t) => sum + t, 0) / Math.max(1, sorted.length);
  const cells = [50, 90, 99].map((p) => formatMs(percentile(sorted, p)));
  return `| ${label} | ${cells.join(' | ')} | ${formatMs(sorted[sorted.length - 1] ?? 0)} | ${formatMs(mean)} |`;
}

export function slotsSection(result: SlotsBenchResult): string {
  const { sorted } = result;
  const p99 = percentile(sorted, 99);
  return [
    '### Slot search: "next free days" (10 resources, 30 services, 60 days of bookings)',
    '',
    `${result.options.calls} calls after ${result.options.warmup} warm-up, seed ${result.options.seed}, ` +
      `${result.bookings.toLocaleString('en-US')} bookings, Europe/Madrid across a DST change; ` +
      `freeDays limit 10 (mean ${result.meanDays.toFixed(1)} days answered). In memory: filtering the ` +
      `bookings as the store returns them plus the computation; the database read is not included. ${machine()}.`,
    '',
    '|             | p50 ms | p90 ms | p99 ms | max ms | mean ms |',
    '| :---------- | -----: | -----: | -----: | -----: | ------: |',
    row('elapsed', sorted),
    row('CPU time', result.cpuSorted),
    '',
    `Target p99 < 50 ms (elapsed): ${p99 < 50 ? 'met' : 'NOT met'}. CPU time is this process's own (all its ` +
      `threads, garbage collection included): on a machine shared with other work, elapsed minus CPU time ` +
      `is waiting for a core.`,
  ].join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (invokedDirectly) {
  try {
    process.stdout.write(`${slotsSection(runSlotsBench(parseSlotsArgs(process.argv.slice(2))))}\n`);
  } catch (err) {
    process.stderr.write(`bench-slots failed: ${errorText(err)}\n`);
    process.exitCode = 1;
  }
}
