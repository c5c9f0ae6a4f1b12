import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions, runMigrations } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const ds = new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, { poolSize: 1 }));
  try {
    await ds.initialize();
    await runMigrations(ds);
    const applied = await ds.query(`SELECT name FROM migrations ORDER BY id`);
    console.log(`Migrations applied: ${applied.map((m: { name: string }) => m.name).join(', ')}`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
