import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = '00000000-0000-4000-8000-00000000dead';

describe('CRUD over HTTP on every set', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  let project: any;
  let contact: any;
  let status: any;
  let task: any;

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
    project = await make.project();
    contact = await make.contact();
    status = await make.status(project.ProjectId);
    task = await make.task({
      ProjectId: project.ProjectId,
      ContactId: contact.ContactId,
      TaskItemStatusId: status.TaskItemStatusId,
    });
  });
  afterAll(() => app.close());

  // A valid create body for each writable set, and a property to change.
  const cases: Array<{
    set: string;
    key: string;
    body: () => Record<string, unknown>;
    change: Record<string, unknown>;
  }> = [
    { set: 'Project', key: 'ProjectId', body: () => ({ Name: 'P' }), change: { Name: 'P2' } },
    {
      set: 'Contact',
      key: 'ContactId',
      body: () => ({ DisplayName: 'C' }),
      change: { Email: 'c@example.test' },
    },
    {
      set: 'TaskStatus',
      key: 'TaskItemStatusId',
      body: () => ({ Name: 'S', ProjectId: project.ProjectId }),
      change: { OrdinalPosition: 9 },
    },
    {
      set: 'Task',
      key: 'TaskItemId',
      body: () => ({ Name: 'T', ProjectId: project.ProjectId }),
      change: { WorkAmount: 3.5 },
    },
    {
      set: 'TaskItemNote',
      key: 'TaskItemNoteId',
      body: () => ({ TaskItemId: task.TaskItemId, Note: 'n', NoteHtml: '<p>n</p>' }),
      change: { Note: 'm' },
    },
    {
      set: 'TaskItemTemplate',
      key: 'TaskItemTemplateId',
      body: () => ({ Name: 'Tpl' }),
      change: { Name: 'Tpl2' },
    },
    {
      set: 'Planning',
      key: 'PlanningId',
      body: () => ({ DisplayName: 'Plan', ProjectId: project.ProjectId }),
      change: { DisplayName: 'Plan 2' },
    },
    { set: 'Risk', key: 'RiskId', body: () => ({ Name: 'Risk' }), change: { Name: 'Risk 2' } },
    {
      set: 'Document',
      key: 'DocumentId',
      body: () => ({ FileName: 'a.pdf' }),
      change: { FileName: 'b.pdf' },
    },
    {
      set: 'TimeEntry',
      key: 'TimeEntryId',
      body: () => ({
        TaskItemId: task.TaskItemId,
        ContactId: contact.ContactId,
        StartDateTime: '2025-01-01T09:00:00Z',
        EndDateTime: '2025-01-01T10:00:00Z',
        DurationMinutes: 60,
      }),
      change: { IsBillable: true },
    },
    {
      set: 'ChecklistItem',
      key: 'ChecklistItemId',
      body: () => ({ TaskItemId: task.TaskItemId, Name: 'check' }),
      change: { IsDone: true },
    },
    {
      set: 'ProjectDefinedField',
      key: 'ProjectDefinedFieldId',
      body: () => ({ ProjectId: project.ProjectId, FieldName: 'pf_dt0_1a2b3c4d_Field', Type: 'Number' }),
      change: { DisplayName: 'Field' },
    },
  ];

  it.each(cases)(
    '$set: POST 201, GET, PATCH with ETag, PUT, DELETE 204',
    async ({ set, key, body, change }) => {
      const created = await client.post(set, body());
      expect(created.status).toBe(201);
      const id = created.body[key];
      expect(id).toMatch(GUID);
      expect(created.headers.get('location')).toBe(`${client.root}/${set}(${id})`);
      expect(created.body['@odata.context']).toBe(`${client.root}/$metadata#${set}/$entity`);
      const etag = created.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"\d+"$/);
      expect(created.body['@odata.etag']).toBe(etag);

      const read = await client.get(`${set}(${id})`);
      expect(read.status).toBe(200);
      expect(read.body[key]).toBe(id);
      expect((await client.get(`${set}('${id}')`)).body[key]).toBe(id);

      const stale = await client.patch(`${set}(${id})`, change, { 'If-Match': 'W/"1"' });
      expectODataError(stale, 412);

      const patched = await client.patch(`${set}(${id})`, change, {
        'If-Match': etag,
        Prefer: 'return=representation',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject(change);
      expect(patched.headers.get('etag')).not.toBe(etag);

      const put = await client.put(`${set}(${id})`, body());
      expect(put.status).toBe(204);
      const afterPut = await client.get(`${set}(${id})`);
      // a 204 carries the ETag the entity now has, usable for the next conditional write
      expect(put.headers.get('etag')).toBe(afterPut.headers.get('etag'));
      const minimal = await client.patch(`${set}(${id})`, change, { 'If-Match': put.headers.get('etag')! });
      expect(minimal.status).toBe(204);
      expect(minimal.headers.get('etag')).toBe((await client.get(`${set}(${id})`)).headers.get('etag'));
      for (const [k, v] of Object.entries(body())) {
        // DateTimeOffset values come back in UTC as +00:00: compare instants
        if (typeof v === 'string' && /T\d\d:/.test(v))
          expect(Date.parse(afterPut.body[k])).toBe(Date.parse(v));
        else expect(afterPut.body[k]).toEqual(v);
      }

      expect((await client.delete(`${set}(${id})`)).status).toBe(204);
      expectODataError(await client.get(`${set}(${id})`), 404);
      expectODataError(await client.delete(`${set}(${id})`), 404);
    },
  );

  it.each(['DynamicTaskItem', 'Notification', 'TaskRelation'])(
    '%s is read-only: writes are 405',
    async (set) => {
      expectODataError(await client.post(set, {}), 405);
      expect((await client.get(set)).status).toBe(200);
    },
  );

  it('PATCH changes only the given properties, null clears', async () => {
    const t = await make.task({ ProjectId: project.ProjectId, DescriptionHTML: '<p>x</p>', WorkAmount: 2 });
    const r = await client.patch(
      `Task(${t.TaskItemId})`,
      { DescriptionHTML: null },
      { Prefer: 'return=representation' },
    );
    expect(r.body).toMatchObject({
      DescriptionHTML: null,
      WorkAmount: 2,
      Name: t.Name,
      ProjectId: project.ProjectId,
    });
  });

  it('Prefer: return=minimal gives 204 with OData-EntityId', async () => {
    const r = await client.post('Task', { Name: 'minimal' }, { Prefer: 'return=minimal' });
    expect(r.status).toBe(204);
    expect(r.headers.get('odata-entityid')).toMatch(new RegExp(`^${client.root}/Task\\([0-9a-f-]{36}\\)$`));
    expect(r.headers.get('preference-applied')).toBe('return=minimal');
  });

  it('computed properties are set by the service and ignored when sent', async () => {
    const r = await client.post('Task', {
      Name: 'computed',
      ContactId: contact.ContactId,
      IsDone: true,
      DoneDate: '2000-01-01T00:00:00Z',
      ContactDisplayName: 'forged',
      ChecklistItemsCount: 99,
      CreatedDateTime: '2000-01-01T00:00:00Z',
    });
    expect(r.status).toBe(201);
    expect(r.body.ContactDisplayName).toBe(contact.DisplayName);
    expect(r.body.ChecklistItemsCount).toBe(0);
    expect(new Date(r.body.DoneDate).getFullYear()).toBeGreaterThan(2020);
    expect(new Date(r.body.CreatedDateTime).getFullYear()).toBeGreaterThan(2020);

    const undone = await client.patch(
      `Task(${r.body.TaskItemId})`,
      { IsDone: false },
      { Prefer: 'return=representation' },
    );
    expect(undone.body.DoneDate).toBeNull();

    await client.post('ChecklistItem', { TaskItemId: r.body.TaskItemId, Name: 'a', IsDone: true });
    await client.post('ChecklistItem', { TaskItemId: r.body.TaskItemId, Name: 'b' });
    const counted = await client.get(`Task(${r.body.TaskItemId})`);
    expect(counted.body).toMatchObject({
      ChecklistItemsCount: 2,
      CheckListItemsDoneCount: 1,
      CheckListItemsOpenCount: 1,
    });
  });

  it('an unknown foreign key is a 400 naming the property', async () => {
    for (const prop of ['ProjectId', 'ContactId', 'TaskItemStatusId']) {
      const r = await client.post('Task', { Name: 'fk', [prop]: MISSING });
      expectODataError(r, 400);
      expect(r.body.error.target).toBe(prop);
    }
  });

  it('bad input: malformed JSON, wrong type, unknown property, malformed key, unknown set', async () => {
    expectODataError(await client.post('Task', '{"Name": '), 400);
    const wrongType = await client.post('Task', { Name: 5 });
    expectODataError(wrongType, 400);
    expect(wrongType.body.error.target).toBe('Name');
    const unknown = await client.post('Task', { Nope: 1 });
    expectODataError(unknown, 400);
    expect(unknown.body.error.target).toBe('Nope');
    expectODataError(await client.get('Task(not-a-guid)'), 400);
    expectODataError(await client.get("Task('123')"), 400);
    expectODataError(await client.get(`Task(${MISSING})`), 404);
    expectODataError(await client.get('Nope'), 404);
    expectODataError(await client.post('Task', 'Name=x', { 'Content-Type': 'text/plain' }), 415);
    expectODataError(await client.post('TaskItemNote', { Note: 'no task' }), 400);
  });

  it('upsert: PATCH to an absent key creates it, unless If-Match is given', async () => {
    const id = 'aaaaaaaa-0000-4000-8000-000000000001';
    expectODataError(await client.patch(`Project(${id})`, { Name: 'guarded' }, { 'If-Match': '*' }), 404);
    const r = await client.patch(`Project(${id})`, { Name: 'upserted' });
    expect(r.status).toBe(201);
    expect((await client.get(`Project(${id})`)).body.Name).toBe('upserted');
  });

  it('If-None-Match gives 304 on a read', async () => {
    const first = await client.get(`Task(${task.TaskItemId})`);
    const again = await client.get(`Task(${task.TaskItemId})`, {
      'If-None-Match': first.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
  });

  it('navigation, property, $value and $count', async () => {
    await client.post('TaskItemNote', { TaskItemId: task.TaskItemId, Note: 'one' });
    await client.post(`Task(${task.TaskItemId})/Notes`, { Note: 'two' });
    const notes = await client.get(`Task(${task.TaskItemId})/Notes`);
    expect(notes.status).toBe(200);
    expect(notes.body.value.map((n: any) => n.Note).sort()).toEqual(['one', 'two']);
    expect((await client.get(`Task(${task.TaskItemId})/Notes/$count`)).text).toBe('2');
    expect((await client.get(`Task(${task.TaskItemId})/Project`)).body.ProjectId).toBe(project.ProjectId);
    const name = await client.get(`Task(${task.TaskItemId})/Name`);
    expect(name.body).toEqual({ '@odata.context': expect.stringContaining('/Name'), value: task.Name });
    const value = await client.get(`Task(${task.TaskItemId})/Name/$value`);
    expect(value.text).toBe(task.Name);
    expect(value.headers.get('content-type')).toMatch(/^text\/plain/);
    expectODataError(await client.get(`Task(${MISSING})/Notes`), 404);
  });

  it('deleting a project removes its tasks and statuses; deleting an assignee clears the assignment', async () => {
    const p = await make.project();
    const c = await make.contact();
    const s = await make.status(p.ProjectId);
    const t = await make.task({ ProjectId: p.ProjectId, TaskItemStatusId: s.TaskItemStatusId });
    const other = await make.task({ ContactId: c.ContactId });
    expect((await client.delete(`Contact(${c.ContactId})`)).status).toBe(204);
    expect((await client.get(`Task(${other.TaskItemId})`)).body).toMatchObject({
      ContactId: null,
      ContactDisplayName: null,
    });
    expect((await client.delete(`Project(${p.ProjectId})`)).status).toBe(204);
    expect((await client.get(`Task(${t.TaskItemId})`)).status).toBe(404);
    expect((await client.get(`TaskStatus(${s.TaskItemStatusId})`)).status).toBe(404);
  });
});
