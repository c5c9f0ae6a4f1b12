import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';
import { SseClient } from '../support/sse';

/**
 * Writes are set-based: a statement writes one change_event per affected entity (what delta links
 * and the change stream read) but announces them with one NOTIFY; a batch is checked and written
 * as a whole, or not at all.
 */
const MISSING = '00000000-0000-4000-8000-00000000dead';

describe('set-based writes and their change events', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  let listener: Client;
  const notices: string[] = [];
  let project: any;
  let status: any;
  let contact: any;

  const events = (projectId: string, set = 'Task') =>
    app.dataSource.query(
      `SELECT "Id", "EntitySet", "EntityKey", "Kind", "ProjectId", "Changes", "ETag", "Xid"::text AS xid
       FROM change_event WHERE "ProjectId" = $1 AND "EntitySet" = $2 ORDER BY "Id"`,
      [projectId, set],
    );
  const items = (n: number, extra: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) => ({
      Name: `batch ${i}`,
      ProjectId: project.ProjectId,
      TaskItemStatusId: status.TaskItemStatusId,
      ContactId: contact.ContactId,
      WorkAmount: i,
      ...extra,
    }));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
    listener = new Client({ connectionString: app.databaseUrl });
    await listener.connect();
    listener.on('notification', (n) => n.channel === 'odata_change' && notices.push(n.payload ?? ''));
    await listener.query('LISTEN odata_change');
  });
  beforeEach(async () => {
    project = await make.project();
    status = await make.status(project.ProjectId);
    contact = await make.contact({ DisplayName: 'Ann' });
  });
  afterAll(async () => {
    await listener?.end();
    await app?.close();
  });

  it('a BatchInsert writes one event per task, with its content, announced by one NOTIFY; delta links see them all', async () => {
    const tracked = await client.get(`Task?$filter=ProjectId eq ${project.ProjectId}&$select=Name`, {
      Prefer: 'odata.track-changes',
    });
    const deltaLink = tracked.body['@odata.deltaLink'];
    expect(deltaLink).toBeDefined();
    await settle();
    notices.length = 0;

    const r = await client.post('Task/BatchInsert', { items: items(40) });
    expect(r.status).toBe(200);
    const created: any[] = r.body.value;
    expect(created).toHaveLength(40);
    await settle();

    const rows = await events(project.ProjectId);
    expect(rows.map((e: any) => e.EntityKey)).toEqual(created.map((t) => t.TaskItemId));
    rows.forEach((e: any, i: number) => {
      const task = created[i];
      expect(e.Kind).toBe('created');
      expect(e.ETag).toBe(task['@odata.etag']);
      expect(e.Changes).toMatchObject({
        TaskItemId: task.TaskItemId,
        Name: `batch ${i}`,
        WorkAmount: i,
        ContactId: contact.ContactId,
        TaskItemStatusId: status.TaskItemStatusId,
      });
      expect(e.Changes).not.toHaveProperty('Version');
      expect(e.Changes).not.toHaveProperty('SearchVector');
    });
    // Derived by task_derive: the assignee's name; no risk, no name.
    expect(created.every((t) => t.ContactDisplayName === 'Ann' && t.RiskName === null)).toBe(true);
    expect(new Set(rows.map((e: any) => e.xid)).size).toBe(1);
    // One announcement for the statement, naming exactly its events.
    const mine = notices.filter((n) => n.startsWith(`${rows[0].xid}:`));
    expect(mine).toEqual([`${rows[0].xid}:${rows[0].Id}:${rows[39].Id}`]);

    const d = await client.get(deltaLink);
    expect(d.status).toBe(200);
    expect(d.body.value.map((e: any) => e.TaskItemId).sort()).toEqual(
      created.map((t) => t.TaskItemId).sort(),
    );
  });

  it('a multi-row UPDATE writes an event per changed entity with only what changed; unchanged rows none', async () => {
    const created: any[] = (await client.post('Task/BatchInsert', { items: items(6, { ContactId: null }) }))
      .body.value;
    expect(created.every((t) => t.ContactDisplayName === null)).toBe(true);
    const done = created.slice(0, 2).map((t) => t.TaskItemId);
    await app.dataSource.query(`UPDATE task SET "IsDone" = true WHERE "TaskItemId" = ANY($1::uuid[])`, [
      done,
    ]);
    const mark = (await events(project.ProjectId)).at(-1).Id;
    // One statement: four tasks become done, two were done already; one also changes its name.
    await app.dataSource.query(
      `UPDATE task SET "IsDone" = true, "Name" = CASE WHEN "TaskItemId" = $2 THEN 'renamed' ELSE "Name" END
       WHERE "ProjectId" = $1`,
      [project.ProjectId, created[5].TaskItemId],
    );
    const after = (await events(project.ProjectId)).filter((e: any) => BigInt(e.Id) > BigInt(mark));
    expect(after.map((e: any) => e.EntityKey).sort()).toEqual(
      created
        .slice(2)
        .map((t) => t.TaskItemId)
        .sort(),
    );
    for (const e of after) {
      expect(e.Kind).toBe('updated');
      const expected: Record<string, unknown> = { IsDone: true, DoneDate: expect.anything() };
      if (e.EntityKey === created[5].TaskItemId) expected.Name = 'renamed';
      // DoneDate is derived by a trigger when a task is done; nothing else changed.
      expect(Object.keys(e.Changes).sort()).toEqual(Object.keys(expected).sort());
      expect(e.Changes).toMatchObject({ IsDone: true });
      const [{ Version }] = await app.dataSource.query(
        `SELECT "Version"::text FROM task WHERE "TaskItemId" = $1`,
        [e.EntityKey],
      );
      expect(e.ETag).toBe(`W/"${Version}"`);
      expect(e.ETag).not.toBe(created.find((t) => t.TaskItemId === e.EntityKey)['@odata.etag']);
    }
    // A statement that changes nothing writes nothing and announces nothing.
    await settle();
    notices.length = 0;
    const versions = () =>
      app.dataSource.query(`SELECT "TaskItemId", "Version" FROM task WHERE "ProjectId" = $1 ORDER BY 1`, [
        project.ProjectId,
      ]);
    const before = await versions();
    await app.dataSource.query(`UPDATE task SET "IsDone" = true WHERE "ProjectId" = $1`, [project.ProjectId]);
    // ... and keeps every row's Version (its ETag).
    expect(await versions()).toEqual(before);
    await settle();
    expect(await events(project.ProjectId)).toHaveLength(6 + 2 + 4);
    expect(notices).toEqual([]);
    // Custom fields: a DynamicTaskItem event per task whose fields changed.
    await app.dataSource.query(
      `UPDATE task SET "ProjectDefinedFields" = '{"x": 1}' WHERE "TaskItemId" = ANY($1::uuid[])`,
      [done],
    );
    expect((await events(project.ProjectId, 'DynamicTaskItem')).map((e: any) => e.EntityKey).sort()).toEqual(
      [...done].sort(),
    );
  });

  it('a live subscriber receives every event of a batch, in order', async () => {
    const stream = await SseClient.open(`${app.baseUrl}/odata/$events?projectId=${project.ProjectId}`, {
      ...ADMIN_HEADERS,
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const r = await client.post('Task/BatchInsert', { items: items(120) });
      expect(r.status).toBe(200);
      const keys = r.body.value.map((t: any) => t.TaskItemId);
      const last = keys.at(-1);
      await stream.waitFor((e) => e.event === 'change' && e.data.key === last, 5000);
      const got = stream.events.filter((e) => e.event === 'change' && e.data.entitySet === 'Task');
      expect(got.map((e) => e.data.key)).toEqual(keys);
      expect(got.every((e) => e.data.kind === 'created' && e.data.changes.Name.startsWith('batch'))).toBe(
        true,
      );
      const ids = got.map((e) => BigInt(e.id!));
      expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('a BatchInsert of items setting different properties answers in their order; BatchDelete deletes the set in one statement', async () => {
    const batch = items(9).map((item, i) =>
      i % 3 === 0
        ? { Name: item.Name, ProjectId: project.ProjectId }
        : i % 3 === 1
          ? { ...item, IsDone: true }
          : item,
    );
    const r = await client.post('Task/BatchInsert', { items: batch });
    expect(r.status).toBe(200);
    expect(r.body.value.map((t: any) => t.Name)).toEqual(batch.map((t) => t.Name));
    expect(r.body.value.map((t: any) => t.IsDone)).toEqual(batch.map((_, i) => i % 3 === 1));
    expect(r.body.value.map((t: any) => t.ContactId)).toEqual(
      batch.map((_, i) => (i % 3 === 0 ? null : contact.ContactId)),
    );
    const keys = r.body.value.map((t: any) => t.TaskItemId);
    await settle();
    notices.length = 0;
    const d = await client.post('Task/BatchDelete', { TaskItemIds: keys });
    expect(d.status).toBe(204);
    await settle();
    const deleted = (await events(project.ProjectId)).filter((e: any) => e.Kind === 'deleted');
    expect(deleted.map((e: any) => e.EntityKey).sort()).toEqual([...keys].sort());
    expect(notices.filter((n) => n.startsWith(`${deleted[0].xid}:`))).toHaveLength(1);
    const left = await app.dataSource.query(`SELECT 1 FROM task WHERE "TaskItemId" = ANY($1::uuid[])`, [
      keys,
    ]);
    expect(left).toEqual([]);
  });

  it('MoveTaskItem writes only the cards whose place changes, and the column it left is closed up', async () => {
    const other = await make.status(project.ProjectId);
    const col = (
      await client.post('Task/BatchInsert', {
        items: items(20).map((t, i) => ({ ...t, CardPositionNumber: i + 1 })),
      })
    ).body.value.map((t: any) => t.TaskItemId);
    const mark = (await events(project.ProjectId)).at(-1).Id;
    // The 15th card after the 12th: the 13th and 14th move down one, nothing else changes.
    const r = await client.post(`Task(${col[14]})/MoveTaskItem`, {
      taskItemStatusId: status.TaskItemStatusId,
      afterTaskItemId: col[11],
    });
    expect(r.status).toBe(200);
    expect(r.body.CardPositionNumber).toBe(13);
    const positions = (p: any[]) =>
      Object.fromEntries(p.map((x: any) => [x.TaskItemId, x.CardPositionNumber]));
    expect(positions(r.body.Positions)).toEqual({ [col[14]]: 13, [col[12]]: 14, [col[13]]: 15 });
    const written = (await events(project.ProjectId)).filter((e: any) => BigInt(e.Id) > BigInt(mark));
    expect(written.map((e: any) => e.EntityKey).sort()).toEqual([col[12], col[13], col[14]].sort());
    // Again to the same place: nothing to write.
    const same = await client.post(`Task(${col[14]})/MoveTaskItem`, {
      taskItemStatusId: status.TaskItemStatusId,
      afterTaskItemId: col[11],
    });
    expect(same.body).toMatchObject({ CardPositionNumber: 13, Positions: [] });
    // To another column, first: the cards after it in the old column move up one.
    const away = await client.post(`Task(${col[17]})/MoveTaskItem`, {
      taskItemStatusId: other.TaskItemStatusId,
    });
    expect(positions(away.body.Positions)).toEqual({ [col[17]]: 1, [col[18]]: 18, [col[19]]: 19 });
    const left = await client.get(
      `Task?$filter=TaskItemStatusId eq ${status.TaskItemStatusId}&$orderby=CardPositionNumber&$select=CardPositionNumber`,
    );
    expect(left.body.value.map((t: any) => t.CardPositionNumber)).toEqual(
      Array.from({ length: 19 }, (_, i) => i + 1),
    );
  });

  it('a BatchInsert with one bad reference writes nothing', async () => {
    const other = await make.project();
    const otherStatus = await make.status(other.ProjectId);
    for (const [bad, target] of [
      [{ TaskItemStatusId: MISSING }, 'TaskItemStatusId'],
      [{ ContactId: MISSING }, 'ContactId'],
      // A column of another project does not belong with this task.
      [{ TaskItemStatusId: otherStatus.TaskItemStatusId }, 'TaskItemStatusId'],
    ] as const) {
      const batch = items(30);
      Object.assign(batch[17], bad);
      const r = await client.post('Task/BatchInsert', { items: batch });
      expectODataError(r, 400);
      expect(r.body.error.target).toBe(target);
      expect(r.body.error.message).toMatch(/^Item 17: /);
      expect(r.body.error.message).not.toContain(MISSING);
    }
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM task WHERE "ProjectId" = $1`, [
      project.ProjectId,
    ]);
    expect(n).toBe(0);
    expect(await events(project.ProjectId)).toEqual([]);
  });
});
