import type { Statement } from '../plan/planner';
import type { Row } from './odata-core';

interface Prefetched {
  rows: Promise<Row[] | undefined>;
  at: number;
}

/**
 * Feeds that overlap: when a page has a next one, its query (keyset paging makes its start
 * known) runs while this page is still being sent and the client parses it; the client's request
 * for the nextLink then finds its rows ready. Pages are kept by their planned statement (SQL name
 * and every parameter, the caller's read scope included): a request takes a page only if it
 * would have run exactly that statement. Bounded (a few pages, a few seconds), dropped at every
 * write this service answers (a client that writes between pages sees its write), and run only
 * on a connection the pool has idle (never one a waiting request needs).
 */
export class PagePrefetch {
  private readonly pages = new Map<string, Prefetched>();
  private running = 0;

  constructor(
    private readonly maxPages = 8,
    private readonly ttlMs = 5_000,
    private readonly maxRunning = 2,
  ) {}

  private static key(st: Statement): string {
    return `${st.name || st.sql}|${JSON.stringify(st.parameters)}`;
  }

  /** Starts reading `st` ahead, if there is room (pages kept, queries running, an idle connection). */
  start(st: Statement, run: () => Promise<Row[]>, connectionIdle: () => boolean): void {
    if (this.running >= this.maxRunning || !connectionIdle()) return;
    const key = PagePrefetch.key(st);
    if (this.pages.has(key)) return;
    while (this.pages.size >= this.maxPages) this.pages.delete(this.pages.keys().next().value as string);
    this.running++;
    const rows = run().then(
      (r) => r,
      () => undefined, // the request itself will run the query and report its error
    );
    void rows.finally(() => this.running--);
    this.pages.set(key, { rows, at: Date.now() });
  }

  /** The rows of `st` read ahead (once), or undefined: run it then. */
  async take(st: Statement): Promise<Row[] | undefined> {
    const key = PagePrefetch.key(st);
    const found = this.pages.get(key);
    if (!found) return undefined;
    this.pages.delete(key);
    if (Date.now() - found.at > this.ttlMs) return undefined;
    return found.rows;
  }

  /** A write answered: pages read before it may not show it. */
  dropAll(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}
