/**
 * `npm run bench:scale [-- --quick]` (issue 20): the read mix against one service instance, two
 * instances (different ports, one database), and each of those with a streaming hot standby as
 * a read replica (DATABASE_READ_URLS). Two instances are balanced by the load generator itself:
 * the connections are split evenly, half to each (a proxy would take CPU from the servers on a
 * 2-core machine). The standby is made from the bench's embedded primary by a base backup
 * (test/support/standby.ts, the one the replica tests use); /metrics' db_reads_total shows which
 * database served the reads. Every request is checked on every instance before it is measured, and
 * each setup is warmed up (untimed) first: new processes, and the standby's cold cache.
 * Writes the results section between the scale markers of BENCHMARKS.md and
 * bench/results/<date>-scale-<N>.json. Options: --tasks N, --quick, --seconds S,
 * --connections 16,64, --no-build, --no-replica.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';
import { Standby } from '../test/support/standby';
import { errorText, getJson } from './bench-context';
import { checkRead } from './check-answer';
import { BENCH_DATA_DIR, connect, migrate, openBenchDatabase, settle } from './database';
import { CREATE_UUID_FUNCTION } from './dataset.sql';
import { expectedRead } from './expected-answers';
import { LoadResult, loadTest } from './http-load';
import { machine } from './machine';
import { Child, snapshotServiceBuild, startService } from './processes';
import { ReadCase, readCases } from './query-mix';
import { replaceSection } from './report';
import { requestPath } from './run-reads';
import { prepareDataset } from './write-cases';

const ROOT = resolve(__dirname, '..');
const START = '<!-- bench:scale:start -->';
const END = '<!-- bench:scale:end -->';

/**
 * The read mix without the whole-table reads (f's OFFSET 200,000 and $apply's GROUP BY over every
 * task, 50-150 ms each, would be most of the time) and without the deep page (its link is only
 * found by pulling the feed).
 */
const MIX = ['a', 'b', 'c', 'd', 'e', 'search', 'page-1'];

interface Args {
  tasks: number;
  seconds: number;
  connections: number[];
  build: boolean;
  replica: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (at < 0) return undefined;
    return argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1];
  };
  const quick = argv.includes('--quick');
  const tasks = value('tasks');
  return {
    tasks: tasks ? Number(tasks.replace(/[_,]/g, '')) : quick ? 100_000 : 1_000_000,
    seconds: Number(value('seconds') ?? (quick ? 3 : 10)),
    connections: (value('connections') ?? '16,64').split(',').map(Number),
    build: !argv.includes('--no-build'),
    replica: !argv.includes('--no-replica'),
  };
}

interface ScaleRun {
  setup: string;
  workload: string;
  connections: number;
  rps: number;
  mean: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Reads by the database that served them (summed over the instances), from db_reads_total. */
  servedBy: Record<string, number>;
}

interface ScaleResults {
  date: string;
  tasks: number;
  secondsPerRun: number;
  machine: ReturnType<typeof machine>;
  mix: string[];
  setups: Array<{ name: string; instances: number; replica: boolean; checks: string[] }>;
  runs: ScaleRun[];
  problems: string[];
}

const log = (line: string) => console.log(line);

/** db_reads_total by source, from an instance's /metrics (readable from 127.0.0.1). */
async function readsBySource(instance: Child): Promise<Record<string, number>> {
  const text = await (
    await fetch(`${instance.origin}/metrics`, { signal: AbortSignal.timeout(10_000) })
  ).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^db_reads_total\{source="([^"]+)"\} (\S+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

