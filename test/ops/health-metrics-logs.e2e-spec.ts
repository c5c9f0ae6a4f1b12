import parsePrometheus from 'parse-prometheus-text-format';
import autocannon from 'autocannon';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';
import { OwnPostgres } from '../support/own-server';
import { createTestDatabase } from '../support/database';
import { MIGRATIONS } from '../../src/database/migrations';

describe('health, metrics, logs', () => {
  let app: TestApp;
  let client: ODataClient;
  const logs: string[] = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write: (chunk, _enc, done) => {
        logs.push(String(chunk));
        done();
      },
    });
    app = await startTestApp({
      logStream,
      env: { METRICS_TOKEN: 'metrics-token-0123456789', METRICS_ALLOW: '10.255.255.1' },
    });
    client = new ODataClient(app.baseUrl);
  });
  afterAll(() => app.close());

  it('live and ready answer without authentication', async () => {
    const live = await fetch(`${app.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
  });

  it('metrics are Prometheus text, count requests, and need the token or an allowed address', async () => {
    await client.get('Task?$top=1');
    await client.get('Task?$top=1');
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(403);
    const res = await fetch(`${app.baseUrl}/metrics`, {
      headers: { Authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const families = parsePrometheus(await res.text());
    const requests = families.find((f: any) => f.name === 'odata_requests_total');
    const taskGets = requests.metrics.find(
      (m: any) => m.labels.entity_set === 'Task' && m.labels.method === 'GET' && m.labels.status === '200',
    );
    expect(Number(taskGets.value)).toBeGreaterThanOrEqual(2);
    expect(families.map((f: any) => f.name)).toEqual(
      expect.arrayContaining([
        'odata_request_duration_seconds',
        'db_pool_connections',
        'odata_rows_streamed_total',
        'process_resident_memory_bytes',
      ]),
    );
  });

  it('logs are JSON with the request id, entity set and status, and never a secret', async () => {
    const r = await client.get('Task?$top=1&api_key=sup3r-s3cret-k3y', { 'X-Request-Id': 'req-abc-123' });
    expect(r.status).toBe(200);
    const bad = await client.get('Task?$top=1', { Authorization: 'Bearer t0ken-never-logged' });
    expect(bad.status).toBe(401);
    expect(r.headers.get('x-request-id')).toBe('req-abc-123');
    expect(r.headers.get('server-timing')).toMatch(/db;dur=[\d.]+, total;dur=[\d.]+/);
    const generated = await client.get('Task?$top=1');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const all = logs.join('');
    expect(all).not.toContain('sup3r-s3cret-k3y');
    expect(all).not.toContain('t0ken-never-logged');
    expect(all).not.toContain('test-admin-token-0123456789');
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.req?.id === 'req-abc-123');
    expect(line).toMatchObject({
      entitySet: 'Task',
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(line.req.url).toContain('api_key=[redacted]');
  });
});

describe('readiness follows the database', () => {
  const pg = new OwnPostgres();
  let app: TestApp;

  beforeAll(async () => {
    await pg.start();
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE ready_test');
    await admin.end();
    const ds = new DataSource(dataSourceOptions(pg.urlOf('ready_test'), { poolSize: 2 }));
    await ds.initialize();
    await runMigrations(ds);
    await ds.destroy();
    app = await startTestApp({ databaseUrl: pg.urlOf('ready_test') });
  }, 60000);
  afterAll(async () => {
    await app?.close();
    await pg.stop();
  });

  it('turns false while PostgreSQL is down and true again after, without a restart', async () => {
    expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
    await pg.stop();
    const t0 = Date.now();
    const down = await fetch(`${app.baseUrl}/health/ready`);
    expect(down.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
    // requests fail fast with 503 and Retry-After, never 500
    const during = await fetch(`${app.baseUrl}/odata/Task/$count`, { headers: ADMIN_HEADERS });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toEqual(expect.any(String));
    expect(((await during.json()) as any).error.code).toEqual(expect.any(String));
    await pg.start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await fetch(`${app.baseUrl}/health/ready`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await fetch(`${app.baseUrl}/odata/Task/$count`, { headers: ADMIN_HEADERS })).status).toBe(200);
  }, 60000);
});

describe('backpressure', () => {
  it('a saturated pool answers 503 with Retry-After after a bounded wait, then recovers', async () => {
    const app = await startTestApp({
      env: { DB_POOL_SIZE: '1', DB_POOL_WAIT_MS: '200', RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      const held = app.dataSource.createQueryRunner();
      await held.connect(); // the only connection, busy
      const r = await fetch(`${app.baseUrl}/odata/Task/$count`, { headers: ADMIN_HEADERS });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('2');
      await held.release();
      expect((await fetch(`${app.baseUrl}/odata/Task/$count`, { headers: ADMIN_HEADERS })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('clients that leave in the middle of a streamed page do not take connections with them', async () => {
    const app = await startTestApp({
      env: { DB_POOL_SIZE: '2', DB_POOL_WAIT_MS: '2000', RATE_LIMIT_PER_MINUTE: '0', LIVE_WORKERS: '0' },
    });
    try {
      const c = new Client({ connectionString: app.databaseUrl });
      await c.connect();
      await c.query(`SET session_replication_role = replica`);
      await c.query(
        `INSERT INTO task ("Name", "DescriptionHTML") SELECT 'leaver ' || i, repeat('x', 500) FROM generate_series(1, 5000) i`,
      );
      await c.end();
      for (let i = 0; i < 12; i++) {
        const abort = new AbortController();
        const res = await fetch(`${app.baseUrl}/odata/Task`, {
          headers: ADMIN_HEADERS,
          signal: abort.signal,
        });
        expect(res.status).toBe(200);
        abort.abort(); // gone after the headers, before the body
      }
      // and what a load generator leaves behind when it stops: 32 connections cut mid-request
      await autocannon({
        url: `${app.baseUrl}/odata/Task?$top=50&$orderby=Name`,
        connections: 32,
        duration: 1,
        headers: ADMIN_HEADERS,
      });
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${app.baseUrl}/odata/Task?$top=1`, { headers: ADMIN_HEADERS });
        expect(r.status).toBe(200);
        await r.text();
      }
    } finally {
      await app.close();
    }
  });

  it('a query past STATEMENT_TIMEOUT_MS is cancelled in PostgreSQL and named in the error', async () => {
    const app = await startTestApp({ env: { STATEMENT_TIMEOUT_MS: '50', RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const c = new Client({ connectionString: app.databaseUrl });
      await c.connect();
      await c.query(`SET session_replication_role = replica`); // bulk data without triggers
      await c.query(`INSERT INTO task ("Name") SELECT 'slow ' || i FROM generate_series(1, 150000) i`);
      await c.end();
      const r = await fetch(
        `${app.baseUrl}/odata/Task?$apply=groupby((Name),aggregate($count as N))&$orderby=N desc`,
        { headers: ADMIN_HEADERS },
      );
      expect(r.status).toBe(503);
      expect(((await r.json()) as any).error.message).toMatch(/STATEMENT_TIMEOUT_MS/);
      // cancelled in PostgreSQL, not only abandoned in Node: nothing of the request is still running
      const active = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%GROUP BY%' AND pid <> pg_backend_pid()`,
      );
      expect(active[0].n).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('migrations and replicas', () => {
  it('two instances migrating at once apply each migration once', async () => {
    const db = await createTestDatabase();
    const empty = new Client({ connectionString: db.url });
    await empty.connect();
    await empty.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await empty.end();
    const a = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    const b = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await Promise.all([a.initialize(), b.initialize()]);
    await Promise.all([runMigrations(a), runMigrations(b)]);
    const applied = await a.query('SELECT name FROM migrations');
    expect(applied.map((m: any) => m.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    await Promise.all([a.destroy(), b.destroy()]);
    await db.drop();
  });

  it('reads go to DATABASE_READ_URLS, writes and transactional reads to the primary', async () => {
    const primary = await createTestDatabase();
    const replica = await createTestDatabase();
    // Tell them apart: a project only the replica has.
    const r = new Client({ connectionString: replica.url });
    await r.connect();
    await r.query(`INSERT INTO project ("Name") VALUES ('only on the replica')`);
    await r.end();
    const app = await startTestApp({ databaseUrl: primary.url, env: { DATABASE_READ_URLS: replica.url } });
    const client = new ODataClient(app.baseUrl);
    try {
      expect((await client.get('Project')).body.value.map((p: any) => p.Name)).toEqual([
        'only on the replica',
      ]);
      const created = await client.post('Project', { Name: 'written to the primary' });
      expect(created.status).toBe(201);
      expect(created.body.Name).toBe('written to the primary'); // read back inside the write transaction
      const p = new Client({ connectionString: primary.url });
      await p.connect();
      expect((await p.query('SELECT "Name" FROM project')).rows.map((x) => x.Name)).toEqual([
        'written to the primary',
      ]);
      await p.end();
    } finally {
      await app.close();
      await primary.drop();
      await replica.drop();
    }
  });
});
