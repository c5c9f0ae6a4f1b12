/**
 * Compiled plans by query shape: bounded, the least recently used leaving first, with the counts
 * /metrics reports. One shape may have a few variants (plan/planner.ts: e.g. an administrator's
 * and a member's read scope write different SQL). A Map keeps insertion order, so re-inserting
 * on use makes its first key the least recently used (exact, unlike two-generation caches).
 */
export class PlanCache<P> {
  hits = 0;
  misses = 0;
  evictions = 0;
  private readonly map = new Map<string, P[]>();

  constructor(readonly max = 1000) {}

  get size(): number {
    return this.map.size;
  }

  variants(key: string): P[] | undefined {
    const found = this.map.get(key);
    if (found) {
      this.map.delete(key);
      this.map.set(key, found);
    }
    return found;
  }

  add(key: string, plan: P): void {
    // A shape has at most a handful of variants (scope kinds); more would be a policy whose SQL
    // text depends on the caller's values: keep the newest.
    const variants = [plan, ...(this.map.get(key) ?? [])].slice(0, 8);
    this.map.delete(key);
    this.map.set(key, variants);
    while (this.map.size > Math.max(1, this.max)) {
      this.map.delete(this.map.keys().next().value as string);
      this.evictions++;
    }
  }
}
