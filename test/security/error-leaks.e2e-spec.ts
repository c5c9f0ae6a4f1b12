import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, Reply } from '../support/odata-client';
import { Factories } from '../support/factories';

/**
 * No response of a caller, error bodies included, carries a value of a row it may not read:
 * expressions never raise on a row's content (cast yields null, division by zero null), and
 * expressions that could raise are evaluated only on rows in the caller's scope.
 */
describe('errors that reveal no data', () => {
  let app: TestApp;
  let alice: ODataClient; // editor of project A only
  let stranger: ODataClient; // no membership at all
  let mine: any; // A's task
  let theirs: any; // B's task
  const SECRETS = ['B-NAME-4c1d', 'B-DESC-9e2f', 'B-NOTE-7a3b', 'B-PROJECT-5d6e'];

  beforeAll(async () => {
    app = await startTestApp();
    const root = new ODataClient(app.baseUrl);
    const make = new Factories(root);
    const a = await make.project({ Name: 'A' });
    const b = await make.project({ Name: SECRETS[3] });
    const [al, st] = [await make.contact(), await make.contact()];
    await make.create('ProjectMember', { ProjectId: a.ProjectId, ContactId: al.ContactId, Role: 'Editor' });
    const token = async (c: any) =>
      (await root.post(`Contact(${c.ContactId})/CreateApiToken`, { name: 't' })).body.Token;
    alice = new ODataClient(app.baseUrl, { Authorization: `Bearer ${await token(al)}` });
    stranger = new ODataClient(app.baseUrl, { Authorization: `Bearer ${await token(st)}` });
    mine = await make.task({
      ProjectId: a.ProjectId,
      Name: '42',
      DescriptionHTML: 'not a guid',
      CardPositionNumber: 1,
    });
    await make.task({ ProjectId: a.ProjectId, Name: 'abc', CardPositionNumber: 0 });
    // B's description is an invalid regular expression and its position overflows when doubled.
    theirs = await make.task({
      ProjectId: b.ProjectId,
      Name: SECRETS[0],
      DescriptionHTML: `<p>${SECRETS[1]}(</p>`,
      CardPositionNumber: 2_000_000_000,
    });
    await root.post(`Task(${theirs.TaskItemId})/AddNote`, {
      htmlText: `<p>${SECRETS[2]}</p>`,
      notificationContactIds: [],
    });
  });
  afterAll(() => app.close());

  const leaks = (r: Reply) => SECRETS.filter((s) => r.text.includes(s));

  it('cast of a value that does not convert is null, as OData says, not an error', async () => {
    const nulls = await alice.get(`Task?$filter=cast(Name,Edm.Int32) eq null&$select=Name`);
    expect(nulls.status).toBe(200);
    expect(nulls.body.value.map((t: any) => t.Name)).toEqual(['abc']);
    const numbers = await alice.get(`Task?$filter=cast(Name,Edm.Int32) eq 42&$select=Name`);
    expect(numbers.body.value.map((t: any) => t.Name)).toEqual(['42']);
    const guid = await alice.get(
      `Task?$compute=cast(DescriptionHTML,Edm.Guid) as G&$select=Name,G&$orderby=Name`,
    );
    expect(guid.status).toBe(200);
    expect(guid.body.value).toEqual(
      [
        { Name: '42', G: null },
        { Name: 'abc', G: null },
      ].map((x) => expect.objectContaining(x)),
    );
    const zero = await alice.get(
      `Task?$filter=CardPositionNumber div 0 eq null and Name eq '42'&$select=Name`,
    );
    expect(zero.body.value).toHaveLength(1);
  });

  const PROBES = (b: string) => [
    `Task?$filter=TaskItemId eq ${b} and cast(DescriptionHTML,Edm.Guid) eq null`,
    `Task?$filter=TaskItemId eq ${b}&$orderby=cast(DescriptionHTML,Edm.Int32)`,
    `Task?$filter=TaskItemId eq ${b}&$compute=cast(Name,Edm.Guid) as G&$orderby=G`,
    `Task/$count?$filter=TaskItemId eq ${b} and cast(Name,Edm.DateTimeOffset) eq null`,
    `Task?$filter=TaskItemId eq ${b} and CardPositionNumber mul 2 gt 0`,
    `Task?$filter=CardPositionNumber mul 2 gt 0&$orderby=CardPositionNumber add 2147483000`,
    `Task?$filter=matchesPattern(Name,DescriptionHTML)`,
    `Task?$apply=filter(CardPositionNumber mul 2 gt 0)/aggregate($count as N)`,
    `TaskItemNote?$filter=cast(Note,Edm.Guid) eq null`,
    `Project?$filter=cast(Name,Edm.Int32) eq 1`,
    `DynamicTaskItem?$filter=cast(TaskItem_DescriptionHTML,Edm.Guid) eq null and TaskItem_CardPositionNumber mul 2 gt 0`,
    `Task?$expand=Notes($filter=length(Note) mul 2147483647 mul 2147483647 gt 0)`,
  ];

  it('probes of the reported kinds get no error and nothing of B, for a stranger and a member of A', async () => {
    for (const caller of [stranger, alice]) {
      for (const probe of PROBES(theirs.TaskItemId)) {
        const r = await caller.get(probe);
        expect({
          probe,
          status: r.status,
          leaks: leaks(r),
          error: r.status === 200 ? undefined : r.text,
        }).toEqual({ probe, status: 200, leaks: [], error: undefined });
        if (r.status === 200 && Array.isArray(r.body?.value)) {
          expect({
            probe,
            ids: r.body.value.map((x: any) => x.TaskItemId).filter((id: string) => id === theirs.TaskItemId),
          }).toEqual({ probe, ids: [] });
        }
      }
      const direct = await caller.get(`Task(${theirs.TaskItemId})?$select=Name`);
      expect({ status: direct.status, leaks: leaks(direct) }).toEqual({ status: 404, leaks: [] });
    }
  });

  it('an error body never quotes a stored value or PostgreSQL', async () => {
    // As the row's own reader: an overflow on A's row is a 400 in our words.
    const r = await alice.get(`Task?$filter=CardPositionNumber mul 9223372036854775807 mul 2 gt 0`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).not.toMatch(/integer|out of range for type|"/);
    const fk = await alice.patch(`Task(${mine.TaskItemId})`, {
      RiskId: '7d0e8f3a-0000-4000-8000-000000000001',
    });
    expect(fk.status).toBe(400);
    expect(fk.body.error).toEqual({
      code: expect.any(String),
      message: 'RiskId does not point at an existing entity',
      target: 'RiskId',
    });
  });

  // Random expressions over Task's properties and functions, in $filter, $orderby and $compute.
  const str = fc.constantFrom(
    'Name',
    'DescriptionHTML',
    "'x'",
    "'('",
    'tolower(Name)',
    'trim(DescriptionHTML)',
  );
  const num = fc.constantFrom(
    'CardPositionNumber',
    'WorkAmount',
    'length(Name)',
    '0',
    '2147483647',
    'indexof(Name,DescriptionHTML)',
  );
  const value = fc.oneof(
    str,
    num,
    fc
      .tuple(num, fc.constantFrom('add', 'sub', 'mul', 'div', 'mod'), num)
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(
        str,
        fc.constantFrom('Edm.Guid', 'Edm.Int32', 'Edm.DateTimeOffset', 'Edm.Boolean', 'Edm.Decimal'),
      )
      .map(([s, t]) => `cast(${s},${t})`),
    fc.tuple(str, num).map(([s, n]) => `substring(${s},${n})`),
  );
  const predicate = fc.oneof(
    fc
      .tuple(value, fc.constantFrom('eq', 'ne', 'gt'), fc.constantFrom('null', '1', "'a'"))
      .map(([v, op, l]) => `${v} ${op} ${l}`),
    fc.tuple(str, str).map(([a, b]) => `matchesPattern(${a},${b})`),
    fc.tuple(str, str).map(([a, b]) => `contains(${a},${b})`),
  );
  const request = fc.oneof(
    fc.tuple(predicate, predicate).map(([p, q]) => `Task?$filter=${p} and not (${q})`),
    fc.tuple(predicate, value).map(([p, v]) => `Task?$filter=${p}&$orderby=${v}`),
    fc.tuple(value, predicate).map(([v, p]) => `Task?$compute=${v} as C&$filter=${p}&$select=Name,C`),
    predicate.map((p) => `Task/$count?$filter=${p}`),
  );

  it("no random expression gets B's values into any response of A's member or a stranger", async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.boolean(), async (url, asStranger) => {
        const r = await (asStranger ? stranger : alice).get(url);
        return r.status < 500 && leaks(r).length === 0 && !r.text.includes(theirs.TaskItemId);
      }),
      { numRuns: 150 },
    );
  });
});
