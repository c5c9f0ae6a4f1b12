/**
 * `npm run soak [-- --minutes 10 --tasks 100000]` (not in CI): the service under a realistic mix
 * for a long time. Builds the service (nest build), makes sure the database holds the N-task data set (the
 * benchmark's, see load-dataset.ts), starts the service as a child process, measures the mix's
 * peak req/s for --peak-seconds, then drives the mix at --load (80 %) of that rate for --minutes
 * and reports, per --window (30 s): requests, errors and non-2xx, p50/p99 latency and the
 * service's RSS (from /proc). Writes bench/results/<date>-soak-<N>.json and the "Soak" section
 * of BENCHMARKS.md (between its markers; the rest of the file is left as it is).
 *
 * Verdict: zero errors; p99 stable; memory flat. The rules are in `judge` below.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import autocannon = require('autocannon');
import { errorText } from './bench-context';
import { connect, migrate, onServerLog, openBenchDatabase, settle } from './database';
import { CREATE_UUID_FUNCTION } from './dataset.sql';
import { machine } from './machine';
import { Child, SERVICE_SETTINGS, memoryOf, snapshotServiceBuild, startService } from './processes';
import type { Machine } from './results';
import { BENCH_DATES_FROM, benchKey } from './query-mix';
import { uuid } from './dataset-rules';
import { Mover, SOAK_REQUESTS, SOAK_WEIGHTS, SoakMix, SoakOp } from './soak-mix';
import {
  changeLogMark,
  cleanUpBenchWrites,
  createBenchTasks,
  dropChangeLogSince,
  prepareDataset,
} from './write-cases';

const ROOT = resolve(__dirname, '..');
const START = '<!-- soak:start -->';
const END = '<!-- soak:end -->';
/** The soak the issue asks for; shorter runs are reported as trial runs. */
const FULL_MINUTES = 10;

