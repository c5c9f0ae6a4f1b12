import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';
import { SseClient } from '../support/sse';

/**
 * The permission matrix: callers (none, bad token, viewer, editor and admin of project A, a
 * member of project B only) against reads, writes and operations on every path.
 */
describe('permissions', () => {
  let app: TestApp;
  let root: ODataClient;
  const as = (token: string) => new ODataClient(app.baseUrl, { Authorization: `Bearer ${token}` });
  let viewer: ODataClient, editor: ODataClient, projectAdmin: ODataClient, outsider: ODataClient;
  let ids: Record<string, any> = {};

  beforeAll(async () => {
    app = await startTestApp();
    root = new ODataClient(app.baseUrl);
    const mk = async (set: string, body: object) => (await root.post(set, body)).body;
    const A = await mk('Project', { Name: 'Alpha' });
    const B = await mk('Project', { Name: 'Beta' });
    const people: Record<string, any> = {};
    for (const name of ['viewer', 'editor', 'padmin', 'outsider'])
      people[name] = await mk('Contact', { DisplayName: name });
    await mk('ProjectMember', { ProjectId: A.ProjectId, ContactId: people.viewer.ContactId, Role: 'Viewer' });
    await mk('ProjectMember', { ProjectId: A.ProjectId, ContactId: people.editor.ContactId, Role: 'Editor' });
    await mk('ProjectMember', { ProjectId: A.ProjectId, ContactId: people.padmin.ContactId, Role: 'Admin' });
    await mk('ProjectMember', {
      ProjectId: B.ProjectId,
      ContactId: people.outsider.ContactId,
      Role: 'Editor',
    });
    const tokens: Record<string, string> = {};
    for (const name of Object.keys(people))
      tokens[name] = (
        await root.post(`Contact(${people[name].ContactId})/CreateApiToken`, { name: 'test' })
      ).body.Token;
    viewer = as(tokens.viewer);
    editor = as(tokens.editor);
    projectAdmin = as(tokens.padmin);
    outsider = as(tokens.outsider);
    const sA = await mk('TaskStatus', { Name: 'A1', ProjectId: A.ProjectId });
    const sB = await mk('TaskStatus', { Name: 'B1', ProjectId: B.ProjectId });
    const tA = await mk('Task', {
      Name: 'secret alpha plan',
      ProjectId: A.ProjectId,
      TaskItemStatusId: sA.TaskItemStatusId,
      DescriptionHTML: 'alpha words',
    });
    const tB = await mk('Task', {
      Name: 'secret beta plan',
      ProjectId: B.ProjectId,
      TaskItemStatusId: sB.TaskItemStatusId,
      DescriptionHTML: 'beta words',
    });
    await mk('TaskItemNote', { TaskItemId: tA.TaskItemId, Note: 'alpha note' });
    await mk('TaskItemNote', { TaskItemId: tB.TaskItemId, Note: 'beta note' });
    await mk('ChecklistItem', { TaskItemId: tB.TaskItemId, Name: 'beta step' });
    await root.post(`Task(${tB.TaskItemId})/AddContributor`, { contactId: people.outsider.ContactId });
    ids = { A, B, sA, sB, tA, tB, people, tokens };
  });
  afterAll(() => app.close());

  it('no token or a bad one: 401 with WWW-Authenticate, on data and metadata alike', async () => {
    for (const path of ['Task', '$metadata', '', `Task(${ids.tA.TaskItemId})`, '$batch']) {
      const r = await new ODataClient(app.baseUrl, {}).get(path);
      expectODataError(r, 401);
      expect(r.headers.get('www-authenticate')).toMatch(/Bearer realm="odata"/);
    }
    expectODataError(await as('otk_not-a-real-token').get('Task'), 401);
  });

  it('reads are scoped on every path: sets, keys, navigation, expand, filters, lambdas, counts, apply, search', async () => {
    const names = async (c: ODataClient, path: string) =>
      (await c.get(path)).body.value.map((t: any) => t.Name);
    for (const c of [viewer, editor, projectAdmin]) {
      expect(await names(c, 'Task')).toEqual(['secret alpha plan']);
      expect((await c.get('Task/$count')).text).toBe('1');
      expect((await c.get('Task?$count=true&$top=0')).body['@odata.count']).toBe(1);
      expect((await c.get(`Task(${ids.tB.TaskItemId})`)).status).toBe(404);
      expect((await c.get(`Task(${ids.tB.TaskItemId})/Notes`)).status).toBe(404);
      expect((await c.get(`Task(${ids.tB.TaskItemId})/Name/$value`)).status).toBe(404);
      expect((await c.get(`TaskStatus(${ids.sB.TaskItemStatusId})/Project`)).status).toBe(404);
      expect((await c.get('TaskItemNote')).body.value.map((n: any) => n.Note)).toEqual(['alpha note']);
      expect((await c.get('ChecklistItem/$count')).text).toBe('0');
      expect(await names(c, 'Project')).toEqual(['Alpha']);
      expect(await names(c, `Task?$filter=Project/Name eq 'Beta'`)).toEqual([]);
      expect(await names(c, `Task?$filter=Notes/any(n: n/Note eq 'beta note')`)).toEqual([]);
      expect((await c.get(`TaskStatus?$expand=Project`)).body.value.map((s: any) => s.Project?.Name)).toEqual(
        ['Alpha'],
      );
      expect((await c.get('Task?$apply=aggregate($count as N)')).body.value[0].N).toBe(1);
      expect((await c.get('Task?$search=secret&$count=true')).body['@odata.count']).toBe(1);
      expect((await c.get('DynamicTaskItem/$count')).text).toBe('1');
      expect((await c.get(`Task(${ids.tB.TaskItemId})/GetContributors()`)).status).toBe(404);
      const batch = await c.post('$batch', {
        requests: [{ id: '1', method: 'GET', url: `Task(${ids.tB.TaskItemId})` }],
      });
      expect(batch.body.responses[0].status).toBe(404);
    }
    expect(await names(outsider, 'Task')).toEqual(['secret beta plan']);
    expect((await outsider.get(`Task(${ids.tA.TaskItemId})`)).status).toBe(404);
    expect((await outsider.get('TaskItemNote')).body.value.map((n: any) => n.Note)).toEqual(['beta note']);
    // the administrator sees both
    expect((await root.get('Task/$count')).text).toBe('2');
  });

  it('writes need Editor; a viewer gets 403, a stranger 404 (or 400 for a project it cannot see)', async () => {
    const t = `Task(${ids.tA.TaskItemId})`;
    expectODataError(await viewer.patch(t, { WorkAmount: 1 }), 403);
    expectODataError(await outsider.patch(t, { WorkAmount: 1 }), 404);
    expectODataError(await outsider.delete(t), 404);
    expect((await editor.patch(t, { WorkAmount: 2 })).status).toBe(204);
    expectODataError(await viewer.post('Task', { Name: 'x', ProjectId: ids.A.ProjectId }), 403);
    const stranger = await outsider.post('Task', { Name: 'x', ProjectId: ids.A.ProjectId });
    expectODataError(stranger, 400);
    expect(stranger.body.error.target).toBe('ProjectId');
    const created = await editor.post('Task', {
      Name: 'by editor',
      ProjectId: ids.A.ProjectId,
      CreatedByContactId: ids.people.viewer.ContactId,
    });
    expect(created.status).toBe(201);
    // audit: the creator is the caller, whatever the body said; the modifier too
    expect(created.body.CreatedByContactId).toBe(ids.people.editor.ContactId);
    const patched = await editor.patch(
      `Task(${created.body.TaskItemId})`,
      { Name: 'renamed' },
      { Prefer: 'return=representation' },
    );
    expect(patched.body.ModifiedByContactId).toBe(ids.people.editor.ContactId);
    expectODataError(await viewer.post(`Task(${ids.tA.TaskItemId})/Notes`, { Note: 'viewer note' }), 403);
    expect((await editor.post(`Task(${ids.tA.TaskItemId})/Notes`, { Note: 'editor note' })).status).toBe(201);
    // moving a task into a project one cannot edit
    expectODataError(await editor.patch(t, { ProjectId: ids.B.ProjectId }), 400);
  });

  it('operations: actions need Editor, functions need read access', async () => {
    const t = `Task(${ids.tA.TaskItemId})`;
    expect((await viewer.get(`${t}/GetStopwatch()`)).status).toBe(200);
    expectODataError(await viewer.post(`${t}/StartStopwatch`), 403);
    expectODataError(
      await viewer.post(`${t}/MoveTaskItem`, { taskItemStatusId: ids.sA.TaskItemStatusId }),
      403,
    );
    expect(
      (await editor.post(`${t}/MoveTaskItem`, { taskItemStatusId: ids.sA.TaskItemStatusId })).status,
    ).toBe(200);
    expectODataError(
      await outsider.post(`${t}/MoveTaskItem`, { taskItemStatusId: ids.sA.TaskItemStatusId }),
      404,
    );
    expectODataError(
      await editor.post(`${t}/MoveTaskItem`, { taskItemStatusId: ids.sB.TaskItemStatusId }),
      400,
    );
    expectODataError(await outsider.post('Task/BatchDelete', { TaskItemIds: [ids.tA.TaskItemId] }), 404);
    expectODataError(await viewer.post('Task/BatchDelete', { TaskItemIds: [ids.tA.TaskItemId] }), 403);
    expect((await root.get(`${t}`)).status).toBe(200);
    expectODataError(
      await outsider.post('Task/BatchInsert', { items: [{ Name: 'sneak', ProjectId: ids.A.ProjectId }] }),
      400,
    );
    expectODataError(
      await outsider.post(`Task(${ids.tB.TaskItemId})/Copy`, { projectId: ids.A.ProjectId }),
      400,
    );
    expectODataError(
      await outsider.post('TaskItemTemplate/SaveTemplateForProject', {
        ProjectId: ids.A.ProjectId,
        Name: 'steal',
      }),
      400,
    );
  });

  it('members and tokens: project admins manage members; only service admins manage tokens', async () => {
    const other = (await root.post('Contact', { DisplayName: 'newcomer' })).body;
    expectODataError(
      await editor.post('ProjectMember', {
        ProjectId: ids.A.ProjectId,
        ContactId: other.ContactId,
        Role: 'Viewer',
      }),
      403,
    );
    expect(
      (
        await projectAdmin.post('ProjectMember', {
          ProjectId: ids.A.ProjectId,
          ContactId: other.ContactId,
          Role: 'Viewer',
        })
      ).status,
    ).toBe(201);
    expectODataError(
      await projectAdmin.post('ProjectMember', {
        ProjectId: ids.B.ProjectId,
        ContactId: other.ContactId,
        Role: 'Viewer',
      }),
      400,
    );
    expectODataError(await editor.patch(`Project(${ids.A.ProjectId})`, { Name: 'renamed' }), 403);
    expect(
      (await projectAdmin.patch(`Project(${ids.A.ProjectId})`, { Description: 'admin was here' })).status,
    ).toBe(204);
    // a new project's creator is its admin
    const mine = await outsider.post('Project', { Name: 'Outsider own' });
    expect(mine.status).toBe(201);
    expect(
      (await outsider.get(`ProjectMember?$filter=ProjectId eq ${mine.body.ProjectId}`)).body.value,
    ).toEqual([expect.objectContaining({ Role: 'Admin' })]);
    expectODataError(await editor.post(`Contact(${other.ContactId})/CreateApiToken`, {}), 403);
    const created = await root.post(`Contact(${other.ContactId})/CreateApiToken`, { name: 'temp' });
    expect(created.body.Token).toMatch(/^otk_/);
    const temp = as(created.body.Token);
    expect((await temp.get('Task/$count')).status).toBe(200);
    expect(
      (await root.post(`Contact(${other.ContactId})/RevokeApiToken`, { apiTokenId: created.body.ApiTokenId }))
        .body.value,
    ).toBe(1);
    expectODataError(await temp.get('Task/$count'), 401);
    expectODataError(await editor.post('Contact', { DisplayName: 'not allowed' }), 403);
  });

  it("DynamicTaskItem permission properties show the caller's real rights", async () => {
    const row = async (c: ODataClient) => (await c.get(`DynamicTaskItem(${ids.tA.TaskItemId})`)).body;
    expect(await row(viewer)).toMatchObject({
      Permission_CanEdit: false,
      Permission_CanDelete: false,
      Permission_IsAdmin: false,
    });
    expect(await row(editor)).toMatchObject({ Permission_CanEdit: true, Permission_IsAdmin: false });
    expect(await row(projectAdmin)).toMatchObject({ Permission_CanEdit: true, Permission_IsAdmin: true });
    expect((await viewer.get('DynamicTaskItem?$filter=Permission_CanEdit eq true')).body.value).toEqual([]);
  });

  it('Basic authentication with the token as password', async () => {
    const basic = Buffer.from(`anyone:${ids.tokens.viewer}`).toString('base64');
    const viaBasic = await new ODataClient(app.baseUrl, { Authorization: `Basic ${basic}` }).get(
      'Task?$select=Name',
    );
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.value).toEqual((await viewer.get('Task?$select=Name')).body.value);
    expect(viaBasic.body.value.map((t: any) => t.Name)).not.toContain('secret beta plan');
  });

  it("the change stream carries only the caller's projects", async () => {
    const s = await SseClient.open(`${app.baseUrl}/odata/$events`, {
      Authorization: `Bearer ${ids.tokens.outsider}`,
    });
    expect(s.status).toBe(200);
    const anonymous = await fetch(`${app.baseUrl}/odata/$events`);
    expect(anonymous.status).toBe(401);
    await anonymous.text();
    await root.patch(`Task(${ids.tA.TaskItemId})`, { Name: 'alpha changed' });
    await root.patch(`Task(${ids.tB.TaskItemId})`, { Name: 'beta changed' });
    await s.waitFor((e) => e.data.key === ids.tB.TaskItemId);
    expect(s.events.some((e) => e.data.key === ids.tA.TaskItemId)).toBe(false);
    s.close();
  });

  it('injection and malformed input on every parameter kind: 4xx, never 500, never a foreign row', async () => {
    const probes = [
      `Task('x'' OR 1=1--')`,
      `Task(${ids.tA.TaskItemId}%27)`,
      `Task?$filter=Name eq 'a'' OR ''1''=''1'`,
      `Task?$search=%22%27; DROP TABLE task; --%22`,
      `Task?$orderby=Name;DROP TABLE task`,
      `Task?$filter=ProjectId eq '${ids.B.ProjectId}' or 1 eq 1`,
      `Task?$select=Name,"ProjectId"`,
      `Task?$expand=Project($filter=1 eq 1 or Name eq 'Beta')`,
      `Task/DeleteNote(noteRelationId='1 OR 1=1')`,
    ];
    for (const p of probes) {
      const r = await outsider.get(p);
      expect(r.status).toBeLessThan(500);
      expect(r.text).not.toContain('secret alpha plan');
    }
    for (const body of [
      { taskItemStatusId: "' OR 1=1 --" },
      { taskItemStatusId: ids.sA.TaskItemStatusId, afterTaskItemId: 5 },
      '{"taskItemStatusId":',
    ]) {
      const r = await outsider.post(`Task(${ids.tB.TaskItemId})/MoveTaskItem`, body);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    const batch = await outsider.post('$batch', {
      requests: [
        { id: '1', method: 'GET', url: "Task?$filter=Name eq 'x' or 1 eq 1" },
        { id: '2', method: 'GET', url: '../admin' },
      ],
    });
    expect(JSON.stringify(batch.body)).not.toContain('secret alpha plan');
    expect((await root.get('Task/$count')).status).toBe(200); // the table is still there
  });
});

