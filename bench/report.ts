/**
 * Renders a run's results as Markdown: printed, and written into BENCHMARKS.md between the
 * results markers. The rest of BENCHMARKS.md (notes on where the time goes, what was tried) is
 * written by hand and kept as it is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResults, ReadResult } from './results';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const f0 = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US');
const f1 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(1));
const f2 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(2));
const cell = (s: string) => s.replace(/\|/g, '\\|');
/** autocannon's percentiles are whole milliseconds: 0 means under 1 ms. */
const ms = (v: number | undefined) => (v === undefined ? '–' : v === 0 ? '<1' : String(Math.round(v)));

function check(r: ReadResult): string {
  const s = r.service;
  if (!s) return '–';
  const parts = [s.ok ? 'ok' : `FAIL: ${s.problems.slice(0, 2).join('; ')}`];
  if (r.floor && !r.floor.ok) parts.push(`floor FAIL: ${r.floor.problems[0] ?? ''}`);
  return parts.join(', ');
}

function fp(r: ReadResult): string {
  const s = r.service;
  if (!s?.fingerprint) return '–';
  const md = r.expected.datasetMd?.fingerprint;
  const mark = s.fingerprintMatches ? '= key order' : '≠ key order';
  return `\`${s.fingerprint}\` ${mark}${md ? (md === r.expected.fingerprint ? ', = DATASET.md' : ', harness ≠ DATASET.md!') : ''}`;
}

