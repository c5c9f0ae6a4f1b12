import fc from 'fast-check';
import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, Reply, expectODataError } from '../support/odata-client';
import { ChangeLogReader } from '../../src/features/live/change-log-reader';

/**
 * Change tracking (OData delta links): a client that follows only delta links keeps an exact copy
 * of the set it reads, under concurrent writes, deletes and permission changes.
 */
const TRACK = { Prefer: 'odata.track-changes' };
/** Removed entries are `@removed` in OData 4.01; these tests read the 4.01 form unless they say so. */
const V401 = { 'OData-MaxVersion': '4.01' };
type Entry = Record<string, any>;

/** Reads a tracked feed (every page) and returns its rows and delta link. */
async function track(client: ODataClient, path: string, prefer = 'odata.track-changes') {
  const rows: Entry[] = [];
  let url: string | undefined = path;
  let first: Reply | undefined;
  let last: Reply | undefined;
  while (url) {
    last = await client.get(url, { Prefer: prefer });
    if (last.status !== 200) throw new Error(`GET ${url}: ${last.status} ${last.text}`);
    first ??= last;
    rows.push(...last.body.value);
    url = last.body['@odata.nextLink'];
  }
  return { rows, deltaLink: last!.body['@odata.deltaLink'] as string, first: first!, last: last! };
}

/** Follows a delta link (every page): the entries and the next delta link. */
async function delta(client: ODataClient, link: string, headers: Record<string, string> = {}) {
  const entries: Entry[] = [];
  let url: string | undefined = link;
  let last: Reply | undefined;
  while (url) {
    last = await client.get(url, { ...V401, ...headers });
    if (last.status !== 200) throw new Error(`GET ${url}: ${last.status} ${last.text}`);
    entries.push(...last.body.value);
    url = last.body['@odata.nextLink'];
  }
  return { entries, deltaLink: last!.body['@odata.deltaLink'] as string, last: last! };
}

const keyOf = (id: string) => /\(([^)]+)\)$/.exec(id)![1];
const removed = (entries: Entry[]) =>
  Object.fromEntries(
    entries.filter((e) => e['@removed']).map((e) => [keyOf(e['@id']), e['@removed'].reason]),
  );
const changed = (entries: Entry[], key = 'TaskItemId') =>
  entries.filter((e) => !e['@removed']).map((e) => e[key]);

