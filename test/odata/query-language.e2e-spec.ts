import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError } from '../support/odata-client';

/**
 * Exact-result tests of the query language on a known data set, cross-checked with SQL:
 * 3 projects (A, B, C), 300 tasks, task i in project i % 3, notes on every 4th task.
 */
describe('query language', () => {
  let app: TestApp;
  let client: ODataClient;
  const projects = [
    'aaaaaaaa-0000-4000-8000-000000000000',
    'bbbbbbbb-0000-4000-8000-000000000000',
    'cccccccc-0000-4000-8000-000000000000',
  ];

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    const q = (sql: string, p: unknown[] = []) => app.dataSource.query(sql, p);
    await q(
      `INSERT INTO project ("ProjectId", "Name") SELECT unnest($1::uuid[]), unnest(ARRAY['A','B','C'])`,
      [projects],
    );
    await q(
      `INSERT INTO task_status ("TaskItemStatusId", "Name", "ProjectId", "OrdinalPosition")
             SELECT md5('s' || p || s)::uuid, 'S' || s, p, s FROM unnest($1::uuid[]) p, generate_series(0, 2) s`,
      [projects],
    );
    await q(
      `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "WorkAmount", "IsDone", "EndDateTime", "DescriptionHTML", "Tags", "CardPositionNumber")
             SELECT md5('t' || i)::uuid, 'Task ' || i, ($1::uuid[])[i % 3 + 1], md5('s' || ($1::uuid[])[i % 3 + 1] || (i % 3))::uuid, (i % 7) * 1.5, i % 2 = 0,
                    timestamptz '2025-01-01T00:00:00Z' + i * interval '5 hours', '<p>about ' || CASE WHEN i % 5 = 0 THEN 'blue whales' ELSE 'red foxes' END || '</p>',
                    CASE WHEN i % 10 = 0 THEN ARRAY['urgent','home'] WHEN i % 3 = 0 THEN ARRAY['home'] ELSE ARRAY[]::text[] END, i
             FROM generate_series(1, 300) i`,
      [projects],
    );
    await q(`INSERT INTO task_item_note ("TaskItemId", "Note", "NoteHtml")
             SELECT md5('t' || i)::uuid, 'Note ' || k || ' of ' || i, '' FROM generate_series(4, 300, 4) i, generate_series(1, 2) k`);
    // Nullable values for the null semantics below: CustomColor null on every third task,
    // RiskName null on every other one.
    await q(`UPDATE task SET "CustomColor" = CASE WHEN "CardPositionNumber" % 3 = 0 THEN NULL ELSE "CardPositionNumber" % 10 END,
                             "RiskName" = CASE WHEN "CardPositionNumber" % 2 = 0 THEN NULL ELSE 'Risk ' || "CardPositionNumber" END`);
  });
  afterAll(() => app.close());

  const count = async (filter: string) => {
    const r = await client.get(`Task/$count?$filter=${encodeURIComponent(filter)}`);
    if (r.status !== 200) throw new Error(`${filter}: ${r.status} ${r.text}`);
    return Number(r.text);
  };
  const sql = async (where: string) =>
    Number((await app.dataSource.query(`SELECT count(*) FROM task t WHERE ${where}`))[0].count);

  it.each([
    ['WorkAmount add 1.5 gt 6', `"WorkAmount" + 1.5 > 6`],
    ['WorkAmount sub 1 mul 2 lt 0', `"WorkAmount" - 1 * 2 < 0`],
    ['WorkAmount div 1.5 eq 2', `"WorkAmount" / 1.5 = 2`],
    ['CardPositionNumber mod 7 eq 3', `"CardPositionNumber" % 7 = 3`],
    ['-WorkAmount lt -5', `-"WorkAmount" < -5`],
    ["Name in ('Task 1','Task 2','Nope')", `"Name" IN ('Task 1','Task 2')`],
    ["contains(DescriptionHTML,'blue')", `"DescriptionHTML" LIKE '%blue%'`],
    ["startswith(Name,'Task 1')", `"Name" LIKE 'Task 1%'`],
    ["endswith(Name,'0')", `"Name" LIKE '%0'`],
    ['length(Name) eq 6', `char_length("Name") = 6`],
    ["indexof(Name,'9') eq 5", `strpos("Name", '9') - 1 = 5`],
    ["substring(Name,5) eq '12'", `substr("Name", 6) = '12'`],
    ["substring(Name,5,1) eq '1'", `substr("Name", 6, 1) = '1'`],
    ["tolower(Name) eq 'task 7'", `lower("Name") = 'task 7'`],
    ["toupper(Name) eq 'TASK 7'", `upper("Name") = 'TASK 7'`],
    ["trim(concat(' ',Name)) eq 'Task 8'", `btrim(' ' || "Name") = 'Task 8'`],
    ["matchesPattern(Name,'^Task [12]0$')", `"Name" ~ '^Task [12]0$'`],
    [
      'year(EndDateTime) eq 2025 and month(EndDateTime) eq 1 and day(EndDateTime) eq 10',
      `"EndDateTime" >= '2025-01-10' AND "EndDateTime" < '2025-01-11'`,
    ],
    ['hour(EndDateTime) eq 5', `extract(hour from "EndDateTime") = 5`],
    ['minute(EndDateTime) eq 0 and second(EndDateTime) eq 0 and fractionalseconds(EndDateTime) eq 0', `true`],
    ['date(EndDateTime) eq 2025-01-02', `"EndDateTime"::date = '2025-01-02'`],
    ['totaloffsetminutes(EndDateTime) eq 0', `true`],
    ['EndDateTime lt now() and EndDateTime gt mindatetime() and EndDateTime lt maxdatetime()', `true`],
    ['round(WorkAmount) eq 2', `round("WorkAmount") = 2`],
    ['floor(WorkAmount) eq 1', `floor("WorkAmount") = 1`],
    ['ceiling(WorkAmount) eq 2', `ceil("WorkAmount") = 2`],
    ['cast(WorkAmount,Edm.Int32) eq 4', `CAST("WorkAmount" AS integer) = 4`],
    ["Project/Name eq 'B'", `"ProjectId" = 'bbbbbbbb-0000-4000-8000-000000000000'`],
    ['Status/OrdinalPosition lt 1', `"CardPositionNumber" % 3 = 0`],
    ['Project ne null', `true`],
    ["Tags/any(t: t eq 'urgent')", `'urgent' = ANY("Tags")`],
    ["Tags/all(t: t eq 'home')", `"Tags" <@ ARRAY['home']`],
    ['Tags/any()', `cardinality("Tags") > 0`],
    ["Notes/any(n: contains(n/Note, 'Note 2'))", `"CardPositionNumber" % 4 = 0`],
    ["Notes/all(n: startswith(n/Note,'Note'))", `true`],
    ['Notes/$count eq 2', `"CardPositionNumber" % 4 = 0`],
    [
      "Notes/any(n: n/Task/Project/Name eq 'A' and $it/IsDone)",
      `"CardPositionNumber" % 4 = 0 AND "CardPositionNumber" % 3 = 0 AND "IsDone"`,
    ],
    [
      "not (Name in ('Task 1')) and (IsDone or WorkAmount ge 9)",
      `"Name" <> 'Task 1' AND ("IsDone" OR "WorkAmount" >= 9)`,
    ],
  ])('%s', async (filter, where) => {
    const expected = await sql(where);
    expect(await count(filter)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('option, operator and function names are case-insensitive; parameter aliases work', async () => {
    expect(await count("Contains(Name,'Task 1') AND WorkAmount GT 3")).toBe(
      await sql(`"Name" LIKE '%Task 1%' AND "WorkAmount" > 3`),
    );
    const r = await client.get("Task?FILTER=Name eq @n&@n='Task 5'&Select=Name");
    expect(r.body.value).toEqual([expect.objectContaining({ Name: 'Task 5' })]);
  });

  it('$orderby on navigation paths and several keys', async () => {
    const r = await client.get(
      'Task?$orderby=Project/Name desc,WorkAmount desc,Name&$top=3&$select=Name,WorkAmount,ProjectId',
    );
    const expected = await app.dataSource.query(
      `SELECT t."Name" FROM task t JOIN project p ON p."ProjectId" = t."ProjectId" ORDER BY p."Name" DESC, t."WorkAmount" DESC, t."Name", t."TaskItemId" LIMIT 3`,
    );
    expect(r.body.value.map((t: any) => t.Name)).toEqual(expected.map((t: any) => t.Name));
  });

  it('$expand to-one and to-many, nested options, several levels, $ref and *', async () => {
    const r = await client.get(
      `Task?$filter=Name eq 'Task 8'&$select=Name&$expand=Project($select=Name),Notes($filter=contains(Note,'1');$select=Note;$count=true),Status($expand=Project($select=Name))`,
    );
    const t = r.body.value[0];
    expect(t.Project).toEqual({ '@odata.etag': expect.any(String), ProjectId: projects[2], Name: 'C' });
    expect(t.Notes).toEqual([
      { '@odata.etag': expect.any(String), TaskItemNoteId: expect.any(String), Note: 'Note 1 of 8' },
    ]);
    expect(t['Notes@odata.count']).toBe(1);
    expect(t.Status.Project.Name).toBe('C');
    const ordered = await client.get(
      `Task?$filter=Name eq 'Task 8'&$expand=Notes($orderby=Note desc;$top=1;$skip=0)`,
    );
    expect(ordered.body.value[0].Notes.map((n: any) => n.Note)).toEqual(['Note 2 of 8']);
    const refs = await client.get(`Task?$filter=Name eq 'Task 8'&$expand=Notes/$ref&$select=Name`);
    expect(refs.body.value[0].Notes).toEqual([
      { '@odata.id': expect.stringMatching(/^TaskItemNote\(/) },
      { '@odata.id': expect.stringMatching(/^TaskItemNote\(/) },
    ]);
    const star = await client.get(`Task?$filter=Name eq 'Task 8'&$expand=*`);
    expect(Object.keys(star.body.value[0])).toEqual(
      expect.arrayContaining(['Notes', 'Project', 'Status', 'Followers', 'Documents']),
    );
    expectODataError(
      await client.get(
        'Task?$expand=Notes($expand=Task($expand=Notes($expand=Task($expand=Notes($expand=Task)))))',
      ),
      400,
    );
  });

  it('$count inside expressions and /$count on navigation', async () => {
    const withNotes = await client.get(`Task?$filter=Notes/$count gt 1&$count=true&$top=0`);
    expect(withNotes.body['@odata.count']).toBe(75);
    const t = (await client.get(`Task?$filter=Name eq 'Task 4'&$select=TaskItemId`)).body.value[0];
    expect((await client.get(`Task(${t.TaskItemId})/Notes/$count?$filter=contains(Note,'2')`)).text).toBe(
      '1',
    );
  });

  it('$search: full text over names, descriptions and notes; phrases, AND/OR/NOT', async () => {
    const n = async (s: string) =>
      (await client.get(`Task?$search=${encodeURIComponent(s)}&$count=true&$top=0`)).body['@odata.count'];
    expect(await n('blue')).toBe(60);
    expect(await n('"blue whales"')).toBe(60);
    expect(await n('blue OR foxes')).toBe(300);
    expect(await n('NOT blue')).toBe(240);
    // words, not substrings: "Task 10" is not in "Task 100"
    expect(await n('blue "Task 10"')).toBe(1);
    expect(await n('Blue')).toBe(60);
    // a task matches through its notes too
    expect(await n('"Note 2 of 8"')).toBe(1);
  });

  it('$apply: groupby with aggregates, navigation grouping, chained filter, then $orderby/$top', async () => {
    const r = await client.get(
      'Task?$apply=filter(IsDone eq false)/groupby((Project/Name),aggregate($count as Count,WorkAmount with sum as Total,WorkAmount with max as Max,Name with countdistinct as Names,WorkAmount with average as Avg))&$orderby=Project/Name',
    );
    expect(r.status).toBe(200);
    const expected = await app.dataSource.query(
      `SELECT p."Name", count(*)::int AS c, sum(t."WorkAmount") AS s, max(t."WorkAmount") AS m, avg(t."WorkAmount") AS a
       FROM task t JOIN project p ON p."ProjectId" = t."ProjectId" WHERE NOT t."IsDone" GROUP BY p."Name" ORDER BY p."Name"`,
    );
    expect(r.body.value).toEqual(
      expected.map((e: any) => ({
        '@odata.id': null,
        Project: { Name: e.Name },
        Count: e.c,
        Total: e.s,
        Max: e.m,
        Names: e.c,
        Avg: expect.closeTo(e.a, 6),
      })),
    );
    const top = await client.get(
      'Task?$apply=groupby((ProjectId),aggregate($count as N))&$filter=N gt 0&$orderby=ProjectId desc&$top=1&$count=true',
    );
    expect(top.body['@odata.count']).toBe(3);
    expect(top.body.value).toEqual([{ '@odata.id': null, ProjectId: projects[2], N: 100 }]);
    expect((await client.get('Task?$apply=aggregate($count as N)')).body.value).toEqual([
      { '@odata.id': null, N: 300 },
    ]);
    // /$count of a transformed set counts what the transformations give: groups, not tasks
    expect((await client.get('Task/$count?$apply=groupby((ProjectId))')).text).toBe('3');
    expect((await client.get('Task/$count?$apply=aggregate($count as N)')).text).toBe('1');
    expect((await client.get(`Task/$count?$apply=filter(ProjectId eq ${projects[2]})`)).text).toBe('100');
    expectODataError(await client.get('Task?$apply=groupby((Nope))'), 400);
    expectODataError(await client.get('Task?$apply=aggregate(Name with sum as S)'), 400);
    expect((await client.get('Task?$apply=topcount(2,WorkAmount)')).status).toBe(501);
  });

  it('$compute in $select, $filter and $orderby', async () => {
    const r = await client.get(
      "Task?$compute=WorkAmount mul 2 as Double,concat(Name,'!') as Loud&$select=Name,Double,Loud&$filter=Double gt 10&$orderby=Double desc,Name&$top=2",
    );
    expect(r.status).toBe(200);
    expect(r.body.value[0]).toMatchObject({ Double: 18, Loud: `${r.body.value[0].Name}!` });
    expect(await count('WorkAmount mul 2 gt 10')).toBe(await sql(`"WorkAmount" * 2 > 10`));
  });

  it('limits: $top, in-list length and filter size are 400 with an explanation', async () => {
    const big = await client.get('Task?$top=100001');
    expectODataError(big, 400);
    expect(big.body.error.message).toMatch(/\$top/);
    const list = Array.from({ length: 1001 }, (_, i) => `'x${i}'`).join(',');
    const r = await client.request('POST', '$batch', {
      requests: [{ id: '1', method: 'GET', url: `Task?$filter=Name in (${list})` }],
    });
    expect(r.body.responses[0].status).toBe(400);
  });

  it('keyset paging: page 3 of an ordered feed continues exactly where page 2 ended', async () => {
    const headers = { Prefer: 'odata.maxpagesize=40' };
    const { rows, pages } = await client.all(
      'Task?$orderby=WorkAmount desc,EndDateTime&$select=Name',
      headers,
    );
    expect(pages).toBe(8);
    const expected = await app.dataSource.query(
      `SELECT "Name" FROM task ORDER BY "WorkAmount" DESC, "EndDateTime", "TaskItemId"`,
    );
    expect(rows.map((r: any) => r.Name)).toEqual(expected.map((e: any) => e.Name));
    const first = await client.get('Task?$orderby=WorkAmount desc&$select=Name', headers);
    expect(decodeURIComponent(first.body['@odata.nextLink'])).toMatch(/\$skiptoken=/);
    expect(first.body['@odata.nextLink']).not.toMatch(/\$skip=/);
  });

  /**
   * OData's null semantics (URL Conventions §5.1.1.1): a comparison involving null is false, so
   * its `not` is true; eq/ne treat null as a value; functions of null are null, and `not null` is
   * null. Booleans compare with booleans. Each SQL spells the OData meaning out by hand.
   */
  it.each([
    ['not (CustomColor gt 5)', `"CustomColor" IS NULL OR "CustomColor" <= 5`],
    ['not (CustomColor gt 5 and IsDone)', `"CustomColor" IS NULL OR "CustomColor" <= 5 OR NOT "IsDone"`],
    ['not (CustomColor lt 3 or CustomColor gt 7)', `"CustomColor" BETWEEN 3 AND 7 OR "CustomColor" IS NULL`],
    ['not (CustomColor in (1,2,3))', `"CustomColor" IS NULL OR "CustomColor" NOT IN (1,2,3)`],
    ['not (CustomColor eq 4)', `"CustomColor" IS DISTINCT FROM 4`],
    ['CustomColor ne 4', `"CustomColor" IS DISTINCT FROM 4`],
    ['not (CustomColor gt null)', `true`],
    ["contains(RiskName,'1') eq true", `"RiskName" LIKE '%1%'`],
    ["contains(RiskName,'1') eq false", `"RiskName" NOT LIKE '%1%'`],
    ["not (contains(RiskName,'1') eq true)", `"RiskName" IS NULL OR "RiskName" NOT LIKE '%1%'`],
    ["not contains(RiskName,'1')", `"RiskName" NOT LIKE '%1%'`],
    ["startswith(Name,'Task 1') eq false", `"Name" NOT LIKE 'Task 1%'`],
    ["true eq startswith(Name,'Task 1')", `"Name" LIKE 'Task 1%'`],
    ['(IsDone eq false) eq true', `NOT "IsDone"`],
    ['(CustomColor gt 5) eq false', `"CustomColor" IS NULL OR "CustomColor" <= 5`],
    ['IsDone eq (CustomColor gt 5)', `"IsDone" = COALESCE("CustomColor" > 5, false)`],
    [
      'Notes/any(n: not (n/Task/CustomColor gt 5))',
      `"CardPositionNumber" % 4 = 0 AND ("CustomColor" IS NULL OR "CustomColor" <= 5)`,
    ],
    ["Notes/all(n: contains(n/Note,'Note 1') eq false)", `"CardPositionNumber" % 4 <> 0`],
    [
      "Notes/any(n: contains(n/Note,'Note 1') eq true and not ($it/CustomColor ge 5))",
      `"CardPositionNumber" % 4 = 0 AND ("CustomColor" IS NULL OR "CustomColor" < 5)`,
    ],
    // OData's round: the mid-point is rounded away from zero (4.5 -> 5), not to even
    ['round(WorkAmount) eq 5', `"WorkAmount" = 4.5`],
    ['round(-WorkAmount) eq -5', `"WorkAmount" = 4.5`],
  ])('null and boolean semantics: %s', async (filter, where) => {
    const expected = await sql(where);
    expect(await count(filter)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('the same semantics in $apply filter() and in $filter inside $expand', async () => {
    const twoValued = `"CustomColor" IS NULL OR "CustomColor" <= 5`;
    const applied = await client.get(
      `Task?$apply=${encodeURIComponent("filter(not (CustomColor gt 5) and contains(Name,'1') eq false)/aggregate($count as C)")}`,
    );
    expect(applied.status).toBe(200);
    expect(applied.body.value[0].C).toBe(await sql(`(${twoValued}) AND "Name" NOT LIKE '%1%'`));

    const grouped = await client.get(
      `Task?$apply=${encodeURIComponent('groupby((IsDone),aggregate(CustomColor with max as M))/filter(not (M gt 100))')}`,
    );
    expect(grouped.body.value).toHaveLength(2);

    const { rows } = await client.all(
      `TaskItemNote?$select=Note&$expand=${encodeURIComponent('Task($filter=not (CustomColor gt 5) and (IsDone eq false) eq false;$select=Name)')}`,
    );
    const expanded = rows.filter((r: any) => r.Task !== null).length;
    const expected = Number(
      (
        await app.dataSource.query(
          `SELECT count(*) FROM task_item_note n JOIN task t ON t."TaskItemId" = n."TaskItemId" WHERE (t."CustomColor" IS NULL OR t."CustomColor" <= 5) AND t."IsDone"`,
        )
      )[0].count,
    );
    expect(expanded).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});
