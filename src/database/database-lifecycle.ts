import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions, runMigrations } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { seedDemoData } from './seed/demo-seed';
import { createApiToken } from '../features/access/tokens';
import { SYSTEM_CONTACT_ID } from '../features/shared/caller';

/**
 * A fresh embedded install gets an administrator token, printed once: the first start is the
 * only time it can be seen (only its hash is stored).
 */
async function printFirstAdminToken(ds: DataSource, logger: Logger): Promise<void> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM api_token WHERE "Name" = 'first-start'`);
  if (n > 0) return;
  const { token } = await createApiToken(ds.manager, SYSTEM_CONTACT_ID, 'first-start');
  logger.log(`Administrator token (shown once; keep it): ${token}`);
}

export interface PreparedDatabase {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/**
 * Before the application starts: the database to use (DATABASE_URL or an embedded one under
 * DATA_DIR), its schema (migrations, when MIGRATE_ON_START), and demo data (SEED_DEMO).
 */
export async function prepareDatabase(
  config: AppConfig,
  logger = new Logger('Database'),
): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, notice: (m) => logger.warn(m) });
    url = embedded.url;
  }
  try {
    if (config.migrateOnStart || config.seedDemo) {
      const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
      await ds.initialize();
      try {
        if (config.migrateOnStart) await runMigrations(ds);
        if (config.seedDemo && (await seedDemoData(ds)))
          logger.log('Loaded the demo data (demo tokens: see the README)');
        if (embedded) await printFirstAdminToken(ds, logger);
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
