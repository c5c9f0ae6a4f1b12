import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient } from '../support/odata-client';

/**
 * ODATA_FEED_READ_AHEAD: a feed's next page is read while the current one is sent. Pages read
 * ahead must answer exactly as pages read on request, and a write answered between two pages
 * must be visible on the next one.
 */
describe('feeds read ahead', () => {
  let ahead: TestApp;
  let plain: TestApp;
  let a: ODataClient;
  let p: ODataClient;
  const PAGE = { Prefer: 'odata.maxpagesize=150' }; // a long page (> 100 rows): read ahead

  beforeAll(async () => {
    ahead = await startTestApp({ env: { ODATA_FEED_READ_AHEAD: 'true' } });
    plain = await startTestApp({ databaseUrl: ahead.databaseUrl });
    a = new ODataClient(ahead.baseUrl);
    p = new ODataClient(plain.baseUrl);
    await ahead.dataSource.query(
      `INSERT INTO task ("Name", "WorkAmount") SELECT 'feed ' || i, i % 9 FROM generate_series(1, 520) i`,
    );
  });
  afterAll(async () => {
    await plain.close();
    await ahead.close();
  });

  const pages = async (client: ODataClient, app: TestApp, url: string) => {
    const out: string[] = [];
    let next: string | undefined = url;
    while (next) {
      const r: { status: number; text: string; body: any } = await client.get(next, PAGE);
      expect(r.status).toBe(200);
      out.push(r.text.split(app.baseUrl).join('<service>'));
      next = r.body['@odata.nextLink'] as string | undefined;
    }
    return out;
  };

  it('every page of a feed is the same with and without read-ahead', async () => {
    for (const url of ['Task', 'Task?$filter=WorkAmount gt 2&$orderby=Name desc&$count=true&$select=Name']) {
      const x = await pages(a, ahead, url);
      const y = await pages(p, plain, url);
      expect(x.length).toBeGreaterThan(2);
      expect(x).toEqual(y);
    }
  });

  it('a write answered between two pages shows on the next page', async () => {
    const first = await a.get('Task?$orderby=Name&$select=Name,WorkAmount', PAGE);
    const next = first.body['@odata.nextLink'] as string;
    await new Promise((r) => setTimeout(r, 200)); // the next page has been read ahead by now
    const victim = (await ahead.dataSource.query(
      `SELECT "TaskItemId" FROM task ORDER BY "Name", "TaskItemId" OFFSET 150 LIMIT 1`,
    )) as Array<{ TaskItemId: string }>;
    const patched = await a.patch(`Task(${victim[0].TaskItemId})`, { WorkAmount: 1234 });
    expect(patched.status).toBeLessThan(300);
    const second = await a.get(next, PAGE);
    expect(second.body.value[0]).toMatchObject({ WorkAmount: 1234 });
  });
});