export function renderResults(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`## Results: ${r.mode} run, ${r.tasks.toLocaleString('en-US')} tasks`);
  out.push('');
  out.push(`- Date: ${r.date}; wall time ${f0(r.wallSeconds)} s`);
  out.push(
    `- Machine: ${m.cpu}, ${m.cores} cores, ${f1(m.ramGb)} GB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}`,
  );
  out.push(
    `- Database: ${r.database.where}; ${f0(r.database.sizeMb)} MB (task table with indexes ${f0(r.database.taskTableMb)} MB)` +
      (r.database.loadSeconds !== undefined
        ? `; loaded in ${f1(r.database.loadSeconds)} s`
        : '; already loaded'),
  );
  out.push(
    `- Each case measured on its own with autocannon for ${r.secondsPerRun} s per connection count; the service and the floor run on the same machine as PostgreSQL and the load generator.`,
  );
  out.push(
    `- Service: \`node dist/src/main.js\` with ${r.service.settings}. Memory: ${f0(r.service.startMb)} MB RSS after start, ${f0(r.service.hwmMb)} MB peak (VmHWM) over the whole run.`,
  );
  out.push('');
  out.push('### Targets');
  out.push('');
  out.push('| target | result | detail |');
  out.push('|---|---|---|');
  for (const t of r.targets)
    out.push(
      `| ${cell(t.name)} | ${t.pass === null ? 'n/a' : t.pass ? 'pass' : '**miss**'} | ${cell(t.detail)} |`,
    );
  out.push('');
  out.push('### Reads (service vs floor)');
  out.push('');
  out.push(
    '`ratio` = service req/s ÷ floor req/s. `check`: status, counts, row count and every row against the rules. `fp`: the answer fingerprint of DATASET.md; it equals the expected one when rows come in key order.',
  );
  out.push('');
  out.push(
    '| case | conns | req/s | mean ms | p50 ms | p99 ms | errors / non-2xx | floor req/s | floor p99 ms | ratio | peak RSS MB | check | fp |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const c of r.reads) {
    if (!c.supported) {
      out.push(`| ${c.id} | | not supported (${cell(c.note ?? '')}) | | | | | | | | | | |`);
      continue;
    }
    c.runs.forEach((run, k) => {
      const s = run.service;
      out.push(
        `| ${k === 0 ? c.id : ''} | ${run.connections} | ${f0(s.rps)} | ${f2(s.mean)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.errors + s.timeouts} / ${s.non2xx} | ${f0(run.floor?.rps)} | ${ms(run.floor?.p99)} | ${f2(run.ratio)} | ${f0(s.peakRssMb)} | ${k === 0 ? cell(check(c)) : ''} | ${k === 0 ? fp(c) : ''} |`,
      );
    });
  }
  out.push('');
  out.push('Requests (relative to `/odata/`):');
  out.push('');
  for (const c of r.reads)
    out.push(
      `- **${c.id}**${c.dataset ? '' : " (service's own)"}: \`${c.request}\` — expected: ${c.expected.status === 200 ? `${f0(c.expected.count)} matching, ${c.expected.minRows !== undefined && c.expected.minRows !== c.expected.rows ? `${f0(c.expected.minRows)} to ` : ''}${f0(c.expected.rows)} rows${c.expected.fingerprint ? `, \`${c.expected.fingerprint}\`` : ''}` : `HTTP ${c.expected.status}`}`,
    );
  out.push('');
  out.push('### Feeds (GET, then every @odata.nextLink)');
  out.push('');
  out.push(
    '| feed | clients | rows/s | ms per pull | failures | floor rows/s | ratio | peak RSS MB | check |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const f of r.feeds) {
    const chk = f.service
      ? f.service.ok
        ? `ok (${f0(f.service.rows)} rows, ${f.service.pages} pages)`
        : `FAIL: ${f.service.problems.slice(0, 2).join('; ')}`
      : '–';
    if (!f.supported) {
      out.push(`| ${f.id} | | not supported (${cell(f.note ?? '')}) | | | | | | |`);
      continue;
    }
    f.runs.forEach((run, k) => {
      out.push(
        `| ${k === 0 ? f.id : ''} | ${run.clients} | ${f0(run.service.rowsPerSecond)} | ${f0(run.service.meanPullMs)} | ${run.service.failures} | ${f0(run.floor?.rowsPerSecond)} | ${f2(run.ratio)} | ${f0(run.service.peakRssMb)} | ${k === 0 ? cell(chk) : ''} |`,
      );
    });
  }
  out.push('');
  for (const f of r.feeds) out.push(`- **${f.id}**: \`${f.request}\` — expected ${f0(f.expectedRows)} rows`);
  out.push('');
  if (r.feedMemory?.length) {
    out.push('### f-feed-all memory, measured apart (issue 17: peak RSS < 200 MB)');
    out.push('');
    out.push('| when | rows | s | rows/s | RSS before MB | peak RSS MB | check |');
    out.push('|---|---:|---:|---:|---:|---:|---|');
    for (const m of r.feedMemory)
      out.push(
        `| ${m.when} | ${f0(m.rows)} | ${f1(m.ms / 1000)} | ${f0(m.rowsPerSecond)} | ${f0(m.startRssMb)} | ${f0(m.peakRssMb)} | ${m.ok ? 'ok' : cell(`FAIL: ${m.problem ?? ''}`)} |`,
      );
    out.push('');
  }
  out.push('### Writes (bench tasks are removed afterwards)');
  out.push('');
  out.push(
    "POST and PATCH are also run against the floor: one named prepared INSERT ... RETURNING (201 with the created entity) or UPDATE (204) of the properties sent; the database's triggers run for both. `ratio` = service req/s ÷ floor req/s.",
  );
  out.push('');
  out.push(
    '| case | conns | req/s | tasks/s | mean ms | p50 ms | p99 ms | errors / non-2xx | floor req/s | floor p99 ms | ratio | peak RSS MB | probe |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const w of r.writes) {
    if (!w.supported) {
      out.push(
        `| ${w.id} | | not supported (HTTP ${w.status ?? '?'}) | | | | | | | | | | ${cell((w.note ?? '').slice(0, 120))} |`,
      );
      continue;
    }
    const probe = `HTTP ${w.status}: ${w.note ?? ''}${w.floorCheck ? `; floor HTTP ${w.floorCheck.status}: ${w.floorCheck.note}` : ''}`;
    w.runs.forEach((run, k) => {
      const s = run.service;
      out.push(
        `| ${k === 0 ? w.id : ''} | ${run.connections} | ${f0(s.rps)} | ${f0(s.rps * w.itemsPerRequest)} | ${f2(s.mean)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.errors + s.timeouts} / ${s.non2xx} | ${f0(run.floor?.rps)} | ${ms(run.floor?.p99)} | ${f2(run.ratio)} | ${f0(s.peakRssMb)} | ${k === 0 ? cell(probe) : ''} |`,
      );
    });
  }
  out.push('');
  for (const w of r.writes) out.push(`- **${w.id}**: \`${w.request}\``);
  out.push('');
  if (r.delta) {
    const d = r.delta;
    out.push('### Delta links (issue 19: a delta costs what changed)');
    out.push('');
    out.push(
      `\`GET ${d.request}\` with \`Prefer: odata.track-changes\` (${f0(d.trackedRows)} rows, ${f0(d.trackedMs)} ms) issued a delta link; then ${d.changes.updated} updates, ${d.changes.created} creates and ${d.changes.deleted} deletes of that project's tasks (${d.changedBy}; ${f0(d.changeMs)} ms); then the link was followed ${d.followMs.length} times.`,
    );
    out.push('');
    out.push(
      '| delta entries | pages | median ms | entries/s | each follow ms | empty delta ms | the set read again ms | check |',
    );
    out.push('|---:|---:|---:|---:|---|---:|---:|---|');
    out.push(
      `| ${f0(d.entries)} | ${d.pages} | ${f1(d.medianMs)} | ${f0(d.entriesPerSecond)} | ${d.followMs.map((x) => f1(x)).join(', ')} | ${f1(d.emptyMs)} | ${f1(d.fullReadMs)} | ${d.ok ? 'exactly the changes' : cell(`FAIL: ${d.problems.slice(0, 3).join('; ')}`)} |`,
    );
    out.push('');
  }
  if (r.harnessProblems.length) {
    out.push('### Harness problems');
    out.push('');
    for (const p of r.harnessProblems) {
      const [first, ...rest] = p.split('\n');
      out.push(`- ${first}`);
      if (rest.length) out.push('', '  ```', ...rest.map((l) => `  ${l}`), '  ```');
    }
    out.push('');
  }
  out.push(`### Query plans: EXPLAIN (ANALYZE, BUFFERS)${r.plans[0] ? ` of the ${r.plans[0].source}` : ''}`);
  out.push('');
  for (const p of r.plans) {
    out.push(
      `<details><summary><b>${p.id}</b>: <code>${p.request.replace(/</g, '&lt;')}</code> (${p.statements.length} statement${p.statements.length === 1 ? '' : 's'})</summary>`,
    );
    out.push('');
    for (const s of p.statements) {
      out.push('```');
      out.push(s.sql.length > 600 ? `${s.sql.slice(0, 300)} … ${s.sql.slice(-300)}` : s.sql);
      out.push('');
      out.push(s.plan);
      out.push('```');
    }
    out.push('</details>');
    out.push('');
  }
  return out.join('\n');
}

