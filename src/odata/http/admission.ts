import { ErrorCode, ODataError } from '../errors/odata-error';

/**
 * Admission: a request takes a slot before it may use the database and gives it back when its
 * response is done (a streamed page: when the stream has ended or the client has gone). When
 * every slot is taken it waits in a bounded queue for at most the wait deadline; past the queue
 * length or the deadline it is answered 503 with Retry-After, never left waiting unbounded and
 * never failed with a 500 by an exhausted pool.
 *
 * Two lanes share the slots (one slot per pool connection):
 *   short  single entities, counts, small pages, writes and operations: any free slot;
 *   long   $batch and pages of more than LONG_READ_ROWS rows (see work-lane.ts): at most
 *          `longSlots` of them, so at least `slots - longSlots` connections always remain
 *          for short work, however many feed pulls and batches are running.
 *   slots 10, longSlots 3: 7 Power BI feed pulls -> 3 stream, 4 wait; single-task reads still
 *   get the other 7 slots.
 *
 * Each lane has its own queue, so a pile of waiting feeds cannot fill the queue that short reads
 * need. A freed slot goes to the longest-waiting request that may take it.
 *
 * Hand-written rather than a library: p-limit and p-queue have neither a queue bound nor a
 * deadline for waiting (p-queue's timeout bounds the work, not the wait), bottleneck is no
 * longer maintained, cockatiel's bulkhead has a bounded queue but no wait deadline and no notion
 * of a lane capped inside a shared total. What is needed here is about 100 lines.
 */
export type WorkLane = 'short' | 'long';

export interface AdmissionOptions {
  /** Requests using the database at once: the pool size (DB_POOL_SIZE). */
  slots: number;
  /** Of those, at most this many long ones (DB_POOL_LONG_SHARE of the pool). */
  longSlots: number;
  /** Requests waiting per lane (DB_QUEUE_LENGTH); 0: answer 503 at once when no slot is free. */
  queueLength: number;
  /** How long a request waits for a slot (DB_POOL_WAIT_MS). */
  waitMs: number;
}

export type RejectReason = 'queue_full' | 'timeout';

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  since: number;
  grant: () => void;
  timer: NodeJS.Timeout;
}

/** The client went away while its request waited: nothing to answer. */
export class AdmissionAbandoned extends Error {}

/** long = max(1, floor(pool × share)), but never the whole pool when there are two or more connections. */
export function longSlotsOf(poolSize: number, share: number): number {
  const wanted = Math.max(1, Math.floor(poolSize * share));
  return poolSize >= 2 ? Math.min(wanted, poolSize - 1) : 1;
}

export class AdmissionGate {
  private readonly active: Record<WorkLane, number> = { short: 0, long: 0 };
  private readonly queues: Record<WorkLane, Waiter[]> = { short: [], long: [] };
  /** Called once per request answered 503 here (metrics). */
  onReject?: (lane: WorkLane, reason: RejectReason) => void;

  constructor(readonly options: AdmissionOptions) {}

  /** Requests holding a slot and requests waiting, by lane. */
  stats(): { active: Record<WorkLane, number>; waiting: Record<WorkLane, number> } {
    return {
      active: { ...this.active },
      waiting: { short: this.queues.short.length, long: this.queues.long.length },
    };
  }

  /**
   * Resolves with the slot's release once the request may use the database. Rejects with an
   * ODataError 503 when the lane's queue is full or the wait is over, and with
   * AdmissionAbandoned when `signal` aborts (the client left) while waiting.
   */
  acquire(lane: WorkLane, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(new AdmissionAbandoned('the client left'));
    if (this.queues[lane].length === 0 && this.mayStart(lane)) return Promise.resolve(this.start(lane));
    if (this.queues[lane].length >= this.options.queueLength)
      return Promise.reject(this.rejection(lane, 'queue_full'));
    return new Promise<Release>((resolve, reject) => {
      const leave = () => {
        const queue = this.queues[lane];
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        reject(new AdmissionAbandoned('the client left'));
      };
      const waiter: Waiter = {
        since: performance.now(),
        grant: () => {
          leave();
          resolve(this.start(lane));
        },
        timer: setTimeout(() => {
          leave();
          reject(this.rejection(lane, 'timeout'));
        }, this.options.waitMs),
      };
      this.queues[lane].push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private mayStart(lane: WorkLane): boolean {
    if (this.active.short + this.active.long >= this.options.slots) return false;
    return lane === 'short' || this.active.long < this.options.longSlots;
  }

  private start(lane: WorkLane): Release {
    this.active[lane]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active[lane]--;
      this.pump();
    };
  }

  /** Hands free slots to waiters: the longest-waiting one that may start, until none may. */
  private pump(): void {
    for (;;) {
      const candidates = (['short', 'long'] as const).filter(
        (l) => this.queues[l].length > 0 && this.mayStart(l),
      );
      if (!candidates.length) return;
      const lane = candidates.reduce((a, b) => (this.queues[a][0].since <= this.queues[b][0].since ? a : b));
      this.queues[lane][0].grant();
    }
  }

  private rejection(lane: WorkLane, reason: RejectReason): ODataError {
    this.onReject?.(lane, reason);
    const { queueLength, waitMs } = this.options;
    const work = lane === 'long' ? 'long-running requests ($batch, large pages)' : 'requests';
    const why =
      reason === 'queue_full'
        ? `${queueLength} ${work} are already waiting for a database connection (DB_QUEUE_LENGTH)`
        : `no database connection became free for ${work} within ${waitMs} ms (DB_POOL_WAIT_MS)`;
    const retryAfter = String(Math.min(30, Math.max(1, Math.ceil(waitMs / 1000))));
    return new ODataError(
      503,
      ErrorCode.ServiceUnavailable,
      `The service is busy: ${why}; retry after ${retryAfter} s`,
      undefined,
      undefined,
      { 'Retry-After': retryAfter },
    );
  }
}