async function totalReads(instances: Child[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const i of instances)
    for (const [k, v] of Object.entries(await readsBySource(i))) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The connections split evenly over the instances, all loaded at once; the results summed. */
async function balancedLoad(instances: Child[], paths: string[], connections: number, seconds: number) {
  const share = (k: number) =>
    Math.floor(connections / instances.length) + (k < connections % instances.length ? 1 : 0);
  const parts: LoadResult[] = await Promise.all(
    instances.map((i, k) =>
      loadTest({
        origin: i.origin,
        headers: i.headers,
        path: paths[0],
        paths,
        connections: share(k),
        seconds,
      }),
    ),
  );
  const requests = parts.reduce((a, p) => a + p.rps * p.seconds, 0);
  return {
    rps: parts.reduce((a, p) => a + p.rps, 0),
    mean: parts.reduce((a, p) => a + p.mean * p.rps * p.seconds, 0) / (requests || 1),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((a, p) => a + p.errors + p.timeouts, 0),
    non2xx: parts.reduce((a, p) => a + p.non2xx, 0),
  };
}

/** Every request of the mix answered correctly by every instance (answers checked against the rules). */
async function checkAnswers(
  instances: Child[],
  cases: ReadCase[],
  expected: Map<string, Awaited<ReturnType<typeof expectedRead>>>,
  n: number,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [k, i] of instances.entries())
    for (const c of cases) {
      const r = await getJson(i.origin + requestPath(c), i.headers);
      const v = checkRead(c, r.status, r.body, expected.get(c.id)!, n);
      if (!v.ok) problems.push(`instance ${k + 1}, ${c.id}: ${v.problems.slice(0, 2).join('; ')}`);
    }
  return problems;
}

