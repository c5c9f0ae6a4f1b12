import { IncomingMessage, get as httpGet } from 'node:http';
import parsePrometheus from 'parse-prometheus-text-format';
import { Client } from 'pg';
import { AdmissionGate } from '../../src/odata/http/admission';
import { ODataRequestHandler } from '../../src/odata/http/odata-request-handler';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, Reply } from '../support/odata-client';

/**
 * Backpressure with a pool of two connections: one long slot (DB_POOL_LONG_SHARE), one waiting
 * request per lane (DB_QUEUE_LENGTH), a short wait. Connections are held the way they are in
 * production: a feed page that a slow client does not read (its cursor stays open), and a PATCH
 * waiting for a row lock another session holds.
 */
describe('backpressure: admission lanes in front of the pool', () => {
  let app: TestApp;
  let client: ODataClient;
  let gate: AdmissionGate;
  let taskIds: string[];
  /** Every status an OData request of this file answered. */
  const statuses: number[] = [];

  const record = async (r: Promise<Reply>) => {
    const reply = await r;
    statuses.push(reply.status);
    return reply;
  };
  const until = async (what: string, check: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for: ${what} (${JSON.stringify(gate.stats())})`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  /** A client that asks for a page and then does not read it: the page's cursor stays open. */
  const slowGet = (path: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpGet(
        `${app.baseUrl}/odata/${path}`,
        { agent: false, headers: { ...ADMIN_HEADERS, 'accept-encoding': 'identity' } },
        resolve,
      );
      req.once('error', reject);
    });
  const readAll = async (res: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const expectBusy = (r: Reply, reason: RegExp) => {
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(r.body).toEqual({ error: { code: 'ODATA503', message: expect.stringMatching(reason) } });
  };

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        DB_POOL_SIZE: '2',
        DB_QUEUE_LENGTH: '1',
        DB_POOL_WAIT_MS: '1500',
        RATE_LIMIT_PER_MINUTE: '0',
        LIVE_WORKERS: '0',
      },
    });
    client = new ODataClient(app.baseUrl);
    gate = app.app.get(AdmissionGate);
    // 1,200 tasks of ~40 kB each: a 1,000-row page (~40 MB) is far more than the socket buffers
    // between a client that does not read and the service hold.
    const c = new Client({ connectionString: app.databaseUrl });
    await c.connect();
    await c.query(`SET session_replication_role = replica`);
    const rows = await c.query(
      `INSERT INTO task ("Name", "DescriptionHTML") SELECT 'big ' || i, repeat(md5(i::text), 1250) FROM generate_series(1, 1200) i RETURNING "TaskItemId"`,
    );
    await c.end();
    taskIds = rows.rows.map((r) => r.TaskItemId);
  }, 60000);
  afterAll(() => app?.close());

  it('classifies $batch and pages of more than 100 rows as long work', () => {
    const handler = app.app.get(ODataRequestHandler);
    const lane = (method: string, url: string, headers: Record<string, string> = {}) => {
      const q = url.indexOf('?');
      return handler.laneOf({
        method,
        path: q < 0 ? url : url.slice(0, q),
        search: q < 0 ? '' : url.slice(q + 1),
        headers,
      });
    };
    expect(lane('POST', '/$batch')).toBe('long');
    expect(lane('GET', '/Task')).toBe('long');
    expect(lane('HEAD', '/Task')).toBe('long');
    expect(lane('GET', '/Task?$top=101')).toBe('long');
    expect(lane('GET', `/Task(${taskIds[0]})/Notes`)).toBe('long');
    expect(lane('GET', '/Task?$apply=groupby((ProjectId))')).toBe('long');
    expect(lane('GET', '/Task?$top=100')).toBe('short');
    expect(lane('GET', '/Task?%24top=20&$filter=IsDone eq false')).toBe('short');
    expect(lane('GET', '/Task', { prefer: 'odata.maxpagesize=50' })).toBe('short');
    expect(lane('GET', `/Task(${taskIds[0]})`)).toBe('short');
    expect(lane('GET', '/Task/$count')).toBe('short');
    expect(lane('GET', `/Task(${taskIds[0]})/Name`)).toBe('short');
    expect(lane('GET', '/$metadata')).toBe('short');
    expect(lane('GET', '/')).toBe('short');
    expect(lane('POST', '/Task')).toBe('short');
    expect(lane('PATCH', `/Task(${taskIds[0]})`)).toBe('short');
    expect(lane('POST', '/Task/BatchInsert')).toBe('short');
    expect(lane('GET', '/NoSuchSet')).toBe('short');
  });

  it('long work saturated: short reads still answer, more long work gets 503 with Retry-After, never 500', async () => {
    const feed = await slowGet('Task');
    expect(feed.statusCode).toBe(200);
    await until('the feed holds the long slot', () => gate.stats().active.long === 1);

    // short reads use the other connection
    const one = await record(client.get(`Task(${taskIds[0]})`));
    expect(one.status).toBe(200);
    expect(one.body.Name).toBe('big 1');
    expect((await record(client.get('Task?$top=5&$select=Name'))).body.value).toHaveLength(5);
    expect((await record(client.get('Task/$count'))).text).toBe('1200');

    // a $batch waits for the long slot ...
    const batch = record(
      client.post('$batch', { requests: [{ id: '1', method: 'GET', url: 'Task?$top=1' }] }),
    );
    await until('the $batch waits', () => gate.stats().waiting.long === 1);
    // ... while single reads still answer
    expect((await record(client.get(`Task(${taskIds[1]})`))).status).toBe(200);
    // the long queue holds one: another feed is turned away at once
    expectBusy(await record(client.get('Task?$select=Name')), /already waiting.*DB_QUEUE_LENGTH/);
    // and the $batch, when the feed does not finish within DB_POOL_WAIT_MS
    expectBusy(await batch, /long-running requests.*within 1500 ms \(DB_POOL_WAIT_MS\)/);

    // the slow client reads its page after all: complete, and the slot is free again
    const page = JSON.parse(await readAll(feed));
    expect(page.value).toHaveLength(1000);
    expect(page['@odata.nextLink']).toEqual(expect.any(String));
    await until('the feed has let go of its slot', () => gate.stats().active.long === 0);
    const after = await record(
      client.post('$batch', { requests: [{ id: '1', method: 'GET', url: 'Task?$top=1&$select=Name' }] }),
    );
    expect(after.status).toBe(200);
    expect(after.body.responses[0].status).toBe(200);
  }, 60000);

  it('every connection busy: short reads queue, then get 503 with Retry-After; all answer again after', async () => {
    const feed = await slowGet('Task');
    expect(feed.statusCode).toBe(200);
    await until('the feed holds the long slot', () => gate.stats().active.long === 1);
    // a write waiting for a row lock holds the other connection
    const locker = new Client({ connectionString: app.databaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM task WHERE "TaskItemId" = $1 FOR UPDATE`, [taskIds[2]]);
    const patch = record(client.patch(`Task(${taskIds[2]})`, { Name: 'patched after the lock' }));
    await until('the PATCH holds the short slot', () => gate.stats().active.short === 1);

    const queued = record(client.get(`Task(${taskIds[3]})`));
    await until('a read waits', () => gate.stats().waiting.short === 1);
    expectBusy(await record(client.get(`Task(${taskIds[4]})`)), /already waiting.*DB_QUEUE_LENGTH/);
    expectBusy(await queued, /no database connection became free for requests within 1500 ms/);

    await locker.query('COMMIT');
    await locker.end();
    expect((await patch).status).toBeLessThan(300);
    expect((await readAll(feed)).length).toBeGreaterThan(1_000_000);
    await until('every slot is free', () => gate.stats().active.short + gate.stats().active.long === 0);
    const read = await record(client.get(`Task(${taskIds[2]})`));
    expect(read.body.Name).toBe('patched after the lock');
    expect((await record(client.get('Task?$top=200&$select=Name'))).body.value).toHaveLength(200);
  }, 60000);

  it('many clients at once against two connections: 200 or 503 with Retry-After, never a 500', async () => {
    const paths = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? 'Task?$select=Name,DescriptionHTML' : i % 3 === 1 ? `Task(${taskIds[i]})` : '$batch',
    );
    const replies = await Promise.all(
      paths.map((p) =>
        record(
          p === '$batch'
            ? client.post('$batch', {
                requests: [{ id: '1', method: 'GET', url: 'Task?$top=300&$select=Name' }],
              })
            : client.get(p),
        ),
      ),
    );
    for (const r of replies) {
      if (r.status === 503) expectBusy(r, /The service is busy/);
      else expect(r.status).toBe(200);
    }
    expect(replies.some((r) => r.status === 200)).toBe(true);
    await until('every slot is free', () => gate.stats().active.short + gate.stats().active.long === 0);
  }, 60000);

  it('rejections are counted in /metrics; no request of this file answered 500', async () => {
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const families = parsePrometheus(await res.text());
    const rejected = families.find((f: any) => f.name === 'odata_admission_rejected_total');
    const count = (lane: string, reason: string) =>
      Number(
        rejected.metrics.find((m: any) => m.labels.lane === lane && m.labels.reason === reason)?.value ?? 0,
      );
    expect(count('long', 'queue_full')).toBeGreaterThanOrEqual(1);
    expect(count('long', 'timeout')).toBeGreaterThanOrEqual(1);
    expect(count('short', 'queue_full')).toBeGreaterThanOrEqual(1);
    expect(count('short', 'timeout')).toBeGreaterThanOrEqual(1);
    const gauge = families.find((f: any) => f.name === 'odata_admission_requests');
    expect(gauge.metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ labels: { lane: 'long', state: 'waiting' } })]),
    );
    expect(statuses.length).toBeGreaterThan(60);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  });
});
