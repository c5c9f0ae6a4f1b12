import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';

const MISSING = '00000000-0000-4000-8000-00000000dead';

describe('bound operations of Task', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  let project: any;
  let contact: any;
  let todo: any;
  let doing: any;

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
    project = await make.project({ StartDateTime: '2025-03-01T00:00:00Z' });
    contact = await make.contact();
    todo = await make.status(project.ProjectId, { Name: 'To do', OrdinalPosition: 0 });
    doing = await make.status(project.ProjectId, { Name: 'Doing', OrdinalPosition: 1 });
  });
  afterAll(() => app.close());

  const task = (extra: Record<string, unknown> = {}) => make.task({ ProjectId: project.ProjectId, ...extra });
  const column = async (statusId: string) =>
    (
      await client.get(
        `Task?$filter=TaskItemStatusId eq ${statusId}&$orderby=CardPositionNumber&$select=TaskItemId,CardPositionNumber`,
      )
    ).body.value;

  it('operations are declared in $metadata and callable namespace-qualified', async () => {
    const { text } = await client.get('$metadata');
    for (const op of [
      'BatchInsert',
      'BatchDelete',
      'MoveTaskItem',
      'UpdateProjectDefinedField',
      'Copy',
      'AddNote',
      'DeleteNote',
      'GetContributors',
      'AddContributor',
      'UpdateContributor',
      'RemoveContributor',
      'GetStopwatch',
      'StartStopwatch',
      'PauseStopwatch',
      'StopStopwatch',
      'AddDocumentToTaskItem',
      'RemoveDocumentFromTaskItem',
      'AddRelation',
      'RemoveRelation',
      'GetCalendarSyncStatus',
      'EnableCalendarSync',
      'DisableCalendarSync',
      'GetNotificationFollowerContacts',
      'AddNotificationFollowers',
      'RemoveNotificationFollower',
      'SaveTemplateForProject',
      'LoadTemplateForProject',
      'DownloadTemplate',
    ]) {
      expect(text).toMatch(new RegExp(`<(Action|Function) Name="${op}" IsBound="true"`));
    }
    expect(text).toMatch(
      /<Action Name="MoveTaskItem" IsBound="true">\s*<Parameter Name="bindingParameter" Type="Tasks.Task" Nullable="false"\/>\s*<Parameter Name="taskItemStatusId" Type="Edm.Guid" Nullable="false"\/>\s*<Parameter Name="afterTaskItemId" Type="Edm.Guid"\/>/,
    );
    const t = await task();
    const r = await client.post(`Task(${t.TaskItemId})/Tasks.MoveTaskItem`, {
      taskItemStatusId: todo.TaskItemStatusId,
    });
    expect(r.status).toBe(200);
  });

  it('MoveTaskItem keeps a strict order and returns every changed position', async () => {
    const a = await task({ TaskItemStatusId: todo.TaskItemStatusId });
    const b = await task({ TaskItemStatusId: todo.TaskItemStatusId });
    const c = await task({ TaskItemStatusId: doing.TaskItemStatusId });
    await client.post(`Task(${a.TaskItemId})/MoveTaskItem`, { taskItemStatusId: doing.TaskItemStatusId });
    await client.post(`Task(${b.TaskItemId})/MoveTaskItem`, {
      taskItemStatusId: doing.TaskItemStatusId,
      afterTaskItemId: a.TaskItemId,
    });
    const r = await client.post(`Task(${c.TaskItemId})/MoveTaskItem`, {
      taskItemStatusId: doing.TaskItemStatusId,
      afterTaskItemId: a.TaskItemId,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      TaskItemId: c.TaskItemId,
      TaskItemStatusId: doing.TaskItemStatusId,
      CardPositionNumber: 2,
      WipLimitExceeded: false,
    });
    const cards = await column(doing.TaskItemStatusId);
    expect(cards.map((x: any) => x.TaskItemId)).toEqual([a.TaskItemId, c.TaskItemId, b.TaskItemId]);
    expect(cards.map((x: any) => x.CardPositionNumber)).toEqual([1, 2, 3]);
    for (const p of r.body.Positions)
      expect(cards.find((x: any) => x.TaskItemId === p.TaskItemId).CardPositionNumber).toBe(
        p.CardPositionNumber,
      );
    // null places first
    await client.post(`Task(${b.TaskItemId})/MoveTaskItem`, {
      taskItemStatusId: doing.TaskItemStatusId,
      afterTaskItemId: null,
    });
    expect((await column(doing.TaskItemStatusId)).map((x: any) => x.TaskItemId)).toEqual([
      b.TaskItemId,
      a.TaskItemId,
      c.TaskItemId,
    ]);
    // bad input
    expectODataError(await client.post(`Task(${a.TaskItemId})/MoveTaskItem`, {}), 400);
    expectODataError(
      await client.post(`Task(${a.TaskItemId})/MoveTaskItem`, { taskItemStatusId: MISSING }),
      400,
    );
    expectODataError(
      await client.post(`Task(${a.TaskItemId})/MoveTaskItem`, {
        taskItemStatusId: todo.TaskItemStatusId,
        afterTaskItemId: c.TaskItemId,
      }),
      400,
    );
    expectODataError(
      await client.post(`Task(${MISSING})/MoveTaskItem`, { taskItemStatusId: todo.TaskItemStatusId }),
      404,
    );
    expectODataError(await client.get(`Task(${a.TaskItemId})/MoveTaskItem`), 405);
  });

  it('concurrent moves in one column all succeed and leave a strict order', async () => {
    const col = await make.status(project.ProjectId, { Name: 'Busy' });
    const cards: any[] = [];
    for (let i = 0; i < 12; i++) cards.push(await task({ TaskItemStatusId: col.TaskItemStatusId }));
    const results = await Promise.all(
      cards.map((c, i) =>
        client.post(`Task(${c.TaskItemId})/MoveTaskItem`, {
          taskItemStatusId: col.TaskItemStatusId,
          afterTaskItemId: i % 2 ? cards[(i + 5) % cards.length].TaskItemId : null,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const after = await column(col.TaskItemStatusId);
    expect(after).toHaveLength(12);
    expect(after.map((x: any) => x.CardPositionNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('the same cards moved at once across columns never deadlock: every move succeeds, every column stays a strict order', async () => {
    const lanes = [
      await make.status(project.ProjectId, { Name: 'L1' }),
      await make.status(project.ProjectId, { Name: 'L2' }),
      await make.status(project.ProjectId, { Name: 'L3' }),
    ];
    const cards: any[] = [];
    for (let i = 0; i < 4; i++) cards.push(await task({ TaskItemStatusId: lanes[i % 3].TaskItemStatusId }));
    // Each card is moved ten times, its moves racing each other and the other cards' moves.
    const moves = Array.from({ length: 40 }, (_, i) => ({
      card: cards[i % 4],
      lane: lanes[(i * 7 + Math.floor(i / 4)) % 3],
    }));
    const results = await Promise.all(
      moves.map((mv) =>
        client.post(`Task(${mv.card.TaskItemId})/MoveTaskItem`, {
          taskItemStatusId: mv.lane.TaskItemStatusId,
          afterTaskItemId: null,
        }),
      ),
    );
    expect(results.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text}`))).toEqual(
      results.map(() => 200),
    );
    let total = 0;
    for (const lane of lanes) {
      const positions = (await column(lane.TaskItemStatusId)).map((x: any) => x.CardPositionNumber);
      expect(positions).toEqual(positions.map((_: number, i: number) => i + 1));
      total += positions.length;
    }
    expect(total).toBe(4);
  });

  it('a hard work-in-progress limit refuses a move into a full column (409); a soft one reports it', async () => {
    const hard = await make.status(project.ProjectId, { Name: 'Hard', WipLimit: 1, IsWipLimitHard: true });
    const soft = await make.status(project.ProjectId, { Name: 'Soft', WipLimit: 1 });
    await task({ TaskItemStatusId: hard.TaskItemStatusId });
    await task({ TaskItemStatusId: soft.TaskItemStatusId });
    const t = await task({ TaskItemStatusId: todo.TaskItemStatusId });
    expectODataError(
      await client.post(`Task(${t.TaskItemId})/MoveTaskItem`, { taskItemStatusId: hard.TaskItemStatusId }),
      409,
    );
    expect((await client.get(`Task(${t.TaskItemId})`)).body.TaskItemStatusId).toBe(todo.TaskItemStatusId);
    const r = await client.post(`Task(${t.TaskItemId})/MoveTaskItem`, {
      taskItemStatusId: soft.TaskItemStatusId,
    });
    expect(r.body.WipLimitExceeded).toBe(true);
  });

  it('stopwatch: start, pause, resume, stop writes a TimeEntry; illegal transitions are 409', async () => {
    const t = await task({ IsBillable: true });
    const base = `Task(${t.TaskItemId})`;
    expect((await client.get(`${base}/GetStopwatch()`)).body).toMatchObject({
      State: 'Stopped',
      ElapsedSeconds: 0,
    });
    expect((await client.get(`${base}/GetStopwatch`)).body).toMatchObject({ State: 'Stopped' }); // parameterless: () optional
    expectODataError(await client.post(`${base}/PauseStopwatch`), 409);
    expectODataError(await client.post(`${base}/StopStopwatch`), 409);
    expect((await client.post(`${base}/StartStopwatch`)).body.State).toBe('Running');
    expectODataError(await client.post(`${base}/StartStopwatch`), 409);
    await new Promise((r) => setTimeout(r, 1100));
    const paused = await client.post(`${base}/PauseStopwatch`);
    expect(paused.body.State).toBe('Paused');
    expect(paused.body.ElapsedSeconds).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 600));
    const stillPaused = await client.get(`${base}/GetStopwatch()`);
    expect(stillPaused.body.ElapsedSeconds).toBeCloseTo(paused.body.ElapsedSeconds, 5);
    expect((await client.post(`${base}/StartStopwatch`)).body.State).toBe('Running');
    const stopped = await client.post(`${base}/StopStopwatch`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ TaskItemId: t.TaskItemId, IsBillable: true });
    expect(stopped.body.DurationMinutes * 60).toBeGreaterThanOrEqual(paused.body.ElapsedSeconds);
    expect(stopped.body.DurationMinutes * 60).toBeLessThan(paused.body.ElapsedSeconds + 1.5);
    expect((await client.get(`${base}/TimeEntries/$count`)).text).toBe('1');
    expect((await client.get(`${base}/GetStopwatch()`)).body.State).toBe('Stopped');
  });

  it('contributors: add, list, update, remove; counts follow', async () => {
    const t = await task();
    const base = `Task(${t.TaskItemId})`;
    const added = await client.post(`${base}/AddContributor`, {
      contactId: contact.ContactId,
      workAmount: 4,
    });
    expect(added.body).toMatchObject({
      Id: expect.any(String),
      ContactId: contact.ContactId,
      WorkAmount: 4,
      IsDone: false,
    });
    expect((await client.get(base)).body).toMatchObject({ ContributorsCount: 1, ContributorsWorkAmount: 4 });
    const updated = await client.post(`${base}/UpdateContributor`, { id: added.body.Id, isDone: true });
    expect(updated.body).toMatchObject({ WorkAmount: 4, IsDone: true });
    expect((await client.get(`${base}/GetContributors()`)).body.value).toEqual([
      expect.objectContaining({ Id: added.body.Id, IsDone: true }),
    ]);
    expectODataError(await client.post(`${base}/AddContributor`, { contactId: MISSING }), 400);
    expectODataError(await client.post(`${base}/AddContributor`, { contactId: 'nope' }), 400);
    expect((await client.post(`${base}/RemoveContributor`, { id: added.body.Id })).status).toBe(204);
    expect((await client.get(base)).body).toMatchObject({ ContributorsCount: 0, ContributorsWorkAmount: 0 });
    expectODataError(await client.post(`${base}/RemoveContributor`, { id: added.body.Id }), 404);
  });

  it('AddNote writes the note with plain text and notifies; DeleteNote removes it', async () => {
    const t = await task();
    const r = await client.post(`Task(${t.TaskItemId})/AddNote`, {
      htmlText: '<p>Hello <b>team</b></p>',
      notificationContactIds: [contact.ContactId],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      TaskItemId: t.TaskItemId,
      Note: 'Hello team',
      NoteHtml: '<p>Hello <b>team</b></p>',
    });
    const notes = await client.get(
      `Notification?$filter=ContactId eq ${contact.ContactId} and TaskItemId eq ${t.TaskItemId}`,
    );
    expect(notes.body.value).toEqual([expect.objectContaining({ Kind: 'Note' })]);
    expectODataError(
      await client.post(`Task(${t.TaskItemId})/AddNote`, {
        htmlText: 'x',
        notificationContactIds: [MISSING],
      }),
      400,
    );
    expect((await client.get(`Task(${t.TaskItemId})/Notes/$count`)).text).toBe('1');
    const del = await client.get(`Task/DeleteNote(noteRelationId=${r.body.TaskItemNoteId})`);
    expect(del.status).toBe(200);
    expect((await client.get(`Task(${t.TaskItemId})/Notes/$count`)).text).toBe('0');
    expectODataError(await client.get(`Task/DeleteNote(noteRelationId=${r.body.TaskItemNoteId})`), 404);
  });

  it('BatchInsert creates all in order or nothing; BatchDelete deletes all or nothing', async () => {
    const before = Number((await client.get('Task/$count')).text);
    const r = await client.post('Task/BatchInsert', {
      items: [{ Name: 'b1', ProjectId: project.ProjectId }, { Name: 'b2' }, { Name: 'b3' }],
    });
    expect(r.status).toBe(200);
    expect(r.body.value.map((t: any) => t.Name)).toEqual(['b1', 'b2', 'b3']);
    const bad = await client.post('Task/BatchInsert', { items: [{ Name: 'ok' }, { Name: 7 }] });
    expectODataError(bad, 400);
    expect(Number((await client.get('Task/$count')).text)).toBe(before + 3);
    const ids = r.body.value.map((t: any) => t.TaskItemId);
    expectODataError(await client.post('Task/BatchDelete', { TaskItemIds: [ids[0], MISSING] }), 404);
    expect(Number((await client.get('Task/$count')).text)).toBe(before + 3);
    expect((await client.post('Task/BatchDelete', { TaskItemIds: ids })).status).toBe(204);
    expect(Number((await client.get('Task/$count')).text)).toBe(before);
  });

  it("Copy keeps properties, gets a new key; into another project it takes that project's first column", async () => {
    const t = await task({
      Name: 'orig',
      WorkAmount: 5,
      Tags: ['x'],
      TaskItemStatusId: doing.TaskItemStatusId,
    });
    await client.post('ChecklistItem', { TaskItemId: t.TaskItemId, Name: 'step' });
    const copy = await client.post(`Task(${t.TaskItemId})/Copy`, {});
    expect(copy.body).toMatchObject({
      Name: 'orig',
      WorkAmount: 5,
      Tags: ['x'],
      ProjectId: project.ProjectId,
      TaskItemStatusId: doing.TaskItemStatusId,
      ChecklistItemsCount: 1,
    });
    expect(copy.body.TaskItemId).not.toBe(t.TaskItemId);
    const other = await make.project();
    const first = await make.status(other.ProjectId, { OrdinalPosition: 0 });
    await make.status(other.ProjectId, { OrdinalPosition: 5 });
    const moved = await client.post(`Task(${t.TaskItemId})/Copy`, { projectId: other.ProjectId });
    expect(moved.body).toMatchObject({
      ProjectId: other.ProjectId,
      TaskItemStatusId: first.TaskItemStatusId,
    });
    expectODataError(await client.post(`Task(${t.TaskItemId})/Copy`, { projectId: MISSING }), 400);
  });

  it('UpdateProjectDefinedField checks the type; DynamicTaskItem shows the value as CF_<name>', async () => {
    const fieldName = 'pf_dt0_1a2b3c4d_Budget';
    await client.post('ProjectDefinedField', {
      ProjectId: project.ProjectId,
      FieldName: fieldName,
      Type: 'Number',
    });
    const t = await task();
    expectODataError(
      await client.post(`Task(${t.TaskItemId})/UpdateProjectDefinedField`, { fieldName, value: 'lots' }),
      400,
    );
    expectODataError(
      await client.post(`Task(${t.TaskItemId})/UpdateProjectDefinedField`, {
        fieldName: 'pf_nope',
        value: '1',
      }),
      400,
    );
    expect(
      (await client.post(`Task(${t.TaskItemId})/UpdateProjectDefinedField`, { fieldName, value: '1200.5' }))
        .status,
    ).toBe(200);
    const dyn = await client.get(`DynamicTaskItem(${t.TaskItemId})`);
    expect(dyn.body[`CF_${fieldName}`]).toBe(1200.5);
    expect(dyn.body.TaskItem_Name).toBe(t.Name);
    expect(dyn.body.Project_Name).toBe(project.Name);
    // declared in $metadata with the field's type, and filterable as a number
    expect((await client.get('$metadata')).text).toMatch(
      new RegExp(`<Property Name="CF_${fieldName}" Type="Edm.Double"`),
    );
    const filtered = await client.get(
      `DynamicTaskItem?$filter=CF_${fieldName} gt 1000 and CF_${fieldName} lt 1300&$orderby=CF_${fieldName} desc&$select=TaskItem_Name`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.value.map((r: any) => r.TaskItem_Name)).toEqual([t.Name]);
    expect((await client.get(`DynamicTaskItem/$count?$filter=CF_${fieldName} gt 5000`)).text).toBe('0');
    await client.post(`Task(${t.TaskItemId})/UpdateProjectDefinedField`, { fieldName, value: null });
    // still declared: present, and null
    expect((await client.get(`DynamicTaskItem(${t.TaskItemId})`)).body[`CF_${fieldName}`]).toBeNull();
  });

  it('documents, relations and followers', async () => {
    const t = await task();
    const other = await task();
    const base = `Task(${t.TaskItemId})`;
    const doc = (await client.post('Document', { FileName: 'spec.pdf' })).body;
    const docs = await client.post(`${base}/AddDocumentToTaskItem`, { documentIds: [doc.DocumentId] });
    expect(docs.body.value.map((d: any) => d.FileName)).toEqual(['spec.pdf']);
    expect((await client.get(`${base}/Documents`)).body.value).toHaveLength(1);
    expectODataError(await client.post(`${base}/AddDocumentToTaskItem`, { documentIds: [MISSING] }), 400);
    expect(
      (await client.post(`${base}/RemoveDocumentFromTaskItem`, { documentId: doc.DocumentId })).status,
    ).toBe(204);

    const rel = await client.post(`${base}/AddRelation`, { itemId: other.TaskItemId });
    expect(rel.body).toMatchObject({ TaskItemId: t.TaskItemId, ItemId: other.TaskItemId, ItemType: 'Task' });
    await client.post(`${base}/AddRelation`, { itemId: project.ProjectId });
    expect(
      (await client.get(`${base}/Relations?$orderby=ItemType`)).body.value.map((r: any) => r.ItemType),
    ).toEqual(['Project', 'Task']);
    expectODataError(await client.post(`${base}/AddRelation`, { itemId: MISSING }), 400);
    expect((await client.post(`${base}/RemoveRelation`, { itemId: other.TaskItemId })).status).toBe(204);

    const followers = await client.post(`${base}/AddNotificationFollowers`, {
      contactIds: [contact.ContactId],
      projectId: project.ProjectId,
    });
    expect(followers.body.value.map((c: any) => c.ContactId)).toEqual([contact.ContactId]);
    expect((await client.get(`${base}/GetNotificationFollowerContacts()`)).body.value).toHaveLength(1);
    expect(
      (await client.post(`${base}/RemoveNotificationFollower`, { contactId: contact.ContactId })).status,
    ).toBe(204);
    expect((await client.get(`${base}/Followers/$count`)).text).toBe('0');
  });

  it('calendar sync: enabled tasks appear in a valid iCalendar feed', async () => {
    const ical = await import('node-ical');
    const t = await task({
      Name: 'Dentist',
      StartDateTime: '2025-05-01T09:00:00Z',
      EndDateTime: '2025-05-01T10:00:00Z',
    });
    const status = await client.post(`Task(${t.TaskItemId})/EnableCalendarSync`);
    expect(status.body).toMatchObject({
      IsEnabled: true,
      FeedUrl: expect.stringMatching(/\/calendar\/[A-Za-z0-9_-]{32}\.ics$/),
    });
    const feed = await fetch(status.body.FeedUrl);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = Object.values(ical.sync.parseICS(await feed.text())).filter(
      (e: any) => e.type === 'VEVENT',
    ) as any[];
    expect(events).toEqual([expect.objectContaining({ uid: t.TaskItemId, summary: 'Dentist' })]);
    expect(new Date(events[0].start).toISOString()).toBe('2025-05-01T09:00:00.000Z');
    await client.post(`Task(${t.TaskItemId})/DisableCalendarSync`);
    expect((await client.get(`Task(${t.TaskItemId})/GetCalendarSyncStatus()`)).body.IsEnabled).toBe(false);
    const after = Object.values(ical.sync.parseICS(await (await fetch(status.body.FeedUrl)).text())).filter(
      (e: any) => e.type === 'VEVENT',
    );
    expect(after).toHaveLength(0);
    expect(
      (await fetch(status.body.FeedUrl.replace(/[A-Za-z0-9_-]{32}\.ics$/, 'x'.repeat(32) + '.ics'))).status,
    ).toBe(404);
  });

  it('templates: save, download as {Name}.json, load into another project with its statuses', async () => {
    const src = await make.project({ StartDateTime: '2025-01-01T00:00:00Z' });
    const s1 = await make.status(src.ProjectId, { Name: 'Plan', OrdinalPosition: 0 });
    const t = await make.task({
      ProjectId: src.ProjectId,
      TaskItemStatusId: s1.TaskItemStatusId,
      Name: 'Kickoff',
      StartDateTime: '2025-01-03T00:00:00Z',
      EndDateTime: '2025-01-05T00:00:00Z',
      WorkAmount: 3,
    });
    await client.post('ChecklistItem', { TaskItemId: t.TaskItemId, Name: 'Invite' });
    const saved = await client.post('TaskItemTemplate/SaveTemplateForProject', {
      ProjectId: src.ProjectId,
      Name: 'Launch',
    });
    expect(saved.body.Name).toBe('Launch');
    const file = await client.get(`TaskItemTemplate(${saved.body.TaskItemTemplateId})/DownloadTemplate()`);
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="Launch.json"/);
    expect(file.body.tasks[0]).toMatchObject({
      name: 'Kickoff',
      startOffsetDays: 2,
      endOffsetDays: 4,
      statusName: 'Plan',
    });

    const dst = await make.project({ StartDateTime: '2026-06-01T00:00:00Z' });
    const loaded = await client.post(
      `TaskItemTemplate(${saved.body.TaskItemTemplateId})/LoadTemplateForProject`,
      { ProjectId: dst.ProjectId },
    );
    expect(loaded.body.value).toEqual([
      expect.objectContaining({
        Name: 'Kickoff',
        ProjectId: dst.ProjectId,
        WorkAmount: 3,
        StartDateTime: '2026-06-03T00:00:00+00:00',
        ChecklistItemsCount: 1,
      }),
    ]);
    const statuses = await client.get(`TaskStatus?$filter=ProjectId eq ${dst.ProjectId}`);
    expect(statuses.body.value.map((s: any) => s.Name)).toEqual(['Plan']);
    expect(loaded.body.value[0].TaskItemStatusId).toBe(statuses.body.value[0].TaskItemStatusId);
    expectODataError(
      await client.post(`TaskItemTemplate(${saved.body.TaskItemTemplateId})/LoadTemplateForProject`, {
        ProjectId: MISSING,
      }),
      400,
    );
  });

  it('deleting a status moves its tasks to the first remaining status of the project', async () => {
    const p = await make.project();
    const first = await make.status(p.ProjectId, { OrdinalPosition: 0 });
    const second = await make.status(p.ProjectId, { OrdinalPosition: 1 });
    const t = await make.task({ ProjectId: p.ProjectId, TaskItemStatusId: second.TaskItemStatusId });
    expect((await client.delete(`TaskStatus(${second.TaskItemStatusId})`)).status).toBe(204);
    expect((await client.get(`Task(${t.TaskItemId})`)).body.TaskItemStatusId).toBe(first.TaskItemStatusId);
    expect((await client.delete(`TaskStatus(${first.TaskItemStatusId})`)).status).toBe(204);
    expect((await client.get(`Task(${t.TaskItemId})`)).body.TaskItemStatusId).toBeNull();
  });

  it('changes to a followed task notify its followers', async () => {
    const follower = await make.contact();
    const t = await task();
    await client.post(`Task(${t.TaskItemId})/AddNotificationFollowers`, { contactIds: [follower.ContactId] });
    await client.patch(`Task(${t.TaskItemId})`, { Name: 'renamed' });
    const n = await client.get(`Notification?$filter=ContactId eq ${follower.ContactId}`);
    expect(n.body.value).toEqual([
      expect.objectContaining({ Kind: 'FollowedTaskChanged', TaskItemId: t.TaskItemId }),
    ]);
  });
});
