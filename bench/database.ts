import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/** Where the benchmark's own embedded PostgreSQL keeps its data (never the demo data in ./.data). */
export const BENCH_DATA_DIR = './.bench-data';

export interface BenchDatabase {
  url: string;
  /** True when this process started the server, so its log (auto_explain plans) reaches `onLog`. */
  embedded: boolean;
  stop(): Promise<void>;
}

/** Server log lines of the embedded PostgreSQL go to whoever is listening here (see explain.ts). */
let logListener: ((line: string) => void) | undefined;
export function onServerLog(listener: ((line: string) => void) | undefined): void {
  logListener = listener;
}

/** DATABASE_URL if set, else an embedded PostgreSQL under ./.bench-data (started here). */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => undefined };
  const db = await startEmbeddedPostgres({ dataDir: BENCH_DATA_DIR, log: (line) => logListener?.(line) });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}

/** Applies the service's migrations (the schema, its indexes and triggers). */
export async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2, applicationName: 'bench-migrate' }));
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}

export async function connect(url: string, applicationName = 'bench'): Promise<Client> {
  const client = new Client({
    connectionString: url,
    application_name: applicationName,
    options: '-c TimeZone=UTC',
  });
  await client.connect();
  return client;
}

/**
 * Waits until no other session of the database is running a statement (requests a load test
 * left in flight), so the next case starts on an idle server. Gives up after `ms`.
 */
export async function settle(client: Client, ms = 60_000): Promise<boolean> {
  const end = Date.now() + ms;
  let quiet = 0;
  while (Date.now() < end) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS busy FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'`,
    );
    quiet = rows[0].busy === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
