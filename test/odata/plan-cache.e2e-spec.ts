import fc from 'fast-check';
import { Client } from 'pg';
import { MAX_PREPARED_PER_CONNECTION, PgClient, runOn } from '../../src/odata/plan/execute';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient } from '../support/odata-client';
import { Factories } from '../support/factories';

/**
 * Query plans are compiled once per shape (src/odata/plan) and run as named prepared statements.
 * A cached plan must answer exactly as a fresh compilation does, whatever the literals.
 */
describe('query plans', () => {
  let warm: TestApp; // a large cache: plans are reused across literals
  let cold: TestApp; // a cache of one plan, evicted before each request: always compiled afresh
  let a: ODataClient;
  let b: ODataClient;

  beforeAll(async () => {
    warm = await startTestApp({ env: { DB_POOL_SIZE: '1' } });
    cold = await startTestApp({
      databaseUrl: warm.databaseUrl,
      env: { ODATA_PLAN_CACHE_SIZE: '1' },
    });
    a = new ODataClient(warm.baseUrl);
    b = new ODataClient(cold.baseUrl);
    const make = new Factories(a);
    const projects = [await make.project({ Name: 'Alpha' }), await make.project({ Name: 'Beta' })];
    for (let i = 0; i < 24; i++) {
      await make.task({
        Name: i % 5 === 0 ? null : `Task ${i}`,
        ProjectId: projects[i % 2].ProjectId,
        WorkAmount: i % 7,
        CustomColor: i % 3 === 0 ? null : i,
        IsDone: i % 4 === 0,
        Tags: i % 2 ? ['red'] : ['blue', 'red'],
      });
    }
  });
  afterAll(async () => {
    await cold.close();
    await warm.close();
  });

  const metric = async (stat: string) => {
    const text = await (await fetch(`${warm.baseUrl}/metrics`)).text();
    return Number(new RegExp(`odata_plan_cache\\{stat="${stat}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
  };

  it('the same shape with other literals is a cache hit, and /metrics counts it', async () => {
    await a.get(`Task?$filter=WorkAmount gt 1&$top=3`);
    const hits = await metric('hits');
    const r = await a.get(`Task?$filter=WorkAmount gt 4&$top=2`);
    expect(r.status).toBe(200);
    expect(r.body.value.every((t: any) => t.WorkAmount > 4)).toBe(true);
    expect(await metric('hits')).toBeGreaterThan(hits);
    expect(await metric('size')).toBeGreaterThan(0);
  });

  it('reads run as named prepared statements on the connection (DB_PREPARED_STATEMENTS)', async () => {
    await a.get(`Task?$filter=CustomColor eq 5&$select=Name`);
    await a.get(`Task?$filter=CustomColor eq 7&$select=Name`);
    // A pool of one connection: the test's query runs in the session the reads used.
    const named = await warm.dataSource.query(`SELECT name, statement FROM pg_prepared_statements`);
    expect(named.some((s: any) => /"CustomColor"/.test(s.statement))).toBe(true);
  });

  it('with DB_PREPARED_STATEMENTS=false no statement is prepared', async () => {
    const plain = await startTestApp({
      databaseUrl: warm.databaseUrl,
      env: { DB_POOL_SIZE: '1', DB_PREPARED_STATEMENTS: 'false' },
    });
    try {
      const c = new ODataClient(plain.baseUrl);
      expect((await c.get(`Task?$filter=CustomColor eq 5&$select=Name`)).status).toBe(200);
      expect((await c.get(`Task?$filter=CustomColor eq 7&$select=Name`)).status).toBe(200);
      expect(await plain.dataSource.query(`SELECT name FROM pg_prepared_statements`)).toEqual([]);
    } finally {
      await plain.close(); // shares the database: closing drops nothing (databaseUrl given)
    }
  });

  // Shapes whose SQL could depend on a literal: nulls, list lengths, patterns, $top/$skip, paging.
  const literal = fc.oneof(fc.constant('null'), fc.integer({ min: -1, max: 8 }).map(String));
  const text = fc.constantFrom("'Task 1'", "'a%'", "'_'", "''", "'O''Brien'", 'null');
  const condition = fc.oneof(
    fc.tuple(fc.constantFrom('eq', 'ne', 'gt', 'le'), literal).map(([op, v]) => `CustomColor ${op} ${v}`),
    fc.tuple(fc.constantFrom('eq', 'ne'), text).map(([op, v]) => `Name ${op} ${v}`),
    text.filter((t) => t !== 'null').map((t) => `contains(Name,${t})`),
    fc
      .array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 })
      .map((xs) => `WorkAmount in (${xs.join(',')})`),
    fc.constantFrom('red', 'blue', 'green').map((t) => `Tags/any(x: x eq '${t}')`),
    fc.boolean().map((v) => `IsDone eq ${v}`),
  );
  const request = fc
    .record({
      filter: fc.array(condition, { minLength: 1, maxLength: 3 }),
      top: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      skip: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      orderby: fc.constantFrom('Name', 'WorkAmount desc', 'CustomColor,Name desc'),
      count: fc.boolean(),
    })
    .map(({ filter, top, skip, orderby, count }) => {
      const parts = [`$filter=${encodeURIComponent(filter.join(' and '))}`, `$orderby=${orderby}`];
      if (top !== undefined) parts.push(`$top=${top}`);
      if (skip !== undefined) parts.push(`$skip=${skip}`);
      if (count) parts.push('$count=true');
      return `Task?${parts.join('&')}&$select=Name,WorkAmount,CustomColor`;
    });

  // A pool of one connection on the warm side also finds requests that need two connections at once.
  it('property: a cached plan answers as a fresh compilation, for any literals', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (url) => {
        const x = await a.get(url);
        const y = await b.get(url);
        await b.get('Project?$select=Name'); // evicts the cold cache's only plan
        // The two services differ only in their address (in @odata.context and links).
        const body = (r: { text: string }, app: TestApp) => r.text.split(app.baseUrl).join('<service>');
        expect({ url, status: x.status, body: body(x, warm) }).toEqual({
          url,
          status: y.status,
          body: body(y, cold),
        });
      }),
      { numRuns: 80 },
    );
  });

  it('$apply reads are planned too: another literal is a cache hit, run as a named prepared statement', async () => {
    const url = (v: number) =>
      `Task?$apply=filter(WorkAmount gt ${v})/groupby((ProjectId),aggregate($count as Count))&$orderby=Count desc&$top=1`;
    await a.get(url(0));
    const hits = await metric('hits');
    const r = await a.get(url(3));
    expect(r.status).toBe(200);
    expect(await metric('hits')).toBeGreaterThan(hits);
    // 24 tasks, WorkAmount i % 7 over two projects alternately: WorkAmount > 3 for 9, split 5 and 4.
    expect(r.body.value).toEqual([{ '@odata.id': null, ProjectId: expect.any(String), Count: 5 }]);
    const named = await warm.dataSource.query(`SELECT statement FROM pg_prepared_statements`);
    expect(named.some((s: any) => /json_build_array/.test(s.statement))).toBe(true);
  });

  const applyRequest = fc
    .record({
      min: fc.integer({ min: -1, max: 7 }),
      by: fc.constantFrom('ProjectId', 'IsDone', 'ProjectId,IsDone'),
      top: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      skip: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      count: fc.boolean(),
      maxPage: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    })
    .map(({ min, by, top, skip, count, maxPage }) => {
      const parts = [
        `$apply=filter(WorkAmount ge ${min})/groupby((${by}),aggregate(WorkAmount with sum as Total,$count as N))`,
      ];
      if (top !== undefined) parts.push(`$top=${top}`);
      if (skip !== undefined) parts.push(`$skip=${skip}`);
      if (count) parts.push('$count=true');
      return { url: `Task?${parts.join('&')}`, maxPage };
    });

  it('property: a cached $apply plan answers as a fresh compilation, next pages included', async () => {
    await fc.assert(
      fc.asyncProperty(applyRequest, async ({ url, maxPage }) => {
        const headers: Record<string, string> = maxPage ? { Prefer: `odata.maxpagesize=${maxPage}` } : {};
        let next: string | undefined = url;
        for (let page = 0; next && page < 4; page++) {
          const x: { status: number; text: string; body: any } = await a.get(next, headers);
          const y = await b.get(next.split(warm.baseUrl).join(cold.baseUrl), headers);
          await b.get('Project?$select=Name'); // evicts the cold cache's only plan
          const body = (r: { text: string }, app: TestApp) => r.text.split(app.baseUrl).join('<service>');
          expect({ next, status: x.status, body: body(x, warm) }).toEqual({
            next,
            status: y.status,
            body: body(y, cold),
          });
          next = x.body?.['@odata.nextLink'] as string | undefined;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a connection keeps a bounded number of prepared statements, however many shapes clients send', async () => {
    const client = new Client({ connectionString: warm.databaseUrl });
    await client.connect();
    try {
      const statement = (k: number) => ({
        name: `bound_${k}`,
        sql: `SELECT $1::int + ${k} AS v`,
        parameters: [1],
      });
      const prepared = async () =>
        Number((await client.query('SELECT count(*) AS n FROM pg_prepared_statements')).rows[0].n);
      for (let k = 0; k < MAX_PREPARED_PER_CONNECTION + 30; k++) {
        const [row] = await runOn<{ v: number }>(client as unknown as PgClient, statement(k) as never, true);
        expect(row.v).toBe(1 + k);
        expect(await prepared()).toBeLessThanOrEqual(MAX_PREPARED_PER_CONNECTION);
      }
      // the statements in use are prepared again as they come
      const again = await runOn<{ v: number }>(client as unknown as PgClient, statement(3) as never, true);
      expect(again[0].v).toBe(4);
      expect(await prepared()).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
