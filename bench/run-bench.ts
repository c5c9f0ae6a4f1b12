/**
 * `npm run bench [-- --quick]`: the whole benchmark. Builds the service, makes sure the database
 * holds the N-task data set (loading it if not), computes the expected answers from the rules,
 * starts the service and the floor as child processes, measures every case of the query mix,
 * cleans up the bench writes, explains the main reads, and writes BENCHMARKS.md and
 * bench/results/<date>-<mode>-<N>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';
import { checkRead, taskRowProblems } from './check-answer';
import { connect, migrate, openBenchDatabase, settle } from './database';
import { CREATE_UUID_FUNCTION } from './dataset.sql';
import { Expected, expectedFeedRows, expectedRead } from './expected-answers';
import { disableAutoExplain, enableAutoExplain, explainFloorSql, explainThroughService, ExplainTarget } from './explain';
import { FloorSql } from './floor-server';
import { feedLoad, loadTest, LoadResult, pullFeed } from './http-load';
import { holdsDataset, loadDataset } from './load-dataset';
import { Child, memoryOf, sampleMemory, startFloor, startService } from './processes';
import { FEED_CASES, MILLION_EXPECTED, ReadCase, WRITE_CASES, encodeRequest, readCases } from './query-mix';
import { renderResults, writeBenchmarksMd } from './report';
import type { AnswerCheck, BenchResults, FeedResult, ReadResult, Target, WriteResult } from './results';
import { cleanUpBenchWrites, createBenchTasks, probeWrite, writeRequest } from './write-cases';

const ROOT = resolve(__dirname, '..');

interface Args {
  mode: 'quick' | 'full' | 'custom';
  tasks: number;
  seconds: number;
  connections: number[];
  only?: Set<string>;
  build: boolean;
  writes: boolean;
  explain: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (at < 0) return undefined;
    return argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1];
  };
  const quick = argv.includes('--quick');
  const tasks = value('tasks');
  const seconds = value('seconds');
  const custom = tasks !== undefined || seconds !== undefined;
  return {
    mode: custom ? 'custom' : quick ? 'quick' : 'full',
    tasks: tasks ? Number(tasks.replace(/[_,]/g, '')) : quick ? 100_000 : 1_000_000,
    seconds: seconds ? Number(seconds) : quick ? 3 : 10,
    connections: (value('connections') ?? '1,16,64').split(',').map(Number),
    only: value('only') ? new Set(value('only')!.split(',')) : undefined,
    build: !argv.includes('--no-build'),
    writes: !argv.includes('--no-writes'),
    explain: !argv.includes('--no-explain'),
  };
}

const log = (line: string) => console.log(line);

function machine(postgres: string) {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    /* not Linux */
  }
  return { cpu, cores: cpus().length, ramGb: totalmem() / 2 ** 30, node: process.version, postgres, os: `${process.platform} ${release()}` };
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

const asCheck = (status: number, v: ReturnType<typeof checkRead>): AnswerCheck => ({ status, ...v });

