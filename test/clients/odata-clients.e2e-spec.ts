import { OData } from '@odata/client';
import { csdl2openapi } from 'odata-openapi';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';
import { readFileSync } from 'node:fs';
import { startServiceProcess } from '../support/service-process';

/** Real OData clients against the running service, with nothing of ours in between. */
describe('real OData clients', () => {
  let app: TestApp;
  let client: ODataClient;
  let project: any;
  let column: any;

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    project = (await client.post('Project', { Name: 'Clients' })).body;
    column = (await client.post('TaskStatus', { Name: 'Todo', ProjectId: project.ProjectId })).body;
    for (let i = 1; i <= 5; i++)
      await client.post('Task', {
        Name: `client task ${i}`,
        ProjectId: project.ProjectId,
        WorkAmount: i,
        TaskItemStatusId: column.TaskItemStatusId,
      });
  });
  afterAll(() => app.close());

  it('@odata/client: query with filter/orderby/top, create, update, delete, a bound action', async () => {
    const odata = OData.New4({
      serviceEndpoint: `${client.root}/`,
      commonHeaders: ADMIN_HEADERS,
      processCsrfToken: false,
    });
    const tasks = odata.getEntitySet<any>('Task');
    const filter = odata.newFilter().property('WorkAmount').gt(2);
    const found = await tasks.query(odata.newParam().filter(filter).orderby('WorkAmount', 'desc').top(2));
    expect(found.map((t: any) => t.Name)).toEqual(['client task 5', 'client task 4']);

    const created = await tasks.create({
      Name: 'from @odata/client',
      ProjectId: project.ProjectId,
      TaskItemStatusId: column.TaskItemStatusId,
    });
    expect(created.TaskItemId).toEqual(expect.any(String));
    await tasks.update(created.TaskItemId, { WorkAmount: 7.5 } as any);
    expect((await tasks.retrieve(created.TaskItemId)).WorkAmount).toBe(7.5);
    const moved = await tasks.action('MoveTaskItem', created.TaskItemId, {
      taskItemStatusId: column.TaskItemStatusId,
      afterTaskItemId: null,
    });
    expect(moved.CardPositionNumber ?? moved.value?.CardPositionNumber).toBe(1);
    await tasks.delete(created.TaskItemId);
    expect((await client.get(`Task(${created.TaskItemId})`)).status).toBe(404);
  });

  it('ts-odatajs (Apache Olingo): read a collection and an entity', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const odatajs = require('ts-odatajs');
    const read = (url: string) =>
      new Promise<any>((ok, fail) =>
        odatajs.oData.read({ requestUri: url, headers: ADMIN_HEADERS }, ok, (e: any) =>
          fail(new Error(JSON.stringify(e?.response ?? e))),
        ),
      );
    const list = await read(`${client.root}/Task?$filter=WorkAmount le 2&$orderby=WorkAmount`);
    expect(list.value.map((t: any) => t.Name)).toEqual(['client task 1', 'client task 2']);
    const one = await read(`${client.root}/Task(${list.value[0].TaskItemId})`);
    expect(one.Name).toBe('client task 1');
  });

  it('odata-openapi converts the $metadata without warnings; /openapi.json and /docs are served', async () => {
    const csdl = (await client.get('$metadata?$format=json')).body;
    const messages: string[] = [];
    const openapi = csdl2openapi(csdl, { scheme: 'http', host: 'localhost', basePath: '/odata', messages });
    expect(messages).toEqual([]);
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/Task', '/Task({TaskItemId})', '/Task({TaskItemId})/Tasks.MoveTaskItem']),
    );
    const served: any = await (await fetch(`${app.baseUrl}/openapi.json`)).json();
    expect(served.openapi).toMatch(/^3\./);
    const docs = await fetch(`${app.baseUrl}/docs`);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    const asset = await fetch(`${app.baseUrl}/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    await asset.arrayBuffer();
  });
});

describe('a feed pull like Power Query', () => {
  let app: TestApp;
  let client: ODataClient;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    client = new ODataClient(app.baseUrl, { ...ADMIN_HEADERS, 'Accept-Encoding': 'gzip' });
    // Test data, not a request: the service's statement timeout does not apply (a loaded machine
    // takes longer than 30 s for 100,000 rows through the row triggers).
    await app.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = 0`);
      await m.query(`INSERT INTO task ("TaskItemId", "Name", "EndDateTime", "CardPositionNumber")
        SELECT md5('feed-' || i)::uuid, 'Feed ' || i, timestamptz '2025-01-01' + (i % 500) * interval '1 hour', i
        FROM generate_series(1, 100000) i`);
    });
  }, 120000);
  afterAll(() => app.close());

  it('$metadata, then every page of a 100,000-task feed: every row exactly once, in bounded server memory', async () => {
    // The service in a process of its own with a 160 MB heap: the whole feed as JSON text is
    // larger than that, so the pull only completes if the server holds one page at a time.
    const service = await startServiceProcess(
      { DATABASE_URL: app.databaseUrl, RATE_LIMIT_PER_MINUTE: '0', LIVE_WORKERS: '0' },
      ['--max-old-space-size=160'],
    );
    const child = service.child;
    const rss = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    try {
      const feed = new ODataClient(service.base);
      expect((await feed.get('$metadata')).status).toBe(200);
      const seen = new Set<string>();
      let url: string | undefined = 'Task';
      let pages = 0;
      let peak = 0;
      while (url) {
        const r: any = await feed.get(url);
        expect(r.status).toBe(200);
        for (const t of r.body.value) seen.add(t.TaskItemId);
        pages++;
        peak = Math.max(peak, rss());
        url = r.body['@odata.nextLink'];
      }
      expect(seen.size).toBe(100000);
      expect(pages).toBe(100);
      expect(child.exitCode).toBeNull();
      process.stdout.write(`feed pull: 100 pages, server peak RSS ${(peak / 1048576).toFixed(0)} MB\n`);
    } finally {
      await service.stop();
    }
  }, 180000);

  it('compression, a page ETag with 304, and omit-values=nulls', async () => {
    const res = await fetch(`${client.root}/Task?$top=500`, {
      headers: { ...ADMIN_HEADERS, 'Accept-Encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    await res.text(); // a body left unread keeps its connection busy, and the server open
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"p/);
    const again = await fetch(`${client.root}/Task?$top=500`, {
      headers: { ...ADMIN_HEADERS, 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
    const t = (await client.get('Task?$top=1&$select=TaskItemId')).body.value[0];
    await client.patch(`Task(${t.TaskItemId})`, { WorkAmount: 3 });
    const changed = await fetch(`${client.root}/Task?$top=500`, {
      headers: { ...ADMIN_HEADERS, 'If-None-Match': etag },
    });
    expect(changed.status).toBe(200);
    await changed.text();
    const omitted = await client.get('Task?$top=1', { Prefer: 'omit-values=nulls' });
    expect(omitted.headers.get('preference-applied')).toContain('omit-values=nulls');
    expect(Object.values(omitted.body.value[0])).not.toContain(null);
  });

  it('nextLinks behind a trusted reverse proxy use the forwarded host and protocol', async () => {
    const proxied = await startTestApp({
      databaseUrl: app.databaseUrl,
      env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      const r = await new ODataClient(proxied.baseUrl).get('Task?$top=2000', {
        'X-Forwarded-Host': 'tasks.example.com',
        'X-Forwarded-Proto': 'https',
      });
      expect(r.body['@odata.nextLink']).toMatch(/^https:\/\/tasks\.example\.com\/odata\/Task\?/);
      const untrusted = await client.get('Task?$top=2000', { 'X-Forwarded-Host': 'evil.example.com' });
      expect(untrusted.body['@odata.nextLink']).not.toContain('evil.example.com');
    } finally {
      await proxied.close();
    }
  });
});
