import { Writable } from 'node:stream';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { reportPreparedStatements } from '../../src/database/scale-setup';
import { createTestDatabase, TestDatabase } from '../support/database';
import { Factories } from '../support/factories';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';
import { PgBouncer } from '../support/pgbouncer';
import { SseClient } from '../support/sse';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * `npm run test:pooler` (not in npm test: it needs Debian's pgbouncer installed). The service
 * behind PgBouncer in transaction mode, LISTEN on a direct connection (DATABASE_LISTEN_URL).
 */
describe('behind PgBouncer in transaction mode', () => {
  let db: TestDatabase;
  let bouncer: PgBouncer;
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    bouncer = new PgBouncer(db.url, { poolSize: 3 });
    await bouncer.start();
    app = await startTestApp({
      databaseUrl: bouncer.urlOf(db.url),
      env: {
        DATABASE_LISTEN_URL: db.url,
        DB_PREPARED_STATEMENTS: 'false',
        DB_POOL_SIZE: '8',
        RATE_LIMIT_PER_MINUTE: '0',
      },
      logStream: new Writable({
        write: (chunk, _enc, done) => {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await bouncer?.stop();
    await db?.drop();
  });

  it('really goes through PgBouncer, and the setting is logged at start', async () => {
    // PgBouncer's admin console lists the service's client connections.
    const admin = new Client({ connectionString: bouncer.urlOf(db.url).replace(/\/[^/]*$/, '/pgbouncer') });
    await admin.connect();
    const clients = (await admin.query('SHOW CLIENTS')).rows.filter(
      (r) => r.database === new URL(db.url).pathname.slice(1),
    );
    const [{ pool_mode }] = (await admin.query('SHOW POOLS')).rows.filter((r) => r.database !== 'pgbouncer');
    await admin.end();
    expect(clients.length).toBeGreaterThan(0);
    expect(pool_mode).toBe('transaction');
    expect(logs.join('')).toContain('Named prepared statements: off (DB_PREPARED_STATEMENTS=false)');
  });

  it('writes, reads, feed pages (cursors), TimeZone UTC and the consistency token', async () => {
    const project = await make.project({ Name: 'pooled' });
    const tasks = await Promise.all(
      Array.from({ length: 30 }, (_, i) => make.task({ ProjectId: project.ProjectId, Name: `t${i}` })),
    );
    const page = await client.get(`Task?$filter=ProjectId eq ${project.ProjectId}&$orderby=Name`, {
      Prefer: 'odata.maxpagesize=10',
    });
    expect(page.status).toBe(200);
    expect(page.body.value).toHaveLength(10);
    const all = await client.all(`Task?$filter=ProjectId eq ${project.ProjectId}`, {
      Prefer: 'odata.maxpagesize=7',
    });
    expect(all.rows).toHaveLength(30);
    // TimeZone comes from PgBouncer's database line (the service's startup options are not passed on).
    const [{ tz }] = await app.dataSource.query(`SELECT current_setting('TimeZone') AS tz`);
    expect(tz).toBe('UTC');
    const patched = await client.patch(`Task(${tasks[0].TaskItemId})`, { Name: 'renamed' });
    expect(patched.status).toBeLessThan(300);
    expect(patched.headers.get('x-consistency-token')).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it('a $batch change set is still one transaction: a failing request rolls back the others', async () => {
    const project = await make.project({ Name: 'atomic' });
    const reply = await client.post('$batch', {
      requests: [
        {
          id: '1',
          atomicityGroup: 'g',
          method: 'POST',
          url: 'Task',
          body: { Name: 'kept?', ProjectId: project.ProjectId },
        },
        {
          id: '2',
          atomicityGroup: 'g',
          method: 'POST',
          url: 'Task',
          body: { Name: 'bad', ProjectId: '00000000-0000-0000-0000-000000000000' },
        },
      ],
    });
    expect(reply.status).toBe(200);
    const count = await client.get(`Task/$count?$filter=ProjectId eq ${project.ProjectId}`);
    expect(count.text).toBe('0');
  });

  it('Kanban moves (transaction-scoped advisory locks) and concurrent requests', async () => {
    const project = await make.project();
    const col = await make.status(project.ProjectId);
    const cards = await Promise.all(
      Array.from({ length: 6 }, () =>
        make.task({ ProjectId: project.ProjectId, TaskItemStatusId: col.TaskItemStatusId }),
      ),
    );
    const moves = await Promise.all(
      cards.map((c) =>
        client.post(`Task(${c.TaskItemId})/MoveTaskItem`, {
          taskItemStatusId: col.TaskItemStatusId,
          afterTaskItemId: null,
        }),
      ),
    );
    expect(moves.map((m) => m.status)).toEqual(cards.map(() => 200));
    const reads = await Promise.all(
      Array.from({ length: 40 }, () => client.get(`Task?$filter=ProjectId eq ${project.ProjectId}&$top=5`)),
    );
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    const positions = (
      await client.get(`Task?$filter=TaskItemStatusId eq ${col.TaskItemStatusId}&$orderby=CardPositionNumber`)
    ).body.value.map((t: any) => t.CardPositionNumber);
    expect(new Set(positions).size).toBe(6);
  });

  it('the change stream hears changes (LISTEN on the direct DATABASE_LISTEN_URL)', async () => {
    const project = await make.project();
    const events = await SseClient.open(
      `${app.baseUrl}/odata/$events?projectId=${project.ProjectId}`,
      ADMIN_HEADERS,
    );
    try {
      const task = await make.task({ ProjectId: project.ProjectId, Name: 'heard' });
      await events.waitFor((e) => e.data.key === task.TaskItemId && e.data.kind === 'created');
    } finally {
      events.close();
    }
  });

  it('with DB_PREPARED_STATEMENTS on, the start probes the pooler and says what it found', async () => {
    const ds = new DataSource(dataSourceOptions(bouncer.urlOf(db.url), { poolSize: 2 }));
    await ds.initialize();
    try {
      // PgBouncer 1.18 in transaction mode keeps no prepared statement for a client: the probe
      // sees the pooler (PostgreSQL's port is not the URL's) or loses its statement.
      const found = await reportPreparedStatements(ds, true);
      expect(found).toMatch(
        /^Named prepared statements: on, (and a pooler or proxy is in between|but the connection lost one)/,
      );
      console.log(`pooler probe: ${found}`);
    } finally {
      await ds.destroy();
    }
  });
});
