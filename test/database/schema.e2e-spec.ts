import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { DynamicTaskItem } from '../../src/features/dynamic-task-item/dynamic-task-item.entity';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The entities and the migrations describe the same schema: what TypeORM would change to make
 * the migrated database match the entities is only what the migrations add by hand on purpose.
 */
const HAND_WRITTEN = [
  // NULLS FIRST, partial, trigram and full-text indexes, and indexes of the access migration.
  /^DROP INDEX "public"\."IDX_(task_project_end|task_end|task_reminder_due|task_name_trgm|task_search|task_item_note_search|project_member_contact)"$/,
  // CHECK constraints (allowed values).
  /^ALTER TABLE "\w+" DROP CONSTRAINT "CHK_\w+"$/,
  // Generated tsvector columns for $search, and TypeORM's bookkeeping of them.
  /^ALTER TABLE "(task|task_item_note)" DROP COLUMN "SearchVector"$/,
  /^DELETE FROM "typeorm_metadata" /,
  // change_event's writing transaction (xid8, a type TypeORM does not know) and its index.
  /^DROP INDEX "public"\."IDX_change_event_set_xid"$/,
  /^ALTER TABLE "change_event" DROP COLUMN "Xid"$/,
  // TypeORM compares jsonb defaults as text: '{"statuses": [], "tasks": []}' is the same value.
  /^ALTER TABLE "task_item_template" ALTER COLUMN "Content" SET DEFAULT '\{"statuses":\[\],"tasks":\[\]\}'$/,
];

const PG_TYPE: Record<string, string> = {
  uuid: 'uuid',
  text: 'text',
  timestamptz: 'timestamptz',
  boolean: 'bool',
  integer: 'int4',
  'double precision': 'float8',
  jsonb: 'jsonb',
};

describe('schema: entities and migrations agree', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('TypeORM finds nothing to change but the hand-written parts', async () => {
    // The schema builder reads generated-column expressions from this table of its own.
    await ds.query(
      `CREATE TABLE typeorm_metadata (type varchar NOT NULL, database varchar, schema varchar, "table" varchar, name varchar, value text)`,
    );
    const log = await ds.driver.createSchemaBuilder().log();
    const unexpected = log.upQueries
      .map((q) => q.query.trim())
      .filter((q) => !HAND_WRITTEN.some((re) => re.test(q)));
    expect(unexpected).toEqual([]);
  });

  it('the dynamic_task_item view has exactly the columns of the DynamicTaskItem entity, with their types', async () => {
    const rows: Array<{ column_name: string; udt_name: string }> = await ds.query(
      `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'dynamic_task_item'`,
    );
    const inView = Object.fromEntries(rows.map((r) => [r.column_name, r.udt_name]));
    const inEntity = Object.fromEntries(
      ds
        .getMetadata(DynamicTaskItem)
        .columns.map((col) => [col.databaseName, (col.isArray ? '_' : '') + PG_TYPE[String(col.type)]]),
    );
    expect(inView).toEqual(inEntity);
  });

  it('DynamicTaskItem has a prefixed column for every Task, Project and Planning property', async () => {
    const columns = new Set(ds.getMetadata(DynamicTaskItem).columns.map((c) => c.databaseName));
    // Not properties on the wire: the ETag source, the jsonb behind CF_* (as CustomFields), internal flags.
    const skip = new Set(['Version', 'ProjectDefinedFields', 'IsCalendarSyncEnabled']);
    const missing: string[] = [];
    for (const [entity, prefix] of [
      ['Task', 'TaskItem_'],
      ['Project', 'Project_'],
      ['Planning', 'Planning_'],
    ] as const) {
      for (const col of ds.getMetadata(entity).columns) {
        if (!skip.has(col.databaseName) && !columns.has(prefix + col.databaseName))
          missing.push(prefix + col.databaseName);
      }
    }
    expect(missing).toEqual([]);
  });

  /**
   * Deleting (or re-keying) a referenced row makes PostgreSQL look for referencing rows: without
   * an index led by the referencing columns, that is a scan of the whole referencing table per
   * deleted row (a contact's delete scanning a million tasks).
   */
  it('every foreign key is served by an index led by its columns', async () => {
    const unindexed: Array<{ fk: string }> = await ds.query(`
      SELECT c.conrelid::regclass || '(' || string_agg(a.attname, ',' ORDER BY k.ord) || ') -> ' ||
             c.confrelid::regclass AS fk
        FROM pg_constraint c
        CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
         AND NOT EXISTS (
           SELECT 1 FROM pg_index i
            WHERE i.indrelid = c.conrelid
              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
       GROUP BY c.oid, c.conrelid, c.confrelid
       ORDER BY 1`);
    expect(unindexed.map((r) => r.fk)).toEqual([]);
  });
});
