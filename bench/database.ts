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
  const client = new Client({ connectionString: url, application_name: applicationName, options: '-c TimeZone=UTC' });
  await client.connect();
  return client;
}
