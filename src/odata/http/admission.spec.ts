import { ODataError } from '../errors/odata-error';
import { AdmissionAbandoned, AdmissionGate, longSlotsOf } from './admission';

const gate = (o: Partial<ConstructorParameters<typeof AdmissionGate>[0]> = {}) =>
  new AdmissionGate({ slots: 3, longSlots: 1, queueLength: 2, waitMs: 10_000, ...o });
/** Settles pending promise callbacks. */
const tick = () => new Promise((r) => setImmediate(r));

describe('AdmissionGate', () => {
  it('long work takes at most its share; short work gets the rest of the slots', async () => {
    const g = gate();
    const long1 = await g.acquire('long');
    let long2Started = false;
    const long2 = g.acquire('long').then((r) => ((long2Started = true), r));
    const short1 = await g.acquire('short');
    const short2 = await g.acquire('short');
    await tick();
    expect(long2Started).toBe(false);
    expect(g.stats()).toEqual({ active: { short: 2, long: 1 }, waiting: { short: 0, long: 1 } });
    long1();
    await tick();
    expect(long2Started).toBe(true);
    for (const r of [await long2, short1, short2]) r();
    expect(g.stats().active).toEqual({ short: 0, long: 0 });
  });

  it('a full queue answers 503 with Retry-After at once; the lanes have separate queues', async () => {
    const g = gate({ slots: 2, longSlots: 1, queueLength: 1, waitMs: 3000 });
    const reasons: string[] = [];
    g.onReject = (lane, reason) => reasons.push(`${lane}:${reason}`);
    const held = [await g.acquire('long'), await g.acquire('short')];
    const waitingLong = g.acquire('long');
    const rejected = await g.acquire('long').catch((e) => e);
    expect(rejected).toBeInstanceOf(ODataError);
    expect(rejected).toMatchObject({ status: 503, code: 'ODATA503', headers: { 'Retry-After': '3' } });
    expect(rejected.message).toMatch(/DB_QUEUE_LENGTH/);
    // the long queue is full, the short one is not
    const waitingShort = g.acquire('short');
    expect(g.stats().waiting).toEqual({ short: 1, long: 1 });
    expect(reasons).toEqual(['long:queue_full']);
    held.forEach((r) => r());
    (await waitingLong)();
    (await waitingShort)();
  });

  it('a wait past the deadline answers 503 and leaves the queue', async () => {
    const g = gate({ slots: 1, longSlots: 1, waitMs: 20 });
    const reasons: string[] = [];
    g.onReject = (lane, reason) => reasons.push(`${lane}:${reason}`);
    const held = await g.acquire('short');
    const e = await g.acquire('short').catch((x) => x);
    expect(e).toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    expect(e.message).toMatch(/within 20 ms \(DB_POOL_WAIT_MS\)/);
    expect(g.stats().waiting.short).toBe(0);
    expect(reasons).toEqual(['short:timeout']);
    held();
  });

  it('queue length 0: no free slot means 503 at once', async () => {
    const g = gate({ slots: 1, queueLength: 0 });
    const held = await g.acquire('short');
    await expect(g.acquire('short')).rejects.toMatchObject({ status: 503 });
    held();
    (await g.acquire('short'))();
  });

  it('a release counts once, however often it is called', async () => {
    const g = gate({ slots: 1 });
    const r = await g.acquire('short');
    const next = g.acquire('short');
    const third = g.acquire('short');
    r();
    r();
    r();
    const second = await next;
    await tick();
    expect(g.stats()).toEqual({ active: { short: 1, long: 0 }, waiting: { short: 1, long: 0 } });
    second();
    (await third)();
    expect(g.stats().active.short).toBe(0);
  });

  it('a client that leaves while waiting gives up its place', async () => {
    const g = gate({ slots: 1 });
    const held = await g.acquire('short');
    const left = new AbortController();
    const waiting = g.acquire('short', left.signal);
    left.abort();
    await expect(waiting).rejects.toBeInstanceOf(AdmissionAbandoned);
    expect(g.stats().waiting.short).toBe(0);
    held();
    expect(g.stats().active.short).toBe(0);
  });

  it('a freed slot goes to the longest-waiting request that may take it', async () => {
    const g = gate({ slots: 2, longSlots: 1, queueLength: 5 });
    const a = await g.acquire('short');
    const b = await g.acquire('short');
    const order: string[] = [];
    const l1 = g.acquire('long').then((r) => (order.push('long1'), r));
    const s1 = g.acquire('short').then((r) => (order.push('short1'), r));
    const l2 = g.acquire('long').then((r) => (order.push('long2'), r));
    a();
    await tick();
    b();
    await tick();
    // long1 first (it came first), then short1; long2 waits: one long at a time
    expect(order).toEqual(['long1', 'short1']);
    (await l1)();
    await tick();
    expect(order).toEqual(['long1', 'short1', 'long2']);
    (await s1)();
    (await l2)();
    expect(g.stats()).toEqual({ active: { short: 0, long: 0 }, waiting: { short: 0, long: 0 } });
  });

  it('long slots: a share of the pool, at least one, never all of it', () => {
    expect(longSlotsOf(10, 0.3)).toBe(3);
    expect(longSlotsOf(2, 0.3)).toBe(1);
    expect(longSlotsOf(1, 0.3)).toBe(1);
    expect(longSlotsOf(10, 1)).toBe(9);
    expect(longSlotsOf(3, 0.01)).toBe(1);
  });
});
