import { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { compareLsn, isLsn } from './lsn';

export interface ReadRoutingOptions {
  poolSize: number;
  /** A replica further behind than this leaves the rotation until it has caught up. */
  maxLagMs: number;
  /** How often each replica is checked. */
  checkMs: number;
  /** Session options sent at connect (UTC, statement timeout), as for the primary. */
  options?: string;
  log?: (message: string) => void;
}

/** Where one read went: a replica's index, or the primary. */
export type ReadSource = number | 'primary';

interface Replica {
  index: number;
  pool: Pool;
  usable: boolean;
  /** Why it is out of rotation (logged once per change). */
  reason?: string;
  inRecovery: boolean;
  replayLsn?: string;
  lagMs: number;
}

/** How long a replica may take to answer a check before it counts as not answering. */
const CHECK_TIMEOUT_MS = 1000;

/** A query with a client-side deadline (pg's query_timeout, missing from its types). */
function timed(text: string): QueryConfig {
  return { text, query_timeout: CHECK_TIMEOUT_MS } as QueryConfig;
}

/** Errors that say the replica went away or cannot answer, not that the query was wrong. */
const UNAVAILABLE = /^(08|57P0[1-4]|53300|40001)/;
function replicaFailed(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && (UNAVAILABLE.test(err.code) || /^E[A-Z]+$/.test(err.code)))
    return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    err?.message ?? '',
  );
}

/**
 * Sends reads outside transactions to streaming replicas (DATABASE_READ_URLS). Every replica is
 * checked every `checkMs`: one that does not answer, or whose replay is more than `maxLagMs`
 * behind the primary, leaves the rotation and comes back once it answers and has caught up.
 * A read that carries a consistency token (the WAL position of a write it must see) goes to a
 * replica only if that replica has replayed past it; otherwise, and when no replica is usable,
 * reads go to the primary. A replica failing during a read's first query is taken out and the
 * read is run again on the primary, so a replica dying costs no request.
 *
 * Lag is measured by WAL position, not by replay timestamps (an idle primary would make a
 * caught-up replica look old): the primary's position is sampled at every check, and the lag
 * is the age of the newest sample the replica has replayed past.
 */
