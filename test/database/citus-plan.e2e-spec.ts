import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/database';

const SCRIPT = join(__dirname, '../../scripts/citus/distribute.sql');

/**
 * scripts/citus/distribute.sql on plain PostgreSQL, with Citus's two functions replaced by
 * stubs that record their calls (no Citus package here): its schema changes apply to a migrated
 * database with data in it, and leave what Citus requires of co-located tables.
 */
describe('the Citus plan (scripts/citus/distribute.sql)', () => {
  let db: TestDatabase;
  let c: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url });
    await c.connect();
    const [p] = (await c.query(`INSERT INTO project ("Name") VALUES ('p') RETURNING "ProjectId"`)).rows;
    const [t] = (
      await c.query(`INSERT INTO task ("Name", "ProjectId") VALUES ('t', $1) RETURNING "TaskItemId"`, [
        p.ProjectId,
      ])
    ).rows;
    await c.query(`INSERT INTO task ("Name") VALUES ('without a project')`);
    await c.query(`INSERT INTO checklist_item ("TaskItemId", "Name") VALUES ($1, 'c')`, [t.TaskItemId]);
    await c.query(`CREATE TABLE citus_calls (kind text, tbl text, col text, colocate_with text)`);
    await c.query(`CREATE FUNCTION create_reference_table(t text) RETURNS void LANGUAGE sql
                   AS $$ INSERT INTO citus_calls VALUES ('reference', t) $$`);
    await c.query(`CREATE FUNCTION create_distributed_table(t text, col text, colocate_with text DEFAULT 'default')
                   RETURNS void LANGUAGE sql AS $$ INSERT INTO citus_calls VALUES ('distributed', t, col, colocate_with) $$`);
    const sql = readFileSync(SCRIPT, 'utf8').replace('CREATE EXTENSION IF NOT EXISTS citus;', '');
    await c.query(sql);
  }, 60_000);
  afterAll(async () => {
    await c?.end();
    await db?.drop();
  });

  const distributed = async (): Promise<string[]> =>
    (await c.query(`SELECT tbl FROM citus_calls WHERE kind = 'distributed'`)).rows.map((r) => r.tbl);

  it('distributes every project-side table by ProjectId, co-located with project', async () => {
    const calls = (await c.query(`SELECT * FROM citus_calls WHERE kind = 'distributed'`)).rows;
    expect(calls.every((r) => r.col === 'ProjectId')).toBe(true);
    expect(calls.filter((r) => r.tbl !== 'project').every((r) => r.colocate_with === 'project')).toBe(true);
    // Every table with a foreign key to task or project is among them.
    const children = (
      await c.query(`SELECT DISTINCT conrelid::regclass::text AS t FROM pg_constraint
                     WHERE contype = 'f' AND confrelid IN ('task'::regclass, 'project'::regclass)`)
    ).rows.map((r) => r.t);
    const dist = await distributed();
    for (const t of children) expect(dist).toContain(t);
    const refs = (await c.query(`SELECT tbl FROM citus_calls WHERE kind = 'reference'`)).rows.map(
      (r) => r.tbl,
    );
    expect(refs).toEqual(expect.arrayContaining(['contact', 'api_token', 'task_item_template']));
  });

  it('leaves ProjectId NOT NULL, in every primary key and in every foreign key between distributed tables', async () => {
    const dist = await distributed();
    for (const t of dist) {
      const [{ pk, nullable }] = (
        await c.query(
          `SELECT (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p') AS pk,
                  (SELECT is_nullable FROM information_schema.columns WHERE table_name = $1::text AND column_name = 'ProjectId') AS nullable`,
          [t],
        )
      ).rows;
      expect([t, pk]).toEqual([t, expect.stringContaining('"ProjectId"')]);
      expect([t, nullable]).toEqual([t, 'NO']);
    }
    const fks = (
      await c.query(
        `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS d FROM pg_constraint
         WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) AND confrelid::regclass::text = ANY($1)`,
        [dist],
      )
    ).rows;
    expect(fks.length).toBeGreaterThan(10);
    for (const fk of fks)
      expect([fk.t, fk.d]).toEqual([fk.t, expect.stringMatching(/^FOREIGN KEY \("ProjectId"/)]);
  });

  it('keeps the data: the task without a project is in the Inbox, children carry their task’s project', async () => {
    const rows = (
      await c.query(
        `SELECT t."Name", p."Name" AS project FROM task t JOIN project p USING ("ProjectId") ORDER BY 1`,
      )
    ).rows;
    expect(rows).toEqual([
      { Name: 't', project: 'p' },
      { Name: 'without a project', project: 'Inbox' },
    ]);
    const [item] = (
      await c.query(
        `SELECT i."ProjectId" = t."ProjectId" AS same FROM checklist_item i JOIN task t USING ("TaskItemId")`,
      )
    ).rows;
    expect(item.same).toBe(true);
  });
});
