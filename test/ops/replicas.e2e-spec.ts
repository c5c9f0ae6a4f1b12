import { Client } from 'pg';
import { ODataClient } from '../support/odata-client';
import { OwnPostgres } from '../support/own-server';
import { Standby, migratedPrimaryWithStandby } from '../support/standby';
import { TestApp, startTestApp } from '../support/test-app';
import { freePort } from '../support/service-process';

const TOKEN = 'x-consistency-token';

/** A real streaming standby of the service's primary, read through DATABASE_READ_URLS. */
describe('read replicas (a streaming hot standby)', () => {
  const pg = new OwnPostgres();
  let standby: Standby;
  let app: TestApp;
  let client: ODataClient;

  /** A metric's value by labels, from /metrics (readable from 127.0.0.1). */
  const metric = async (name: string, labels: string): Promise<number> => {
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const until = async (what: () => Promise<boolean>, ms = 8000) => {
    const end = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    standby = await migratedPrimaryWithStandby(pg, 'replicas');
    app = await startTestApp({
      databaseUrl: pg.urlOf('replicas'),
      env: {
        DATABASE_READ_URLS: standby.urlOf('replicas'),
        DB_REPLICA_CHECK_MS: '200',
        DB_REPLICA_MAX_LAG_MS: '1500',
        RATE_LIMIT_PER_MINUTE: '0',
        LIVE_WORKERS: '0',
      },
    });
    client = new ODataClient(app.baseUrl);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await standby?.destroy();
    await pg.stop();
  });

  it('reads outside transactions land on the standby (db_reads_total by source)', async () => {
    expect(await metric('db_replica_usable', 'replica="0"')).toBe(1);
    const before = await metric('db_reads_total', 'source="replica0"');
    for (let i = 0; i < 5; i++) expect((await client.get('Project?$top=5')).status).toBe(200);
    expect((await client.get('Project/$count')).status).toBe(200);
    expect(await metric('db_reads_total', 'source="replica0"')).toBeGreaterThanOrEqual(before + 6);
    // The standby is what it says: a server in recovery.
    const c = new Client({ connectionString: standby.urlOf('replicas') });
    await c.connect();
    expect((await c.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    await c.end();
  });

  it('a write answers with a token; a read sending it back sees the write while replay is paused', async () => {
    await standby.pauseReplay();
    try {
      const created = await client.post('Project', { Name: 'seen at once' });
      expect(created.status).toBe(201);
      const token = created.headers.get(TOKEN)!;
      expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const id = created.body.ProjectId;
      // Without the token the paused standby answers: it does not have the project yet.
      expect((await client.get(`Project(${id})`)).status).toBe(404);
      // With it, the read goes to the primary (the standby has not replayed that far).
      const seen = await client.get(`Project(${id})`, { 'X-Consistency-Token': token });
      expect(seen.status).toBe(200);
      expect(seen.body.Name).toBe('seen at once');
      const list = await client.get(`Project?$filter=ProjectId eq ${id}`, { 'X-Consistency-Token': token });
      expect(list.body.value).toHaveLength(1);
    } finally {
      await standby.resumeReplay();
    }
    // Replayed: a token now lets the standby answer.
    const again = await client.post('Project', { Name: 'replayed' });
    await standby.caughtUp();
    const before = await metric('db_reads_total', 'source="replica0"');
    const read = await client.get(`Project(${again.body.ProjectId})`, {
      'X-Consistency-Token': again.headers.get(TOKEN)!,
    });
    expect(read.status).toBe(200);
    expect(await metric('db_reads_total', 'source="replica0"')).toBe(before + 1);
  });

  it('a lagging standby leaves the rotation and comes back once it has caught up', async () => {
    await standby.pauseReplay();
    try {
      const created = await client.post('Project', { Name: 'written while the standby lags' });
      await until(async () => (await metric('db_replica_usable', 'replica="0"')) === 0);
      // Out of rotation: reads without a token see the primary.
      expect((await client.get(`Project(${created.body.ProjectId})`)).status).toBe(200);
    } finally {
      await standby.resumeReplay();
    }
    await until(async () => (await metric('db_replica_usable', 'replica="0"')) === 1);
  });

  it('a standby stopping and starting again costs no request', async () => {
    const statuses: number[] = [];
    let reading = true;
    // Three readers at once, so that reads are running on the standby when it stops.
    const reader = Promise.all(
      [0, 1, 2].map(async () => {
        while (reading) {
          statuses.push((await client.get('Project?$top=3')).status);
          statuses.push((await client.get('Project/$count')).status);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await standby.stop();
    await until(async () => (await metric('db_replica_usable', 'replica="0"')) === 0);
    await new Promise((r) => setTimeout(r, 300));
    await standby.start();
    await until(async () => (await metric('db_replica_usable', 'replica="0"')) === 1);
    const before = await metric('db_reads_total', 'source="replica0"');
    await new Promise((r) => setTimeout(r, 300));
    reading = false;
    await reader;
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Back in rotation: the standby serves reads again.
    expect(await metric('db_reads_total', 'source="replica0"')).toBeGreaterThan(before);
  }, 30_000);

  it('a replica that is down when an instance starts does not stop the start: reads go to the primary', async () => {
    const closed = new URL(standby.urlOf('replicas'));
    closed.port = String(await freePort());
    const other = await startTestApp({
      databaseUrl: pg.urlOf('replicas'),
      env: { DATABASE_READ_URLS: closed.toString(), RATE_LIMIT_PER_MINUTE: '0', LIVE_WORKERS: '0' },
    });
    try {
      const c = new ODataClient(other.baseUrl);
      expect((await c.get('Project?$top=1')).status).toBe(200);
      const text = await (await fetch(`${other.baseUrl}/metrics`)).text();
      expect(text).toMatch(/^db_replica_usable\{replica="0"\} 0$/m);
      expect(text).toMatch(/^db_reads_total\{source="primary"\} [1-9]/m);
    } finally {
      await other.app.close();
    }
  });
});
