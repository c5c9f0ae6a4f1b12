/** The issue's targets, judged from a run's results (pass, miss, or n/a when not measured). */
import type { BenchResults, Target } from './results';

const int = (v: number) => Math.round(v).toLocaleString('en-US');

export function judgeTargets(r: BenchResults): Target[] {
  const out: Target[] = [];

  const cells = r.reads
    .filter((c) => c.supported)
    .flatMap((c) =>
      c.runs
        .filter((run) => run.ratio !== undefined)
        .map((run) => ({ id: c.id, c: run.connections, ratio: run.ratio! })),
    )
    .sort((a, b) => a.ratio - b.ratio);
  const misses = cells.filter((x) => x.ratio < 0.6);
  const unsupported = r.reads.filter((c) => !c.supported).map((c) => c.id);
  out.push({
    name: "every read query >= 60% of the floor's req/s",
    pass: cells.length ? misses.length === 0 && unsupported.length === 0 : null,
    detail: cells.length
      ? `worst ${cells[0].id} at ${cells[0].c} conns: ${(cells[0].ratio * 100).toFixed(0)}%` +
        (misses.length ? `; below 60%: ${misses.map((m) => `${m.id}@${m.c}`).join(', ')}` : '') +
        (unsupported.length ? `; not supported: ${unsupported.join(', ')}` : '')
      : 'not measured',
  });

  const c16 = r.reads.find((c) => c.id === 'c')?.runs.find((run) => run.connections === 16);
  out.push({
    name: 'single-task read (c) p99 < 10 ms at 16 connections',
    pass: c16 ? c16.service.p99 < 10 : null,
    detail: c16 ? `p99 ${c16.service.p99} ms` : 'not measured at 16 connections',
  });

  const all = r.feeds.find((f) => f.id === 'f-feed-all');
  const pull = all?.runs[0];
  out.push({
    name: 'full feed pull >= 100,000 rows/s with service RSS < 200 MB',
    pass: pull
      ? pull.service.rowsPerSecond >= 100_000 && pull.service.peakRssMb < 200 && !!all?.service?.ok
      : all && !all.supported
        ? false
        : null,
    detail: pull
      ? `${int(pull.service.rowsPerSecond)} rows/s over ${int(pull.service.rows)} rows, peak RSS ${pull.service.peakRssMb.toFixed(0)} MB` +
        (r.tasks !== 1_000_000 ? ` (N = ${int(r.tasks)}; the target is for a million)` : '')
      : all
        ? `not supported (${all.note})`
        : 'not measured',
  });

  const first = r.reads.find((c) => c.id === 'page-1')?.runs.find((run) => run.connections === 1);
  const deepCase = r.reads.find((c) => c.id !== 'page-1' && c.id.startsWith('page-'));
  const deep = deepCase?.runs.find((run) => run.connections === 1);
  out.push({
    name: 'page 1,000 through nextLink within 1.5x the time of page 1',
    pass: first && deep ? deep.service.mean <= 1.5 * first.service.mean : null,
    detail:
      first && deep
        ? `${deepCase!.id}: mean ${deep.service.mean.toFixed(2)} ms, page 1: ${first.service.mean.toFixed(2)} ms at 1 connection (${(deep.service.mean / first.service.mean).toFixed(2)}x)`
        : 'not measured at 1 connection',
  });

  const batch = r.writes.find((w) => w.id === 'batch-insert');
  const best = batch ? Math.max(0, ...batch.runs.map((run) => run.service.rps * batch.itemsPerRequest)) : 0;
  out.push({
    name: 'BatchInsert of 1,000 tasks >= 20,000 tasks/s',
    pass: batch ? (batch.supported ? best >= 20_000 : false) : null,
    detail: batch
      ? batch.supported
        ? `best ${int(best)} tasks/s`
        : `not supported (HTTP ${batch.status})`
      : 'not measured',
  });
  return out;
}
