import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface PoolOptions {
  poolSize?: number;
  /** A request waits at most this long for a connection (then 503 with Retry-After). */
  poolWaitMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

/** TypeORM options shared by the service, the migration CLI and the tests. Never synchronize. */
export function dataSourceOptions(url: string, pool: PoolOptions = {}): DataSourceOptions {
  return {
    type: 'postgres',
    // Read replicas are not TypeORM's replication (which cannot start while one is down): see
    // read-routing.ts.
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension needed for keys.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    applicationName: pool.applicationName ?? 'odata-tasks',
    poolSize: pool.poolSize ?? 10,
    // Session settings for every pooled connection: UTC (DateTimeOffset values are returned in
    // UTC), and the per-statement time limit.
    extra: {
      options: sessionOptions(pool),
      max: pool.poolSize ?? 10,
      connectionTimeoutMillis: pool.poolWaitMs ?? 5000,
    },
  };
}

/** Settings sent at connect time (UTC, statement timeout); replicas get the same. */
export function sessionOptions(pool: Pick<PoolOptions, 'statementTimeoutMs'>): string {
  const settings = ['-c TimeZone=UTC'];
  if (pool.statementTimeoutMs) settings.push(`-c statement_timeout=${pool.statementTimeoutMs}`);
  return settings.join(' ');
}

/**
 * Runs pending migrations under an advisory lock, so instances starting together take turns.
 * The lock is held on a connection of its own, outside the pool the migrations use.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('runMigrations needs a DataSource configured with a URL');
  const lock = new Client({ connectionString: url, application_name: 'odata-tasks:migrations' });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('odata-tasks:migrations'))`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}
