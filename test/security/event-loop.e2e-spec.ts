import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, Reply } from '../support/odata-client';

/**
 * No request holds the event loop: for the worst input of each kind, /health/live keeps
 * answering within 100 ms while the hostile request is being answered, and the hostile request
 * gets a 4xx OData error (before the limits: seconds of blocking, stack overflows and 500s).
 */
describe('no request holds the event loop', () => {
  let app: TestApp;
  let client: ODataClient;
  let taskId: string;

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    taskId = (await client.post('Task', { Name: 'target' })).body.TaskItemId;
    // Warm up: the first requests compile code paths that must not count as blocking.
    await probeWhile(() => client.get("Task?$filter=trim(Name) eq 'x'&$orderby=Name"));
    await client.post(`Task(${taskId})/AddNote`, {
      htmlText: '<p>warm <b>up</b></p>',
      notificationContactIds: [],
    });
  });
  afterAll(() => app.close());

  /** Sends `hostile`, and health probes one after the other until it is answered. */
  async function probeWhile(hostile: () => Promise<Reply>): Promise<{ reply: Reply; slowest: number }> {
    let answered = false;
    const pending = hostile().finally(() => {
      answered = true;
    });
    let slowest = 0;
    do {
      const started = performance.now();
      const live = await fetch(`${app.baseUrl}/health/live`);
      await live.text();
      expect(live.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
    } while (!answered);
    return { reply: await pending, slowest };
  }

  async function expectRefusedQuickly(hostile: () => Promise<Reply>, status: number, code = 'ODATA107') {
    const { reply, slowest } = await probeWhile(hostile);
    expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
    expect(slowest).toBeLessThan(100);
    return reply;
  }

  it('1,200 nested trim( in $filter: 400 before the parser sees it', async () => {
    const filter = `${'trim('.repeat(1200)}Name${')'.repeat(1200)} eq 'a'`;
    const r = await expectRefusedQuickly(() => client.get(`Task?$filter=${encodeURIComponent(filter)}`), 400);
    expect(r.body.error.target).toBe('$filter');
  });

  it('3,000 nested parentheses in $filter', async () => {
    const filter = `${'('.repeat(3000)}Name eq 'x'${')'.repeat(3000)}`;
    await expectRefusedQuickly(() => client.get(`Task?$filter=${encodeURIComponent(filter)}`), 400);
  });

  it('a $filter of 1,000 terms (a path of 1,000 segments) within the length limits', async () => {
    // `/` left unencoded: 8,000 characters, within ODATA_MAX_URL_LENGTH.
    const filter = `${'Project/'.repeat(1000)}Name%20eq%20'x'`;
    await expectRefusedQuickly(() => client.get(`Task?$filter=${filter}`), 400);
  });

  it('a long URL: 414', async () => {
    const filter = `${'Project/'.repeat(1500)}Name eq 'x'`;
    await expectRefusedQuickly(() => client.get(`Task?$filter=${encodeURIComponent(filter)}`), 414);
  });

  it('a long URL inside a $batch (no HTTP header limit there): the part gets 414', async () => {
    const url = `Task?$filter=${encodeURIComponent(`${'Project/'.repeat(3000)}Name eq 'x'`)}`;
    const { reply, slowest } = await probeWhile(() =>
      client.post('$batch', { requests: [{ id: '1', method: 'GET', url }] }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.responses[0]).toMatchObject({ status: 414, body: { error: { code: 'ODATA107' } } });
    expect(slowest).toBeLessThan(100);
  });

  it('100,000 nested JSON arrays in a body: 400, no stack overflow', async () => {
    const body = `{"Name":"deep","Tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expectRefusedQuickly(() => client.post('Task', body), 400);
  });

  it('250 KB of nested <div>s in a note: 400 at once (over HTML_MAX_LENGTH)', async () => {
    const htmlText = '<div>'.repeat(50_000);
    const r = await expectRefusedQuickly(
      () => client.post(`Task(${taskId})/AddNote`, { htmlText, notificationContactIds: [] }),
      400,
    );
    expect(r.body.error.target).toBe('htmlText');
  });

  it('nested <div>s within HTML_MAX_LENGTH: refused by depth, measured in linear time', async () => {
    const htmlText = `${'<div>'.repeat(19_000)}x${'</div>'.repeat(500)}`;
    const r = await expectRefusedQuickly(
      () => client.post(`Task(${taskId})/AddNote`, { htmlText, notificationContactIds: [] }),
      400,
    );
    expect(r.body.error).toMatchObject({
      target: 'htmlText',
      message: expect.stringMatching(/more than 100 deep/),
    });
  });

  it('the largest note accepted is converted off the event loop', async () => {
    const htmlText = '<p>'.repeat(33_000);
    const { reply, slowest } = await probeWhile(() =>
      client.post(`Task(${taskId})/AddNote`, { htmlText, notificationContactIds: [] }),
    );
    expect(reply.status).toBe(200);
    expect(slowest).toBeLessThan(100);
  });
});