function render(r: ScaleResults): string {
  const f0 = (v: number) => Math.round(v).toLocaleString('en-US');
  const m = r.machine;
  const out = [
    `## Scaling out: ${r.tasks.toLocaleString('en-US')} tasks (\`npm run bench:scale\`)`,
    '',
    `- Date: ${r.date}; ${m.cpu}, ${m.cores} cores, Node ${m.node}, PostgreSQL ${m.postgres}; ${r.secondsPerRun} s per run.`,
    `- Workload \`mix\`: each connection sends ${r.mix.join(', ')} in turn (the read mix without f, apply and the deep page); \`c\`: one task by key only.`,
    '- Two instances: the same build on two ports and one database; the load generator splits the connections evenly between them. Replica: a streaming hot standby of the primary (base backup, `standby.signal`, a replication slot) on the same machine, given to every instance as `DATABASE_READ_URLS`.',
    '- `served by`: reads outside transactions by the database that answered them (db_reads_total of every instance).',
    '',
    '| setup | workload | conns | req/s | vs 1 instance | mean ms | p99 ms | errors / non-2xx | served by |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const run of r.runs) {
    const base = r.runs.find(
      (b) => b.setup === r.setups[0].name && b.workload === run.workload && b.connections === run.connections,
    );
    const replica = r.setups.find((s) => s.name === run.setup)?.replica;
    const served = replica
      ? Object.entries(run.servedBy)
          .map(([k, v]) => `${k} ${f0(v)}`)
          .join(', ')
      : 'primary (no replica configured)';
    out.push(
      `| ${run.setup} | ${run.workload} | ${run.connections} | ${f0(run.rps)} | ${base?.rps ? (run.rps / base.rps).toFixed(2) : '–'} | ${run.mean.toFixed(1)} | ${run.p99} | ${run.errors} / ${run.non2xx} | ${served || '–'} |`,
    );
  }
  out.push('');
  for (const s of r.setups)
    out.push(
      `- ${s.name}: answers ${s.checks.length ? `FAILED: ${s.checks.slice(0, 3).join('; ')}` : 'checked on every instance, ok'}`,
    );
  if (r.problems.length) out.push('', '### Scale run problems', '', ...r.problems.map((p) => `- ${p}`));
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = args.tasks;
  log(
    `Scale benchmark: ${n.toLocaleString('en-US')} tasks, ${args.seconds} s per run, connections ${args.connections.join(', ')}`,
  );
  if (args.build && spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0)
    throw new Error('npm run build failed');
  snapshotServiceBuild();
  const db = await openBenchDatabase();
  const running: Child[] = [];
  let standby: Standby | undefined;
  let client: Client | undefined;
  const problems: string[] = [];
  try {
    await migrate(db.url);
    client = await connect(db.url, 'bench-scale');
    await client.query(CREATE_UUID_FUNCTION);
    await prepareDataset(client, n, log);
    const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const cases = readCases(n).filter((c) => MIX.includes(c.id));
    const expected = new Map<string, Awaited<ReturnType<typeof expectedRead>>>();
    for (const c of cases) expected.set(c.id, await expectedRead(client, c, n));
    const warmUp = Math.max(1, Math.ceil(args.seconds / 2));
    const workloads = [
      { name: 'mix', paths: cases.map(requestPath) },
      { name: 'c', paths: cases.filter((c) => c.id === 'c').map(requestPath) },
    ];

    let readUrl: string | undefined;
    if (args.replica && db.embedded) {
      log('Making a streaming standby of the primary (base backup of .bench-data/pg)');
      try {
        const admin = new URL(db.url);
        const dbName = admin.pathname.slice(1);
        admin.pathname = '/postgres';
        standby = new Standby(admin.toString(), resolve(ROOT, BENCH_DATA_DIR, 'pg'), 'bench_scale_standby');
        await client.query(`SELECT pg_drop_replication_slot('bench_scale_standby')`).catch(() => undefined); // left by an interrupted run
        await standby.create();
        await standby.caughtUp(120_000);
        readUrl = standby.urlOf(dbName);
      } catch (e) {
        problems.push(`no replica: ${errorText(e)}`);
      }
    } else if (args.replica)
      problems.push('no replica: DATABASE_URL is not the embedded primary (no data directory to copy)');

    const setups = [
      { name: '1 instance', instances: 1, replica: false },
      { name: '2 instances', instances: 2, replica: false },
      ...(readUrl
        ? [
            { name: '1 instance + replica', instances: 1, replica: true },
            { name: '2 instances + replica', instances: 2, replica: true },
          ]
        : []),
    ];
    const results: ScaleResults = {
      date: new Date().toISOString(),
      tasks: n,
      secondsPerRun: args.seconds,
      machine: machine(pgVersion),
      mix: cases.map((c) => c.id),
      setups: [],
      runs: [],
      problems,
    };
    for (const setup of setups) {
      log(`Setup: ${setup.name}`);
      const env: Record<string, string> = setup.replica ? { DATABASE_READ_URLS: readUrl! } : {};
      const instances: Child[] = [];
      for (let k = 0; k < setup.instances; k++) {
        const child = await startService(db.url, env);
        running.push(child);
        instances.push(child);
      }
      if (setup.replica) await standby!.caughtUp(60_000);
      const checks = await checkAnswers(instances, cases, expected, n);
      results.setups.push({ ...setup, checks });
      for (const p of checks) log(`  CHECK FAILED: ${p}`);
      // Untimed warm-up: new processes (JIT, prepared statements) and the standby's cold cache.
      for (const w of workloads)
        await balancedLoad(instances, w.paths, Math.max(...args.connections), warmUp);
      await settle(client);
      for (const w of workloads)
        for (const connections of args.connections) {
          const before = await totalReads(instances);
          const s = await balancedLoad(instances, w.paths, connections, args.seconds);
          const after = await totalReads(instances);
          await settle(client);
          const servedBy: Record<string, number> = {};
          for (const [k, v] of Object.entries(after))
            if (v - (before[k] ?? 0) > 0) servedBy[k] = v - (before[k] ?? 0);
          results.runs.push({ setup: setup.name, workload: w.name, connections, ...s, servedBy });
          log(
            `  ${w.name} c=${connections}: ${s.rps.toFixed(0)} req/s, p99 ${s.p99} ms${s.errors + s.non2xx ? `, ${s.errors} errors, ${s.non2xx} non-2xx` : ''}; served by ${JSON.stringify(servedBy)}`,
          );
        }
      for (const i of instances) {
        await i.stop();
        running.splice(running.indexOf(i), 1);
      }
    }
    const markdown = render(results);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(
      ROOT,
      'bench',
      'results',
      `${results.date.slice(0, 19).replace(/[:T]/g, '-')}-scale-${n}.json`,
    );
    writeFileSync(file, JSON.stringify(results, null, 2));
    replaceSection(join(ROOT, 'BENCHMARKS.md'), START, END, markdown);
    log('');
    log(markdown);
    log(`Written: BENCHMARKS.md (scale section), ${file.slice(ROOT.length + 1)}`);
  } finally {
    for (const i of running) await i.stop().catch(() => undefined);
    await standby?.destroy().catch(() => undefined);
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
