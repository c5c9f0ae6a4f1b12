import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase } from '../support/database';

describe('migrations', () => {
  it('apply on an empty database, undo completely, and apply again', async () => {
    const db = await createTestDatabase();
    const c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    try {
      await runMigrations(ds);
      const tables = async () => (await c.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`)).rows[0].n;
      expect(await tables()).toBeGreaterThan(15);
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables()).toBe(0);
      expect((await c.query(`SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prolang <> 13`)).rows[0].n).toBe(0);
      await runMigrations(ds);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await c.end();
      await db.drop();
    }
  });
});