/** The properties the service returns for tasks and notes: the floor sends the same ones. */
async function serviceColumns(service: Child, client: Client): Promise<{ task: string[]; note: string[] }> {
  const props = (row: any) => (row ? Object.keys(row).filter((k) => !k.includes('@') && k !== 'Notes') : []);
  const tasks = await getJson(`${service.origin}/odata/Task?$top=1`);
  const notes = await getJson(`${service.origin}/odata/Task?$top=1&$expand=Notes&$filter=${encodeURIComponent('ProjectId eq cd0e3927-8499-4c65-bd39-0856d19c08c5')}`);
  let task = props(tasks.body?.value?.[0]);
  let note = props(notes.body?.value?.[0]?.Notes?.[0]);
  const columns = async (table: string) => (await client.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name NOT IN ('Version', 'ProjectDefinedFields', 'IsCalendarSyncEnabled') ORDER BY ordinal_position`, [table],
  )).rows.map((r) => r.column_name as string);
  if (!task.length) task = await columns('task');
  if (!note.length) note = await columns('task_item_note');
  return { task, note };
}

async function measureRead(c: ReadCase, paths: { service: string; floor: string }, service: Child, floor: Child, args: Args, client: Client): Promise<ReadResult['runs']> {
  const runs: ReadResult['runs'] = [];
  for (const connections of c.connections ?? args.connections) {
    const mem = sampleMemory(service.pid);
    const s = await loadTest({ origin: service.origin, path: paths.service, connections, seconds: args.seconds });
    const { peakRss } = mem.stop();
    await settle(client);
    const f = await loadTest({ origin: floor.origin, path: paths.floor, connections, seconds: args.seconds });
    await settle(client);
    runs.push({ connections, service: { ...s, peakRssMb: peakRss }, floor: f, ratio: f.rps ? s.rps / f.rps : undefined });
    log(`    ${c.id} c=${connections}: ${s.rps.toFixed(0)} req/s p99 ${s.p99} ms (floor ${f.rps.toFixed(0)} req/s) RSS ${peakRss.toFixed(0)} MB${s.non2xx + s.errors ? ` non2xx ${s.non2xx} errors ${s.errors}` : ''}`);
  }
  return runs;
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return url.slice(u.origin.length);
};

async function measureWrite(
  c: (typeof WRITE_CASES)[number], ctx: Parameters<typeof writeRequest>[1], service: Child, client: Client, args: Args, problems: string[],
): Promise<WriteResult> {
  const request = writeRequest(c, ctx);
  const probe = await probeWrite(service.origin, c, request);
  const w: WriteResult = {
    id: c.id, request: c.request, dataset: c.dataset, supported: probe.status >= 200 && probe.status < 300, status: probe.status,
    note: probe.note, itemsPerRequest: c.kind === 'batch' ? 1000 : 1, runs: [],
  };
  log(`Write ${c.id}: HTTP ${probe.status} ${probe.ok ? 'ok' : 'NOT OK'}: ${probe.note}`);
  if (!probe.ok && w.supported) problems.push(`${c.id}: the probe request answered ${probe.status} but ${probe.note}`);
  if (!w.supported) return w;
  for (const connections of c.connections ?? args.connections) {
    const mem = sampleMemory(service.pid);
    const s: LoadResult = await loadTest({ origin: service.origin, connections, seconds: args.seconds, ...request });
    const peakRssMb = mem.stop().peakRss;
    // requests still in flight when the run ends (a BatchInsert takes a while) must not hold
    // the locks the next run needs
    if (!(await settle(client))) problems.push(`${c.id}: the service was still busy 60 s after the run`);
    w.runs.push({ connections, service: { ...s, peakRssMb } });
    log(`    ${c.id} c=${connections}: ${s.rps.toFixed(0)} req/s (${(s.rps * w.itemsPerRequest).toFixed(0)} tasks/s) p99 ${s.p99} ms${s.non2xx + s.errors ? ` non2xx ${s.non2xx} errors ${s.errors}` : ''}`);
  }
  return w;
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const reads = r.reads.filter((c) => c.supported && c.runs.length);
  const cells = reads.flatMap((c) => c.runs.filter((run) => run.ratio !== undefined).map((run) => ({ id: c.id, c: run.connections, ratio: run.ratio! })));
  const worst = cells.sort((a, b) => a.ratio - b.ratio)[0];
  const misses = cells.filter((x) => x.ratio < 0.6);
  const unsupported = r.reads.filter((c) => !c.supported).map((c) => c.id);
  out.push({
    name: 'every read query >= 60% of the floor\'s req/s',
    pass: cells.length ? misses.length === 0 && unsupported.length === 0 : null,
    detail: worst ? `worst ${worst.id} at ${worst.c} conns: ${(worst.ratio * 100).toFixed(0)}%` + (misses.length ? `; below 60%: ${misses.map((m) => `${m.id}@${m.c}`).join(', ')}` : '') + (unsupported.length ? `; not supported: ${unsupported.join(', ')}` : '') : 'not measured',
  });
  const c16 = r.reads.find((c) => c.id === 'c')?.runs.find((run) => run.connections === 16);
  out.push({ name: 'single-task read (c) p99 < 10 ms at 16 connections', pass: c16 ? c16.service.p99 < 10 : null, detail: c16 ? `p99 ${c16.service.p99} ms` : 'not measured at 16 connections' });
  const all = r.feeds.find((f) => f.id === 'f-feed-all')?.runs[0];
  out.push({
    name: `full feed pull >= 100,000 rows/s with service RSS < 200 MB`,
    pass: all ? all.service.rowsPerSecond >= 100_000 && all.service.peakRssMb < 200 : null,
    detail: all ? `${Math.round(all.service.rowsPerSecond).toLocaleString('en-US')} rows/s over ${all.service.rows.toLocaleString('en-US')} rows, peak RSS ${all.service.peakRssMb.toFixed(0)} MB${r.tasks !== 1_000_000 ? ` (N = ${r.tasks.toLocaleString('en-US')}, the target is for a million)` : ''}` : 'not measured',
  });
  const p1 = r.reads.find((c) => c.id === 'page-1')?.runs.find((run) => run.connections === 1);
  const deep = r.reads.find((c) => c.id !== 'page-1' && c.id.startsWith('page-'));
  const pk = deep?.runs.find((run) => run.connections === 1);
  out.push({
    name: 'page 1,000 through nextLink within 1.5x the time of page 1',
    pass: p1 && pk ? pk.service.mean <= 1.5 * p1.service.mean : null,
    detail: p1 && pk ? `${deep!.id}: mean ${pk.service.mean.toFixed(2)} ms vs page 1: ${p1.service.mean.toFixed(2)} ms at 1 connection (${(pk.service.mean / p1.service.mean).toFixed(2)}x)` : 'not measured at 1 connection',
  });
  const batch = r.writes.find((w) => w.id === 'batch-insert');
  const best = batch?.runs.reduce((m, run) => Math.max(m, run.service.rps * batch.itemsPerRequest), 0);
  out.push({
    name: 'BatchInsert of 1,000 tasks >= 20,000 tasks/s',
    pass: batch?.supported && batch.runs.length ? best! >= 20_000 : batch && !batch.supported ? false : null,
    detail: batch?.supported ? `best ${Math.round(best ?? 0).toLocaleString('en-US')} tasks/s` : batch ? `not supported (HTTP ${batch.status})` : 'not measured',
  });
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = args.tasks;
  const t0 = Date.now();
  const want = (id: string) => !args.only || args.only.has(id);
  const problems: string[] = [];
  log(`Benchmark: ${args.mode} run, ${n.toLocaleString('en-US')} tasks, ${args.seconds} s per run, connections ${args.connections.join(', ')}`);

  if (args.build) {
    log('Building the service (npm run build)');
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }

  const db = await openBenchDatabase();
  let service: Child | undefined;
  let floor: Child | undefined;
  let client: Client | undefined;
  try {
    await migrate(db.url);
    client = await connect(db.url, 'bench');
    await client.query(CREATE_UUID_FUNCTION);
    if (db.embedded) await disableAutoExplain(client, (await client.query('SELECT current_database() AS d')).rows[0].d); // an interrupted run's
    let loadSeconds: number | undefined;
    const leftovers = await cleanUpBenchWrites(client, { restore: false });
    if (leftovers.removed) log(`Removed ${leftovers.removed} bench tasks left by an earlier run`);
    if (await holdsDataset(client, n)) {
      const { restored } = await cleanUpBenchWrites(client, { restore: true });
      log(`The database holds the ${n.toLocaleString('en-US')}-task data set${restored ? ` (${restored} cards put back in place)` : ''}`);
    } else {
      const l0 = Date.now();
      await loadDataset(client, n, log);
      loadSeconds = (Date.now() - l0) / 1000;
    }
    const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const sizes = (await client.query(`SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('task') AS task`)).rows[0];

    // ---- expected answers, from the rules ----
    log('Expected answers (SQL over generate_series)');
    const reads = readCases(n).filter((c) => want(c.id));
    const expected = new Map<string, Expected>();
    for (const c of reads) {
      const e = await expectedRead(client, c, n);
      expected.set(c.id, e);
      const md = n === 1_000_000 ? MILLION_EXPECTED[c.id] : undefined;
      if (md?.fingerprint && md.fingerprint !== e.fingerprint) problems.push(`${c.id}: the harness's expected fingerprint ${e.fingerprint} differs from DATASET.md's ${md.fingerprint}`);
      if (md?.count !== undefined && md.count !== e.count) problems.push(`${c.id}: the harness's expected count ${e.count} differs from DATASET.md's ${md.count}`);
      if (md?.rows !== undefined && md.rows !== e.rows) problems.push(`${c.id}: the harness's expected rows ${e.rows} differ from DATASET.md's ${md.rows}`);
    }
    const feeds = FEED_CASES.filter((c) => want(c.id) || (c.id === 'f-feed-all' && reads.some((r) => r.deepPage)));
    const feedRows = new Map<string, number>();
    for (const c of feeds) {
      feedRows.set(c.id, await expectedFeedRows(client, c, n));
      const md = n === 1_000_000 ? MILLION_EXPECTED[c.id] : undefined;
      if (md?.count !== undefined && md.count !== feedRows.get(c.id)) problems.push(`${c.id}: the harness expects ${feedRows.get(c.id)} rows, DATASET.md ${md.count}`);
    }
    for (const p of problems) log(`  HARNESS PROBLEM: ${p}`);

    // ---- the service and the floor ----
    log('Starting the service (node dist/src/main.js)');
    service = await startService(db.url);
    const startMb = memoryOf(service.pid).rss;
    const columns = await serviceColumns(service, client);
    floor = await startFloor(db.url, {
      BENCH_TASKS: String(n), FLOOR_COLUMNS: JSON.stringify(columns.task), FLOOR_NOTE_COLUMNS: JSON.stringify(columns.note), FLOOR_POOL_SIZE: '10',
    });
    log(`Service at ${service.origin} (pid ${service.pid}), floor at ${floor.origin}; ${columns.task.length} task properties`);

    // ---- feeds: correctness, the full pull (which also finds the deep page), load ----
    const feedResults: FeedResult[] = [];
    const deepCase = reads.find((c) => c.deepPage);
    const deepPageNo = deepCase ? Number(deepCase.id.slice('page-'.length)) : undefined;
    const deepLinks: { service?: string; floor?: string } = {};
    for (const c of feeds) {
      const rule = c.rule;
      const expectedRows = feedRows.get(c.id)!;
      const r: FeedResult = { id: c.id, request: c.request, expectedRows, supported: true, runs: [] };
      log(`Feed ${c.id}: ${c.request}`);
      for (const who of ['service', 'floor'] as const) {
        const target = who === 'service' ? service : floor;
        const url = `${target.origin}/odata/${encodeRequest(c.request)}`;
        const mem = who === 'service' ? sampleMemory(service.pid) : undefined;
        const pull = await pullFeed(url, { origin: target.origin, keepRows: !c.once, capturePage: c.once ? deepPageNo : undefined });
        const peak = mem?.stop().peakRss ?? 0;
        if (c.once && pull.captured) deepLinks[who] = pull.captured;
        const found: string[] = [];
        if (pull.status !== 200) found.push(`HTTP ${pull.status}: ${pull.error ?? ''}`);
        if (pull.rows !== expectedRows) found.push(`${pull.rows} rows, expected ${expectedRows}`);
        if (pull.value) {
          const keys = new Set<string>();
          for (const row of pull.value) {
            found.push(...taskRowProblems(row, n, rule.test));
            keys.add(String(row.TaskItemId).toLowerCase());
            if (found.length > 5) break;
          }
          if (keys.size !== pull.value.length) found.push(`${pull.value.length - keys.size} rows served twice`);
        }
        r[who] = { ok: found.length === 0, rows: pull.rows, pages: pull.pages, problems: found.slice(0, 5) };
        if (who === 'service' && pull.status !== 200) {
          r.supported = false;
          r.note = `HTTP ${pull.status}`;
          break;
        }
        if (c.once) {
          const load = { clients: 1, seconds: pull.ms / 1000, pulls: 1, rows: pull.rows, rowsPerSecond: pull.rows / (pull.ms / 1000), meanPullMs: pull.ms, failures: pull.status === 200 ? 0 : 1 };
          if (who === 'service') r.runs.push({ clients: 1, service: { ...load, peakRssMb: peak } });
          else {
            r.runs[0].floor = load;
            r.runs[0].ratio = r.runs[0].service.rowsPerSecond / load.rowsPerSecond;
          }
        }
        log(`  ${who}: ${pull.rows} rows in ${pull.pages} pages, ${(pull.ms / 1000).toFixed(2)} s${found.length ? ` PROBLEMS: ${found.slice(0, 2).join('; ')}` : ''}${who === 'service' ? `, peak RSS ${peak.toFixed(0)} MB` : ''}`);
      }
      if (r.supported && !c.once && want(c.id)) {
        for (const clients of args.connections.filter((x) => x <= 16)) {
          const url = (t: Child) => `${t.origin}/odata/${encodeRequest(c.request)}`;
          const mem = sampleMemory(service.pid);
          const s = await feedLoad(url(service), clients, args.seconds, service.origin);
          const peakRssMb = mem.stop().peakRss;
          await settle(client);
          const f = await feedLoad(url(floor), clients, args.seconds, floor.origin);
          await settle(client);
          r.runs.push({ clients, service: { ...s, peakRssMb }, floor: f, ratio: f.rowsPerSecond ? s.rowsPerSecond / f.rowsPerSecond : undefined });
          log(`    ${clients} clients: ${s.rowsPerSecond.toFixed(0)} rows/s (floor ${f.rowsPerSecond.toFixed(0)}), RSS ${peakRssMb.toFixed(0)} MB`);
        }
      }
      if (want(c.id)) feedResults.push(r);
    }

    // ---- reads ----
    const readResults: ReadResult[] = [];
    for (const c of reads) {
      const e = expected.get(c.id)!;
      const md = n === 1_000_000 ? MILLION_EXPECTED[c.id] : undefined;
      const r: ReadResult = {
        id: c.id, request: c.request, dataset: c.dataset, supported: true, runs: [],
        expected: { status: e.status, count: e.count, rows: e.rows, fingerprint: e.fingerprint, datasetMd: md },
      };
      readResults.push(r);
      log(`Read ${c.id}: ${c.request}${c.deepPage ? ' (through nextLink)' : ''}`);
      const paths = { service: `/odata/${encodeRequest(c.request)}`, floor: `/odata/${encodeRequest(c.request)}` };
      if (c.deepPage) {
        if (!deepLinks.service || !deepLinks.floor) {
          r.supported = false;
          r.note = `the feed has no page ${deepPageNo}`;
          continue;
        }
        paths.service = pathOf(deepLinks.service);
        paths.floor = pathOf(deepLinks.floor);
      }
      const s = await getJson(service.origin + paths.service);
      r.service = asCheck(s.status, checkRead(c, s.status, s.body, e, n));
      const f = await getJson(floor.origin + paths.floor);
      r.floor = asCheck(f.status, checkRead(c, f.status, f.body, e, n));
      log(`  check: service ${r.service.ok ? 'ok' : `FAIL ${r.service.problems.join('; ')}`} ${r.service.fingerprint ?? ''}; floor ${r.floor.ok ? 'ok' : `FAIL ${r.floor.problems.join('; ')}`}`);
      if (s.status >= 300 && e.status === 200) {
        r.supported = false;
        r.note = `HTTP ${s.status}`;
        continue;
      }
      try {
        r.runs = await measureRead(c, paths, service, floor, args, client);
      } catch (e) {
        problems.push(`${c.id}: ${e instanceof Error ? e.message : e}`);
      }
    }

    // ---- writes (service only) ----
    const writeResults: WriteResult[] = [];
    if (args.writes) {
      const run = Math.floor(Math.random() * 0xffff);
      const counter = { next: 1 };
      try {
        const pool = await createBenchTasks(client, run, 256);
        for (const c of WRITE_CASES.filter((w) => want(w.id))) {
          try {
            writeResults.push(await measureWrite(c, { run, pool, n, counter }, service, client, args, problems));
          } catch (e) {
            problems.push(`${c.id}: ${e instanceof Error ? e.message : e}`);
          }
        }
      } finally {
        await settle(client);
        const cleaned = await cleanUpBenchWrites(client, { restore: true });
        log(`Clean-up: ${cleaned.removed} bench tasks removed, ${cleaned.restored} data set cards put back`);
      }
    }
    const hwmMb = memoryOf(service.pid).hwm;

    // ---- plans ----
    let plans: BenchResults['plans'] = [];
    if (args.explain) {
      // url: the path of each request (the deep page: the service's own nextLink)
      const explainTargets: ExplainTarget[] = readResults.filter((r) => r.supported).map((r) => {
        const c = reads.find((x) => x.id === r.id)!;
        return { id: c.id, request: c.request, url: c.deepPage ? pathOf(deepLinks.service!) : `/odata/${encodeRequest(c.request)}`, floor: c.floor };
      });
      if (feedResults.some((f) => f.id === 'f-feed' && f.supported)) {
        const c = FEED_CASES.find((x) => x.id === 'f-feed')!;
        explainTargets.push({ id: 'f-feed (page 1)', request: c.request, url: `/odata/${encodeRequest(c.request)}`, floor: c.floor });
      }
      if (db.embedded) {
        log('EXPLAIN: auto_explain on, restarting the service');
        const dbName = await enableAutoExplain(client);
        try {
          await service.stop();
          service = await startService(db.url);
          const origin = service.origin;
          plans = await explainThroughService(explainTargets.map((t) => ({ ...t, url: origin + t.url })));
        } finally {
          await disableAutoExplain(client, dbName);
        }
        if (plans.every((p) => p.statements.length === 0)) {
          problems.push('auto_explain gave no plans; the floor SQL is explained instead');
          plans = [];
        }
      }
      if (!plans.length) plans = await explainFloorSql(client, new FloorSql(columns.task, columns.note), explainTargets);
    }

    const results: BenchResults = {
      date: new Date().toISOString(),
      mode: args.mode,
      tasks: n,
      secondsPerRun: args.seconds,
      connections: args.connections,
      machine: machine(pgVersion),
      database: {
        where: db.embedded ? 'embedded PostgreSQL (./.bench-data)' : 'DATABASE_URL',
        sizeMb: Number(sizes.db) / 2 ** 20, taskTableMb: Number(sizes.task) / 2 ** 20, loadSeconds,
      },
      service: { startMb, hwmMb },
      reads: readResults,
      feeds: feedResults,
      writes: writeResults,
      plans,
      targets: [],
      harnessProblems: problems,
      wallSeconds: (Date.now() - t0) / 1000,
    };
    results.targets = targets(results);
    const markdown = renderResults(results);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', `${results.date.slice(0, 19).replace(/[:T]/g, '-')}-${args.mode}-${n}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    writeBenchmarksMd(join(ROOT, 'BENCHMARKS.md'), markdown);
    log('');
    log(markdown.split('### Query plans')[0]);
    log(`Written: BENCHMARKS.md, ${file.slice(ROOT.length + 1)}`);
  } finally {
    await floor?.stop().catch(() => undefined);
    await service?.stop().catch(() => undefined);
    await client?.end().catch(() => undefined);
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