interface Args {
  tasks: number;
  minutes: number;
  peakSeconds: number;
  windowSeconds: number;
  connections: number;
  load: number;
  /** A fixed rate instead of --load × the measured peak. */
  rate?: number;
  build: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (at < 0) return undefined;
    return argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1];
  };
  const num = (name: string, fallback: number) => {
    const v = value(name);
    const n = v === undefined ? fallback : Number(v.replace(/[_,]/g, ''));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${v}`);
    return n;
  };
  const rate = value('rate');
  return {
    tasks: num('tasks', 100_000),
    minutes: num('minutes', FULL_MINUTES),
    peakSeconds: num('peak-seconds', 20),
    windowSeconds: num('window', 30),
    connections: num('connections', 16),
    load: num('load', 0.8),
    rate: rate === undefined ? undefined : num('rate', 0),
    build: !argv.includes('--no-build'),
  };
}

const log = (line: string) => console.log(line);

export interface SoakWindow {
  /** Seconds since the start of the soak. */
  from: number;
  to: number;
  requests: number;
  /** Non-2xx answers, and $batch parts that failed. */
  failures: number;
  /** Socket errors and timeouts. */
  errors: number;
  p50: number;
  p99: number;
  /** Median and largest service RSS sampled in the window (MB). */
  rssMb: number;
  rssMaxMb: number;
}

export interface PhaseTotals {
  seconds: number;
  connections: number;
  /** autocannon's overallRate (undefined: as fast as the service answers). */
  rate?: number;
  requests: number;
  rps: number;
  failures: number;
  errors: number;
  p50: number;
  p99: number;
}

interface Check {
  pass: boolean;
  detail: string;
}

export interface SoakResults {
  date: string;
  tasks: number;
  minutes: number;
  windowSeconds: number;
  load: number;
  machine: Machine;
  database: { where: string; sizeMb: number; loadSeconds?: number };
  service: { settings: string; startMb: number; hwmMb: number };
  peak?: PhaseTotals;
  soak: PhaseTotals;
  windows: SoakWindow[];
  ops: Array<{
    op: SoakOp;
    weight: number;
    request: string;
    requests: number;
    failures: number;
    p50: number;
    p99: number;
  }>;
  failureSamples: Array<{ op: string; status: number; body: string }>;
  errorSamples: string[];
  /** Error lines of an embedded PostgreSQL's log during the run (at most 200). */
  postgresLog: string[];
  verdict: { warmupWindows: number; errors: Check; p99: Check; memory: Check; pass: boolean };
  harnessProblems: string[];
  wallSeconds: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Responses, failures, errors, latencies and RSS samples, by window of the run. */
class Windows {
  private readonly buckets: Array<{ latencies: number[]; failures: number; errors: number; rss: number[] }> =
    [];
  private readonly t0 = performance.now();
  constructor(private readonly seconds: number) {}

  private bucket() {
    const i = Math.floor((performance.now() - this.t0) / 1000 / this.seconds);
    while (this.buckets.length <= i) this.buckets.push({ latencies: [], failures: 0, errors: 0, rss: [] });
    return this.buckets[i];
  }
  response(ms: number) {
    this.bucket().latencies.push(ms);
  }
  failure() {
    this.bucket().failures++;
  }
  error() {
    this.bucket().errors++;
  }
  rss(mb: number) {
    this.bucket().rss.push(mb);
  }
  /** Windows seen so far; a last window shorter than half its length is dropped. */
  summary(totalSeconds?: number): SoakWindow[] {
    return this.buckets
      .map((b, i) => {
        const sorted = [...b.latencies].sort((x, y) => x - y);
        const from = i * this.seconds;
        return {
          from,
          to: totalSeconds === undefined ? from + this.seconds : Math.min(from + this.seconds, totalSeconds),
          requests: b.latencies.length,
          failures: b.failures,
          errors: b.errors,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          rssMb: b.rss.length ? median(b.rss) : NaN,
          rssMaxMb: b.rss.length ? Math.max(...b.rss) : NaN,
        };
      })
      .filter((w) => w.to - w.from >= this.seconds / 2);
  }
}

/** One autocannon run of the mix, with per-window figures; resolves when it is over. */
async function drive(
  service: Child,
  mix: SoakMix,
  o: {
    seconds: number;
    connections: number;
    rate?: number;
    windowSeconds: number;
    onWindow?: (w: SoakWindow, i: number) => void;
  },
) {
  const windows = new Windows(o.windowSeconds);
  const errorSamples: string[] = [];
  mix.resetTally();
  mix.onFailure = () => windows.failure();
  const sampler = setInterval(() => windows.rss(memoryOf(service.pid).rss), 1000);
  let reported = 0;
  const reporter =
    o.onWindow &&
    setInterval(() => {
      const done = windows.summary();
      // the window in progress is the last one
      for (; reported < done.length - 1; reported++) o.onWindow!(done[reported], reported);
    }, 1000);
  const t0 = performance.now();
  try {
    const result = await new Promise<autocannon.Result>((ok, fail) => {
      const instance = autocannon(
        {
          url: service.origin,
          connections: o.connections,
          duration: o.seconds,
          overallRate: o.rate,
          timeout: 30,
          requests: [mix.request(service.headers) as any],
        },
        (err, r) => (err ? fail(err) : ok(r)),
      );
      instance.on('response', (_client, _status, _bytes, ms) => windows.response(ms));
      instance.on('reqError', (e) => {
        windows.error();
        if (errorSamples.length < 20) errorSamples.push(errorText(e));
      });
    });
    const seconds = (performance.now() - t0) / 1000;
    const all = windows.summary(seconds);
    if (reporter) for (; reported < all.length; reported++) o.onWindow!(all[reported], reported);
    const failures = [...mix.tally.values()].reduce((s, t) => s + t.failures, 0);
    const totals: PhaseTotals = {
      seconds,
      connections: o.connections,
      rate: o.rate,
      requests: result.requests.total,
      rps: (result.requests.total - failures) / seconds,
      failures,
      errors: result.errors,
      p50: result.latency.p50,
      p99: result.latency.p99,
    };
    return { totals, windows: all, errorSamples };
  } finally {
    clearInterval(sampler);
    if (reporter) clearInterval(reporter);
    mix.onFailure = undefined;
  }
}

/**
 * The verdict, after `warmup` windows (the first fifth of the run, at least one, never all):
 *   errors  no socket error, timeout, non-2xx answer or failed $batch part in the whole soak;
 *   p99     the median p99 of the last three windows is at most twice the p99 of the first
 *           window after warm-up (that baseline taken as at least 10 ms: autocannon counts whole
 *           milliseconds, and 3 ms -> 7 ms is no trend);
 *   memory  the median RSS of the last window is less than 10 % above the median RSS of the
 *           first window after warm-up.
 */
function judge(windows: SoakWindow[], soak: PhaseTotals): SoakResults['verdict'] {
  const warmupWindows = Math.min(Math.max(1, Math.ceil(windows.length / 5)), Math.max(0, windows.length - 1));
  const after = windows.slice(warmupWindows);
  const bad = soak.errors + soak.failures;
  const errors: Check = {
    pass: bad === 0,
    detail: `${soak.errors} socket errors or timeouts, ${soak.failures} non-2xx answers or failed $batch parts in ${soak.requests.toLocaleString('en-US')} requests`,
  };
  if (!after.length) {
    const none = { pass: false, detail: 'no window after warm-up' };
    return { warmupWindows, errors, p99: none, memory: none, pass: false };
  }
  const base = after[0];
  const last = after.slice(-3);
  const lastP99 = median(last.map((w) => w.p99));
  const allowed = 2 * Math.max(base.p99, 10);
  const p99: Check = {
    pass: lastP99 <= allowed,
    detail: `p99 ${Math.round(base.p99)} ms in window ${warmupWindows + 1} (the first after warm-up), median of the last ${last.length}: ${Math.round(lastP99)} ms (allowed ≤ ${Math.round(allowed)} ms)`,
  };
  const finalRss = after[after.length - 1].rssMb;
  const growth = (finalRss - base.rssMb) / base.rssMb;
  const memory: Check = {
    pass: growth < 0.1,
    detail: `RSS ${Math.round(base.rssMb)} MB in window ${warmupWindows + 1}, ${Math.round(finalRss)} MB in the last window (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %, allowed < +10 %)`,
  };
  return { warmupWindows, errors, p99, memory, pass: errors.pass && p99.pass && memory.pass };
}

const f0 = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US');
const f1 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(1));
const msText = (v: number) => (Number.isNaN(v) ? '–' : v < 1 ? '<1' : String(Math.round(v)));
const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

export function renderSoak(r: SoakResults): string {
  const out: string[] = [];
  const m = r.machine;
  const trial = r.minutes < FULL_MINUTES;
  out.push('## Soak');
  out.push('');
  out.push(
    '`npm run soak` (not in CI; options `--minutes 10`, `--tasks 100000`, `--peak-seconds 20`, `--load 0.8`, `--rate R`, `--connections 16`, `--window 30`, `--no-build`):',
  );
  out.push(
    'builds the service, loads the benchmark data set if the database does not hold it, starts the service as a child process (as `npm run bench` does),',
  );
  out.push(
    "measures the peak req/s of the mix below, then drives the same mix at 80 % of that rate (autocannon `overallRate`) and reads the service's RSS from /proc every second.",
  );
  out.push(
    'autocannon keeps each connection to its share of the rate per second and waits for each answer (closed loop): a slow service gets fewer requests rather than a queue of late ones, so latency under overload is understated, not hidden. Latency includes any wait for an admission slot: board reads and feed pages (more than 100 rows) and `$batch` are long work and share 3 of the 10 connections (README, Operations).',
  );
  out.push(
    `Verdict after warm-up (the first fifth of the windows): **zero errors** (no socket error, timeout, non-2xx answer or failed \`$batch\` part); **p99 stable** (median p99 of the last three windows ≤ 2 × the p99 of the first window after warm-up, that baseline taken as at least 10 ms); **memory flat** (RSS of the last window < 10 % above the first window after warm-up; medians of the 1-s samples).`,
  );
  out.push('');
  out.push(
    `### ${trial ? `Trial run (${f1(r.minutes)} min, not the ${FULL_MINUTES}-minute soak)` : 'Result'}: ${r.tasks.toLocaleString('en-US')} tasks, ${f1(r.minutes)} min at ${f0(r.soak.rate)} req/s — ${r.verdict.pass ? 'pass' : '**fail**'}`,
  );
  out.push('');
  out.push(`- Date: ${r.date}; wall time ${f0(r.wallSeconds)} s`);
  out.push(
    `- Machine: ${m.cpu}, ${m.cores} cores, ${f1(m.ramGb)} GB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}; service, PostgreSQL and load generator on the same machine`,
  );
  out.push(
    `- Database: ${r.database.where}; ${f0(r.database.sizeMb)} MB${r.database.loadSeconds !== undefined ? `; loaded in ${f1(r.database.loadSeconds)} s` : '; already loaded'}`,
  );
  out.push(
    `- Service: \`node dist/src/main.js\` with ${r.service.settings}. Memory: ${f0(r.service.startMb)} MB RSS after start, ${f0(r.service.hwmMb)} MB peak (VmHWM) over the whole run.`,
  );
  if (r.peak) {
    out.push(
      `- Peak: ${f0(r.peak.rps)} req/s (2xx) over ${f0(r.peak.seconds)} s at ${r.peak.connections} connections, p50 ${msText(r.peak.p50)} ms, p99 ${msText(r.peak.p99)} ms, ${r.peak.errors} errors, ${r.peak.failures} non-2xx; soak rate ${f0(r.soak.rate)} req/s (${Math.round(r.load * 100)} %)`,
    );
  } else out.push(`- Rate: ${f0(r.soak.rate)} req/s, given (--rate), no peak measured`);
  out.push(
    `- Soak: ${r.soak.requests.toLocaleString('en-US')} requests in ${f0(r.soak.seconds)} s (${f0(r.soak.rps)} req/s answered 2xx), ${r.soak.connections} connections; p50 ${msText(r.soak.p50)} ms, p99 ${msText(r.soak.p99)} ms`,
  );
  out.push('');
  out.push('| check | result | detail |');
  out.push('|---|---|---|');
  const row = (name: string, c: Check) =>
    out.push(`| ${name} | ${c.pass ? 'pass' : '**fail**'} | ${c.detail} |`);
  row('zero errors', r.verdict.errors);
  row('p99 stable', r.verdict.p99);
  row('memory flat', r.verdict.memory);
  out.push('');
  out.push(`Per ${r.windowSeconds}-s window (the first ${r.verdict.warmupWindows} are warm-up):`);
  out.push('');
  out.push('| window | requests | req/s | errors / non-2xx | p50 ms | p99 ms | RSS MB (median / max) |');
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  r.windows.forEach((w, i) => {
    out.push(
      `| ${clock(w.from)}–${clock(w.to)}${i < r.verdict.warmupWindows ? ' (warm-up)' : ''} | ${w.requests.toLocaleString('en-US')} | ${f0(w.requests / (w.to - w.from))} | ${w.errors} / ${w.failures} | ${msText(w.p50)} | ${msText(w.p99)} | ${f0(w.rssMb)} / ${f0(w.rssMaxMb)} |`,
    );
  });
  out.push('');
  out.push(
    'The mix (each request drawn at random by weight; writes touch bench tasks only, removed afterwards; latency measured by the harness from building the request to the end of the answer):',
  );
  out.push('');
  out.push('| op | weight % | requests | failures | p50 ms | p99 ms | request |');
  out.push('|---|---:|---:|---:|---:|---:|---|');
  for (const o of r.ops)
    out.push(
      `| ${o.op} | ${o.weight} | ${o.requests.toLocaleString('en-US')} | ${o.failures} | ${msText(o.p50)} | ${msText(o.p99)} | \`${o.request.replace(/\|/g, '\\|')}\` |`,
    );
  out.push('');
  if (r.failureSamples.length || r.errorSamples.length || r.harnessProblems.length) {
    out.push('Problems seen:');
    out.push('');
    for (const f of r.failureSamples.slice(0, 10))
      out.push(`- ${f.op}: HTTP ${f.status} \`${f.body.replace(/`/g, "'").slice(0, 200)}\``);
    for (const e of r.errorSamples.slice(0, 5)) out.push(`- request error: ${e}`);
    for (const p of r.harnessProblems) out.push(`- harness: ${p}`);
    out.push('');
  }
  if (r.postgresLog.length) {
    out.push(
      `PostgreSQL's log (errors, first ${Math.min(20, r.postgresLog.length)} of ${r.postgresLog.length} lines; all in the JSON):`,
    );
    out.push('', '```', ...r.postgresLog.slice(0, 20).map((l) => l.slice(0, 400)), '```', '');
  }
  return out.join('\n').trimEnd();
}

