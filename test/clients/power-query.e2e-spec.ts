import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, Reply } from '../support/odata-client';
import { Factories } from '../support/factories';

/**
 * Power Query (Excel, Power BI) replayed header for header: the headers of its OData.Feed
 * requests, and the queries it folds a plain and a grouped table into. Every page is followed as
 * Power BI does, with the same headers, and the rows are checked against $count.
 */
describe('Power Query replay', () => {
  let app: TestApp;
  let client: ODataClient;
  /** What OData.Feed sends with every data request (ODataVersion=4); the page size as a user sets it. */
  const HEADERS = {
    ...ADMIN_HEADERS,
    Accept:
      'application/json;odata.metadata=minimal;q=1.0,application/json;odata.metadata=full;q=0.9,*/*;q=0.1',
    'Accept-Encoding': 'gzip, deflate',
    'OData-MaxVersion': '4.0',
    MaxDataServiceVersion: '3.0',
    'User-Agent': 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
    Prefer: 'odata.maxpagesize=4',
  };
  /** Its first request, before it knows the OData version of the service. */
  const PROBE_ACCEPT =
    'application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.7';

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    client = new ODataClient(app.baseUrl);
    const make = new Factories(client);
    const projects = [(await make.project()).ProjectId, (await make.project()).ProjectId, null];
    for (let i = 0; i < 45; i++)
      await make.task({
        Name: `Task ${i % 9}`,
        ProjectId: projects[i % 3],
        IsDone: i % 4 === 0,
        WorkAmount: i % 6,
      });
  }, 60000);
  afterAll(() => app.close());

  /** Every page of a feed, as Power BI reads it: the nextLink as given, the same headers each time. */
  async function pull(path: string): Promise<{ rows: any[]; pages: Reply[] }> {
    const rows: any[] = [];
    const pages: Reply[] = [];
    let url: string | undefined = path;
    while (url) {
      const r: Reply = await client.get(url, HEADERS);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
      expect(r.headers.get('odata-version')).toBe('4.0');
      expect(r.body.value.length).toBeLessThanOrEqual(4);
      expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=4');
      rows.push(...r.body.value);
      pages.push(r);
      url = r.body['@odata.nextLink'];
      if (pages.length > 50) throw new Error(`${path}: more than 50 pages`);
    }
    return { rows, pages };
  }
  const q = (text: string) => encodeURIComponent(text).replace(/%2C/g, ',').replace(/%2F/g, '/');

  it('discovers the service: service document, then $metadata as CSDL XML', async () => {
    const root = await client.get('', { ...HEADERS, Accept: PROBE_ACCEPT });
    expect(root.status).toBe(200);
    expect(root.body.value).toEqual(
      expect.arrayContaining([{ name: 'Task', kind: 'EntitySet', url: 'Task' }]),
    );
    const metadata = await client.get('$metadata', { ...HEADERS, Accept: 'application/xml' });
    expect(metadata.headers.get('content-type')).toMatch(/^application\/xml/);
    // the annotation that makes Power Query fold Table.Group into $apply
    expect(metadata.text).toMatch(/Org\.OData\.Aggregation\.V1/);
  });

  const PLAIN = [
    // navigating to the table, choosing columns
    'Task?$select=TaskItemId,Name,WorkAmount,IsDone,ProjectId',
    // filtered rows, sorted
    `Task?$filter=${q('IsDone eq false and WorkAmount ge 2')}&$select=TaskItemId,Name,WorkAmount&$orderby=${q('WorkAmount desc,Name')}`,
    // Table.Skip then Table.FirstN
    `Task?$select=TaskItemId,Name&$orderby=Name&$skip=4&$top=17`,
    // a text filter
    `Task?$filter=${q("startswith(Name,'Task 1') or Name eq 'Task 8'")}&$select=TaskItemId,Name`,
  ];

  it.each(PLAIN)('plain table %s: every page, rows as many as $count', async (path) => {
    const { rows } = await pull(path);
    const [set, query] = path.split('?');
    const params = new URLSearchParams(query);
    const filter = params.get('$filter');
    // Table.RowCount folds to /$count (of the filtered set; $skip and $top are applied to it)
    const count = await client.get(`${set}/$count${filter ? `?$filter=${q(filter)}` : ''}`, {
      ...HEADERS,
      Accept: 'text/plain',
    });
    expect(count.status).toBe(200);
    const skip = Number(params.get('$skip') ?? 0);
    const top = params.get('$top') === null ? Infinity : Number(params.get('$top'));
    expect(rows).toHaveLength(Math.max(0, Math.min(Number(count.text) - skip, top)));
    expect(new Set(rows.map((r) => r.TaskItemId)).size).toBe(rows.length);
    // the same rows as one unpaged read, in the same order
    const whole = await client.get(path);
    expect(rows).toEqual(whole.body.value);
  });

  const GROUPED = [
    // Table.Group by project and state, counting rows
    `Task?$apply=${q('groupby((ProjectId,IsDone),aggregate($count as Count))')}`,
    // with a sum, after a filter, sorted by the sum
    `Task?$apply=${q('filter(WorkAmount gt 0)/groupby((ProjectId),aggregate(WorkAmount with sum as Work,$count as Count))')}&$orderby=Work desc`,
    // Table.FirstN of a grouped table
    `Task?$apply=${q('groupby((Name,IsDone),aggregate($count as Count))')}&$top=6`,
    // grouped by a related entity's property, first rows kept
    `Task?$apply=${q('groupby((Project/Name,Name),aggregate(WorkAmount with max as Max))')}&$skip=2&$top=11`,
  ];

  it.each(GROUPED)('grouped table %s: every page, each group once, as many as $count', async (path) => {
    const { rows, pages } = await pull(`${path}&$count=true`);
    const counted = pages[0].body['@odata.count'];
    for (const page of pages) expect(page.body['@odata.count']).toBe(counted);
    const params = new URLSearchParams(path.split('?')[1]);
    const skip = Number(params.get('$skip') ?? 0);
    const top = params.get('$top') === null ? Infinity : Number(params.get('$top'));
    expect(rows).toHaveLength(Math.max(0, Math.min(counted - skip, top)));
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(rows.length);
    const whole = await client.get(path);
    expect(rows).toEqual(whole.body.value);
  });

  it('grouped rows are the groups the database finds', async () => {
    const { rows } = await pull(`Task?$apply=${q('groupby((ProjectId,IsDone),aggregate($count as Count))')}`);
    const expected = await app.dataSource.query(
      `SELECT "ProjectId", "IsDone", count(*)::int AS "Count" FROM task GROUP BY 1, 2`,
    );
    const key = (r: any) => `${r.ProjectId}|${r.IsDone}|${r.Count}`;
    expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
    expect(rows.reduce((n: number, r: any) => n + r.Count, 0)).toBe(45);
  });
});
