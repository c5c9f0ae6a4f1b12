import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess } from '../support/service-process';
import { OwnPostgres } from '../support/own-server';

/** Writes interrupted by the database going away leave nothing behind; the service recovers by itself. */
describe('database outage during writes', () => {
  const pg = new OwnPostgres();
  let app: TestApp;
  let client: ODataClient;
  const count = async (where: string) => {
    const c = new Client({ connectionString: pg.urlOf('outage') });
    await c.connect();
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM task WHERE ${where}`)).rows;
    await c.end();
    return n;
  };

  beforeAll(async () => {
    await pg.start();
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE outage');
    await admin.end();
    const ds = new DataSource(dataSourceOptions(pg.urlOf('outage'), { poolSize: 2 }));
    await ds.initialize();
    await runMigrations(ds);
    await ds.destroy();
    app = await startTestApp({
      databaseUrl: pg.urlOf('outage'),
      env: { RATE_LIMIT_PER_MINUTE: '0', LIVE_WORKERS: '0' },
    });
    client = new ODataClient(app.baseUrl);
  }, 60000);
  afterAll(async () => {
    await app?.close();
    await pg.stop();
  });

  it('a BatchInsert and a $batch change set cut off by the database stopping: 503, nothing written, 200 again after', async () => {
    const items = Array.from({ length: 20000 }, (_, i) => ({
      Name: `outage ${i}`,
      DescriptionHTML: 'x'.repeat(200),
    }));
    const insert = client.post('Task/BatchInsert', { items });
    const batch = client.post('$batch', {
      requests: Array.from({ length: 500 }, (_, i) => ({
        id: String(i),
        method: 'POST',
        url: 'Task',
        body: { Name: `changeset ${i}` },
        atomicityGroup: 'g',
      })),
    });
    await new Promise((r) => setTimeout(r, 150));
    await pg.stop();
    const [a, b] = await Promise.all([insert, batch]);
    for (const r of [a, b]) {
      // Either it finished before the stop (then all of it is there) or it failed cleanly.
      if (r.status !== 200 && r.status !== 503)
        throw new Error(`unexpected ${r.status}: ${r.text.slice(0, 300)}`);
    }
    await pg.start();
    for (let i = 0; i < 50 && (await fetch(`${app.baseUrl}/health/ready`)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await count(`"Name" LIKE 'outage %'`)).toBe(a.status === 200 ? 20000 : 0);
    const written = await count(`"Name" LIKE 'changeset %'`);
    expect([0, 500]).toContain(written);
    if (b.status === 200 && b.body.responses.every((x: any) => x.status === 201)) expect(written).toBe(500);
    expect((await client.get('Task/$count')).status).toBe(200);
  }, 60000);
});

describe('embedded PostgreSQL crash', () => {
  it('the service restarts a crashed embedded PostgreSQL and answers again, without a restart of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'odata-tasks-crash-'));
    const service = await startServiceProcess({
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      SEED_DEMO: '0',
      LIVE_WORKERS: '0',
    });
    const { child, base } = service;
    const ready = async () =>
      (await fetch(`${base}/health/ready`).then(
        (r) => r.status,
        () => 0,
      )) === 200;
    try {
      for (let i = 0; i < 150 && !(await ready()); i++) await new Promise((r) => setTimeout(r, 200));
      expect(await ready()).toBe(true);
      const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      // down first ...
      let down = false;
      for (let i = 0; i < 50 && !down; i++) {
        down = !(await ready());
        if (!down) await new Promise((r) => setTimeout(r, 50));
      }
      let back = false;
      for (let i = 0; i < 150 && !back; i++) {
        await new Promise((r) => setTimeout(r, 200));
        back = await ready();
      }
      expect(back).toBe(true);
      // a new server, not the old one surviving
      expect(Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])).not.toBe(
        postmaster,
      );
      const r = await fetch(`${base}/odata/Task/$count`, { headers: ADMIN_HEADERS });
      expect(r.status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);
});
