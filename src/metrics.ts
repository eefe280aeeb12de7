/**
 * In-process counters of what the bot received and did (webhooks, duplicates, ignored kinds, sends).
 * Numbers only, never content; the operator reads them at `GET /admin/metrics`.
 */
export class Counters {
  private readonly values = new Map<string, number>();

  add(name: string, by = 1): void {
    if (by !== 0) this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