const PREAMBLE = `# Benchmarks

How fast the service answers the query mix of DATASET.md (the shared benchmark data set) on its data set,
next to a *floor*: the same SQL served by a bare \`node:http\` + \`pg\` server (bench/floor-server.ts).

- \`npm run bench:load -- --tasks 1000000\` loads the data set (DATABASE_URL, or an embedded PostgreSQL in \`./.bench-data\`).
- \`npm run bench -- --quick\` (100,000 tasks, 3 s per case) or \`npm run bench\` (1,000,000 tasks, 10 s per case): builds,
  loads the data set if the database does not hold it, starts the service (\`node dist/src/main.js\`) and the floor
  as child processes, runs every case, and writes this section and \`bench/results/*.json\`.
  Options: \`--tasks N\`, \`--seconds S\`, \`--connections 1,16,64\`, \`--only a,b,f-feed\`, \`--no-build\`, \`--no-writes\`, \`--no-explain\`.
- Expected answers are computed by SQL from the rules (never from the loaded tables); for N = 1,000,000 they
  are also compared with DATASET.md's numbers and fingerprints.
- \`npm run bench:scale\`: the read mix against 1 and 2 instances, with and without a streaming replica.

`;

const NOTES = `## Where the time goes / what was tried

_Fill in as work continues: what the profiles and the plans below show, what was changed, and what it gave._

- (nothing yet)
`;

/** Replaces the results block of BENCHMARKS.md (creating the file if needed), keeping the notes. */
export function writeBenchmarksMd(path: string, markdown: string): void {
  if (!existsSync(path)) {
    writeFileSync(path, `${PREAMBLE}${START}\n${markdown}\n${END}\n\n${NOTES}`);
    return;
  }
  replaceSection(path, START, END, markdown);
}

/** Puts `markdown` between the `start` and `end` markers of a file (appended if they are missing). */
export function replaceSection(path: string, start: string, end: string, markdown: string): void {
  const block = `${start}\n${markdown}\n${end}`;
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  writeFileSync(
    path,
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + end.length)
      : `${text.trimEnd()}\n\n${block}\n`,
  );
}
