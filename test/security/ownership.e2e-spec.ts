import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, Reply } from '../support/odata-client';

/**
 * Every set has an owner, references are checked in the caller's scope, identity comes from
 * the token. Callers: viewer, editor and admin of project A, an editor of project B only, a
 * contact with no membership, and the service administrator.
 */
const WHO = ['aViewer', 'aEditor', 'aAdmin', 'bEditor', 'nobody', 'admin'] as const;
type Who = (typeof WHO)[number];
type Codes = Record<Who, number>;

/** Expected status codes: members of A, then the others. */
const codes = (
  aViewer: number,
  aEditor: number,
  aAdmin: number,
  bEditor: number,
  nobody: number,
  admin: number,
): Codes => ({ aViewer, aEditor, aAdmin, bEditor, nobody, admin });

const OWNED_SETS = [
  { set: 'Planning', key: 'PlanningId', body: { DisplayName: 'plan' }, change: { DisplayName: 'renamed' } },
  { set: 'Risk', key: 'RiskId', body: { Name: 'risk' }, change: { Name: 'renamed' } },
  { set: 'Document', key: 'DocumentId', body: { FileName: 'doc.pdf' }, change: { FileName: 'renamed.pdf' } },
] as const;

describe('ownership', () => {
  let app: TestApp;
  let c: Record<Who, ODataClient>;
  const people: Record<string, any> = {};
  let ids: Record<string, any> = {};

  const mk = async (client: ODataClient, set: string, body: object) => {
    const r = await client.post(set, body);
    if (r.status !== 201) throw new Error(`POST ${set}: ${r.status} ${r.text}`);
    return r.body;
  };
  /** The status each caller gets for the same request. */
  const matrix = async (run: (client: ODataClient, who: Who) => Promise<Reply>): Promise<Codes> => {
    const out = {} as Codes;
    for (const who of WHO) out[who] = (await run(c[who], who)).status;
    return out;
  };
  /** A key the caller cannot see answers exactly like a key that does not exist. */
  const sameAsMissing = async (send: (key: string) => Promise<Reply>, hidden: string, status = 400) => {
    const seen = await send(hidden);
    const missing = await send(randomUUID());
    expect(seen.status).toBe(status);
    expect({ status: seen.status, body: seen.body }).toEqual({ status: missing.status, body: missing.body });
    expect(seen.text).not.toContain(hidden);
    expect(seen.text).not.toMatch(/\b(planning|risk|document|task_status|project|task)\b/); // no table named
  };

  beforeAll(async () => {
    app = await startTestApp();
    const root = new ODataClient(app.baseUrl);
    const A = await mk(root, 'Project', { Name: 'Alpha' });
    const B = await mk(root, 'Project', { Name: 'Beta' });
    for (const name of ['aViewer', 'aEditor', 'aAdmin', 'bEditor', 'nobody'])
      people[name] = await mk(root, 'Contact', { DisplayName: name });
    const member = (p: any, who: string, Role: string) =>
      mk(root, 'ProjectMember', { ProjectId: p.ProjectId, ContactId: people[who].ContactId, Role });
    await member(A, 'aViewer', 'Viewer');
    await member(A, 'aEditor', 'Editor');
    await member(A, 'aAdmin', 'Admin');
    await member(B, 'bEditor', 'Editor');
    c = { admin: root } as Record<Who, ODataClient>;
    for (const who of WHO.filter((w) => w !== 'admin')) {
      const token = (await root.post(`Contact(${people[who].ContactId})/CreateApiToken`, { name: 't' })).body
        .Token;
      c[who] = new ODataClient(app.baseUrl, { Authorization: `Bearer ${token}` });
    }
    const sA = await mk(root, 'TaskStatus', { Name: 'A1', ProjectId: A.ProjectId });
    const sB = await mk(root, 'TaskStatus', { Name: 'B1', ProjectId: B.ProjectId });
    const tA = await mk(root, 'Task', {
      Name: 'alpha',
      ProjectId: A.ProjectId,
      TaskItemStatusId: sA.TaskItemStatusId,
    });
    const tB = await mk(root, 'Task', {
      Name: 'beta secret',
      ProjectId: B.ProjectId,
      TaskItemStatusId: sB.TaskItemStatusId,
      Tags: ['b-tag'],
    });
    await mk(root, 'ChecklistItem', { TaskItemId: tB.TaskItemId, Name: 'beta step' });
    const rows: Record<string, any> = {};
    for (const { set, key, body } of OWNED_SETS) {
      const legacy = await app.dataSource.query(
        `INSERT INTO ${set.toLowerCase()} DEFAULT VALUES RETURNING "${key}"`,
      );
      rows[set] = {
        inA: (await mk(root, set, { ...body, ProjectId: A.ProjectId }))[key],
        inB: (await mk(root, set, { ...body, ProjectId: B.ProjectId }))[key],
        aEditors: (await mk(c.aEditor, set, body))[key],
        bEditors: (await mk(c.bEditor, set, body))[key],
        legacy: legacy[0][key],
      };
    }
    const tplA = (
      await c.aEditor.post('TaskItemTemplate/SaveTemplateForProject', {
        ProjectId: A.ProjectId,
        Name: 'A plan',
      })
    ).body;
    const tplB = (
      await c.bEditor.post('TaskItemTemplate/SaveTemplateForProject', {
        ProjectId: B.ProjectId,
        Name: 'B plan',
      })
    ).body;
    const tplShared = (
      await root.post('TaskItemTemplate/SaveTemplateForProject', { ProjectId: B.ProjectId, Name: 'Shared' })
    ).body;
    expect(
      (await root.patch(`TaskItemTemplate(${tplShared.TaskItemTemplateId})`, { IsShared: true })).status,
    ).toBe(204);
    const [tplLegacy] = await app.dataSource.query(
      `INSERT INTO task_item_template ("Name") VALUES ('old') RETURNING "TaskItemTemplateId"`,
    );
    ids = { A, B, sA, sB, tA, tB, rows, tplA, tplB, tplShared, tplLegacy };
  });
  afterAll(() => app?.close());

  describe.each(OWNED_SETS)('$set', ({ set, key, body, change }) => {
    const url = (k: string) => `${set}(${ids.rows[set][k]})`;

    it('reads: project rows by members; outside projects by their creator; old rows by admins', async () => {
      expect(await matrix((cl) => cl.get(url('inA')))).toEqual(codes(200, 200, 200, 404, 404, 200));
      expect(await matrix((cl) => cl.get(url('inB')))).toEqual(codes(404, 404, 404, 200, 404, 200));
      expect(await matrix((cl) => cl.get(url('aEditors')))).toEqual(codes(404, 200, 404, 404, 404, 200));
      expect(await matrix((cl) => cl.get(url('legacy')))).toEqual(codes(404, 404, 404, 404, 404, 200));
      const listed = (await c.nobody.get(`${set}/$count`)).text;
      expect(listed).toBe('0');
    });

    it('writes: Editor in the project; outside projects only the creator; everyone may create their own', async () => {
      expect(await matrix((cl) => cl.patch(url('inA'), change))).toEqual(codes(403, 204, 204, 404, 404, 204));
      expect(await matrix((cl) => cl.patch(url('aEditors'), change))).toEqual(
        codes(404, 204, 404, 404, 404, 204),
      );
      expect(await matrix((cl) => cl.patch(url('legacy'), change))).toEqual(
        codes(404, 404, 404, 404, 404, 204),
      );
      expect(await matrix((cl) => cl.put(url('bEditors'), body))).toEqual(
        codes(404, 404, 404, 204, 404, 204),
      );
      expect(await matrix((cl) => cl.post(set, { ...body, ProjectId: ids.A.ProjectId }))).toEqual(
        codes(403, 201, 201, 400, 400, 201),
      );
      // deletes, each of a fresh row
      const fresh = async () => (await mk(c.admin, set, { ...body, ProjectId: ids.A.ProjectId }))[key];
      expect(await matrix(async (cl) => cl.delete(`${set}(${await fresh()})`))).toEqual(
        codes(403, 204, 204, 404, 404, 204),
      );
      const legacy = async () =>
        (await app.dataSource.query(`INSERT INTO ${set.toLowerCase()} DEFAULT VALUES RETURNING "${key}"`))[0][
          key
        ];
      expect(await matrix(async (cl) => cl.delete(`${set}(${await legacy()})`))).toEqual(
        codes(404, 404, 404, 404, 404, 204),
      );
      // a row outside any project is its creator's, whatever the body says
      const own = await matrix(async (cl, who) => {
        const r = await cl.post(set, { ...body, CreatedByContactId: people.aViewer.ContactId });
        expect(r.body.CreatedByContactId).toBe(
          who === 'admin' ? '00000000-0000-0000-0000-000000000000' : people[who].ContactId,
        );
        const others = WHO.filter((w) => w !== who && w !== 'admin');
        for (const o of others) expect((await c[o].get(`${set}(${r.body[key]})`)).status).toBe(404);
        expect((await cl.delete(`${set}(${r.body[key]})`)).status).toBe(204);
        return r;
      });
      expect(own).toEqual(codes(201, 201, 201, 201, 201, 201));
    });
  });

  describe('TaskItemTemplate', () => {
    const tpl = (name: string) => `TaskItemTemplate(${ids[name].TaskItemTemplateId})`;

    it('reads and downloads: members of the source project; shared ones by all; old ones by admins', async () => {
      expect(await matrix((cl) => cl.get(tpl('tplA')))).toEqual(codes(200, 200, 200, 404, 404, 200));
      expect(await matrix((cl) => cl.get(`${tpl('tplB')}/DownloadTemplate()`))).toEqual(
        codes(404, 404, 404, 200, 404, 200),
      );
      expect(await matrix((cl) => cl.get(`${tpl('tplShared')}/DownloadTemplate()`))).toEqual(
        codes(200, 200, 200, 200, 200, 200),
      );
      expect(await matrix((cl) => cl.get(tpl('tplLegacy')))).toEqual(codes(404, 404, 404, 404, 404, 200));
      const listing = await c.nobody.get('TaskItemTemplate');
      expect(listing.body.value.map((t: any) => t.Name)).toEqual(['Shared']);
      const leaked = await c.aEditor.get(`${tpl('tplB')}/DownloadTemplate()`);
      expect(leaked.text).not.toContain('beta');
    });

    it('save needs Editor in the project; the template remembers it', async () => {
      const save = (cl: ODataClient) =>
        cl.post('TaskItemTemplate/SaveTemplateForProject', { ProjectId: ids.A.ProjectId, Name: 'again' });
      expect(await matrix(save)).toEqual(codes(403, 200, 200, 400, 400, 200));
      const saved = (await save(c.aEditor)).body;
      expect(saved).toMatchObject({
        ProjectId: ids.A.ProjectId,
        CreatedByContactId: people.aEditor.ContactId,
        IsShared: false,
      });
    });

    it('load needs Editor in the target project and a template the caller may read', async () => {
      const load = (name: string, project: string) => (cl: ODataClient) =>
        cl.post(`${tpl(name)}/LoadTemplateForProject`, { ProjectId: ids[project].ProjectId });
      expect(await matrix(load('tplA', 'A'))).toEqual(codes(403, 200, 200, 404, 404, 200));
      expect(await matrix(load('tplShared', 'B'))).toEqual(codes(400, 400, 400, 200, 400, 200));
      expect(await matrix(load('tplB', 'A'))).toEqual(codes(404, 404, 404, 400, 404, 200));
    });

    it('create, rename, delete and share check the role', async () => {
      expect(await matrix((cl) => cl.patch(tpl('tplA'), { Name: 'A plan' }))).toEqual(
        codes(403, 204, 204, 404, 404, 204),
      );
      expect(await matrix((cl) => cl.patch(tpl('tplShared'), { Name: 'Shared' }))).toEqual(
        codes(403, 403, 403, 204, 403, 204),
      );
      expect(await matrix((cl) => cl.patch(tpl('tplA'), { IsShared: true }))).toEqual(
        codes(403, 403, 403, 404, 404, 204),
      );
      expect((await c.admin.patch(tpl('tplA'), { IsShared: false })).status).toBe(204);
      expect(await matrix((cl) => cl.post('TaskItemTemplate', { Name: 'mine', IsShared: true }))).toEqual(
        codes(403, 403, 403, 403, 403, 201),
      );
      expect(
        await matrix((cl) => cl.post('TaskItemTemplate', { Name: 'in A', ProjectId: ids.A.ProjectId })),
      ).toEqual(codes(403, 201, 201, 400, 400, 201));
      const mine = (await c.nobody.post('TaskItemTemplate', { Name: 'mine' })).body;
      expect(mine.CreatedByContactId).toBe(people.nobody.ContactId);
      expect(await matrix((cl) => cl.get(`TaskItemTemplate(${mine.TaskItemTemplateId})`))).toEqual(
        codes(404, 404, 404, 404, 200, 200),
      );
      const fresh = async () =>
        (await c.admin.post('TaskItemTemplate', { Name: 'x', ProjectId: ids.A.ProjectId })).body
          .TaskItemTemplateId;
      expect(await matrix(async (cl) => cl.delete(`TaskItemTemplate(${await fresh()})`))).toEqual(
        codes(403, 204, 204, 404, 404, 204),
      );
    });
  });

  describe("references are checked in the caller's scope", () => {
    const task = () => `Task(${ids.tA.TaskItemId})`;

    it("B's column, planning, risk on A's task answer like a random key (PATCH, PUT, POST, BatchInsert)", async () => {
      const hidden = {
        TaskItemStatusId: ids.sB.TaskItemStatusId,
        PlanningId: ids.rows.Planning.inB,
        RiskId: ids.rows.Risk.inB,
      };
      const A = ids.A.ProjectId;
      const tasks = (await c.admin.get('Task/$count')).text;
      for (const [prop, key] of Object.entries(hidden)) {
        await sameAsMissing((k) => c.aEditor.patch(task(), { [prop]: k }), key);
        await sameAsMissing((k) => c.aEditor.put(task(), { Name: 'alpha', ProjectId: A, [prop]: k }), key);
        await sameAsMissing((k) => c.aEditor.post('Task', { Name: 'n', ProjectId: A, [prop]: k }), key);
        await sameAsMissing(
          (k) => c.aEditor.post('Task/BatchInsert', { items: [{ Name: 'n', ProjectId: A, [prop]: k }] }),
          key,
        );
        await sameAsMissing(
          (k) =>
            c.aEditor.post('Task/BatchInsert', {
              items: [
                { Name: 'ok', ProjectId: A },
                { Name: 'n', ProjectId: A, [prop]: k },
              ],
            }),
          key,
        );
      }
      await sameAsMissing(
        (k) => c.aEditor.patch(task(), { 'Planning@odata.bind': `Planning(${k})` }),
        ids.rows.Planning.inB,
      );
      // someone else's planning outside projects, and a row B's editor cannot see
      await sameAsMissing((k) => c.aEditor.patch(task(), { PlanningId: k }), ids.rows.Planning.bEditors);
      await sameAsMissing(
        (k) => c.bEditor.patch(`Task(${ids.tB.TaskItemId})`, { RiskId: k }),
        ids.rows.Risk.inA,
      );
      // rows that hang off a task: B's task is as unknown to A's editor as a random one
      await sameAsMissing(
        (k) => c.aEditor.post('ChecklistItem', { TaskItemId: k, Name: 'x' }),
        ids.tB.TaskItemId,
      );
      await sameAsMissing(
        (k) => c.aEditor.post('TaskItemNote', { TaskItemId: k, Note: 'x' }),
        ids.tB.TaskItemId,
      );
      const step = await mk(c.aEditor, 'ChecklistItem', { TaskItemId: ids.tA.TaskItemId, Name: 'mine' });
      await sameAsMissing(
        (k) => c.aEditor.patch(`ChecklistItem(${step.ChecklistItemId})`, { TaskItemId: k }),
        ids.tB.TaskItemId,
      );
      expect((await c.aEditor.delete(`ChecklistItem(${step.ChecklistItemId})`)).status).toBe(204);
      // nothing of B shows on A's task
      const a = (await c.admin.get(task())).body;
      expect(a).toMatchObject({
        TaskItemStatusId: ids.sA.TaskItemStatusId,
        PlanningId: null,
        RiskId: null,
        RiskName: null,
      });
      expect((await c.admin.get('Task/$count')).text).toBe(tasks);
    });

    it('operations: MoveTaskItem, AddDocumentToTaskItem, AddRelation, Copy, templates', async () => {
      await sameAsMissing(
        (k) => c.aEditor.post(`${task()}/MoveTaskItem`, { taskItemStatusId: k }),
        ids.sB.TaskItemStatusId,
      );
      await sameAsMissing(
        (k) => c.aEditor.post(`${task()}/AddDocumentToTaskItem`, { documentIds: [k] }),
        ids.rows.Document.inB,
      );
      await sameAsMissing(
        (k) => c.aEditor.post(`${task()}/AddDocumentToTaskItem`, { documentIds: [k] }),
        ids.rows.Document.bEditors,
      );
      await sameAsMissing((k) => c.aEditor.post(`${task()}/AddRelation`, { itemId: k }), ids.tB.TaskItemId);
      await sameAsMissing((k) => c.aEditor.post(`${task()}/Copy`, { projectId: k }), ids.B.ProjectId);
      await sameAsMissing((k) => c.aEditor.post(`${task()}/AddContributor`, { contactId: k }), randomUUID());
      const tplA = `TaskItemTemplate(${ids.tplA.TaskItemTemplateId})`;
      await sameAsMissing(
        (k) => c.aEditor.post(`${tplA}/LoadTemplateForProject`, { ProjectId: k }),
        ids.B.ProjectId,
      );
      await sameAsMissing(
        (k) => c.aEditor.post('TaskItemTemplate/SaveTemplateForProject', { ProjectId: k, Name: 'x' }),
        ids.B.ProjectId,
      );
      expect((await c.admin.get(`${task()}/Documents/$count`)).text).toBe('0');
    });

    it("a task's references stay in its project or are the caller's own rows outside projects", async () => {
      // the administrator sees everything, but B's column is still not A's task's
      const stray = await c.admin.patch(task(), { TaskItemStatusId: ids.sB.TaskItemStatusId });
      expect(stray.status).toBe(400);
      expect(stray.body.error).toMatchObject({ code: 'ODATA108', target: 'TaskItemStatusId' });
      expect(
        (await c.admin.post(`${task()}/MoveTaskItem`, { taskItemStatusId: ids.sB.TaskItemStatusId })).status,
      ).toBe(400);
      expect(
        (await c.admin.post(`${task()}/AddDocumentToTaskItem`, { documentIds: [ids.rows.Document.inB] }))
          .status,
      ).toBe(400);
      // moving a task to another project with its old column is inconsistent too
      expect((await c.admin.patch(task(), { ProjectId: ids.B.ProjectId })).status).toBe(400);
      // own rows outside projects and rows of the project are fine
      const own = { PlanningId: ids.rows.Planning.aEditors, RiskId: ids.rows.Risk.inA };
      expect((await c.aEditor.patch(task(), own)).status).toBe(204);
      const docs = [ids.rows.Document.aEditors, ids.rows.Document.inA];
      expect((await c.aEditor.post(`${task()}/AddDocumentToTaskItem`, { documentIds: docs })).status).toBe(
        200,
      );
      // another editor saving the whole task again keeps a reference it cannot see, but cannot set it anew
      expect((await c.aAdmin.patch(task(), { Name: 'alpha', ...own })).status).toBe(204);
      expect((await c.aAdmin.patch(task(), { PlanningId: null })).status).toBe(204);
      expect((await c.aAdmin.patch(task(), own)).status).toBe(400);
      expect((await c.aEditor.patch(task(), { PlanningId: null, RiskId: null })).status).toBe(204);
    });
  });

  describe('identity comes from the token', () => {
    it('CreatedByContactId is never taken from the body; PUT keeps the creator', async () => {
      const forged = {
        CreatedByContactId: people.aViewer.ContactId,
        ModifiedByContactId: people.aViewer.ContactId,
      };
      const t = await mk(c.aEditor, 'Task', { Name: 'mine', ProjectId: ids.A.ProjectId, ...forged });
      expect(t.CreatedByContactId).toBe(people.aEditor.ContactId);
      expect((await c.aAdmin.patch(`Task(${t.TaskItemId})`, forged)).status).toBe(204);
      let now = (await c.admin.get(`Task(${t.TaskItemId})`)).body;
      expect(now).toMatchObject({
        CreatedByContactId: people.aEditor.ContactId,
        ModifiedByContactId: people.aAdmin.ContactId,
      });
      expect(
        (await c.aAdmin.put(`Task(${t.TaskItemId})`, { Name: 'replaced', ProjectId: ids.A.ProjectId }))
          .status,
      ).toBe(204);
      now = (await c.admin.get(`Task(${t.TaskItemId})`)).body;
      expect(now).toMatchObject({
        Name: 'replaced',
        CreatedByContactId: people.aEditor.ContactId,
        ModifiedByContactId: people.aAdmin.ContactId,
      });
      const note = await mk(c.aEditor, `Task(${t.TaskItemId})/Notes`, { Note: 'n', ...forged });
      expect(note.CreatedByContactId).toBe(people.aEditor.ContactId);
      expect(
        (await c.aAdmin.put(`TaskItemNote(${note.TaskItemNoteId})`, { TaskItemId: t.TaskItemId, Note: 'm' }))
          .status,
      ).toBe(204);
      expect((await c.admin.get(`TaskItemNote(${note.TaskItemNoteId})`)).body.CreatedByContactId).toBe(
        people.aEditor.ContactId,
      );
      const plan = `Planning(${ids.rows.Planning.aEditors})`;
      expect(
        (await c.aEditor.put(plan, { DisplayName: 'p', CreatedByContactId: people.aViewer.ContactId }))
          .status,
      ).toBe(204);
      expect((await c.aEditor.get(plan)).body.CreatedByContactId).toBe(people.aEditor.ContactId);
    });

    it('time entries are booked for the caller unless an administrator says otherwise', async () => {
      const entry = (who: string) => ({
        TaskItemId: ids.tA.TaskItemId,
        ContactId: people[who].ContactId,
        StartDateTime: '2025-01-01T09:00:00Z',
        EndDateTime: '2025-01-01T10:00:00Z',
        DurationMinutes: 60,
      });
      expect((await c.aEditor.post('TimeEntry', entry('aViewer'))).status).toBe(403);
      expect((await c.aAdmin.post('TimeEntry', entry('aEditor'))).status).toBe(403);
      const own = await mk(c.aEditor, 'TimeEntry', entry('aEditor'));
      expect(
        (await c.aEditor.patch(`TimeEntry(${own.TimeEntryId})`, { ContactId: people.aAdmin.ContactId }))
          .status,
      ).toBe(403);
      expect((await c.aAdmin.patch(`TimeEntry(${own.TimeEntryId})`, { DurationMinutes: 1 })).status).toBe(
        403,
      );
      expect((await c.aEditor.patch(`TimeEntry(${own.TimeEntryId})`, { DurationMinutes: 30 })).status).toBe(
        204,
      );
      expect((await c.admin.post('TimeEntry', entry('aViewer'))).status).toBe(201);
      const booked = (
        await c.admin.get(`TimeEntry?$filter=TaskItemId eq ${ids.tA.TaskItemId}&$orderby=DurationMinutes`)
      ).body.value;
      expect(booked.map((e: any) => [e.ContactId, e.DurationMinutes])).toEqual([
        [people.aEditor.ContactId, 30],
        [people.aViewer.ContactId, 60],
      ]);
    });
  });
});