export class ReadRouter {
  private readonly replicas: Replica[];
  private readonly samples: Array<{ at: number; lsn: string }> = [];
  private timer?: NodeJS.Timeout;
  private next = 0;
  private checking = false;
  /** Reads served, by source: a counter the metrics endpoint shows (db_reads_total). */
  readonly served = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    urls: string[],
    private readonly opts: ReadRoutingOptions,
  ) {
    this.replicas = urls.map((url, index) => {
      const pool = new Pool({
        connectionString: url,
        max: opts.poolSize,
        // A replica that does not answer at once is not worth waiting for: the primary is there.
        connectionTimeoutMillis: Math.min(1000, opts.checkMs * 2),
        options: opts.options,
        application_name: 'odata-tasks:read',
      });
      pool.on('error', () => undefined); // an idle connection dropped by a stopping replica
      return { index, pool, usable: false, inRecovery: false, lagMs: 0, reason: 'not checked yet' };
    });
  }

  get size(): number {
    return this.replicas.length;
  }

  /** The replicas' state, for metrics and tests. */
  state(): Array<{ index: number; usable: boolean; lagMs: number; replayLsn?: string }> {
    return this.replicas.map(({ index, usable, lagMs, replayLsn }) => ({ index, usable, lagMs, replayLsn }));
  }

  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.opts.checkMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  /**
   * Runs `fn` with a connected query runner on a usable replica (or the primary), released
   * afterwards unless `keep` says the caller keeps it (a streaming cursor). A replica failing
   * inside `fn` is taken out of rotation and `fn` runs again on the primary.
   */
  async run<T>(
    token: string | undefined,
    fn: (runner: QueryRunner, source: ReadSource) => Promise<T>,
    keep?: (value: T) => boolean,
  ): Promise<T> {
    const replica = await this.pick(token);
    if (replica) {
      const { runner } = replica;
      try {
        // A connection that dies under the read fails it at once, whatever state its query was in.
        const value = await Promise.race([fn(runner, replica.source), replica.dead]);
        if (!keep?.(value)) await runner.release();
        this.count(`replica${replica.source}`);
        return value;
      } catch (e) {
        if (!replicaFailed(e)) {
          await runner.release();
          throw e;
        }
        // The connection is discarded, not returned to the pool, and the read runs on the primary.
        replica.release(e as Error);
        this.markDown(this.replicas[replica.source], 'failed during a read');
      }
    }
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const value = await fn(runner, 'primary');
      if (!keep?.(value)) await runner.release();
      this.count('primary');
      return value;
    } catch (e) {
      await runner.release();
      throw e;
    }
  }

  private count(source: string): void {
    this.served.set(source, (this.served.get(source) ?? 0) + 1);
  }

  /** A usable replica (round robin) that has replayed past `token`, with a connection; none: the primary. */
  private async pick(
    token: string | undefined,
  ): Promise<
    { runner: QueryRunner; release(err: Error): void; dead: Promise<never>; source: number } | undefined
  > {
    const usable = this.replicas.filter((r) => r.usable);
    for (let tries = 0; tries < usable.length; tries++) {
      const r = usable[this.next++ % usable.length];
      let client: PoolClient;
      try {
        client = await r.pool.connect();
      } catch {
        this.markDown(r, 'does not accept connections');
        continue;
      }
      try {
        if (token && r.inRecovery && !(r.replayLsn && compareLsn(r.replayLsn, token) >= 0)) {
          // The last check is older than the write: ask the replica itself.
          const { rows } = await client.query(timed('SELECT pg_last_wal_replay_lsn()::text AS lsn'));
          if (rows[0].lsn) r.replayLsn = maxLsn(r.replayLsn, rows[0].lsn);
          if (!rows[0].lsn || compareLsn(rows[0].lsn, token) < 0) {
            client.release();
            return undefined; // behind this write: the primary has it
          }
        }
      } catch (e) {
        client.release(e as Error);
        this.markDown(r, 'failed a check');
        continue;
      }
      const { runner, dead } = this.runnerOn(client);
      const release = (err: Error) =>
        void (
          runner as unknown as { releasePostgresConnection(e: Error): Promise<void> }
        ).releasePostgresConnection(err);
      return { runner, release, dead, source: r.index };
    }
    return undefined;
  }

  /** A TypeORM query runner over a connection of a replica's pool (TypeORM's own replication cannot start without every replica up). */
  private runnerOn(client: PoolClient): { runner: QueryRunner; dead: Promise<never> } {
    const runner = this.dataSource.createQueryRunner('slave') as QueryRunner & {
      databaseConnection: PoolClient;
      releaseCallback?: (err?: Error) => void;
      releasePostgresConnection(err?: Error): Promise<void>;
    };
    runner.databaseConnection = client;
    // As TypeORM does for its own connections: a connection that fails while checked out (the
    // replica stopping under a running query) is released with its error, never left to raise
    // an unhandled 'error' event, and the pool drops it.
    let died: (err: Error) => void = () => undefined;
    const dead = new Promise<never>((_, fail) => (died = fail));
    dead.catch(() => undefined); // only raced while a read runs
    const onError = (err: Error) => {
      died(err);
      void runner.releasePostgresConnection(err);
    };
    const onEnd = () => onError(new Error('Connection terminated unexpectedly'));
    client.on('error', onError);
    client.on('end', onEnd);
    let released = false;
    runner.releaseCallback = (err?: Error) => {
      if (released) return;
      released = true;
      client.removeListener('error', onError);
      client.removeListener('end', onEnd);
      client.release(err);
    };
    return { runner, dead };
  }

  private markDown(r: Replica, reason: string): void {
    if (r.usable || r.reason !== reason)
      this.opts.log?.(`Read replica ${r.index} out of rotation: ${reason}`);
    r.usable = false;
    r.reason = reason;
  }

  private markUp(r: Replica): void {
    if (!r.usable) this.opts.log?.(`Read replica ${r.index} back in rotation`);
    r.usable = true;
    r.reason = undefined;
  }

  /** Samples the primary's WAL position and every replica's replay position and state. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const now = Date.now();
      try {
        const [{ lsn }] = await this.dataSource.query('SELECT pg_current_wal_lsn()::text AS lsn');
        this.samples.push({ at: now, lsn });
        // Samples older than the lag limit (plus a margin) are never needed again.
        const horizon = now - this.opts.maxLagMs - 10 * this.opts.checkMs;
        while (this.samples.length > 2 && this.samples[0].at < horizon) this.samples.shift();
      } catch {
        // The primary is away: replicas keep their last state; reads fall back as they can.
      }
      await Promise.all(this.replicas.map((r) => this.checkReplica(r, now)));
    } finally {
      this.checking = false;
    }
  }

  private async checkReplica(r: Replica, now: number): Promise<void> {
    let row: { recovery: boolean; lsn: string | null };
    try {
      // A replica that stops answering must not hold the checks up: they have a deadline.
      const result = await r.pool.query(
        timed('SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS lsn'),
      );
      row = result.rows[0];
    } catch {
      return this.markDown(r, 'does not answer');
    }
    r.inRecovery = row.recovery;
    // Not in recovery: a primary (or a copy) named as a replica; it is as current as it gets.
    if (!row.recovery) {
      r.lagMs = 0;
      return this.markUp(r);
    }
    if (!row.lsn || !isLsn(row.lsn)) return this.markDown(r, 'has replayed nothing yet');
    r.replayLsn = maxLsn(r.replayLsn, row.lsn);
    r.lagMs = this.lagOf(row.lsn, now);
    if (r.lagMs > this.opts.maxLagMs) return this.markDown(r, `lags ${r.lagMs} ms`);
    this.markUp(r);
  }

  /** The age of the newest primary sample the replica has replayed past (0: caught up with the latest). */
  private lagOf(replayLsn: string, now: number): number {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (compareLsn(replayLsn, this.samples[i].lsn) >= 0)
        return i === this.samples.length - 1 ? 0 : now - this.samples[i + 1].at;
    }
    return this.samples.length ? now - this.samples[0].at : 0;
  }
}

function maxLsn(a: string | undefined, b: string): string {
  return a && compareLsn(a, b) > 0 ? a : b;
}
