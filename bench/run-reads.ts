/** A read case: its answer checked on the service and the floor, then both loaded in turn. */
import { BenchContext, getJson } from './bench-context';
import { checkRead } from './check-answer';
import { settle } from './database';
import type { Expected } from './expected-answers';
import { loadTest } from './http-load';
import { sampleMemory } from './processes';
import { MILLION_EXPECTED, ReadCase, encodeRequest } from './query-mix';
import type { AnswerCheck, ReadResult } from './results';

const asCheck = (status: number, v: ReturnType<typeof checkRead>): AnswerCheck => ({ status, ...v });

async function measure(
  ctx: BenchContext,
  c: ReadCase,
  paths: { service: string; floor: string },
): Promise<ReadResult['runs']> {
  const runs: ReadResult['runs'] = [];
  for (const connections of c.connections ?? ctx.connections) {
    const { service, floor, client } = ctx;
    const mem = sampleMemory(service.pid);
    const s = await loadTest({
      origin: service.origin,
      headers: service.headers,
      path: paths.service,
      connections,
      seconds: ctx.seconds,
    });
    const { peakRss } = mem.stop();
    await settle(client);
    const f = await loadTest({
      origin: floor.origin,
      headers: floor.headers,
      path: paths.floor,
      connections,
      seconds: ctx.seconds,
    });
    await settle(client);
    runs.push({
      connections,
      service: { ...s, peakRssMb: peakRss },
      floor: f,
      ratio: f.rps ? s.rps / f.rps : undefined,
    });
    const bad = s.non2xx + s.errors + s.timeouts;
    ctx.log(
      `    c=${connections}: ${s.rps.toFixed(0)} req/s, p99 ${s.p99} ms (floor ${f.rps.toFixed(0)} req/s), RSS ${peakRss.toFixed(0)} MB${bad ? `, ${s.non2xx} non-2xx, ${s.errors + s.timeouts} errors` : ''}`,
    );
    await ctx.revive(`${c.id} at ${connections} connections`);
  }
  return runs;
}

/**
 * `paths` are the request paths on each server (`/odata/...`): the case's request, or for the
 * deep page the nextLink each server gave (undefined: the feed has no such page).
 */
export async function runRead(
  ctx: BenchContext,
  c: ReadCase,
  e: Expected,
  paths?: { service: string; floor: string },
): Promise<ReadResult> {
  const r: ReadResult = {
    id: c.id,
    request: c.request,
    dataset: c.dataset,
    supported: true,
    runs: [],
    expected: {
      status: e.status,
      count: e.count,
      rows: e.rows,
      minRows: e.minRows,
      fingerprint: e.fingerprint,
      datasetMd: ctx.n === 1_000_000 ? MILLION_EXPECTED[c.id] : undefined,
    },
  };
  ctx.log(`Read ${c.id}: ${c.request}${c.deepPage ? ' (through nextLink)' : ''}`);
  if (!paths) {
    r.supported = false;
    r.note = 'the feed has no such page';
    return r;
  }
  const s = await getJson(ctx.service.origin + paths.service, ctx.service.headers);
  r.service = asCheck(s.status, checkRead(c, s.status, s.body, e, ctx.n));
  const f = await getJson(ctx.floor.origin + paths.floor);
  r.floor = asCheck(f.status, checkRead(c, f.status, f.body, e, ctx.n));
  const verdict = (v: AnswerCheck) => (v.ok ? 'ok' : `FAIL ${v.problems.slice(0, 3).join('; ')}`);
  ctx.log(`  check: service ${verdict(r.service)} ${r.service.fingerprint ?? ''}; floor ${verdict(r.floor)}`);
  if (s.status >= 300 && e.status === 200) {
    r.supported = false;
    r.note = `HTTP ${s.status}`;
    return r;
  }
  r.runs = await measure(ctx, c, paths);
  return r;
}

export const requestPath = (c: { request: string }) => `/odata/${encodeRequest(c.request)}`;
