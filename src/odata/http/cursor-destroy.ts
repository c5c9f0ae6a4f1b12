import type { Readable } from 'node:stream';

/**
 * A cursor stream whose connection died (the database or a replica stopping mid-read) would
 * never finish destroying itself: pg-cursor's close waits for a ReadyForQuery that a dead
 * connection never sends, so the stream never emits its error and a reader awaiting the next
 * row waits forever. Destroying is given `ms` to finish; after that the stream errors anyway.
 */
export function boundDestroy(stream: Readable, ms = 1000): void {
  const s = stream as Readable & { _destroy(err: Error | null, cb: (err?: Error | null) => void): void };
  const original = s._destroy.bind(s);
  s._destroy = (err, cb) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      cb(err ?? new Error('The cursor could not be closed'));
    }, ms);
    timer.unref();
    original(err, (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cb(e);
    });
  };
}
