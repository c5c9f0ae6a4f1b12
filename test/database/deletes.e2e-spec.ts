import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';
import { PopulatedProject, populatedProject } from '../support/populated-project';
import { seedDemoData } from '../../src/database/seed/demo-seed';

/** Tables whose rows change by themselves (token use, rate limits, delivery attempts): compared by key only. */
const KEY_ONLY: Record<string, string> = { webhook_delivery: 'WebhookDeliveryId' };
const SKIPPED = new Set(['migrations', 'typeorm_metadata', 'api_token', 'throttler', 'rate_limit']);

type Snapshot = Map<string, Set<string>>;

/**
 * Deletes keep the README's promises on a fully populated project: exactly the promised rows go,
 * every other row of every table stays as it was, checked by SQL.
 */
describe('deletes on populated projects', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function tables(): Promise<string[]> {
    const r = await db.query(`SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    return r.rows.map((x) => x.table_name).filter((t) => !SKIPPED.has(t));
  }

  /** Every row of every table (or of `where`'s selection), as text. */
  async function snapshot(where: Record<string, string> = {}, params: unknown[] = []): Promise<Snapshot> {
    const out: Snapshot = new Map();
    for (const t of await tables()) {
      if (Object.keys(where).length && !where[t]) continue;
      const row = KEY_ONLY[t] ? `"${KEY_ONLY[t]}"::text` : `row_to_json(x)::text`;
      const sql = `SELECT ${row} AS r FROM "${t}" x ${where[t] ? `WHERE ${where[t]}` : ''}`;
      const r = await db.query(sql, where[t] ? params : []);
      out.set(t, new Set(r.rows.map((x) => x.r)));
    }
    return out;
  }

  /** The rows a project's delete promises to take: its own, its tasks', and relations to them. */
  const PROJECT_ROWS: Record<string, string> = (() => {
    const tasks = `(SELECT "TaskItemId" FROM task WHERE "ProjectId" = $1)`;
    const documents = `(SELECT "DocumentId" FROM document WHERE "ProjectId" = $1)`;
    const ofTasks = `x."TaskItemId" IN ${tasks}`;
    return {
      project: `x."ProjectId" = $1`,
      project_member: `x."ProjectId" = $1`,
      task: `x."ProjectId" = $1`,
      task_status: `x."ProjectId" = $1`,
      planning: `x."ProjectId" = $1`,
      risk: `x."ProjectId" = $1`,
      document: `x."ProjectId" = $1`,
      project_defined_field: `x."ProjectId" = $1`,
      change_event: `x."ProjectId" = $1`,
      task_item_note: ofTasks,
      checklist_item: ofTasks,
      task_contributor: ofTasks,
      time_entry: ofTasks,
      task_follower: ofTasks,
      stopwatch: ofTasks,
      notification: ofTasks,
      task_document: `${ofTasks} OR x."DocumentId" IN ${documents}`,
      task_relation: `${ofTasks} OR x."ItemId" IN ${tasks} OR x."ItemId" IN ${documents} OR x."ItemId" = $1`,
      // Kept, as its creator's (a template is a copy, meant for new projects): changed, not gone.
      task_item_template: `x."ProjectId" = $1`,
      webhook_delivery: `x."NotificationId" IN (SELECT "NotificationId" FROM notification WHERE "TaskItemId" IN ${tasks})`,
    };
  })();

  function expectOnlyGone(
    before: Snapshot,
    gone: Snapshot,
    after: Snapshot,
    added: Record<string, number> = {},
  ): void {
    for (const [table, rows] of before) {
      const went = gone.get(table) ?? new Set<string>();
      const now = after.get(table)!;
      const kept = [...rows].filter((r) => !went.has(r));
      const missing = kept.filter((r) => !now.has(r));
      const left = [...went].filter((r) => now.has(r));
      const extra = [...now].filter((r) => !rows.has(r));
      expect({ table, missing, left, extra: extra.length }).toEqual({
        table,
        missing: [],
        left: [],
        extra: added[table] ?? 0,
      });
    }
  }

  it('DELETE Project works on every project of the demo data', async () => {
    expect(await seedDemoData(app.dataSource)).toBe(true);
    const projects = (await client.get('Project?$select=ProjectId')).body.value;
    expect(projects.length).toBeGreaterThan(0);
    for (const p of projects) expect((await client.delete(`Project(${p.ProjectId})`)).status).toBe(204);
    const left = await db.query(
      `SELECT (SELECT count(*) FROM task)::int AS tasks, (SELECT count(*) FROM project)::int AS projects`,
    );
    expect(left.rows[0]).toEqual({ tasks: 0, projects: 0 });
  });

  it('DELETE Project takes exactly what it promises, and nothing of other projects', async () => {
    const other = await make.project({ Name: 'Neighbour' });
    const p: PopulatedProject = await populatedProject(client, { projectId: other.ProjectId });
    const gone = await snapshot(PROJECT_ROWS, [p.projectId]);
    for (const t of [
      'task',
      'task_status',
      'task_item_note',
      'checklist_item',
      'task_contributor',
      'time_entry',
      'task_follower',
      'stopwatch',
      'notification',
      'task_document',
      'task_relation',
      'webhook_delivery',
      'planning',
      'risk',
      'document',
    ]) {
      expect({ t, n: gone.get(t)!.size > 0 }).toEqual({ t, n: true }); // the factory populated it
    }
    const before = await snapshot();

    const r = await client.delete(`Project(${p.projectId})`);
    expect(r.status).toBe(204);
    const after = await snapshot();
    // One summary event replaces an event per deleted row.
    expectOnlyGone(before, gone, after, { change_event: 1, task_item_template: 1 });
    const templates = await db.query(
      `SELECT "ProjectId" FROM task_item_template WHERE "Name" = 'From populated'`,
    );
    expect(templates.rows).toEqual([{ ProjectId: null }]);
    const events = await db.query(
      `SELECT "EntitySet", "Kind", "Changes" FROM change_event WHERE "ProjectId" = $1`,
      [p.projectId],
    );
    expect(events.rows).toEqual([
      { EntitySet: 'Project', Kind: 'deleted', Changes: { TaskCount: p.taskIds.length } },
    ]);
    // The neighbour's task is still there, without its relations to what went.
    const neighbour = (await client.get(`Task?$filter=ProjectId eq ${other.ProjectId}&$expand=Relations`))
      .body.value;
    expect(neighbour).toHaveLength(1);
    expect(neighbour[0].Relations).toEqual([]);
    expectODataError(await client.get(`Project(${p.projectId})`), 404);
  });

  it('DELETE Project works on every project of a board that was dragged about', async () => {
    const project = await make.project();
    const columns = [];
    for (let i = 0; i < 3; i++) columns.push(await make.status(project.ProjectId, { OrdinalPosition: i }));
    for (const c of columns) {
      for (let i = 0; i < 4; i++) {
        const t = await make.task({ ProjectId: project.ProjectId, TaskItemStatusId: c.TaskItemStatusId });
        // Each card moves twice in the project's life.
        await client.post(`Task(${t.TaskItemId})/MoveTaskItem`, {
          taskItemStatusId: columns[0].TaskItemStatusId,
        });
        await client.post(`Task(${t.TaskItemId})/MoveTaskItem`, { taskItemStatusId: c.TaskItemStatusId });
      }
    }
    expect((await client.delete(`Project(${project.ProjectId})`)).status).toBe(204);
    const left = await db.query(`SELECT count(*)::int AS n FROM task WHERE "ProjectId" = $1`, [
      project.ProjectId,
    ]);
    expect(left.rows[0].n).toBe(0);
  });

  it('deleting a column moves its cards, in order, to the end of the first remaining column', async () => {
    const project = await make.project();
    const cols = [];
    for (let i = 0; i < 3; i++) cols.push(await make.status(project.ProjectId, { OrdinalPosition: i }));
    const card = async (statusId: string) => {
      const t = await make.task({ ProjectId: project.ProjectId });
      await client.post(`Task(${t.TaskItemId})/MoveTaskItem`, {
        taskItemStatusId: statusId,
        afterTaskItemId: last.get(statusId) ?? null,
      });
      last.set(statusId, t.TaskItemId);
      return t.TaskItemId as string;
    };
    const last = new Map<string, string>();
    const first = [await card(cols[0].TaskItemStatusId), await card(cols[0].TaskItemStatusId)];
    const moved = [
      await card(cols[1].TaskItemStatusId),
      await card(cols[1].TaskItemStatusId),
      await card(cols[1].TaskItemStatusId),
    ];
    expect((await client.delete(`TaskStatus(${cols[1].TaskItemStatusId})`)).status).toBe(204);
    const column = (
      await client.get(
        `Task?$filter=TaskItemStatusId eq ${cols[0].TaskItemStatusId}&$orderby=CardPositionNumber`,
      )
    ).body.value;
    expect(column.map((t: any) => t.TaskItemId)).toEqual([...first, ...moved]);
    expect(column.map((t: any) => t.CardPositionNumber)).toEqual([1, 2, 3, 4, 5]);

    // Deleting the project's columns one by one in one change set: cards move twice, all commit.
    const batch = {
      requests: cols
        .slice(0, 1)
        .concat(cols.slice(2))
        .map((col, i) => ({
          id: String(i + 1),
          atomicityGroup: 'g',
          method: 'DELETE',
          url: `TaskStatus(${col.TaskItemStatusId})`,
        })),
    };
    const r = await client.post('$batch', batch);
    expect(r.status).toBe(200);
    expect(r.body.responses.map((x: any) => x.status)).toEqual([204, 204]);
    // With no column left the cards stay in the project, in no column (as the contract says).
    const rest = (await client.get(`Task?$filter=ProjectId eq ${project.ProjectId}`)).body.value;
    expect(rest).toHaveLength(5);
    expect(rest.every((t: any) => t.TaskItemStatusId === null)).toBe(true);
  });

  it('DELETE Task and DELETE Contact remove relations pointing at them from other tasks', async () => {
    const project = await make.project();
    const contact = await make.contact();
    const [x, y] = [
      await make.task({ ProjectId: project.ProjectId }),
      await make.task({ ProjectId: project.ProjectId }),
    ];
    await client.post(`Task(${x.TaskItemId})/AddRelation`, { itemId: y.TaskItemId });
    await client.post(`Task(${x.TaskItemId})/AddRelation`, { itemId: contact.ContactId });
    expect((await client.get(`Task(${x.TaskItemId})/Relations`)).body.value).toHaveLength(2);
    expect((await client.delete(`Task(${y.TaskItemId})`)).status).toBe(204);
    expect((await client.delete(`Contact(${contact.ContactId})`)).status).toBe(204);
    expect((await client.get(`Task(${x.TaskItemId})/Relations`)).body.value).toEqual([]);
  });
});