/** Replaces the Soak section of BENCHMARKS.md (between its markers), or appends it. */
export function writeSoakSection(path: string, markdown: string): void {
  const block = `${START}\n${markdown}\n${END}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  writeFileSync(
    path,
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + END.length)
      : `${text.trimEnd()}\n\n${block}\n`,
  );
}

/**
 * Bench tasks for MoveTaskItem: `count` cards spread over `projects` projects (980, 981, ...),
 * each starting in its project's column 1. Named 'bench ...' with dates in 2030, so the bench's
 * clean-up removes them, and puts back the data set cards their moves renumbered.
 */
async function createMovers(client: Client, run: number, count: number, projects: number): Promise<Mover[]> {
  const movers = Array.from({ length: count }, (_, j) => ({
    key: benchKey(run, 0xe00000 + j),
    project: 980 + (j % projects),
  }));
  await client.query(
    `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "StartDateTime", "EndDateTime", "CardPositionNumber")
     SELECT k, 'bench mover ' || o, p, s, $4::timestamptz, $4::timestamptz + interval '1 day', 1000000000 + o::int
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS u(k, p, s, o)`,
    [
      movers.map((m) => m.key),
      movers.map((m) => uuid(`project-${m.project}`)),
      movers.map((m) => uuid(`status-${m.project}-1`)),
      BENCH_DATES_FROM,
    ],
  );
  return movers;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const n = args.tasks;
  const t0 = Date.now();
  const problems: string[] = [];
  log(
    `Soak: ${n.toLocaleString('en-US')} tasks, ${args.minutes} min at ${args.rate ? `${args.rate} req/s` : `${Math.round(args.load * 100)} % of the peak measured over ${args.peakSeconds} s`}, ${args.connections} connections, ${args.windowSeconds}-s windows`,
  );
  if (args.build) {
    // The service only: the board (web/) plays no part in a soak of the API.
    log('Building the service (nest build)');
    if (spawnSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0)
      throw new Error('nest build failed');
  }
  snapshotServiceBuild();

  // An embedded PostgreSQL's errors (a deadlock's DETAIL names both statements) go in the report.
  const postgresLog: string[] = [];
  onServerLog((text) => {
    for (const line of text.split('\n')) {
      if (
        /\b(ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT):|Process \d+/.test(line) &&
        postgresLog.length < 200
      )
        postgresLog.push(line.trim());
    }
  });
  const db = await openBenchDatabase();
  let service: Child | undefined;
  let client: Client | undefined;
  let mark: string | null = null;
  try {
    await migrate(db.url);
    client = await connect(db.url, 'soak');
    await client.query(CREATE_UUID_FUNCTION);
    const loadSeconds = await prepareDataset(client, n, log);
    mark = await changeLogMark(client);
    const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const sizeMb =
      Number((await client.query('SELECT pg_database_size(current_database()) AS s')).rows[0].s) / 2 ** 20;
    const run = Math.floor(Math.random() * 0xffff);
    const patchable = await createBenchTasks(client, run, 224);
    const movers = await createMovers(client, run, 64, 16);

    service = await startService(db.url);
    const startMb = memoryOf(service.pid).rss;
    log(`Service at ${service.origin} (pid ${service.pid}), ${f0(startMb)} MB RSS`);
    const mix = new SoakMix(n, run, movers, patchable, service.origin);

    let peak: PhaseTotals | undefined;
    let rate = args.rate;
    if (!rate) {
      log(
        `Peak: the mix as fast as the service answers, ${args.peakSeconds} s at ${args.connections} connections`,
      );
      peak = (
        await drive(service, mix, {
          seconds: args.peakSeconds,
          connections: args.connections,
          windowSeconds: args.peakSeconds,
        })
      ).totals;
      log(
        `  ${f0(peak.rps)} req/s, p99 ${msText(peak.p99)} ms, ${peak.errors} errors, ${peak.failures} non-2xx`,
      );
      if (peak.errors || peak.failures) {
        const samples = mix.failureSamples
          .slice(0, 3)
          .map((f) => `${f.op} HTTP ${f.status} ${f.body.slice(0, 160)}`);
        problems.push(
          `the peak run (no rate limit) had ${peak.errors} errors and ${peak.failures} non-2xx answers or failed $batch parts${samples.length ? `, e.g. ${samples.join(' | ')}` : ''}`,
        );
        for (const line of samples) log(`    ${line}`);
      }
      rate = Math.max(1, Math.round(peak.rps * args.load));
      if (!(await settle(client))) problems.push('the database was still busy 60 s after the peak run');
    }

    log(`Soak: ${rate} req/s for ${args.minutes} min`);
    log('  window        requests  err/non-2xx  p50 ms  p99 ms  RSS MB');
    const soakRun = await drive(service, mix, {
      seconds: Math.round(args.minutes * 60),
      connections: args.connections,
      rate,
      windowSeconds: args.windowSeconds,
      onWindow: (w) =>
        log(
          `  ${`${clock(w.from)}–${clock(w.to)}`.padEnd(12)}  ${String(w.requests).padStart(8)}  ${`${w.errors}/${w.failures}`.padStart(11)}  ${msText(w.p50).padStart(6)}  ${msText(w.p99).padStart(6)}  ${f0(w.rssMb).padStart(6)}`,
        ),
    });
    const hwmMb = memoryOf(service.pid).hwm;
    if (service.exited()) problems.push(service.exited()!);

    const ops = (Object.keys(SOAK_WEIGHTS) as SoakOp[]).map((op) => {
      const t = mix.tally.get(op);
      const sorted = [...(t?.latencies ?? [])].sort((a, b) => a - b);
      return {
        op,
        weight: SOAK_WEIGHTS[op],
        request: SOAK_REQUESTS[op],
        requests: t?.requests ?? 0,
        failures: t?.failures ?? 0,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
      };
    });
    const results: SoakResults = {
      date: new Date().toISOString(),
      tasks: n,
      minutes: args.minutes,
      windowSeconds: args.windowSeconds,
      load: args.load,
      machine: machine(pgVersion),
      database: {
        where: db.embedded ? 'embedded PostgreSQL (./.bench-data)' : 'DATABASE_URL',
        sizeMb,
        loadSeconds,
      },
      service: { settings: SERVICE_SETTINGS, startMb, hwmMb },
      peak,
      soak: soakRun.totals,
      windows: soakRun.windows,
      ops,
      failureSamples: mix.failureSamples,
      errorSamples: soakRun.errorSamples,
      postgresLog,
      verdict: judge(soakRun.windows, soakRun.totals),
      harnessProblems: problems,
      wallSeconds: (Date.now() - t0) / 1000,
    };
    const markdown = renderSoak(results);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(
      ROOT,
      'bench',
      'results',
      `${results.date.slice(0, 19).replace(/[:T]/g, '-')}-soak-${n}.json`,
    );
    writeFileSync(file, JSON.stringify(results, null, 2));
    writeSoakSection(join(ROOT, 'BENCHMARKS.md'), markdown);
    log('');
    log(markdown);
    log('');
    log(`Written: BENCHMARKS.md (section Soak), ${file.slice(ROOT.length + 1)}`);
  } finally {
    await service?.stop().catch(() => undefined);
    if (client) {
      await settle(client).catch(() => undefined);
      const cleaned = await cleanUpBenchWrites(client, { restore: true }).catch(
        (e) => (log(`Clean-up failed: ${errorText(e)}`), undefined),
      );
      const events = await dropChangeLogSince(client, mark).catch(() => 0);
      if (cleaned)
        log(
          `Clean-up: ${cleaned.removed} bench tasks removed, ${cleaned.restored} data set cards put back, ${events} change events dropped`,
        );
      await client.end().catch(() => undefined);
    }
    await db.stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    },
  );
}
