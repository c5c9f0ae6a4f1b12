/**
 * `npm run bench [-- --quick]`: the whole benchmark. Builds the service, makes sure the database
 * holds the N-task data set (loading it if not), computes the expected answers from the rules,
 * starts the service and the floor as child processes, measures every case of the query mix
 * (feeds first: the full pull finds the deep page; then reads; then writes, cleaned up after;
 * then the delta case; then the full pull again for memory: after the other cases, and alone in a
 * restarted service), explains the main reads, and writes BENCHMARKS.md and bench/results/<date>-<mode>-<N>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';
import { BenchContext, errorText, getJson, pathOf } from './bench-context';
import { connect, migrate, openBenchDatabase } from './database';
import { CREATE_UUID_FUNCTION } from './dataset.sql';
import { Expected, expectedFeedRows, expectedRead } from './expected-answers';
import {
  ExplainTarget,
  disableAutoExplain,
  enableAutoExplain,
  explainFloorSql,
  explainThroughService,
} from './explain';
import { FloorSql } from './floor-server';
import { machine } from './machine';
import {
  Child,
  SERVICE_SETTINGS,
  memoryOf,
  snapshotServiceBuild,
  startFloor,
  startService,
} from './processes';
import { FEED_CASES, MILLION_EXPECTED, WRITE_CASES, readCases } from './query-mix';
import { T12345 } from './dataset-rules';
import { renderResults, writeBenchmarksMd } from './report';
import type { BenchResults, FeedMemory, FeedResult, ReadResult, WriteResult } from './results';
import { pullForMemory, runFeed } from './run-feeds';
import { runDelta } from './run-delta';
import { requestPath, runRead } from './run-reads';
import { runWrites } from './run-writes';
import { judgeTargets } from './targets';
import { prepareDataset } from './write-cases';

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
  const only = value('only');
  return {
    mode: tasks !== undefined || seconds !== undefined ? 'custom' : quick ? 'quick' : 'full',
    tasks: tasks ? Number(tasks.replace(/[_,]/g, '')) : quick ? 100_000 : 1_000_000,
    seconds: seconds ? Number(seconds) : quick ? 3 : 10,
    connections: (value('connections') ?? '1,16,64').split(',').map(Number),
    only: only ? new Set(only.split(',')) : undefined,
    build: !argv.includes('--no-build'),
    writes: !argv.includes('--no-writes'),
    explain: !argv.includes('--no-explain'),
  };
}

const log = (line: string) => console.log(line);

/** The properties the service returns for tasks and notes: the floor sends the same ones. */
async function serviceColumns(service: Child, client: Client): Promise<{ task: string[]; note: string[] }> {
  const props = (row: any) => (row ? Object.keys(row).filter((k) => !k.includes('@') && k !== 'Notes') : []);
  const tasks = await getJson(`${service.origin}/odata/Task?$top=1`, service.headers);
  const notes = await getJson(
    `${service.origin}/odata/Task?$top=1&$expand=Notes&$filter=${encodeURIComponent('ProjectId eq cd0e3927-8499-4c65-bd39-0856d19c08c5')}`,
    service.headers,
  );
  const columns = async (table: string) =>
    (
      await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1
       AND column_name NOT IN ('Version', 'ProjectDefinedFields', 'IsCalendarSyncEnabled', 'SearchVector') ORDER BY ordinal_position`,
        [table],
      )
    ).rows.map((r) => r.column_name as string);
  const task = props(tasks.body?.value?.[0]);
  const note = props(notes.body?.value?.[0]?.Notes?.[0]);
  return {
    task: task.length ? task : await columns('task'),
    note: note.length ? note : await columns('task_item_note'),
  };
}

/** Expected answers from the rules; for N = 1,000,000 also compared with DATASET.md's. */
async function expectations(
  client: Client,
  n: number,
  reads: ReturnType<typeof readCases>,
  problems: string[],
) {
  const expected = new Map<string, Expected>();
  const feedRows = new Map<string, number>();
  const compare = (id: string, what: string, ours: unknown, theirs: unknown) => {
    if (theirs !== undefined && ours !== theirs)
      problems.push(`${id}: the harness expects ${what} ${ours}, DATASET.md ${theirs}`);
  };
  for (const c of reads) {
    const e = await expectedRead(client, c, n);
    expected.set(c.id, e);
    const md = n === 1_000_000 ? MILLION_EXPECTED[c.id] : undefined;
    compare(c.id, 'fingerprint', e.fingerprint, md?.fingerprint);
    compare(c.id, 'count', e.count, md?.count);
    compare(c.id, 'rows', e.rows, md?.rows);
  }
  for (const c of FEED_CASES) {
    feedRows.set(c.id, await expectedFeedRows(client, c, n));
    compare(c.id, 'rows', feedRows.get(c.id), n === 1_000_000 ? MILLION_EXPECTED[c.id]?.count : undefined);
  }
  return { expected, feedRows };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = args.tasks;
  const t0 = Date.now();
  const want = (id: string) => !args.only || args.only.has(id);
  const problems: string[] = [];
  log(
    `Benchmark: ${args.mode} run, ${n.toLocaleString('en-US')} tasks, ${args.seconds} s per run, connections ${args.connections.join(', ')}`,
  );

  if (args.build) {
    log('Building the service (npm run build)');
    if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0)
      throw new Error('npm run build failed');
  }
  snapshotServiceBuild();

  const db = await openBenchDatabase();
  let service: Child | undefined;
  let floor: Child | undefined;
  let client: Client | undefined;
  try {
    await migrate(db.url);
    client = await connect(db.url, 'bench');
    await client.query(CREATE_UUID_FUNCTION);
    const dbName = (await client.query('SELECT current_database() AS d')).rows[0].d as string;
    if (db.embedded) await disableAutoExplain(client, dbName); // left on by an interrupted run?
    const loadSeconds = await prepareDataset(client, n, log);
    const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const sizes = (
      await client.query(
        `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('task') AS task`,
      )
    ).rows[0];

    log('Expected answers (SQL over generate_series)');
    const reads = readCases(n).filter((c) => want(c.id));
    const { expected, feedRows } = await expectations(client, n, reads, problems);
    for (const p of problems) log(`  HARNESS PROBLEM: ${p}`);

    log('Starting the service (node dist/src/main.js, from a snapshot of dist/) and the floor');
    service = await startService(db.url);
    const startMb = memoryOf(service.pid).rss;
    const columns = await serviceColumns(service, client);
    const fullText =
      Number(
        (
          await client.query(
            `SELECT count(*) AS c FROM information_schema.columns WHERE table_name IN ('task', 'task_item_note') AND column_name = 'SearchVector'`,
          )
        ).rows[0].c,
      ) === 2;
    const floorEnv = {
      BENCH_TASKS: String(n),
      FLOOR_COLUMNS: JSON.stringify(columns.task),
      FLOOR_NOTE_COLUMNS: JSON.stringify(columns.note),
      FLOOR_POOL_SIZE: '10',
      FLOOR_FULL_TEXT: fullText ? '1' : '0',
    };
    floor = await startFloor(db.url, floorEnv);
    log(
      `Service at ${service.origin} (pid ${service.pid}), floor at ${floor.origin}; ${columns.task.length} task properties`,
    );
    /**
     * After each load run: a server that died, or that no longer answers a simple read within
     * 10 s, is reported (with its last output) and started again, so one failure does not spoil
     * the runs after it.
     */
    const revive = async (after: string): Promise<void> => {
      for (const who of ['service', 'floor'] as const) {
        let trouble = ctx[who].exited();
        if (!trouble) {
          const probe = `${ctx[who].origin}/odata/Task(${T12345})`;
          const status = await fetch(probe, {
            headers: ctx[who].headers,
            signal: AbortSignal.timeout(10_000),
          }).then(
            async (r) => (await r.arrayBuffer(), r.status),
            (e) => `no answer (${errorText(e)})`,
          );
          if (status !== 200 && status !== 404)
            trouble = `the ${who} no longer answers Task(${T12345}): ${typeof status === 'number' ? `HTTP ${status}` : status}`;
          if (trouble) await ctx[who].stop(1000);
        }
        if (!trouble) continue;
        problems.push(`after ${after}: ${trouble}`);
        log(`  ${who.toUpperCase()} FAILED after ${after}; starting it again`);
        ctx[who] = who === 'service' ? await startService(db.url) : await startFloor(db.url, floorEnv);
      }
      service = ctx.service;
      floor = ctx.floor;
    };
    const ctx: BenchContext = {
      n,
      seconds: args.seconds,
      connections: args.connections,
      service,
      floor,
      client,
      problems,
      log,
      revive,
    };

    // Feeds first: the full pull also finds the deep page's link on each server.
    const deepCase = reads.find((c) => c.deepPage);
    const deepPageNo = deepCase ? Number(deepCase.id.slice('page-'.length)) : undefined;
    let deepLinks: { service?: string; floor?: string } = {};
    const feedResults: FeedResult[] = [];
    for (const c of FEED_CASES.filter((f) => want(f.id) || (f.once && deepCase))) {
      try {
        const out = await runFeed(ctx, c, feedRows.get(c.id)!, {
          capturePage: deepPageNo,
          measure: want(c.id),
        });
        if (c.once) deepLinks = out.captured;
        if (want(c.id)) feedResults.push(out.result);
      } catch (e) {
        problems.push(`${c.id}: ${errorText(e)}`);
      }
      await revive(c.id);
    }

    const readResults: ReadResult[] = [];
    for (const c of reads) {
      const paths = !c.deepPage
        ? { service: requestPath(c), floor: requestPath(c) }
        : deepLinks.service && deepLinks.floor
          ? { service: pathOf(deepLinks.service), floor: pathOf(deepLinks.floor) }
          : undefined;
      try {
        readResults.push(await runRead(ctx, c, expected.get(c.id)!, paths));
      } catch (e) {
        problems.push(`${c.id}: ${errorText(e)}`);
      }
      await revive(c.id);
    }

    const writeResults: WriteResult[] = args.writes
      ? await runWrites(
          ctx,
          WRITE_CASES.filter((w) => want(w.id)),
        )
      : [];
    const delta = args.writes && want('delta') ? await runDelta(ctx) : undefined;
    if (args.writes && want('delta')) await revive('delta');

    // Issue 17: f-feed-all's peak RSS also after the other cases (same process) and alone in a
    // fresh service process, besides the feeds phase's (the first case, on a just-started service).
    const feedMemory: FeedMemory[] = [];
    const allFeed = FEED_CASES.find((f) => f.id === 'f-feed-all')!;
    const pullAll = want(allFeed.id) && feedResults.some((f) => f.id === allFeed.id && f.supported);
    if (pullAll && (readResults.length || writeResults.length || delta)) {
      log('f-feed-all again, after the other cases, on the same service process');
      feedMemory.push(
        await pullForMemory(ctx, allFeed, feedRows.get(allFeed.id)!, 'after the other cases (same process)'),
      );
    }
    const hwmMb = memoryOf(ctx.service.pid).hwm;
    if (pullAll) {
      log('f-feed-all alone: the service restarted, nothing else run on it');
      await ctx.service.stop();
      ctx.service = service = await startService(db.url);
      feedMemory.push(
        await pullForMemory(ctx, allFeed, feedRows.get(allFeed.id)!, 'alone, in a fresh service process'),
      );
      await revive('f-feed-all alone');
    }

    let plans: BenchResults['plans'] = [];
    if (args.explain) {
      const targets: ExplainTarget[] = readResults
        .filter((r) => r.supported)
        .map((r) => {
          const c = reads.find((x) => x.id === r.id)!;
          return {
            id: c.id,
            request: c.request,
            url: c.deepPage ? pathOf(deepLinks.service!) : requestPath(c),
            floor: c.floor,
          };
        });
      const feed = FEED_CASES.find((x) => x.id === 'f-feed')!;
      if (feedResults.some((f) => f.id === feed.id && f.supported)) {
        targets.push({
          id: 'f-feed (page 1)',
          request: feed.request,
          url: requestPath(feed),
          floor: feed.floor,
        });
      }
      if (db.embedded) {
        log('EXPLAIN: auto_explain on, the service restarted');
        try {
          await enableAutoExplain(client);
          await service.stop();
          service = await startService(db.url);
          const { origin, headers } = service;
          plans = await explainThroughService(
            targets.map((t) => ({ ...t, url: origin + t.url })),
            headers,
          );
        } catch (e) {
          problems.push(`auto_explain: ${errorText(e)}`);
        } finally {
          await disableAutoExplain(client, dbName);
        }
        if (plans.every((p) => p.statements.length === 0)) {
          if (targets.length) problems.push('auto_explain gave no plans; the floor SQL is explained instead');
          plans = [];
        }
      }
      if (!plans.length)
        plans = await explainFloorSql(client, new FloorSql(columns.task, columns.note, fullText), targets);
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
        sizeMb: Number(sizes.db) / 2 ** 20,
        taskTableMb: Number(sizes.task) / 2 ** 20,
        loadSeconds,
      },
      service: { settings: SERVICE_SETTINGS, startMb, hwmMb },
      reads: readResults,
      feeds: feedResults,
      writes: writeResults,
      feedMemory,
      delta,
      plans,
      targets: [],
      harnessProblems: problems,
      wallSeconds: (Date.now() - t0) / 1000,
    };
    results.targets = judgeTargets(results);
    const markdown = renderResults(results);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(
      ROOT,
      'bench',
      'results',
      `${results.date.slice(0, 19).replace(/[:T]/g, '-')}-${args.mode}-${n}.json`,
    );
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
