import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase, TestDatabase } from '../support/database';

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
      const tables = async () =>
        (
          await c.query(
            `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
          )
        ).rows[0].n;
      expect(await tables()).toBeGreaterThan(15);
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables()).toBe(0);
      expect(
        (
          await c.query(
            `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prolang <> 13`,
          )
        ).rows[0].n,
      ).toBe(0);
      expect(
        (await c.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'row_version_seq'`)).rows[0]
          .n,
      ).toBe(0);
      await runMigrations(ds);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await c.end();
      await db.drop();
    }
  });
});

/** What the migrations add beyond tables: triggers, the view, constraints, seeded rows, indexes. */
describe('schema behaviour in SQL', () => {
  const SYSTEM = '00000000-0000-0000-0000-000000000000';
  let db: TestDatabase;
  let c: Client;
  const one = async (sql: string, params: unknown[] = []) => (await c.query(sql, params)).rows[0];
  const task = (id: string) =>
    one(
      `SELECT "IsDone", "DoneDate", "ContactDisplayName", "ContactImageId", "RiskName", "Version"::text AS "Version", "ModifiedDateTime",
           "ChecklistItemsCount", "CheckListItemsDoneCount", "CheckListItemsOpenCount", "ContributorsCount", "ContributorsWorkAmount"
         FROM task WHERE "TaskItemId" = $1`,
      [id],
    );
  const newTask = async (values: Record<string, unknown> = {}) => {
    const cols = Object.keys(values);
    const sql = cols.length
      ? `INSERT INTO task (${cols.map((k) => `"${k}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING "TaskItemId"`
      : `INSERT INTO task DEFAULT VALUES RETURNING "TaskItemId"`;
    return (await one(sql, Object.values(values))).TaskItemId as string;
  };
  const newContact = async (name: string, imageId: string | null = null) =>
    (
      await one(`INSERT INTO contact ("DisplayName", "ImageId") VALUES ($1, $2) RETURNING "ContactId"`, [
        name,
        imageId,
      ])
    ).ContactId as string;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url });
    await c.connect();
  });
  afterAll(async () => {
    await c.end();
    await db.drop();
  });

  it('has the System contact that CreatedByContactId defaults to', async () => {
    expect(await one(`SELECT "DisplayName" FROM contact WHERE "ContactId" = $1`, [SYSTEM])).toEqual({
      DisplayName: 'System',
    });
    const id = await newTask({ Name: 'created by nobody in particular' });
    expect(await one(`SELECT "CreatedByContactId" FROM task WHERE "TaskItemId" = $1`, [id])).toEqual({
      CreatedByContactId: SYSTEM,
    });
  });

  it('sets DoneDate when IsDone turns true and clears it when it turns false', async () => {
    const id = await newTask({ Name: 'to be done' });
    expect((await task(id)).DoneDate).toBeNull();
    await c.query(`UPDATE task SET "IsDone" = true WHERE "TaskItemId" = $1`, [id]);
    const done = (await task(id)).DoneDate as Date;
    expect(Math.abs(done.getTime() - Date.now())).toBeLessThan(60_000);
    // Another change keeps the date; a client cannot move it either.
    await c.query(`UPDATE task SET "Name" = 'renamed', "DoneDate" = '2000-01-01Z' WHERE "TaskItemId" = $1`, [
      id,
    ]);
    expect((await task(id)).DoneDate).toEqual(done);
    await c.query(`UPDATE task SET "IsDone" = false WHERE "TaskItemId" = $1`, [id]);
    expect((await task(id)).DoneDate).toBeNull();
    await c.query(`UPDATE task SET "DoneDate" = now() WHERE "TaskItemId" = $1`, [id]);
    expect((await task(id)).DoneDate).toBeNull();
  });

  it('sets DoneDate on an insert that is already done, keeping a given date', async () => {
    const now = await newTask({ IsDone: true });
    expect((await task(now)).DoneDate).toBeInstanceOf(Date);
    const given = await newTask({ IsDone: true, DoneDate: '2024-05-06T07:08:09Z' });
    expect((await task(given)).DoneDate).toEqual(new Date('2024-05-06T07:08:09Z'));
    const notDone = await newTask({ IsDone: false, DoneDate: '2024-05-06T07:08:09Z' });
    expect((await task(notDone)).DoneDate).toBeNull();
  });

  it('copies the assignee display name and image, and refreshes them when the contact changes', async () => {
    const image = '11111111-1111-4111-8111-111111111111';
    const ada = await newContact('Ada', image);
    const bob = await newContact('Bob');
    const t1 = await newTask({ ContactId: ada });
    const t2 = await newTask({ ContactId: ada });
    expect(await task(t1)).toMatchObject({ ContactDisplayName: 'Ada', ContactImageId: image });

    await c.query(`UPDATE task SET "ContactId" = $2 WHERE "TaskItemId" = $1`, [t1, bob]);
    expect(await task(t1)).toMatchObject({ ContactDisplayName: 'Bob', ContactImageId: null });

    await c.query(`UPDATE contact SET "DisplayName" = 'Ada L.', "ImageId" = NULL WHERE "ContactId" = $1`, [
      ada,
    ]);
    expect(await task(t2)).toMatchObject({ ContactDisplayName: 'Ada L.', ContactImageId: null });
    expect(await task(t1)).toMatchObject({ ContactDisplayName: 'Bob' });

    await c.query(`UPDATE task SET "ContactId" = NULL WHERE "TaskItemId" = $1`, [t1]);
    expect(await task(t1)).toMatchObject({ ContactDisplayName: null, ContactImageId: null });
  });

  it('copies the risk name and refreshes it when the risk is renamed', async () => {
    const risk = (await one(`INSERT INTO risk ("Name") VALUES ('Late supplier') RETURNING "RiskId"`)).RiskId;
    const t = await newTask({ RiskId: risk });
    expect((await task(t)).RiskName).toBe('Late supplier');
    await c.query(`UPDATE risk SET "Name" = 'Very late supplier' WHERE "RiskId" = $1`, [risk]);
    expect((await task(t)).RiskName).toBe('Very late supplier');
    await c.query(`DELETE FROM risk WHERE "RiskId" = $1`, [risk]);
    expect((await task(t)).RiskName).toBeNull();
  });

  it('keeps the checklist counts current on insert, update, move and delete', async () => {
    const a = await newTask();
    const b = await newTask();
    const items = (
      await c.query(
        `INSERT INTO checklist_item ("TaskItemId", "Name", "IsDone") VALUES ($1, 'one', true), ($1, 'two', false), ($1, 'three', false) RETURNING "ChecklistItemId"`,
        [a],
      )
    ).rows.map((r) => r.ChecklistItemId);
    expect(await task(a)).toMatchObject({
      ChecklistItemsCount: 3,
      CheckListItemsDoneCount: 1,
      CheckListItemsOpenCount: 2,
    });
    await c.query(`UPDATE checklist_item SET "IsDone" = true WHERE "ChecklistItemId" = $1`, [items[1]]);
    expect(await task(a)).toMatchObject({
      ChecklistItemsCount: 3,
      CheckListItemsDoneCount: 2,
      CheckListItemsOpenCount: 1,
    });
    // Moving an item to another task updates both (OLD and NEW task ids).
    await c.query(`UPDATE checklist_item SET "TaskItemId" = $2 WHERE "ChecklistItemId" = $1`, [items[2], b]);
    expect(await task(a)).toMatchObject({
      ChecklistItemsCount: 2,
      CheckListItemsDoneCount: 2,
      CheckListItemsOpenCount: 0,
    });
    expect(await task(b)).toMatchObject({
      ChecklistItemsCount: 1,
      CheckListItemsDoneCount: 0,
      CheckListItemsOpenCount: 1,
    });
    await c.query(`DELETE FROM checklist_item WHERE "TaskItemId" = $1`, [a]);
    expect(await task(a)).toMatchObject({
      ChecklistItemsCount: 0,
      CheckListItemsDoneCount: 0,
      CheckListItemsOpenCount: 0,
    });
  });

  it('keeps the contributor count and work amount current', async () => {
    const t = await newTask();
    const [x, y] = [await newContact('X'), await newContact('Y')];
    await c.query(
      `INSERT INTO task_contributor ("TaskItemId", "ContactId", "WorkAmount") VALUES ($1, $2, 2.5), ($1, $3, 1.25)`,
      [t, x, y],
    );
    expect(await task(t)).toMatchObject({ ContributorsCount: 2, ContributorsWorkAmount: 3.75 });
    await c.query(
      `UPDATE task_contributor SET "WorkAmount" = 4 WHERE "TaskItemId" = $1 AND "ContactId" = $2`,
      [t, x],
    );
    expect(await task(t)).toMatchObject({ ContributorsCount: 2, ContributorsWorkAmount: 5.25 });
    // Deleting the contact removes its contribution (cascade), and the trigger sees it.
    await c.query(`DELETE FROM contact WHERE "ContactId" = $1`, [y]);
    expect(await task(t)).toMatchObject({ ContributorsCount: 1, ContributorsWorkAmount: 4 });
  });

  it('draws a new Version and ModifiedDateTime on every real update, and not on a no-op', async () => {
    const t = await newTask({ Name: 'v' });
    const first = await task(t);
    await c.query(`UPDATE task SET "Name" = 'v2' WHERE "TaskItemId" = $1`, [t]);
    const second = await task(t);
    expect(BigInt(second.Version)).toBeGreaterThan(BigInt(first.Version));
    expect(second.ModifiedDateTime.getTime()).toBeGreaterThanOrEqual(first.ModifiedDateTime.getTime());
    await c.query(`UPDATE task SET "Name" = 'v2' WHERE "TaskItemId" = $1`, [t]);
    expect((await task(t)).Version).toBe(second.Version);
    // A client cannot set them.
    await c.query(
      `UPDATE task SET "Name" = 'v3', "Version" = 1, "ModifiedDateTime" = '2000-01-01Z' WHERE "TaskItemId" = $1`,
      [t],
    );
    const third = await task(t);
    expect(BigInt(third.Version)).toBeGreaterThan(BigInt(second.Version));
    expect(third.ModifiedDateTime.getUTCFullYear()).toBeGreaterThan(2000);
    // A checklist edit that leaves the counts as they were does not touch the task.
    await c.query(`INSERT INTO checklist_item ("TaskItemId", "Name") VALUES ($1, 'x')`, [t]);
    const withItem = await task(t);
    await c.query(`UPDATE checklist_item SET "Name" = 'y' WHERE "TaskItemId" = $1`, [t]);
    expect((await task(t)).Version).toBe(withItem.Version);
    // One sequence for every table: versions never repeat across tables.
    const contact = await one(
      `INSERT INTO contact ("DisplayName") VALUES ('v') RETURNING "Version"::text AS "Version"`,
    );
    expect(BigInt(contact.Version)).toBeGreaterThan(BigInt(third.Version));
  });

  it('has the touch_row trigger on every table with "Version" and "ModifiedDateTime", and no-ops keep the Version', async () => {
    const tables = (
      await c.query(`SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('Version', 'ModifiedDateTime')
      GROUP BY table_name HAVING count(*) = 2 ORDER BY table_name`)
    ).rows.map((r) => r.table_name);
    const triggered = (
      await c.query(`SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE t.tgname = 'touch_row' AND NOT t.tgisinternal ORDER BY c.relname`)
    ).rows.map((r) => r.relname);
    expect(tables.length).toBeGreaterThan(10);
    expect(triggered).toEqual(tables.filter((t: string) => t !== 'dynamic_task_item'));
    const t = await newTask();
    const note = await one(
      `INSERT INTO task_item_note ("TaskItemId", "Note") VALUES ($1, 'n') RETURNING "TaskItemNoteId", "Version"::text AS "Version"`,
      [t],
    );
    await c.query(`UPDATE task_item_note SET "Note" = 'n' WHERE "TaskItemNoteId" = $1`, [
      note.TaskItemNoteId,
    ]);
    expect(
      await one(`SELECT "Version"::text AS "Version" FROM task_item_note WHERE "TaskItemNoteId" = $1`, [
        note.TaskItemNoteId,
      ]),
    ).toEqual({ Version: note.Version });
    await c.query(`UPDATE task_item_note SET "Note" = 'm' WHERE "TaskItemNoteId" = $1`, [
      note.TaskItemNoteId,
    ]);
    expect(
      await one(`SELECT "Version"::text AS "Version" FROM task_item_note WHERE "TaskItemNoteId" = $1`, [
        note.TaskItemNoteId,
      ]),
    ).not.toEqual({ Version: note.Version });
  });

  it('DynamicTaskItem has one row per task, with its project, planning and custom fields', async () => {
    const project = (await one(`INSERT INTO project ("Name") VALUES ('Dyn') RETURNING "ProjectId"`))
      .ProjectId;
    const planning = (
      await one(
        `INSERT INTO planning ("DisplayName", "ProjectId") VALUES ('Sprint 1', $1) RETURNING "PlanningId"`,
        [project],
      )
    ).PlanningId;
    const t = await newTask({
      Name: 'dyn',
      ProjectId: project,
      PlanningId: planning,
      Tags: ['a', 'b'],
      ProjectDefinedFields: { pf_Budget: 12 },
    });
    const counts =
      await one(`SELECT (SELECT count(*)::int FROM task) AS tasks, (SELECT count(*)::int FROM dynamic_task_item) AS rows,
      (SELECT count(DISTINCT "TaskItem_TaskItemId")::int FROM dynamic_task_item) AS keys`);
    expect(counts.rows).toBe(counts.tasks);
    expect(counts.keys).toBe(counts.tasks);
    expect(await one(`SELECT * FROM dynamic_task_item WHERE "TaskItem_TaskItemId" = $1`, [t])).toMatchObject({
      TaskItem_Name: 'dyn',
      TaskItem_Tags: ['a', 'b'],
      Project_ProjectId: project,
      Project_Name: 'Dyn',
      Planning_DisplayName: 'Sprint 1',
      Planning_ProjectId: project,
      CustomFields: { pf_Budget: 12 },
      Permission_CanEdit: true,
      Permission_CanDelete: true,
      Permission_IsAdmin: true,
    });
  });

  it('accepts only String, Number, Date and Boolean as a project-defined field type', async () => {
    const project = (await one(`INSERT INTO project ("Name") VALUES ('Fields') RETURNING "ProjectId"`))
      .ProjectId;
    for (const type of ['String', 'Number', 'Date', 'Boolean']) {
      await c.query(
        `INSERT INTO project_defined_field ("ProjectId", "FieldName", "Type") VALUES ($1, $2, $3)`,
        [project, `f_${type}`, type],
      );
    }
    await expect(
      c.query(
        `INSERT INTO project_defined_field ("ProjectId", "FieldName", "Type") VALUES ($1, 'f_money', 'Money')`,
        [project],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('deletes: a project takes its tasks along, an assignee leaves tasks unassigned, a creator cannot go', async () => {
    const project = (await one(`INSERT INTO project ("Name") VALUES ('Doomed') RETURNING "ProjectId"`))
      .ProjectId;
    const status = (
      await one(
        `INSERT INTO task_status ("Name", "ProjectId") VALUES ('To do', $1) RETURNING "TaskItemStatusId"`,
        [project],
      )
    ).TaskItemStatusId;
    const assignee = await newContact('Assignee');
    const creator = await newContact('Creator');
    const t = await newTask({
      ProjectId: project,
      TaskItemStatusId: status,
      ContactId: assignee,
      CreatedByContactId: creator,
    });
    await c.query(`INSERT INTO task_item_note ("TaskItemId", "Note") VALUES ($1, 'n')`, [t]);
    await c.query(`INSERT INTO checklist_item ("TaskItemId") VALUES ($1)`, [t]);

    await c.query(`DELETE FROM contact WHERE "ContactId" = $1`, [assignee]);
    expect(
      await one(`SELECT "ContactId", "ContactDisplayName" FROM task WHERE "TaskItemId" = $1`, [t]),
    ).toEqual({ ContactId: null, ContactDisplayName: null });
    // The foreign-key error the service answers with 409 ("is still referenced").
    await expect(c.query(`DELETE FROM contact WHERE "ContactId" = $1`, [creator])).rejects.toMatchObject({
      code: '23503',
      detail: expect.stringMatching(/is still referenced/),
    });
    await c.query(`INSERT INTO task_item_note ("TaskItemId", "CreatedByContactId") VALUES ($1, $2)`, [
      await newTask(),
      creator,
    ]);
    await c.query(`UPDATE task SET "CreatedByContactId" = $2 WHERE "TaskItemId" = $1`, [t, SYSTEM]);
    await expect(c.query(`DELETE FROM contact WHERE "ContactId" = $1`, [creator])).rejects.toMatchObject({
      code: '23503',
      detail: expect.stringMatching(/is still referenced/),
    });

    await c.query(`DELETE FROM project WHERE "ProjectId" = $1`, [project]);
    expect(
      await one(
        `SELECT (SELECT count(*)::int FROM task WHERE "TaskItemId" = $1) AS tasks,
      (SELECT count(*)::int FROM task_item_note WHERE "TaskItemId" = $1) AS notes,
      (SELECT count(*)::int FROM checklist_item WHERE "TaskItemId" = $1) AS items,
      (SELECT count(*)::int FROM task_status WHERE "ProjectId" = $2) AS statuses`,
        [t, project],
      ),
    ).toEqual({ tasks: 0, notes: 0, items: 0, statuses: 0 });
  });

  it('serves contains() on task names from a trigram index', async () => {
    expect(await one(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual({
      extname: 'pg_trgm',
    });
    await c.query('BEGIN');
    try {
      await c.query(`SET LOCAL enable_seqscan = off`);
      const plan = (await c.query(`EXPLAIN SELECT 1 FROM task WHERE "Name" LIKE '%999%'`)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).toContain('IDX_task_name_trgm');
    } finally {
      await c.query('ROLLBACK');
    }
  });

  it('returns timestamps in UTC on the service connections', async () => {
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 1 }));
    await ds.initialize();
    try {
      expect(await ds.query(`SELECT current_setting('TimeZone') AS tz`)).toEqual([{ tz: 'UTC' }]);
    } finally {
      await ds.destroy();
    }
  });
});
