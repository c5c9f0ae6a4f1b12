/**
 * A feed case (GET, then every @odata.nextLink): one checked pull from each server, then either
 * a few clients pulling it again and again (rows/s), or, for the whole table, that one pull
 * (rows/s and the service's peak memory). The full pull also notes the link to the deep page.
 */
import type { BenchContext } from './bench-context';
import { taskRowProblems } from './check-answer';
import { settle } from './database';
import { feedLoad, pullFeed } from './http-load';
import { memoryOf, sampleMemory } from './processes';
import { FeedCase, encodeRequest } from './query-mix';
import type { FeedMemory, FeedResult } from './results';

export interface FeedOutcome {
  result: FeedResult;
  /** The link to page `capturePage` on each server (the full pull only). */
  captured: { service?: string; floor?: string };
}

function pullProblems(
  ctx: BenchContext,
  c: FeedCase,
  pull: Awaited<ReturnType<typeof pullFeed>>,
  expectedRows: number,
): string[] {
  const found: string[] = [];
  if (pull.status !== 200) found.push(`HTTP ${pull.status}: ${pull.error ?? ''}`);
  if (pull.rows !== expectedRows) found.push(`${pull.rows} rows, expected ${expectedRows}`);
  if (pull.value) {
    const keys = new Set<string>();
    for (const row of pull.value) {
      if (found.length < 5) found.push(...taskRowProblems(row, ctx.n, c.rule.test));
      keys.add(String(row.TaskItemId).toLowerCase());
    }
    if (keys.size !== pull.value.length) found.push(`${pull.value.length - keys.size} rows served twice`);
  }
  return found.slice(0, 5);
}

export async function runFeed(
  ctx: BenchContext,
  c: FeedCase,
  expectedRows: number,
  opts: { capturePage?: number; measure: boolean },
): Promise<FeedOutcome> {
  const { service, floor, client } = ctx;
  const r: FeedResult = { id: c.id, request: c.request, expectedRows, supported: true, runs: [] };
  const captured: FeedOutcome['captured'] = {};
  ctx.log(`Feed ${c.id}: ${c.request}`);
  for (const who of ['service', 'floor'] as const) {
    const target = who === 'service' ? service : floor;
    const mem = sampleMemory(service.pid);
    const pull = await pullFeed(`${target.origin}/odata/${encodeRequest(c.request)}`, {
      origin: target.origin,
      headers: target.headers,
      keepRows: !c.once,
      capturePage: c.once ? opts.capturePage : undefined,
    });
    const peak = mem.stop().peakRss;
    if (pull.captured) captured[who] = pull.captured;
    const found = pullProblems(ctx, c, pull, expectedRows);
    r[who] = { ok: found.length === 0, rows: pull.rows, pages: pull.pages, problems: found };
    ctx.log(
      `  ${who}: ${pull.rows} rows in ${pull.pages} pages, ${(pull.ms / 1000).toFixed(2)} s${who === 'service' ? `, peak RSS ${peak.toFixed(0)} MB` : ''}${found.length ? `; PROBLEMS: ${found.slice(0, 2).join('; ')}` : ''}`,
    );
    if (who === 'service' && pull.status !== 200) {
      r.supported = false;
      r.note = `HTTP ${pull.status}`;
      return { result: r, captured };
    }
    if (c.once) {
      const load = {
        clients: 1,
        seconds: pull.ms / 1000,
        pulls: 1,
        rows: pull.rows,
        rowsPerSecond: pull.rows / (pull.ms / 1000),
        meanPullMs: pull.ms,
        failures: pull.status === 200 ? 0 : 1,
      };
      if (who === 'service') r.runs.push({ clients: 1, service: { ...load, peakRssMb: peak } });
      else
        Object.assign(r.runs[0], {
          floor: load,
          ratio: r.runs[0].service.rowsPerSecond / load.rowsPerSecond,
        });
    }
    await settle(client);
  }
  if (c.once || !opts.measure) return { result: r, captured };
  for (const clients of ctx.connections.filter((x) => x <= 16)) {
    const { service, floor } = ctx;
    const url = (origin: string) => `${origin}/odata/${encodeRequest(c.request)}`;
    const mem = sampleMemory(service.pid);
    const s = await feedLoad(url(service.origin), clients, ctx.seconds, service.origin, service.headers);
    const peakRssMb = mem.stop().peakRss;
    await settle(client);
    const f = await feedLoad(url(floor.origin), clients, ctx.seconds, floor.origin, floor.headers);
    await settle(client);
    r.runs.push({
      clients,
      service: { ...s, peakRssMb },
      floor: f,
      ratio: f.rowsPerSecond ? s.rowsPerSecond / f.rowsPerSecond : undefined,
    });
    ctx.log(
      `    ${clients} clients: ${s.rowsPerSecond.toFixed(0)} rows/s (floor ${f.rowsPerSecond.toFixed(0)}), RSS ${peakRssMb.toFixed(0)} MB`,
    );
    await ctx.revive(`${c.id} with ${clients} clients`);
  }
  return { result: r, captured };
}

/**
 * f-feed-all pulled once for the service's memory alone (issue 17: peak RSS < 200 MB measured on
 * its own and after the concurrent cases): rows counted from the text, RSS sampled every 50 ms.
 */
export async function pullForMemory(
  ctx: BenchContext,
  c: FeedCase,
  expectedRows: number,
  when: string,
): Promise<FeedMemory> {
  const { service } = ctx;
  const startRssMb = memoryOf(service.pid).rss;
  const mem = sampleMemory(service.pid);
  const pull = await pullFeed(`${service.origin}/odata/${encodeRequest(c.request)}`, {
    origin: service.origin,
    headers: service.headers,
  });
  const peakRssMb = mem.stop().peakRss;
  await settle(ctx.client);
  const problem =
    pull.status !== 200
      ? `HTTP ${pull.status}: ${pull.error ?? ''}`
      : pull.rows !== expectedRows
        ? `${pull.rows} rows, expected ${expectedRows}`
        : undefined;
  const out: FeedMemory = {
    when,
    ok: !problem,
    rows: pull.rows,
    ms: pull.ms,
    rowsPerSecond: pull.rows / (pull.ms / 1000),
    startRssMb,
    peakRssMb,
    problem,
  };
  ctx.log(
    `  f-feed-all ${when}: ${pull.rows} rows in ${(pull.ms / 1000).toFixed(2)} s, RSS ${startRssMb.toFixed(0)} MB before, peak ${peakRssMb.toFixed(0)} MB${problem ? `; PROBLEM: ${problem}` : ''}`,
  );
  return out;
}
