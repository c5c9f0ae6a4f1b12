import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_HEADERS } from '../support/odata-client';
import { startServiceProcess } from '../support/service-process';

/** The real service process (src/main.ts), so SIGTERM is the one an orchestrator sends. */
describe('graceful shutdown', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('SIGTERM during a running $batch and feed pull lets both finish; nothing is half-written; exit 0', async () => {
    const { child, base, exited } = await startServiceProcess({
      DATABASE_URL: db.url,
      SHUTDOWN_TIMEOUT_MS: '20000',
    });

    // A change set of 400 inserts and a feed pull of many pages, both running when SIGTERM comes.
    const batch = fetch(`${base}/odata/$batch`, {
      method: 'POST',
      headers: { ...ADMIN_HEADERS, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: Array.from({ length: 400 }, (_, i) => ({
          id: String(i),
          method: 'POST',
          url: 'Task',
          body: { Name: `shutdown ${i}` },
          atomicityGroup: 'all',
        })),
      }),
    });
    const feed = (async () => {
      const r = await fetch(`${base}/odata/$batch`, {
        method: 'POST',
        headers: { ...ADMIN_HEADERS, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          requests: Array.from({ length: 300 }, (_, i) => ({
            id: String(i),
            method: 'GET',
            url: `Task?$count=true&$top=50&$skip=${i}`,
          })),
        }),
      });
      return r;
    })();
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');

    const [batchRes, feedRes] = await Promise.all([batch, feed]);
    expect(batchRes.status).toBe(200);
    const batchBody: any = await batchRes.json();
    expect(batchBody.responses).toHaveLength(400);
    expect(feedRes.status).toBe(200);
    expect(((await feedRes.json()) as any).responses.every((x: any) => x.status === 200)).toBe(true);
    expect(await exited).toBe(0);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM task WHERE "Name" LIKE 'shutdown %'`))
      .rows;
    await c.end();
    // all or nothing, and since the batch answered 201s: all
    expect(n).toBe(batchBody.responses.every((x: any) => x.status === 201) ? 400 : 0);
    expect(n).toBe(400);
  }, 60000);
});
