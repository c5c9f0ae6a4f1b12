import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions, runMigrations } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { seedDemoData } from './seed/demo-seed';

export interface PreparedDatabase {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/**
 * Before the application starts: the database to use (DATABASE_URL or an embedded one under
 * DATA_DIR), its schema (migrations, when MIGRATE_ON_START), and demo data (SEED_DEMO).
 */
export async function prepareDatabase(config: AppConfig, logger = new Logger('Database')): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    url = embedded.url;
  }
  try {
    if (config.migrateOnStart || config.seedDemo) {
      const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
      await ds.initialize();
      try {
        if (config.migrateOnStart) await runMigrations(ds);
        if (config.seedDemo && (await seedDemoData(ds))) logger.log('Loaded the demo data');
      } finally {
        await ds.destroy();
      }
    }
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return { url, stop: async () => embedded?.stop() };
}
