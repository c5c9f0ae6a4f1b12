import { Writable } from 'node:stream';
import { ODataRequestHandler } from '../../src/odata/http/odata-request-handler';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_HEADERS, ODataClient, TEST_ADMIN_TOKEN, expectODataError } from '../support/odata-client';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Secrets stay secret: no token, api_key or calendar feed secret in any log line; a bad api_key
 * is a 401; the calendar feed rotates and dies with its contact's tokens and access; a revoked
 * token ends its change streams on every instance; Last-Event-ID is validated.
 */
describe('secrets', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let root: ODataClient;
  const logs: string[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** A contact with a token and a client that uses it. */
  const person = async (name: string) => {
    const contact = (await root.post('Contact', { DisplayName: name })).body;
    const token: string = (await root.post(`Contact(${contact.ContactId})/CreateApiToken`, {})).body.Token;
    return { contact, token, client: new ODataClient(a.baseUrl, { Authorization: `Bearer ${token}` }) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const logStream = new Writable({
      write: (chunk, _enc, done) => {
        logs.push(String(chunk));
        done();
      },
    });
    // Every level logged; the second instance shares the database (as behind a load balancer).
    const env = { API_KEY_IN_QUERY: '1', LOG_LEVEL: 'trace', METRICS_TOKEN: 'metrics-secret-0123456789' };
    a = await startTestApp({ databaseUrl: db.url, logStream, env });
    b = await startTestApp({ databaseUrl: db.url, env });
    root = new ODataClient(a.baseUrl);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('a malformed or unknown api_key or token is a 401 OData error', async () => {
    const anon = new ODataClient(a.baseUrl, {});
    for (const key of ['%E0%A4%A', '%', '%zz', 'otk_unknown-but-well-formed', 'x'.repeat(5000)]) {
      const r = await anon.get(`Task?api_key=${key}`);
      expectODataError(r, 401);
      expect(r.headers.get('www-authenticate')).toMatch(/Bearer realm="odata"/);
    }
    const stream = await fetch(`${a.baseUrl}/odata/$events?api_key=%E0%A4%A`);
    expect(stream.status).toBe(401);
    expect(((await stream.json()) as any).error.code).toEqual(expect.any(String));
    expectODataError(await anon.get('Task', { Authorization: 'Basic !!!not-base64' }), 401);
  });

  it('no token, api_key or feed secret appears in any log line, on success, 4xx and 5xx paths', async () => {
    const alice = await person('Log Alice');
    const { token } = alice;
    const anon = new ODataClient(a.baseUrl, {});
    const t = (await alice.client.post('Task', { Name: 'logged', EndDateTime: '2030-01-01T10:00:00Z' })).body;
    const feedUrl: string = (await alice.client.get(`Task(${t.TaskItemId})/GetCalendarSyncStatus()`)).body
      .FeedUrl;
    const feedSecret = /\/calendar\/([^/]+)\.ics$/.exec(feedUrl)![1];

    // success
    expect((await anon.get(`Task?$top=1&api_key=${token}`)).status).toBe(200);
    expect((await alice.client.get('Task?$top=1')).status).toBe(200);
    const basic = `Basic ${Buffer.from(`excel:${token}`).toString('base64')}`;
    expect((await anon.get('Task?$top=1', { Authorization: basic })).status).toBe(200);
    expect((await fetch(feedUrl)).status).toBe(200);
    const metricsAuth = { Authorization: 'Bearer metrics-secret-0123456789' };
    expect((await fetch(`${a.baseUrl}/metrics`, { headers: metricsAuth })).status).toBe(200);
    const events = await fetch(`${a.baseUrl}/odata/$events?api_key=${token}`);
    expect(events.status).toBe(200);
    await events.body!.cancel();
    // 4xx
    expectODataError(await anon.get(`Task(not-a-key)?api_key=${token}`), 400);
    expectODataError(await anon.get(`Nope?api_key=${token}&token=${token}`), 404);
    expectODataError(await anon.get('Task?api_key=%E0%A4%Amalformed-s3cret'), 401);
    expectODataError(await anon.get('Task', { Authorization: 'Bearer otk_revoked-or-unknown-s3cret' }), 401);
    expect((await fetch(`${a.baseUrl}/calendar/${feedSecret}x.ics`)).status).toBe(404);
    // 5xx: a bug whose error quotes the request, credentials and all
    const handler = a.app.get(ODataRequestHandler);
    const spy = jest.spyOn(handler, 'handle').mockImplementationOnce(async (req) => {
      const auth = req.headers.authorization;
      throw new Error(`failed on ${req.path}?${req.search} (Authorization: ${auth}, feed ${feedUrl})`);
    });
    const failed = await alice.client.get(`Task?api_key=${token}`);
    spy.mockRestore();
    expectODataError(failed, 500);
    expect(failed.text).not.toContain(token);

    await sleep(100);
    const lines = logs.join('').split('\n').filter(Boolean);
    const secrets = [
      token,
      TEST_ADMIN_TOKEN,
      feedSecret,
      'malformed-s3cret',
      'otk_revoked-or-unknown-s3cret',
      'metrics-secret-0123456789',
      Buffer.from(`excel:${token}`).toString('base64'),
    ];
    for (const secret of secrets) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
    // The lines are there, only without their secrets.
    const parsed = lines.map((l) => JSON.parse(l));
    expect(
      parsed.some((l) => l.level >= 50 && /failed on \/Task\?api_key=\[redacted\]/.test(`${l.msg}`)),
    ).toBe(true);
    expect(parsed.some((l) => l.res?.statusCode === 500)).toBe(true);
    expect(parsed.some((l) => l.req?.url === '/calendar/[redacted]' && l.res?.statusCode === 200)).toBe(true);
    // Lines of every level the requests produced were checked: info, warn and error.
    expect([...new Set(parsed.map((l) => l.level))]).toEqual(expect.arrayContaining([30, 40, 50]));
  });

  it('the calendar feed URL is its own secret: rotated by RotateCalendarFeedUrl, in $metadata', async () => {
    const { text } = await root.get('$metadata');
    const binding =
      /<Action Name="RotateCalendarFeedUrl" IsBound="true">\s*<Parameter Name="bindingParameter"/;
    expect(text).toMatch(new RegExp(`${binding.source} Type="Collection\\(Tasks.Task\\)"`));
    const bob = await person('Feed Bob');
    const t = (await bob.client.post('Task', { Name: 'bob private', EndDateTime: '2030-01-02T10:00:00Z' }))
      .body;
    const first: string = (await bob.client.post(`Task(${t.TaskItemId})/EnableCalendarSync`, {})).body
      .FeedUrl;
    expect(first).not.toContain(bob.token);
    // The feed secret is no API token.
    const secret = /\/calendar\/([^/]+)\.ics$/.exec(first)![1];
    expectODataError(
      await new ODataClient(a.baseUrl, { Authorization: `Bearer ${secret}` }).get('Task'),
      401,
    );
    expect(await (await fetch(first)).text()).toContain('bob private');

    const rotated = await bob.client.post('Task/RotateCalendarFeedUrl', {});
    expect(rotated.status).toBe(200);
    const second: string = rotated.body.value;
    expect(second).toMatch(/\/calendar\/[A-Za-z0-9_-]{32}\.ics$/);
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    expect(await (await fetch(second)).text()).toContain('bob private');
    expect((await bob.client.get(`Task(${t.TaskItemId})/GetCalendarSyncStatus()`)).body.FeedUrl).toBe(second);
  });

  it("the feed shows only tasks its contact may still read, and dies with the contact's tokens", async () => {
    const carol = await person('Feed Carol');
    const project = (await root.post('Project', { Name: 'Feed project' })).body;
    const member = { ProjectId: project.ProjectId, ContactId: carol.contact.ContactId };
    expect((await root.post('ProjectMember', { ...member, Role: 'Viewer' })).status).toBe(201);
    const end = '2030-02-01T10:00:00Z';
    const shared = (await root.post('Task', { ...member, Name: 'shared plan', EndDateTime: end })).body;
    await root.post(`Task(${shared.TaskItemId})/EnableCalendarSync`, {});
    const own = (await carol.client.post('Task', { Name: 'own errand', EndDateTime: '2030-02-02T10:00:00Z' }))
      .body;
    await carol.client.post(`Task(${own.TaskItemId})/EnableCalendarSync`, {});
    const url: string = (await carol.client.get(`Task(${own.TaskItemId})/GetCalendarSyncStatus()`)).body
      .FeedUrl;
    const before = await (await fetch(url)).text();
    expect(before).toContain('shared plan');
    expect(before).toContain('own errand');

    // Membership removed: the project's task leaves the feed (still assigned to carol).
    const membership = `ProjectMember(ProjectId=${member.ProjectId},ContactId=${member.ContactId})`;
    expect((await root.delete(membership)).status).toBe(204);
    const after = await (await fetch(url)).text();
    expect(after).not.toContain('shared plan');
    expect(after).toContain('own errand');

    // A second token, then all of them revoked: the feed is gone, and stays gone with a new token.
    await root.post(`Contact(${carol.contact.ContactId})/CreateApiToken`, {});
    expect((await root.post(`Contact(${carol.contact.ContactId})/RevokeApiToken`, {})).body.value).toBe(2);
    expect((await fetch(url)).status).toBe(404);
    const fresh = (await root.post(`Contact(${carol.contact.ContactId})/CreateApiToken`, {})).body.Token;
    expect((await fetch(url)).status).toBe(404);
    const again = new ODataClient(a.baseUrl, { Authorization: `Bearer ${fresh}` });
    const newUrl: string = (await again.get(`Task(${own.TaskItemId})/GetCalendarSyncStatus()`)).body.FeedUrl;
    expect(newUrl).not.toBe(url);
    expect((await fetch(newUrl)).status).toBe(200);
  });

  /** Opens $events and resolves `ended` when the server ends the response. */
  const openStream = async (app: TestApp, token: string) => {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
    const res = await fetch(`${app.baseUrl}/odata/$events`, { headers });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return Date.now();
    })();
    return { ended, cancel: () => reader.cancel().catch(() => undefined) };
  };
  const within = <T>(p: Promise<T>, ms: number): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`not within ${ms} ms`)), ms);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  };

  it('revoking a token ends its open change streams on every instance within seconds', async () => {
    const dave = await person('Stream Dave');
    const other = await person('Stream Other');
    const onA = await openStream(a, dave.token);
    const onB = await openStream(b, dave.token);
    const untouched = await openStream(b, other.token);
    await sleep(200);
    const revokedAt = Date.now();
    // Revoked through instance A: instance B hears it through PostgreSQL.
    expect((await root.post(`Contact(${dave.contact.ContactId})/RevokeApiToken`, {})).body.value).toBe(1);
    const [endA, endB] = await within(Promise.all([onA.ended, onB.ended]), 3000);
    expect(Math.max(endA, endB) - revokedAt).toBeLessThan(3000);
    const again = await fetch(`${b.baseUrl}/odata/$events`, {
      headers: { Authorization: `Bearer ${dave.token}` },
    });
    expect(again.status).toBe(401);
    await expect(within(untouched.ended, 300)).rejects.toThrow(/not within/);
    untouched.cancel();
  });

  it('a revocation nobody announced (triggers off) is still caught by the sweep', async () => {
    const erin = await person('Stream Erin');
    const stream = await openStream(b, erin.token);
    await sleep(200);
    // No trigger, so no NOTIFY (in one transaction: no other session sees the trigger off).
    await a.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE api_token DISABLE TRIGGER api_token_revoked`);
      await m.query(`UPDATE api_token SET "RevokedDateTime" = now() WHERE "ContactId" = $1`, [
        erin.contact.ContactId,
      ]);
      await m.query(`ALTER TABLE api_token ENABLE TRIGGER api_token_revoked`);
    });
    await within(stream.ended, 8000);
  });

  it('Last-Event-ID must be an event id within bigint: otherwise 400, never a silently dead stream', async () => {
    for (const id of ['99999999999999999999', '9223372036854775808', '-1', 'abc', '1.5', '0x10']) {
      const r = await fetch(`${a.baseUrl}/odata/$events`, {
        headers: { ...ADMIN_HEADERS, 'Last-Event-ID': id },
      });
      expect(r.status).toBe(400);
      const body = (await r.json()) as any;
      expect(body.error).toMatchObject({ code: expect.any(String), target: 'Last-Event-ID' });
    }
    const url = `${a.baseUrl}/odata/$events?lastEventId=99999999999999999999`;
    const inQuery = await fetch(url, { headers: ADMIN_HEADERS });
    expect(inQuery.status).toBe(400);
    // The largest bigint is valid: the stream opens and stays open.
    const largest = { ...ADMIN_HEADERS, 'Last-Event-ID': '9223372036854775807' };
    const ok = await fetch(`${a.baseUrl}/odata/$events`, { headers: largest });
    expect(ok.status).toBe(200);
    const reader = ok.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
    await reader.cancel();
  });
});
