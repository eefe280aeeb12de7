/**
 * In-process counters of what the bot received and did (webhooks, duplicates, ignored kinds, sends), plus
 * gauges read when asked (e.g. how many inbox entries wait, are being handled, or were parked as failed).
 * Numbers only, never content; the operator reads them at `GET /admin/metrics`.
 */
export class Counters {
  private readonly values = new Map<string, number>();
  private readonly gauges: Array<() => Promise<Record<string, number>>> = [];

  add(name: string, by = 1): void {
    if (by !== 0) this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Counters only, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Adds a source of current values (read from the database on each report). A source that fails (the
   * database is down) is left out of that report and counted as `metrics.gauge_unavailable`.
   */
  addGauges(read: () => Promise<Record<string, number>>): void {
    this.gauges.push(read);
  }

  /** The counters and the gauges' current values, sorted by name. */
  async report(): Promise<Record<string, number>> {
    const merged = new Map(this.values);
    let unavailable = 0;
    for (const read of this.gauges) {
      try {
        for (const [name, value] of Object.entries(await read())) merged.set(name, value);
      } catch {
        unavailable += 1;
      }
    }
    if (unavailable > 0) merged.set('metrics.gauge_unavailable', unavailable);
    return Object.fromEntries([...merged.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