describe('change tracking (delta links)', () => {
  let app: TestApp;
  let root: ODataClient;
  let member: ODataClient;
  let memberId: string;
  let A: string, B: string;

  const mk = async (set: string, body: object) => {
    const r = await root.post(set, body);
    if (r.status !== 201) throw new Error(`POST ${set}: ${r.status} ${r.text}`);
    return r.body;
  };

  beforeAll(async () => {
    app = await startTestApp();
    root = new ODataClient(app.baseUrl);
    A = (await mk('Project', { Name: 'Alpha' })).ProjectId;
    B = (await mk('Project', { Name: 'Beta' })).ProjectId;
    memberId = (await mk('Contact', { DisplayName: 'member' })).ContactId;
    await mk('ProjectMember', { ProjectId: A, ContactId: memberId, Role: 'Editor' });
    const token = (await root.post(`Contact(${memberId})/CreateApiToken`, { name: 't' })).body.Token;
    member = new ODataClient(app.baseUrl, { Authorization: `Bearer ${token}` });
  });
  afterAll(() => app?.close());

  it('a tracked read says so, and its last page carries the delta link', async () => {
    await mk('Task', { Name: 'one', ProjectId: A });
    await mk('Task', { Name: 'two', ProjectId: A });
    await mk('Task', { Name: 'three', ProjectId: A });
    const t = await track(root, `Task?$filter=ProjectId eq ${A}`, 'odata.track-changes, odata.maxpagesize=2');
    expect(t.first.headers.get('preference-applied')).toContain('odata.track-changes');
    expect(t.first.body['@odata.deltaLink']).toBeUndefined();
    expect(t.first.body['@odata.nextLink']).toBeDefined();
    expect(t.rows).toHaveLength(3);
    expect(t.deltaLink).toMatch(/\$deltatoken=/);
    const d = await delta(root, t.deltaLink);
    expect(d.entries).toEqual([]);
    expect(d.last.body['@odata.context']).toMatch(/\$metadata#Task\/\$delta$/);
    expect(d.deltaLink).toMatch(/\$deltatoken=/);
  });

  it('a tracked read is never 304: a client that revalidates still gets its delta link', async () => {
    await mk('Task', { Name: 'cached', ProjectId: A });
    const url = `Task?$filter=ProjectId eq ${A}`;
    const etag = (await root.get(url)).headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await root.get(url, { 'If-None-Match': etag! })).status).toBe(304);
    const r = await root.get(url, { ...TRACK, 'If-None-Match': etag! });
    expect(r.status).toBe(200);
    expect(r.body['@odata.deltaLink']).toMatch(/\$deltatoken=/);
  });

  it('a read without the preference is not tracked', async () => {
    const r = await root.get(`Task?$filter=ProjectId eq ${A}`);
    expect(r.headers.get('preference-applied')).toBeNull();
    expect(r.body['@odata.deltaLink']).toBeUndefined();
  });

  it('add, change, delete, leaving and entering the filter: each seen once, in the next delta only', async () => {
    const keep = await mk('Task', { Name: 'keep', ProjectId: A });
    const edit = await mk('Task', { Name: 'edit', ProjectId: A });
    const gone = await mk('Task', { Name: 'gone', ProjectId: A });
    const leave = await mk('Task', { Name: 'leave', ProjectId: A });
    const enter = await mk('Task', { Name: 'enter', ProjectId: A, IsDone: true });
    const t = await track(root, `Task?$filter=ProjectId eq ${A} and IsDone eq false&$select=Name,IsDone`);
    expect(t.rows.map((r) => r.Name)).toEqual(expect.arrayContaining(['keep', 'edit', 'gone', 'leave']));
    expect(t.rows.map((r) => r.Name)).not.toContain('enter');

    const added = await mk('Task', { Name: 'added', ProjectId: A });
    await root.patch(`Task(${edit.TaskItemId})`, { Name: 'edited' });
    await root.delete(`Task(${gone.TaskItemId})`);
    await root.patch(`Task(${leave.TaskItemId})`, { IsDone: true });
    await root.patch(`Task(${enter.TaskItemId})`, { IsDone: false });
    await mk('Task', { Name: 'elsewhere', ProjectId: B });

    const d = await delta(root, t.deltaLink);
    const values = d.entries.filter((e) => !e['@removed']);
    expect(values.map((e) => e.Name).sort()).toEqual(['added', 'edited', 'enter']);
    expect(
      Object.keys(values[0])
        .filter((k) => !k.startsWith('@'))
        .sort(),
    ).toEqual(['IsDone', 'Name', 'TaskItemId']);
    expect(removed(d.entries)).toEqual({ [gone.TaskItemId]: 'deleted', [leave.TaskItemId]: 'changed' });
    expect(d.entries.find((e) => e.TaskItemId === keep.TaskItemId)).toBeUndefined();
    expect(added.TaskItemId).toBeDefined();

    const again = await delta(root, d.deltaLink);
    expect(again.entries).toEqual([]);
  });

  it('to an OData 4.0 client, removed entities are $deletedEntity entries, the 4.01 form to a 4.01 client', async () => {
    const gone = await mk('Task', { Name: 'gone', ProjectId: A });
    const leave = await mk('Task', { Name: 'leave', ProjectId: A });
    const t = await track(root, `Task?$filter=ProjectId eq ${A} and IsDone eq false&$select=Name`);
    await root.delete(`Task(${gone.TaskItemId})`);
    await root.patch(`Task(${leave.TaskItemId})`, { IsDone: true });
    const id = (k: string) => `${app.baseUrl}/odata/Task(${k})`;

    const v40 = await root.get(t.deltaLink, { 'OData-MaxVersion': '4.0' });
    expect(v40.headers.get('odata-version')).toBe('4.0');
    const removedIn40 = v40.body.value.filter((e: Entry) => e.reason);
    expect(removedIn40).toEqual(
      expect.arrayContaining([
        {
          '@odata.context': `${app.baseUrl}/odata/$metadata#Task/$deletedEntity`,
          id: id(gone.TaskItemId),
          reason: 'deleted',
        },
        {
          '@odata.context': `${app.baseUrl}/odata/$metadata#Task/$deletedEntity`,
          id: id(leave.TaskItemId),
          reason: 'changed',
        },
      ]),
    );
    expect(removedIn40).toHaveLength(2);
    expect(v40.text).not.toContain('@removed');

    const v401 = await root.get(t.deltaLink, V401);
    expect(v401.headers.get('odata-version')).toBe('4.01');
    expect(removed(v401.body.value)).toEqual({ [gone.TaskItemId]: 'deleted', [leave.TaskItemId]: 'changed' });
    expect(v401.text).not.toContain('$deletedEntity');
  });

  it('follows the caller: a task moved out of sight or a membership removed is removed; back in, added', async () => {
    const mine = await mk('Task', { Name: 'mine', ProjectId: A });
    const moves = await mk('Task', { Name: 'moves', ProjectId: A });
    const inB = await mk('Task', { Name: 'in B', ProjectId: B });
    const note = await mk('TaskItemNote', { TaskItemId: moves.TaskItemId, Note: 'travels with its task' });
    const notes = await track(member, 'TaskItemNote');
    expect(notes.rows.map((r) => r.TaskItemNoteId)).toContain(note.TaskItemNoteId);
    const t = await track(member, 'Task');
    const seen = t.rows.map((r) => r.TaskItemId);
    expect(seen).toEqual(expect.arrayContaining([mine.TaskItemId, moves.TaskItemId]));
    expect(seen).not.toContain(inB.TaskItemId);

    await root.patch(`Task(${moves.TaskItemId})`, { ProjectId: B, TaskItemStatusId: null });
    const d1 = await delta(member, t.deltaLink);
    expect(removed(d1.entries)).toEqual({ [moves.TaskItemId]: 'changed' });
    expect(changed(d1.entries)).toEqual([]);
    const n1 = await delta(member, notes.deltaLink);
    expect(removed(n1.entries)).toEqual({ [note.TaskItemNoteId]: 'changed' });

    // Joining B brings its tasks in; leaving A takes A's tasks out.
    await mk('ProjectMember', { ProjectId: B, ContactId: memberId, Role: 'Viewer' });
    await root.delete(`ProjectMember(ProjectId=${A},ContactId=${memberId})`);
    const d2 = await delta(member, d1.deltaLink);
    const tasksOfB = (await root.all(`Task?$filter=ProjectId eq ${B}&$select=TaskItemId`)).rows.map(
      (r) => r.TaskItemId,
    );
    expect(tasksOfB).toEqual(expect.arrayContaining([inB.TaskItemId, moves.TaskItemId]));
    expect(changed(d2.entries).sort()).toEqual(tasksOfB.sort());
    const out = removed(d2.entries);
    expect(out[mine.TaskItemId]).toBe('changed');
    expect(Object.values(out).every((r) => r === 'changed')).toBe(true);
    expect(seen.filter((k) => k !== moves.TaskItemId).every((k) => out[k] === 'changed')).toBe(true);

    // Back in A for the tests that follow.
    await mk('ProjectMember', { ProjectId: A, ContactId: memberId, Role: 'Editor' });
    const d3 = await delta(member, d2.deltaLink);
    expect(changed(d3.entries)).toEqual(expect.arrayContaining([mine.TaskItemId]));
  });

  it("a project's delete reports every task of it the client had as deleted", async () => {
    const P = (await mk('Project', { Name: 'Doomed' })).ProjectId;
    const tasks = [];
    for (let i = 0; i < 3; i++) tasks.push((await mk('Task', { Name: `d${i}`, ProjectId: P })).TaskItemId);
    const note = await mk('TaskItemNote', { TaskItemId: tasks[0], Note: 'n' });
    const t = await track(root, 'Task');
    const n = await track(root, 'TaskItemNote');
    const p = await track(root, 'Project');
    expect(await root.delete(`Project(${P})`)).toMatchObject({ status: 204 });
    const d = await delta(root, t.deltaLink);
    expect(removed(d.entries)).toEqual(Object.fromEntries(tasks.map((k) => [k, 'deleted'])));
    expect(removed((await delta(root, n.deltaLink)).entries)).toEqual({ [note.TaskItemNoteId]: 'deleted' });
    expect(removed((await delta(root, p.deltaLink)).entries)).toEqual({ [P]: 'deleted' });
  });

  it('tracks every set the CSDL says it does', async () => {
    const xml = (await root.get('$metadata', { Accept: 'application/xml' })).text;
    for (const set of [
      'Task',
      'TaskItemNote',
      'TaskStatus',
      'ChecklistItem',
      'Project',
      'Contact',
      'DynamicTaskItem',
    ]) {
      const block = xml.split(`/${set}">`)[1]?.split('</Annotations>')[0] ?? '';
      expect(block).toMatch(/Capabilities\.ChangeTracking[\s\S]*?Supported" Bool="true"/);
      const t = await track(root, set);
      expect(t.deltaLink).toBeDefined();
    }
    const planning = await root.get('Planning', TRACK);
    expect(planning.headers.get('preference-applied')).toBeNull();
    expect(planning.body['@odata.deltaLink']).toBeUndefined();
  });

  it('each tracked set reports its own changes', async () => {
    const task = await mk('Task', { Name: 'sets', ProjectId: A });
    const links: Record<string, string> = {};
    for (const set of [
      'TaskItemNote',
      'TaskStatus',
      'ChecklistItem',
      'Project',
      'Contact',
      'DynamicTaskItem',
    ])
      links[set] = (await track(root, set)).deltaLink;
    const note = await mk('TaskItemNote', { TaskItemId: task.TaskItemId, Note: 'hello' });
    const status = await mk('TaskStatus', { Name: 'Doing', ProjectId: A });
    const item = await mk('ChecklistItem', { TaskItemId: task.TaskItemId, Name: 'step' });
    await root.patch(`Project(${A})`, { Description: 'changed' });
    const contact = await mk('Contact', { DisplayName: 'new' });
    const d = async (set: string, key: string) => changed((await delta(root, links[set])).entries, key);
    expect(await d('TaskItemNote', 'TaskItemNoteId')).toEqual([note.TaskItemNoteId]);
    expect(await d('TaskStatus', 'TaskItemStatusId')).toEqual([status.TaskItemStatusId]);
    expect(await d('ChecklistItem', 'ChecklistItemId')).toEqual([item.ChecklistItemId]);
    expect(await d('Project', 'ProjectId')).toEqual([A]);
    expect(await d('Contact', 'ContactId')).toEqual([contact.ContactId]);
    // The task's checklist counts changed, and its project's description (a DynamicTaskItem column).
    expect(await d('DynamicTaskItem', 'TaskItem_TaskItemId')).toEqual(
      expect.arrayContaining([task.TaskItemId]),
    );
  });

  it('refuses options a delta cannot honour, with reasons', async () => {
    for (const q of [
      '$orderby=Name',
      '$top=2',
      '$skip=1',
      '$expand=Notes',
      '$apply=aggregate($count as C)',
      '$search=x',
    ]) {
      const r = await root.get(`Task?${q}`, TRACK);
      expectODataError(r, 501);
      expect(r.body.error.message).toMatch(/Change tracking/);
    }
    const nav = await root.get(`Task?$filter=Project/Name eq 'Alpha'`, TRACK);
    expectODataError(nav, 501);
    expect(nav.body.error.message).toMatch(/navigation/);
    expect((await root.get(`Task?$filter=Tags/any(t: t eq 'x')`, TRACK)).status).toBe(200);
  });

  it('binds a link to its set, query and caller; malformed links are 400; expired links are 410', async () => {
    const t = await track(member, `Task?$filter=IsDone eq false`);
    const token = /\$deltatoken=([^&]+)/.exec(t.deltaLink)![1];
    expectODataError(await root.get(t.deltaLink), 400);
    expectODataError(await member.get(`Task?$filter=IsDone eq true&$deltatoken=${token}`), 400);
    expectODataError(await member.get(`Task?$deltatoken=${token}`), 400);
    expectODataError(await member.get(`TaskStatus?$filter=IsDone eq false&$deltatoken=${token}`), 400);
    expectODataError(await member.get(`Task?$filter=IsDone eq false&$deltatoken=nonsense`), 400);
    expectODataError(await member.get(`Task?$filter=IsDone eq false&$deltatoken=${token.slice(0, -2)}`), 400);
    expectODataError(await member.get(`Task(${A})?$deltatoken=${token}`), 400);
    expect((await member.get(t.deltaLink)).status).toBe(200);

    const short = await startTestApp({ config: (c) => (c.live.deltaRetentionMinutes = 0.01) });
    try {
      const client = new ODataClient(short.baseUrl);
      const link = (await track(client, 'Task')).deltaLink;
      expect((await client.get(link)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 800));
      const r = await client.get(link);
      expectODataError(r, 410);
      expect(r.body.error.message).toMatch(/expired/);
    } finally {
      await short.close();
    }
  });

  it('a transaction open while the link is issued and committed after it shows in the next delta', async () => {
    const early = await mk('Task', { Name: 'early', ProjectId: A });
    const late = await mk('Task', { Name: 'late', ProjectId: A });
    const writer = new Client({ connectionString: app.databaseUrl });
    const other = new Client({ connectionString: app.databaseUrl });
    await writer.connect();
    await other.connect();
    try {
      // The first writer begins (its change gets the lower event id), a second commits after it.
      const doomed = await mk('Task', { Name: 'deleted late', ProjectId: A });
      await writer.query('BEGIN');
      await writer.query(`UPDATE task SET "Name" = 'early, committed late' WHERE "TaskItemId" = $1`, [
        early.TaskItemId,
      ]);
      const [born] = (
        await writer.query(
          `INSERT INTO task ("Name", "ProjectId") VALUES ('born late', $1) RETURNING "TaskItemId"`,
          [A],
        )
      ).rows;
      await writer.query(`DELETE FROM task WHERE "TaskItemId" = $1`, [doomed.TaskItemId]);
      await other.query(`UPDATE task SET "Name" = 'late, committed early' WHERE "TaskItemId" = $1`, [
        late.TaskItemId,
      ]);
      const t = await track(root, `Task?$filter=ProjectId eq ${A}`);
      expect(t.rows.find((r) => r.TaskItemId === early.TaskItemId)!.Name).toBe('early');
      expect(t.rows.find((r) => r.TaskItemId === late.TaskItemId)!.Name).toBe('late, committed early');
      expect(t.rows.map((r) => r.TaskItemId)).toContain(doomed.TaskItemId);
      expect(t.rows.map((r) => r.TaskItemId)).not.toContain(born.TaskItemId);
      await writer.query('COMMIT');
      const d = await delta(root, t.deltaLink);
      expect(changed(d.entries).sort()).toEqual([early.TaskItemId, born.TaskItemId].sort());
      expect(d.entries.find((e) => e.TaskItemId === early.TaskItemId)!.Name).toBe('early, committed late');
      expect(removed(d.entries)).toEqual({ [doomed.TaskItemId]: 'deleted' });
      expect((await delta(root, d.deltaLink)).entries).toEqual([]);
    } finally {
      await writer.end();
      await other.end();
    }
  });

  it('pages a large delta with nextLink; its last page carries the next delta link', async () => {
    const P = (await mk('Project', { Name: 'Paged' })).ProjectId;
    const t = await track(root, `Task?$filter=ProjectId eq ${P}`);
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await mk('Task', { Name: `p${i}`, ProjectId: P })).TaskItemId);
    const first = await root.get(t.deltaLink, { Prefer: 'odata.maxpagesize=2' });
    expect(first.body.value).toHaveLength(2);
    expect(first.body['@odata.deltaLink']).toBeUndefined();
    const d = await delta(root, t.deltaLink, { Prefer: 'odata.maxpagesize=2' });
    expect(changed(d.entries).sort()).toEqual(made.sort());
    expect((await delta(root, d.deltaLink)).entries).toEqual([]);
  });

  it('property: applying the deltas to a first read reproduces a fresh read, whatever is written concurrently', async () => {
    const P = (await mk('Project', { Name: 'P' })).ProjectId;
    const Q = (await mk('Project', { Name: 'Q' })).ProjectId;
    const who = (await mk('Contact', { DisplayName: 'prop' })).ContactId;
    await mk('ProjectMember', { ProjectId: P, ContactId: who, Role: 'Editor' });
    const token = (await root.post(`Contact(${who})/CreateApiToken`, { name: 't' })).body.Token;
    const client = new ODataClient(app.baseUrl, { Authorization: `Bearer ${token}` });
    const query = `Task?$filter=IsDone eq false&$select=Name,IsDone,ProjectId`;
    const view = (rows: Entry[]) =>
      Object.fromEntries(rows.map((r) => [r.TaskItemId, `${r.Name}|${r.IsDone}|${r.ProjectId}`]));

    type Op =
      | { kind: 'create'; inQ: boolean; done: boolean }
      | { kind: 'rename' | 'toggle' | 'move' | 'delete'; i: number }
      | { kind: 'join' | 'leave' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), inQ: fc.boolean(), done: fc.boolean() }),
      fc.record({
        kind: fc.constantFrom('rename' as const, 'toggle' as const, 'move' as const, 'delete' as const),
        i: fc.nat(20),
      }),
      fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const) }),
    );
    let member = false;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        async (rounds) => {
          const tasks: Array<{ id: string; done: boolean; inQ: boolean }> = [];
          const first = await track(client, query);
          const copy = view(first.rows);
          let link = first.deltaLink;
          const apply = (entries: Entry[]) => {
            const seen = new Set<string>();
            for (const e of entries) {
              const key = e['@removed'] ? keyOf(e['@id']) : e.TaskItemId;
              expect(seen.has(key)).toBe(false); // each change once per delta
              seen.add(key);
              if (e['@removed']) delete copy[key];
              else Object.assign(copy, view([e]));
            }
          };
          const failures: string[] = [];
          const check = (r: Reply) => void (r.status >= 500 && failures.push(r.text));
          const write = async (o: Op) => {
            const t = 'i' in o && tasks.length ? tasks[o.i % tasks.length] : undefined;
            if (o.kind === 'create') {
              const made = await mk('Task', { Name: `t${n++}`, ProjectId: o.inQ ? Q : P, IsDone: o.done });
              tasks.push({ id: made.TaskItemId, done: o.done, inQ: o.inQ });
            } else if (o.kind === 'join' && !member) {
              member = true;
              await mk('ProjectMember', { ProjectId: Q, ContactId: who, Role: 'Viewer' });
            } else if (o.kind === 'leave' && member) {
              member = false;
              check(await root.delete(`ProjectMember(ProjectId=${Q},ContactId=${who})`));
            } else if (t && o.kind === 'rename')
              check(await root.patch(`Task(${t.id})`, { Name: `r${n++}` }));
            else if (t && o.kind === 'toggle') {
              t.done = !t.done;
              check(await root.patch(`Task(${t.id})`, { IsDone: t.done }));
            } else if (t && o.kind === 'move') {
              t.inQ = !t.inQ;
              check(await root.patch(`Task(${t.id})`, { ProjectId: t.inQ ? Q : P, TaskItemStatusId: null }));
            } else if (t && o.kind === 'delete') {
              tasks.splice(tasks.indexOf(t), 1);
              check(await root.delete(`Task(${t.id})`));
            }
          };
          for (const round of rounds) {
            // A round's writes run concurrently, and a delta is read while they do: the copy is
            // exact once the writes are done and the next delta is applied.
            const [, during] = await Promise.all([Promise.allSettled(round.map(write)), delta(client, link)]);
            expect(failures).toEqual([]);
            apply(during.entries);
            const d = await delta(client, during.deltaLink);
            apply(d.entries);
            expect(copy).toEqual(view((await client.all(query)).rows));
            link = d.deltaLink;
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a delta reads the change log through its index, from the link on', async () => {
    // A long history before the link: a delta must not scan it.
    await app.dataSource.query(
      `INSERT INTO change_event ("EntitySet", "EntityKey", "Kind") SELECT 'Task', gen_random_uuid(), 'updated' FROM generate_series(1, 50000)`,
    );
    await app.dataSource.query('ANALYZE change_event');
    try {
      const t = await track(member, `Task?$filter=ProjectId eq ${A}`);
      await mk('Task', { Name: 'after the history', ProjectId: A });
      const reader = app.app.get(ChangeLogReader);
      let captured: { sql: string; params: unknown[] } | undefined;
      const capture = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) };
      const token = /\$deltatoken=([^&]+)/.exec(t.deltaLink)![1];
      const [, , , snapshot] = JSON.parse(Buffer.from(token, 'base64url').toString());
      const caller = { id: memberId, contactId: memberId, isAdmin: false };
      await reader.candidates(capture as never, 'Task', snapshot, caller, undefined, 1001);
      const [{ 'QUERY PLAN': plan }] = await app.dataSource.query(
        `EXPLAIN (FORMAT JSON) ${captured!.sql}`,
        captured!.params,
      );
      // Every read of the log is an index range from the link's snapshot on (no sequential scan).
      const nodes: Array<Record<string, any>> = [];
      const walk = (n: Record<string, any>) => (nodes.push(n), (n.Plans ?? []).forEach(walk));
      walk(plan[0].Plan);
      const reads = nodes.filter((n) => n['Relation Name'] === 'change_event' || n['Index Name']);
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
      const ranges = nodes.filter((n) => n['Index Name'] === 'IDX_change_event_set_xid');
      expect(ranges.length).toBeGreaterThan(0);
      for (const n of ranges) expect(n['Index Cond']).toMatch(/"Xid" >= /);
      const d = await delta(member, t.deltaLink);
      expect(d.entries.map((e) => e.Name)).toEqual(['after the history']);
    } finally {
      await app.dataSource.query(
        `DELETE FROM change_event WHERE "ETag" IS NULL AND "EntitySet" = 'Task' AND "Kind" = 'updated' AND "Changes" = '{}'`,
      );
    }
  });
});
