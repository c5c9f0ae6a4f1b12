import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { DEMO, seedDemoData } from '../../src/database/seed/demo-seed';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('demo data', () => {
  const dbs: TestDatabase[] = [];
  const sources: DataSource[] = [];
  const seeded = async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    sources.push(ds);
    await ds.initialize();
    return ds;
  };
  afterAll(async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    for (const db of dbs) await db.drop();
  });

  it('loads once into a database without projects, consistently', async () => {
    const ds = await seeded();
    expect(await seedDemoData(ds)).toBe(true);
    expect(await seedDemoData(ds)).toBe(false);
    const [counts] = await ds.query(`SELECT
      (SELECT count(*)::int FROM project) AS projects, (SELECT count(*)::int FROM contact) AS contacts,
      (SELECT count(*)::int FROM task_status) AS statuses, (SELECT count(*)::int FROM task) AS tasks,
      (SELECT count(*)::int FROM task WHERE "IsDone") AS done, (SELECT count(*)::int FROM task WHERE "DoneDate" IS NOT NULL) AS "doneDates",
      (SELECT count(*)::int FROM task_item_note) AS notes, (SELECT count(*)::int FROM checklist_item) AS checklist,
      (SELECT count(*)::int FROM task_contributor) AS contributors, (SELECT count(*)::int FROM planning) AS plannings,
      (SELECT count(*)::int FROM risk) AS risks, (SELECT count(*)::int FROM document) AS documents,
      (SELECT count(*)::int FROM task_document) AS "documentLinks", (SELECT count(*)::int FROM project_defined_field) AS fields,
      (SELECT count(*)::int FROM task WHERE "ProjectDefinedFields" <> '{}') AS "fieldValues"`);
    expect(counts).toMatchObject({
      projects: 3,
      contacts: DEMO.contacts.length + 1,
      statuses: 15,
      tasks: 200,
      plannings: 3,
      risks: 2,
      documents: 2,
      fields: 1,
    });
    expect(counts.done).toBeGreaterThan(0);
    expect(counts.doneDates).toBe(counts.done);
    for (const k of ['notes', 'checklist', 'contributors', 'documentLinks', 'fieldValues'])
      expect(counts[k]).toBeGreaterThan(0);
    // Each task's status belongs to its project, and the cards of a column are numbered 1..n.
    const [wrong] = await ds.query(
      `SELECT count(*)::int AS n FROM task t JOIN task_status s ON s."TaskItemStatusId" = t."TaskItemStatusId" WHERE s."ProjectId" <> t."ProjectId"`,
    );
    expect(wrong.n).toBe(0);
    const [gaps] = await ds.query(`SELECT count(*)::int AS n FROM (
      SELECT "CardPositionNumber", row_number() OVER (PARTITION BY "TaskItemStatusId" ORDER BY "CardPositionNumber") AS rn FROM task) x
      WHERE x."CardPositionNumber" <> x.rn`);
    expect(gaps.n).toBe(0);
    // The triggers ran: names copied, counts kept.
    const [derived] = await ds.query(`SELECT
      (SELECT count(*)::int FROM task WHERE "ContactId" IS NOT NULL AND "ContactDisplayName" IS NULL) AS "missingNames",
      (SELECT count(*)::int FROM task t WHERE "ChecklistItemsCount" <> (SELECT count(*) FROM checklist_item c WHERE c."TaskItemId" = t."TaskItemId")) AS "wrongCounts"`);
    expect(derived).toEqual({ missingNames: 0, wrongCounts: 0 });
    expect((await ds.query(`SELECT count(*)::int AS n FROM dynamic_task_item`))[0].n).toBe(200);
  });

  it('is deterministic: the same keys and names on every install', async () => {
    const rows = async (ds: DataSource) =>
      ds.query(
        `SELECT "TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "ContactId", "IsDone", "Tags", "CardPositionNumber" FROM task ORDER BY "TaskItemId"`,
      );
    const [a, b] = [sources[0], await seeded()];
    await seedDemoData(b);
    expect(await rows(b)).toEqual(await rows(a));
  });
});
