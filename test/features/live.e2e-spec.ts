import { request as httpRequest } from 'node:http';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { signature } from '../../src/features/live/webhook-dispatcher';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, expectODataError } from '../support/odata-client';
import { Factories } from '../support/factories';
import { SseClient } from '../support/sse';
import { createTestDatabase, TestDatabase } from '../support/database';

const FAST = {
  REMINDER_POLL_MS: '100',
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '100',
  EVENTS_HEARTBEAT_MS: '500',
};

describe('live: change stream, reminders, webhooks', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let client: ODataClient;
  let make: Factories;
  const streams: SseClient[] = [];
  const open = async (app: TestApp, query = '', headers: Record<string, string> = {}) => {
    const s = await SseClient.open(`${app.baseUrl}/odata/$events${query}`, { ...ADMIN_HEADERS, ...headers });
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two instances of the service on one database, as behind a load balancer.
    a = await startTestApp({ databaseUrl: db.url, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE: '1' } });
    b = await startTestApp({ databaseUrl: db.url, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE: '1' } });
    client = new ODataClient(a.baseUrl);
    make = new Factories(client);
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await a.close();
    await b.close();
    await db.drop();
  });

  it("a move made through one instance reaches the other instance's stream with the new positions; other projects hear nothing", async () => {
    const project = await make.project();
    const other = await make.project();
    const col = await make.status(project.ProjectId);
    const first = await make.task({ ProjectId: project.ProjectId, TaskItemStatusId: col.TaskItemStatusId });
    const second = await make.task({ ProjectId: project.ProjectId, TaskItemStatusId: col.TaskItemStatusId });
    const watcher = await open(b, `?projectId=${project.ProjectId}`);
    const outsider = await open(b, `?projectId=${other.ProjectId}`);
    expect(watcher.status).toBe(200);

    const moved = await client.post(`Task(${second.TaskItemId})/MoveTaskItem`, {
      taskItemStatusId: col.TaskItemStatusId,
      afterTaskItemId: null,
    });
    const positions = Object.fromEntries(
      moved.body.Positions.map((p: any) => [p.TaskItemId, p.CardPositionNumber]),
    );
    const e = await watcher.waitFor(
      (x) =>
        x.data.key === second.TaskItemId &&
        x.data.kind === 'updated' &&
        'CardPositionNumber' in x.data.changes,
      1000,
    );
    expect(e.data).toMatchObject({
      entitySet: 'Task',
      kind: 'updated',
      projectId: project.ProjectId,
      changes: { CardPositionNumber: positions[second.TaskItemId] },
      etag: expect.stringMatching(/^W\//),
    });
    await watcher.waitFor(
      (x) =>
        x.data.key === first.TaskItemId &&
        x.data.kind === 'updated' &&
        x.data.changes.CardPositionNumber === positions[first.TaskItemId],
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(outsider.events).toHaveLength(0);
  });

  it('clients that disconnect leave the stream, also while they are being authenticated: no subscriber or heartbeat stays', async () => {
    const subscribers = async () => {
      const text = await (await fetch(`${a.baseUrl}/metrics`)).text();
      return Number(/^odata_event_subscribers (\d+)/m.exec(text)?.[1]);
    };
    const settle = async (expected: number) => {
      for (let i = 0; i < 100 && (await subscribers()) !== expected; i++)
        await new Promise((r) => setTimeout(r, 50));
      return subscribers();
    };
    const before = await subscribers();
    const s = await SseClient.open(`${a.baseUrl}/odata/$events`, ADMIN_HEADERS);
    expect(await settle(before + 1)).toBe(before + 1);
    s.close();
    expect(await settle(before)).toBe(before);
    // Clients that give up at once (a board switching projects): gone before the stream starts,
    // while their token and memberships are still being looked up.
    const contact = (await client.post('Contact', { DisplayName: 'Quick leaver' })).body;
    const token = (await client.post(`Contact(${contact.ContactId})/CreateApiToken`, {})).body.Token;
    await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise<void>((done) => {
            const req = httpRequest(`${a.baseUrl}/odata/$events`, {
              headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
            });
            req.on('error', () => done());
            req.on('close', () => done());
            req.end(() => setTimeout(() => req.destroy(), i % 4));
          }),
      ),
    );
    expect(await settle(before)).toBe(before);
  });

  it('Last-Event-ID resumes after a disconnect without losing events', async () => {
    const project = await make.project();
    const s1 = await open(a, `?projectId=${project.ProjectId}`);
    const t = await make.task({ ProjectId: project.ProjectId, Name: 'before' });
    const created = await s1.waitFor((x) => x.data.key === t.TaskItemId && x.data.kind === 'created');
    s1.close();
    await client.patch(`Task(${t.TaskItemId})`, { Name: 'while away' });
    await client.post(`Task(${t.TaskItemId})/Notes`, { Note: 'missed note' });
    const s2 = await open(b, `?projectId=${project.ProjectId}`, { 'Last-Event-ID': created.id! });
    await s2.waitFor((x) => x.data.key === t.TaskItemId && x.data.changes.Name === 'while away');
    await s2.waitFor((x) => x.data.entitySet === 'TaskItemNote' && x.data.kind === 'created');
  });

  it('a due reminder is delivered once, to the assignee and followers, even with two instances', async () => {
    const assignee = await make.contact();
    const follower = await make.contact();
    const t = await make.task({
      ContactId: assignee.ContactId,
      ReminderDateTime: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await client.post(`Task(${t.TaskItemId})/AddNotificationFollowers`, { contactIds: [follower.ContactId] });
    await client.patch(`Task(${t.TaskItemId})`, {
      ReminderDateTime: new Date(Date.now() - 1000).toISOString(),
    });
    let sent: any;
    for (let i = 0; i < 50 && !sent?.ReminderSentDateTime; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = (await client.get(`Task(${t.TaskItemId})`)).body;
    }
    expect(sent.ReminderSentDateTime).toEqual(expect.any(String));
    await new Promise((r) => setTimeout(r, 400)); // both schedulers have polled again
    const n = await client.get(
      `Notification?$filter=TaskItemId eq ${t.TaskItemId} and Kind eq 'Reminder'&$orderby=ContactId`,
    );
    expect(n.body.value.map((x: any) => x.ContactId).sort()).toEqual(
      [assignee.ContactId, follower.ContactId].sort(),
    );
    // moving the reminder re-arms it
    await client.patch(`Task(${t.TaskItemId})`, {
      ReminderDateTime: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await client.get(`Task(${t.TaskItemId})`)).body.ReminderSentDateTime).toBeNull();
  });

  describe('webhooks', () => {
    let receiver: Server;
    let url: string;
    const received: Array<{ body: string; signature: string }> = [];
    let failuresLeft = 2;

    beforeAll(async () => {
      receiver = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ body, signature: String(req.headers['x-webhook-signature']) });
          if (failuresLeft-- > 0) res.writeHead(500).end();
          else res.writeHead(204).end();
        });
      });
      await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise((ok) => receiver.close(ok)));

    it('a notification is POSTed signed, retried after failures, and its delivery recorded', async () => {
      const contact = await make.contact();
      const hook = await client.post('Webhook', {
        ContactId: contact.ContactId,
        Url: url,
        Secret: 's3cret-for-hmac',
        Kinds: ['Note'],
      });
      expect(hook.status).toBe(201);
      const t = await make.task();
      await client.post(`Task(${t.TaskItemId})/AddNote`, {
        htmlText: '<p>ping</p>',
        notificationContactIds: [contact.ContactId],
      });
      let delivery: any;
      for (let i = 0; i < 60 && !delivery?.DeliveredDateTime; i++) {
        await new Promise((r) => setTimeout(r, 100));
        delivery = (await client.get(`WebhookDelivery?$filter=WebhookId eq ${hook.body.WebhookId}`)).body
          .value[0];
      }
      expect(delivery).toMatchObject({
        Attempts: 3,
        LastStatus: 204,
        DeliveredDateTime: expect.any(String),
        GaveUp: false,
      });
      expect(received).toHaveLength(3);
      for (const r of received) expect(r.signature).toBe(signature('s3cret-for-hmac', r.body));
      expect(JSON.parse(received[2].body)).toMatchObject({
        Kind: 'Note',
        ContactId: contact.ContactId,
        TaskItemId: t.TaskItemId,
      });
      const n = await client.get(`Notification?$filter=ContactId eq ${contact.ContactId}`);
      expect(n.body.value[0].DeliveredDateTime).toEqual(expect.any(String));
    });
  });

  it('webhook URLs to private or loopback addresses are refused unless allowed; only http(s)', async () => {
    const strict = await startTestApp({ databaseUrl: db.url, env: { LIVE_WORKERS: '0' } });
    const c = new ODataClient(strict.baseUrl);
    try {
      for (const bad of [
        'http://127.0.0.1:9/x',
        'http://10.1.2.3/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest',
        'ftp://example.com/x',
        'http://user:pw@example.com/',
      ]) {
        const r = await c.post('Webhook', { Url: bad, Secret: 'x' });
        expectODataError(r, 400);
        expect(r.body.error.target).toBe('Url');
      }
    } finally {
      await strict.close();
    }
  });

  it('MarkRead and MarkAllRead', async () => {
    const contact = await make.contact();
    const t = await make.task();
    await client.post(`Task(${t.TaskItemId})/AddNote`, {
      htmlText: 'a',
      notificationContactIds: [contact.ContactId],
    });
    const [n] = (await client.get(`Notification?$filter=ContactId eq ${contact.ContactId}`)).body.value;
    expect(n.IsRead).toBe(false);
    expect((await client.post(`Notification(${n.NotificationId})/MarkRead`)).body.IsRead).toBe(true);
    // the caller's own (the System contact until tokens exist): none unread here
    expect((await client.post('Notification/MarkAllRead')).body.value).toEqual(expect.any(Number));
  });
});
