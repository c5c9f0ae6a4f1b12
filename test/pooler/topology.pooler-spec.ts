import { Nginx } from '../support/nginx';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';
import { OwnPostgres } from '../support/own-server';
import { PgBouncer } from '../support/pgbouncer';
import { SseClient } from '../support/sse';
import { Standby, migratedPrimaryWithStandby } from '../support/standby';
import { TestApp, startTestApp } from '../support/test-app';

const TOKEN = 'x-consistency-token';

/**
 * The topology of docker-compose.scale.yml, run without Docker: a primary, a streaming standby,
 * PgBouncer in transaction mode, two service instances and nginx with deploy/scale/nginx.conf
 * in front of them. Clients talk only to nginx.
 */
describe('the scale-out topology: nginx, two instances, PgBouncer, a standby', () => {
  const pg = new OwnPostgres();
  let standby: Standby;
  let bouncer: PgBouncer;
  const apps: TestApp[] = [];
  const served = [0, 0];
  let nginx: Nginx;
  let client: ODataClient;

  beforeAll(async () => {
    standby = await migratedPrimaryWithStandby(pg, 'topology');
    bouncer = new PgBouncer(pg.urlOf('topology'), { poolSize: 6 });
    await bouncer.start();
    for (const i of [0, 1]) {
      const app = await startTestApp({
        databaseUrl: bouncer.urlOf(pg.urlOf('topology')),
        env: {
          DATABASE_LISTEN_URL: pg.urlOf('topology'),
          DATABASE_READ_URLS: standby.urlOf('topology'),
          DB_PREPARED_STATEMENTS: 'false',
          DB_REPLICA_CHECK_MS: '200',
          RATE_LIMIT_PER_MINUTE: '0',
          LIVE_WORKERS: '0',
        },
      });
      app.app.getHttpServer().on('request', () => served[i]++);
      apps.push(app);
    }
    nginx = new Nginx(apps.map((a) => Number(new URL(a.baseUrl).port)));
    await nginx.start();
    client = new ODataClient(nginx.baseUrl);
  }, 120_000);
  afterAll(async () => {
    await nginx?.stop();
    for (const app of apps) await app.close();
    await bouncer?.stop();
    await standby?.destroy();
    await pg.stop();
  });

  it('spreads requests over both instances; ids and Location name the address the client used', async () => {
    const before = [...served];
    const project = await client.post('Project', { Name: 'behind nginx' });
    expect(project.status).toBe(201);
    expect(project.headers.get('location')).toBe(`${nginx.baseUrl}/odata/Project(${project.body.ProjectId})`);
    for (let i = 0; i < 10; i++) expect((await client.get('Project?$top=1')).status).toBe(200);
    expect(served[0]).toBeGreaterThan(before[0]);
    expect(served[1]).toBeGreaterThan(before[1]);
  });

  it('a moved card, re-read with the consistency token through any instance, never jumps back', async () => {
    const project = (await client.post('Project', { Name: 'board' })).body;
    const todo = (await client.post('TaskStatus', { ProjectId: project.ProjectId, Name: 'To do' })).body;
    const done = (await client.post('TaskStatus', { ProjectId: project.ProjectId, Name: 'Done' })).body;
    const card = (
      await client.post('Task', {
        Name: 'card',
        ProjectId: project.ProjectId,
        TaskItemStatusId: todo.TaskItemStatusId,
      })
    ).body;
    await standby.caughtUp();
    await standby.pauseReplay();
    try {
      const moved = await client.post(`Task(${card.TaskItemId})/MoveTaskItem`, {
        taskItemStatusId: done.TaskItemStatusId,
      });
      expect(moved.status).toBe(200);
      const token = moved.headers.get(TOKEN)!;
      expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      for (let i = 0; i < 6; i++) {
        const read = await client.get(`Task(${card.TaskItemId})?$select=TaskItemStatusId`, {
          'X-Consistency-Token': token,
        });
        expect(read.body.TaskItemStatusId).toBe(done.TaskItemStatusId);
      }
      // Without the token the paused standby answers, and it has not seen the move yet.
      const stale = await client.get(`Task(${card.TaskItemId})?$select=TaskItemStatusId`);
      expect(stale.body.TaskItemStatusId).toBe(todo.TaskItemStatusId);
    } finally {
      await standby.resumeReplay();
    }
  });

  it('a change written through the balancer reaches a change stream opened through it', async () => {
    const streams = await Promise.all(
      [0, 1].map(() => SseClient.open(`${nginx.baseUrl}/odata/$events`, ADMIN_HEADERS)),
    );
    try {
      for (const s of streams) expect(s.status).toBe(200);
      const project = (await client.post('Project', { Name: 'streamed' })).body;
      const task = (await client.post('Task', { Name: 'streamed', ProjectId: project.ProjectId })).body;
      for (const s of streams) {
        const e = await s.waitFor((x) => x.data.key === task.TaskItemId && x.data.kind === 'created');
        expect(e.data.entitySet).toBe('Task');
      }
    } finally {
      streams.forEach((s) => s.close());
    }
  });

  it('an instance going away costs no read: nginx passes the request to the other', async () => {
    const [gone] = apps.splice(0, 1);
    await gone.close();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await client.get('Project?$top=1')).status);
    expect(statuses).toEqual(Array(10).fill(200));
  });
});
