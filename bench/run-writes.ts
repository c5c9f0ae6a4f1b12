/**
 * The write cases: a probe request (supported? did it do what it should?), then load runs; POST
 * and PATCH also on the floor (one prepared INSERT/UPDATE), each run right after the service's. Bench tasks are created for PATCH and MoveTaskItem to work on, and everything
 * written is removed afterwards, even when a case fails.
 */
import { BenchContext, errorText } from './bench-context';
import { settle } from './database';
import { LoadResult, loadTest } from './http-load';
import { sampleMemory } from './processes';
import type { WriteCase } from './query-mix';
import type { WriteResult } from './results';
import {
  changeLogMark,
  cleanUpBenchWrites,
  createBenchTasks,
  dropChangeLogSince,
  moveIntoBusyColumn,
  probeWrite,
  writeRequest,
} from './write-cases';

/** The write kinds the floor answers. */
const FLOOR_WRITES = new Set<WriteCase['kind']>(['post', 'patch']);

async function runWrite(
  ctx: BenchContext,
  c: WriteCase,
  state: Parameters<typeof writeRequest>[1],
): Promise<WriteResult> {
  const base = writeRequest(c, state);
  const request = { ...base, headers: { ...base.headers, ...ctx.service.headers } };
  if (c.kind === 'move') await moveIntoBusyColumn(ctx.service.origin, request.headers, state.pool, ctx.n);
  const probe = await probeWrite(ctx.service.origin, c, request);
  const w: WriteResult = {
    id: c.id,
    request: c.request,
    dataset: c.dataset,
    supported: probe.status >= 200 && probe.status < 300,
    status: probe.status,
    note: probe.note,
    itemsPerRequest: c.kind === 'batch' ? 1000 : 1,
    runs: [],
  };
  ctx.log(`Write ${c.id}: HTTP ${probe.status} ${probe.ok ? 'ok' : 'NOT OK'}: ${probe.note}`);
  if (!probe.ok && w.supported)
    ctx.problems.push(`${c.id}: the probe request answered ${probe.status} but ${probe.note}`);
  if (!w.supported) return w;
  // The floor answers POST and PATCH; its probe must do what the service's did.
  const floorRequest = FLOOR_WRITES.has(c.kind) ? { ...base, headers: { ...base.headers } } : undefined;
  if (floorRequest) {
    w.floorCheck = await probeWrite(ctx.floor.origin, c, floorRequest);
    ctx.log(
      `  floor: HTTP ${w.floorCheck.status} ${w.floorCheck.ok ? 'ok' : 'NOT OK'}: ${w.floorCheck.note}`,
    );
    if (!w.floorCheck.ok) ctx.problems.push(`${c.id}: the floor's probe answered ${w.floorCheck.status}`);
  }
  for (const connections of c.connections ?? ctx.connections) {
    await ctx.revive(`${c.id} before ${connections} connections`);
    const mem = sampleMemory(ctx.service.pid);
    const s: LoadResult = await loadTest({
      origin: ctx.service.origin,
      connections,
      seconds: ctx.seconds,
      ...request,
    });
    const peakRssMb = mem.stop().peakRss;
    // Requests still in flight when a run ends (a BatchInsert takes a while) must not hold the
    // locks the next run needs.
    if (!(await settle(ctx.client)))
      ctx.problems.push(`${c.id}: the service was still busy 60 s after the run`);
    let floor: LoadResult | undefined;
    if (floorRequest && w.floorCheck?.ok) {
      floor = await loadTest({
        origin: ctx.floor.origin,
        connections,
        seconds: ctx.seconds,
        ...floorRequest,
      });
      await settle(ctx.client);
    }
    w.runs.push({
      connections,
      service: { ...s, peakRssMb },
      floor,
      ratio: floor?.rps ? s.rps / floor.rps : undefined,
    });
    const bad = s.non2xx + s.errors + s.timeouts;
    ctx.log(
      `    c=${connections}: ${s.rps.toFixed(0)} req/s (${(s.rps * w.itemsPerRequest).toFixed(0)} tasks/s), p99 ${s.p99} ms${floor ? ` (floor ${floor.rps.toFixed(0)} req/s)` : ''}${bad ? `, ${s.non2xx} non-2xx, ${s.errors + s.timeouts} errors` : ''}`,
    );
  }
  return w;
}

export async function runWrites(ctx: BenchContext, cases: WriteCase[]): Promise<WriteResult[]> {
  const out: WriteResult[] = [];
  const run = Math.floor(Math.random() * 0xffff);
  const mark = await changeLogMark(ctx.client);
  try {
    const pool = await createBenchTasks(ctx.client, run, 256);
    const state = { run, pool, n: ctx.n, counter: { next: 1 } };
    for (const c of cases) {
      try {
        out.push(await runWrite(ctx, c, state));
      } catch (e) {
        ctx.problems.push(`${c.id}: ${errorText(e)}`);
      }
      await ctx.revive(c.id);
    }
  } finally {
    await settle(ctx.client);
    const cleaned = await cleanUpBenchWrites(ctx.client, { restore: true });
    const events = await dropChangeLogSince(ctx.client, mark);
    ctx.log(
      `Clean-up: ${cleaned.removed} bench tasks removed, ${cleaned.restored} data set cards put back, ${events} change events dropped`,
    );
  }
  return out;
}
