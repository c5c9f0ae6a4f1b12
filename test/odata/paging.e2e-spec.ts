import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, Reply, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';

/**
 * Paging of plain and grouped feeds (issue 18): whatever the mix of $apply, $top, $skip,
 * $orderby and server page size, following every nextLink gives exactly the unpaged answer.
 */
describe('paging', () => {
  let app: TestApp;
  let client: ODataClient;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    client = new ODataClient(app.baseUrl);
    const make = new Factories(client);
    const projects = [(await make.project()).ProjectId, (await make.project()).ProjectId, null];
    // Few distinct values, nulls among them: ties and null ordering on every sorted property.
    const names = ['alpha', 'beta', null, 'alpha', 'gamma', 'beta'];
    for (let i = 0; i < 26; i++) {
      await make.task({
        Name: names[i % names.length],
        ProjectId: projects[i % 3],
        IsDone: i % 4 === 0,
        WorkAmount: i % 5,
        CustomColor: i % 7 === 0 ? null : i % 3,
      });
    }
  }, 60000);
  afterAll(() => app.close());

  /** Every row of every page, following nextLinks with the same headers (as Power BI does). */
  async function follow(path: string, headers: Record<string, string> = {}, maxPage?: number) {
    const rows: any[] = [];
    const counts: number[] = [];
    let url: string | undefined = path;
    for (let pages = 0; url; pages++) {
      if (pages > 100) throw new Error(`more than 100 pages for ${path}`);
      const r: Reply = await client.get(url, headers);
      if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text}`);
      if (maxPage !== undefined && r.body.value.length > maxPage)
        throw new Error(`a page of ${r.body.value.length} rows for maxpagesize=${maxPage}`);
      rows.push(...r.body.value);
      if ('@odata.count' in r.body) counts.push(r.body['@odata.count']);
      url = r.body['@odata.nextLink'];
    }
    return { rows, counts };
  }

  const GROUPED = 'groupby((ProjectId,IsDone),aggregate($count as C))';

  describe('grouped feeds', () => {
    it('$top=2: following the nextLink does not go past the client top', async () => {
      const first = await client.get(`Task?$apply=${GROUPED}&$top=2`, { Prefer: 'odata.maxpagesize=1' });
      expect(first.body.value).toHaveLength(1);
      expect(first.body['@odata.nextLink']).toBeDefined();
      const { rows } = await follow(`Task?$apply=${GROUPED}&$top=2`, { Prefer: 'odata.maxpagesize=1' });
      const all = (await client.get(`Task?$apply=${GROUPED}`)).body.value;
      expect(all).toHaveLength(6);
      expect(rows).toEqual(all.slice(0, 2));
      // a page that serves the whole $top has no nextLink
      const whole = await client.get(`Task?$apply=${GROUPED}&$top=2`);
      expect(whole.body.value).toEqual(all.slice(0, 2));
      expect(whole.body['@odata.nextLink']).toBeUndefined();
    });

    it('$skip with $top and with a page size: the skip survives into the skiptoken', async () => {
      const all = (await client.get(`Task?$apply=${GROUPED}`)).body.value;
      const prefer = { Prefer: 'odata.maxpagesize=2' };
      expect((await follow(`Task?$apply=${GROUPED}&$skip=1&$top=3`, prefer)).rows).toEqual(all.slice(1, 4));
      const skipped = (await follow(`Task?$apply=${GROUPED}&$skip=1`, prefer)).rows;
      expect(skipped).toEqual(all.slice(1));
      expect(new Set(skipped.map((r) => JSON.stringify(r))).size).toBe(5);
    });

    it('a skiptoken of another shape, or garbage, is 400', async () => {
      const plain = await client.get('Task?$top=3', { Prefer: 'odata.maxpagesize=1' });
      const token = new URL(plain.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
      expectODataError(await client.get(`Task?$apply=${GROUPED}&$skiptoken=${token}`), 400);
      const bad = Buffer.from(JSON.stringify([[], 1, -4])).toString('base64url');
      expectODataError(await client.get(`Task?$apply=${GROUPED}&$skiptoken=${bad}`), 400);
    });
  });

  it('$orderby=Name desc,Name with $skip is ordered by Name desc (a second sort on it changes nothing)', async () => {
    const expected = await app.dataSource.query(
      `SELECT "TaskItemId" FROM task ORDER BY "Name" DESC NULLS LAST, "TaskItemId" OFFSET 3 LIMIT 5`,
    );
    for (const orderby of ['Name desc,Name', 'Name desc,Name desc,Name,TaskItemId']) {
      const r = await client.get(`Task?$orderby=${orderby}&$skip=3&$top=5&$select=TaskItemId`);
      expect(r.body.value.map((t: any) => t.TaskItemId)).toEqual(expected.map((e: any) => e.TaskItemId));
    }
    const byKey = await client.get('Task?$orderby=TaskItemId desc&$top=3&$select=TaskItemId');
    const keys = await app.dataSource.query(`SELECT "TaskItemId" FROM task ORDER BY 1 DESC LIMIT 3`);
    expect(byKey.body.value.map((t: any) => t.TaskItemId)).toEqual(keys.map((e: any) => e.TaskItemId));
  });

  it('$apply=filter(...) alone is the filtered set, with $select, $count and paging', async () => {
    const expected = (await client.get('Task?$filter=IsDone eq false and WorkAmount gt 1&$select=Name')).body;
    const r = await client.get('Task?$apply=filter(IsDone eq false)&$filter=WorkAmount gt 1&$select=Name');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(expected);
    const chained = await follow(
      'Task?$apply=filter(IsDone eq false)/filter(WorkAmount gt 1)&$select=Name&$count=true',
      { Prefer: 'odata.maxpagesize=4' },
    );
    expect(chained.rows).toEqual(expected.value);
    expect(new Set(chained.counts)).toEqual(new Set([expected.value.length]));
    const count = await client.get('Task/$count?$apply=filter(IsDone eq true)');
    expect(Number(count.text)).toBe(Number((await client.get('Task/$count?$filter=IsDone eq true')).text));
  });

  describe('property: the pages concatenated are the unpaged answer', () => {
    type Shape = { apply?: string; columns?: string[] };
    const plainColumns = ['Name', 'WorkAmount', 'IsDone', 'CustomColor', 'ProjectId', 'TaskItemId'];
    const shapes: Shape[] = [
      {},
      { apply: 'filter(IsDone eq false)' },
      { apply: GROUPED, columns: ['ProjectId', 'IsDone', 'C'] },
      { apply: 'groupby((IsDone))', columns: ['IsDone'] },
      { apply: 'groupby((Name,CustomColor))', columns: ['Name', 'CustomColor'] },
      {
        apply: 'filter(WorkAmount gt 0)/groupby((ProjectId),aggregate(WorkAmount with sum as S,$count as C))',
        columns: ['ProjectId', 'S', 'C'],
      },
      {
        apply: 'groupby((Project/Name,WorkAmount),aggregate($count as C))',
        columns: ['Project/Name', 'WorkAmount', 'C'],
      },
      { apply: 'aggregate($count as C,WorkAmount with max as M)', columns: ['C', 'M'] },
    ];
    const query = fc
      .record({
        shape: fc.constantFrom(...shapes),
        order: fc.array(fc.tuple(fc.nat(20), fc.boolean()), { maxLength: 3 }),
        top: fc.option(fc.nat(12), { nil: undefined }),
        skip: fc.option(fc.nat(12), { nil: undefined }),
        pageSize: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        count: fc.boolean(),
      })
      .map(({ shape, order, top, skip, pageSize, count }) => {
        const columns = shape.columns ?? plainColumns;
        const orderby = order.map(([i, desc]) => `${columns[i % columns.length]}${desc ? ' desc' : ''}`);
        const base = [
          shape.apply && `$apply=${shape.apply}`,
          !shape.columns && `$select=${plainColumns.join(',')}`,
          orderby.length && `$orderby=${orderby.join(',')}`,
          count && '$count=true',
        ].filter(Boolean);
        const paged = [...base, top !== undefined && `$top=${top}`, skip !== undefined && `$skip=${skip}`];
        return {
          unpaged: `Task?${base.join('&')}`,
          paged: `Task?${paged.filter(Boolean).join('&')}`,
          top,
          skip: skip ?? 0,
          pageSize,
        };
      });

    it('for random $apply/$orderby/$top/$skip/maxpagesize', async () => {
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const all = await client.get(q.unpaged);
          expect(all.status).toBe(200);
          expect(all.body['@odata.nextLink']).toBeUndefined();
          const headers: Record<string, string> = q.pageSize
            ? { Prefer: `odata.maxpagesize=${q.pageSize}` }
            : {};
          const { rows, counts } = await follow(q.paged, headers, q.pageSize);
          const end = q.top === undefined ? undefined : q.skip + q.top;
          expect(rows).toEqual(all.body.value.slice(q.skip, end));
          // $count is the whole result's, on every page
          for (const c of counts) expect(c).toBe(all.body['@odata.count']);
        }),
        { numRuns: 150 },
      );
    }, 120000);
  });
});
