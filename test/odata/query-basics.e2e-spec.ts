import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';

/**
 * A known data set: project P with 2,500 tasks "Task i" (i = 1..2500), WorkAmount i % 10,
 * IsDone when i % 3 = 0, EndDateTime 2025-01-01 + (i % 50) days, null when i % 7 = 0.
 */
const P = '11111111-1111-4111-8111-111111111111';

describe('query basics', () => {
  let app: TestApp;
  let client: ODataClient;

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    await app.dataSource.query(`INSERT INTO project ("ProjectId", "Name") VALUES ($1, 'P')`, [P]);
    await app.dataSource.query(
      `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "WorkAmount", "IsDone", "EndDateTime", "CardPositionNumber", "Tags")
       SELECT md5('t' || i)::uuid, 'Task ' || i, $1, i % 10, i % 3 = 0,
              CASE WHEN i % 7 = 0 THEN NULL ELSE timestamptz '2025-01-01T00:00:00Z' + (i % 50) * interval '1 day' END,
              i, CASE WHEN i % 5 = 0 THEN ARRAY['five'] ELSE ARRAY[]::text[] END
       FROM generate_series(1, 2500) i`,
      [P],
    );
  });
  afterAll(() => app.close());

  const count = async (filter: string) =>
    (await client.get(`Task/$count?$filter=${encodeURIComponent(filter)}`)).text;
  const sqlCount = async (where: string) =>
    String((await app.dataSource.query(`SELECT count(*) FROM task WHERE ${where}`))[0].count);

  it('comparison and logical operators match hand-written SQL', async () => {
    expect(await count('WorkAmount gt 4 and IsDone eq false')).toBe(
      await sqlCount(`"WorkAmount" > 4 AND NOT "IsDone"`),
    );
    expect(await count('WorkAmount le 2 or IsDone')).toBe(await sqlCount(`"WorkAmount" <= 2 OR "IsDone"`));
    expect(await count('not (WorkAmount ge 5)')).toBe(await sqlCount(`NOT ("WorkAmount" >= 5)`));
    expect(await count('WorkAmount ne 3')).toBe(await sqlCount(`"WorkAmount" <> 3`));
    expect(await count('EndDateTime eq null')).toBe(await sqlCount(`"EndDateTime" IS NULL`));
    expect(await count('EndDateTime ne null')).toBe(await sqlCount(`"EndDateTime" IS NOT NULL`));
    expect(await count('EndDateTime lt 2025-01-10T00:00:00Z')).toBe(
      await sqlCount(`"EndDateTime" < '2025-01-10T00:00:00Z'`),
    );
    expect(await count(`ProjectId eq ${P}`)).toBe('2500');
    expect(await count(`ProjectId eq '${P}'`)).toBe('2500');
    expect(await count("Name eq 'Task 42'")).toBe('1');
  });

  it('a local offset in a DateTimeOffset literal is honoured', async () => {
    // 2025-01-10T01:00:00+01:00 is 2025-01-10T00:00:00Z
    expect(await count('EndDateTime lt 2025-01-10T01:00:00+01:00')).toBe(
      await count('EndDateTime lt 2025-01-10T00:00:00Z'),
    );
  });

  it('$orderby with several keys, nulls first ascending, then key order', async () => {
    const r = await client.get(
      'Task?$orderby=EndDateTime,WorkAmount desc&$top=5&$select=Name,EndDateTime,WorkAmount',
    );
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(5);
    expect(r.body.value.every((t: any) => t.EndDateTime === null)).toBe(true);
    const amounts = r.body.value.map((t: any) => t.WorkAmount);
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
    expect(Object.keys(r.body.value[0]).sort()).toEqual([
      '@odata.etag',
      'EndDateTime',
      'Name',
      'TaskItemId',
      'WorkAmount',
    ]);
    expect(r.body['@odata.context']).toBe(`${client.root}/$metadata#Task(Name,EndDateTime,WorkAmount)`);
  });

  it('$top, $skip and $count', async () => {
    const r = await client.get('Task?$filter=IsDone&$count=true&$top=3&$skip=2&$orderby=CardPositionNumber');
    expect(r.body['@odata.count']).toBe(833);
    expect(r.body.value.map((t: any) => t.CardPositionNumber)).toEqual([9, 12, 15]);
    expect(r.body['@odata.nextLink']).toBeUndefined();
  });

  it('server-driven paging: default page of 1,000, nextLink in a stable order, every row exactly once', async () => {
    const first = await client.get('Task?$select=TaskItemId');
    expect(first.body.value).toHaveLength(1000);
    expect(first.body['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const { rows, pages } = await client.all('Task?$select=TaskItemId');
    expect(pages).toBe(3);
    expect(new Set(rows.map((r: any) => r.TaskItemId)).size).toBe(2500);
  });

  it('Prefer: odata.maxpagesize, with ordering on a nullable column and a client $top across pages', async () => {
    const headers = { Prefer: 'odata.maxpagesize=300' };
    const first = await client.get('Task?$orderby=EndDateTime desc,Name&$top=1000', headers);
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=300');
    expect(first.body.value).toHaveLength(300);
    const { rows } = await client.all(
      'Task?$orderby=EndDateTime desc,Name&$top=1000&$select=Name,EndDateTime',
      headers,
    );
    expect(rows).toHaveLength(1000);
    const expected = await app.dataSource.query(
      `SELECT "Name" FROM task ORDER BY "EndDateTime" DESC NULLS LAST, "Name", "TaskItemId" LIMIT 1000`,
    );
    expect(rows.map((r: any) => r.Name)).toEqual(expected.map((r: any) => r.Name));
    const all = await client.all('Task?$orderby=EndDateTime&$select=Name', headers);
    expect(new Set(all.rows.map((r: any) => r.Name)).size).toBe(2500);
  });

  it('a huge or zero maxpagesize never lifts the page size', async () => {
    expect((await client.get('Task', { Prefer: 'odata.maxpagesize=100000' })).body.value).toHaveLength(1000);
    expect((await client.get('Task', { Prefer: 'odata.maxpagesize=0' })).body.value).toHaveLength(1000);
  });

  it('odata.metadata=none and full', async () => {
    const none = await client.get('Task?$top=1', { Accept: 'application/json;odata.metadata=none' });
    expect(none.body['@odata.context']).toBeUndefined();
    expect(none.body.value[0]['@odata.etag']).toBeUndefined();
    const full = await client.get('Task?$top=1&$format=application/json;odata.metadata=full');
    expect(full.body.value[0]['@odata.id']).toMatch(/^Task\(/);
    expect(full.body.value[0]['@odata.type']).toBe('#Tasks.Task');
  });

  it('Tags, a collection of strings, is filterable with any()', async () => {
    expect(await count("Tags/any(t: t eq 'five')")).toBe('500');
  });

  it('bad queries are 400 with an OData error, never 500', async () => {
    for (const q of [
      '$filter=Nope eq 1',
      '$filter=Name eq',
      '$filter=Name eq 1',
      '$orderby=Nope',
      '$select=Nope',
      '$top=abc',
      '$skiptoken=garbage',
      "$filter=ProjectId eq 'not-a-guid'",
      '$expand=Nope',
      '$filter=Name add 1 eq 2',
      '$filter=contains(WorkAmount,1)',
    ]) {
      const r = await client.get(`Task?${q}`);
      expectODataError(r, 400);
    }
  });
});
