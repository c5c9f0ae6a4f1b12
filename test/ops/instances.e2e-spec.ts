import { Client } from 'pg';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ODataClient, ADMIN_HEADERS, expectODataError } from '../support/odata-client';
import { SseClient } from '../support/sse';
import { TestApp, startTestApp } from '../support/test-app';

const FAST = { RATE_LIMIT_PER_MINUTE: '0', REMINDER_POLL_MS: '50', EVENTS_HEARTBEAT_MS: '1000' };

/** Two instances of the service on one database behave as one. */
describe('several instances on one database', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const sql = async (text: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ databaseUrl: db.url, env: FAST });
    b = await startTestApp({ databaseUrl: db.url, env: { ...FAST, DB_SCHEMA_CHECK_MS: '100' } });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('a change written through one instance reaches the change stream of the other', async () => {
    const events = await SseClient.open(`${b.baseUrl}/odata/$events`, ADMIN_HEADERS);
    expect(events.status).toBe(200);
    try {
      const client = new ODataClient(a.baseUrl);
      const project = (await client.post('Project', { Name: 'events' })).body;
      const task = (await client.post('Task', { Name: 'seen by b', ProjectId: project.ProjectId })).body;
      const e = await events.waitFor((x) => x.data.key === task.TaskItemId && x.data.kind === 'created');
      expect(e.data.entitySet).toBe('Task');
    } finally {
      events.close();
    }
  });

  it('a due reminder goes out once although both instances poll for it', async () => {
    const client = new ODataClient(a.baseUrl);
    const contact = (await client.post('Contact', { DisplayName: 'Reminded' })).body;
    const project = (await client.post('Project', { Name: 'reminders' })).body;
    const due = new Date(Date.now() - 1000).toISOString();
    const tasks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.post('Task', {
          Name: `due ${i}`,
          ProjectId: project.ProjectId,
          ContactId: contact.ContactId,
          ReminderDateTime: due,
        }),
      ),
    );
    expect(tasks.every((t) => t.status === 201)).toBe(true);
    const ids = tasks.map((t) => t.body.TaskItemId);
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await sql(
        `SELECT count(*)::int AS n FROM task WHERE "TaskItemId" = ANY($1::uuid[]) AND "ReminderSentDateTime" IS NULL`,
        [ids],
      );
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300)); // both instances have polled again since
    const rows = await sql(
      `SELECT "TaskItemId", count(*)::int AS n FROM notification
       WHERE "TaskItemId" = ANY($1::uuid[]) AND "Kind" = 'Reminder' GROUP BY 1`,
      [ids],
    );
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('an instance whose schema is older than the database stops serving, and serves again once it matches', async () => {
    const newer = '9999999999999-FromANewerVersion';
    await sql(`INSERT INTO migrations ("timestamp", name) VALUES (9999999999999, $1)`, [newer]);
    try {
      const client = new ODataClient(b.baseUrl);
      let reply = await client.get('Project');
      for (let i = 0; i < 50 && reply.status !== 503; i++) {
        await new Promise((r) => setTimeout(r, 50));
        reply = await client.get('Project');
      }
      expectODataError(reply, 503);
      expect(reply.text).not.toContain(newer);
      expect((await fetch(`${b.baseUrl}/health/ready`)).status).toBe(503);
      // A new instance of this (older) version refuses to start at all.
      await expect(startTestApp({ databaseUrl: db.url, env: FAST })).rejects.toThrow(/does not know/);
    } finally {
      await sql(`DELETE FROM migrations WHERE name = $1`, [newer]);
    }
    const client = new ODataClient(b.baseUrl);
    let reply = await client.get('Project');
    for (let i = 0; i < 50 && reply.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      reply = await client.get('Project');
    }
    expect(reply.status).toBe(200);
  });

  it('an instance newer than the database (migrations pending) refuses to start', async () => {
    const other = await createTestDatabase();
    try {
      const last = MIGRATIONS[MIGRATIONS.length - 1].name;
      const c = new Client({ connectionString: other.url });
      await c.connect();
      await c.query('DELETE FROM migrations WHERE name = $1', [last]);
      await c.end();
      await expect(startTestApp({ databaseUrl: other.url, env: FAST })).rejects.toThrow(/lacks migrations/);
    } finally {
      await other.drop();
    }
  });
});