describe('limits and transport security', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        BODY_LIMIT_BYTES: '2048',
        CORS_ORIGINS: 'https://board.example',
        PUBLIC_METADATA: '1',
        API_KEY_IN_QUERY: '1',
      },
    });
  });
  afterAll(() => app.close());

  it('rate limit per token, shared by instances: 429 with Retry-After', async () => {
    const one = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const two = await startTestApp({ databaseUrl: one.databaseUrl, env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await new ODataClient(i % 2 ? two.baseUrl : one.baseUrl).get('Task/$count')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await new ODataClient(two.baseUrl).get('Task/$count');
      expectODataError(limited, 429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await two.close();
      await one.close();
    }
  });

  it('an oversized body is 413; security headers; CORS for the configured origin; public metadata; api_key', async () => {
    const anon = new ODataClient(app.baseUrl, {});
    const other = await startTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      const big = await new ODataClient(other.baseUrl).post('Task', { Name: 'x'.repeat(5000) });
      expectODataError(big, 413);
      const keyed = await fetch(`${other.baseUrl}/odata/Task/$count?api_key=test-admin-token-0123456789`);
      expect(keyed.status).toBe(401); // api_key is off by default
      await keyed.text();
    } finally {
      await other.close();
    }
    const meta = await anon.get('$metadata');
    expect(meta.status).toBe(200);
    expect(meta.headers.get('x-content-type-options')).toBe('nosniff');
    const pre = await fetch(`${app.baseUrl}/odata/Task`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://board.example', 'Access-Control-Request-Method': 'PATCH' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://board.example');
    await pre.text();
    const keyed = await fetch(`${app.baseUrl}/odata/$metadata?api_key=test-admin-token-0123456789`);
    expect(keyed.status).toBe(200);
    await keyed.text();
  });
});
