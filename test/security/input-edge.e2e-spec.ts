import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, Reply, expectODataError } from '../support/odata-client';

/**
 * Input is checked at the edge: what PostgreSQL cannot store or a client cannot read back
 * (NUL characters, non-finite numbers, years outside 1..9999) is a 400 naming the property;
 * every expression option and the path are measured before parsing; $batch does not nest.
 */
describe('input is checked at the edge', () => {
  let app: TestApp;
  let client: ODataClient;
  let taskId: string;

  beforeAll(async () => {
    // Small length limits, so that 414s are reachable under Node's own 16 KB header limit.
    app = await startTestApp({
      env: { ODATA_MAX_URL_LENGTH: '6000', ODATA_MAX_OPTION_LENGTH: '3000', ODATA_MAX_NESTING: '8' },
    });
    client = new ODataClient(app.baseUrl);
    taskId = (await client.post('Task', { Name: 'edge' })).body.TaskItemId;
  });
  afterAll(() => app.close());

  function expectError(r: Reply, status: number, code: string, target?: string) {
    expectODataError(r, status);
    expect(r.body.error.code).toBe(code);
    if (target !== undefined) expect(r.body.error.target).toBe(target);
  }
  const taskCount = async () => Number((await client.get('Task/$count')).text);

  it('a NUL character in a string property, a nested value or a parameter: 400 naming it', async () => {
    const before = await taskCount();
    expectError(await client.post('Task', { Name: 'a\u0000b' }), 400, 'ODATA105', 'Name');
    expectError(
      await client.patch(`Task(${taskId})`, { Tags: ['ok', 'n\u0000l'] }),
      400,
      'ODATA105',
      'Tags[1]',
    );
    expectError(
      await client.post('Task/BatchInsert', { items: [{ Name: 'fine' }, { Name: '\u0000' }] }),
      400,
      'ODATA105',
      'items[1].Name',
    );
    const note = await client.post(`Task(${taskId})/AddNote`, {
      htmlText: '<p>\u0000</p>',
      notificationContactIds: [],
    });
    expectError(note, 400, 'ODATA105', 'htmlText');
    expect(await taskCount()).toBe(before);
  });

  it('a NUL character in the URL: in a literal, an option, a key', async () => {
    expectError(await client.get("Task?$filter=Name eq 'a%00b'"), 400, 'ODATA102', '$filter');
    // %25 is an escaped %: the literal is the text 'a%00b', no NUL.
    expect((await client.get("Task?$filter=Name eq 'a%2500b'")).status).toBe(200);
    expectError(await client.get('Task?$search=a%00b'), 400, 'ODATA102', '$search');
    expectError(await client.get(`Task('a%00b')`), 400, 'ODATA102');
  });

  it('1e400 (Infinity once parsed) and other non-finite numbers: 400, never stored', async () => {
    const r = await client.post('Task', '{"Name":"inf","WorkAmount":1e400}');
    expectError(r, 400, 'ODATA105', 'WorkAmount');
    expectError(
      await client.post('Task', { Name: 'inf', WorkAmount: '1e400' }),
      400,
      'ODATA105',
      'WorkAmount',
    );
    expectError(
      await client.post('Task', '{"Name":"inf","WorkAmount":-1e400}'),
      400,
      'ODATA105',
      'WorkAmount',
    );
    expectError(
      await client.patch(`Task(${taskId})`, '{"WorkAmountOwner":1e309}'),
      400,
      'ODATA105',
      'WorkAmountOwner',
    );
    const contact = (await client.post('Contact', { DisplayName: 'worker' })).body.ContactId;
    const param = await client.post(
      `Task(${taskId})/AddContributor`,
      `{"contactId":"${contact}","workAmount":1e400}`,
    );
    expectError(param, 400, 'ODATA105', 'workAmount');
    expect((await client.get(`Task(${taskId})`)).body.WorkAmount).toBe(0);
  });

  it('dates outside years 1..9999, or days a month lacks: 400 naming the property', async () => {
    for (const StartDateTime of [
      '9999-12-31T23:00:00-05:00',
      '0000-06-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '2025-02-30T00:00:00Z',
    ]) {
      expectError(
        await client.post('Task', { Name: 'when', StartDateTime }),
        400,
        'ODATA105',
        'StartDateTime',
      );
    }
    expectError(
      await client.post('Task', { Name: 'when', StartDateTime: '10000-01-01T00:00:00Z' }),
      400,
      'ODATA105',
      'StartDateTime',
    );
    const latest = await client.post('Task', { Name: 'latest', StartDateTime: '9999-12-31T23:59:59Z' });
    expect(latest.status).toBe(201);
    expect(latest.body.StartDateTime).toMatch(/^9999-12-31T23:59:59/);
    expect((await client.post('Task', { Name: 'leap', StartDateTime: '2024-02-29T12:00:00Z' })).status).toBe(
      201,
    );
    expectError(await client.get('Task?$filter=StartDateTime lt 0000-01-01T00:00:00Z'), 400, 'ODATA102');
  });

  it('a $batch inside a $batch: 400 for the whole batch, JSON and multipart, nothing run', async () => {
    const before = await taskCount();
    for (const url of ['/odata/$batch', `${client.root}/$batch`, '/odata/%24batch/']) {
      const r = await client.post('$batch', {
        requests: [
          { id: '1', method: 'POST', url: 'Task', body: { Name: 'outer' } },
          {
            id: '2',
            method: 'POST',
            url,
            headers: { 'Content-Type': 'application/json' },
            body: { requests: [] },
          },
        ],
      });
      expectError(r, 400, 'ODATA100', '2');
    }
    const inner =
      '--inner\r\nContent-Type: application/http\r\n\r\nGET Task HTTP/1.1\r\n\r\n\r\n--inner--\r\n';
    const body = [
      '--b',
      'Content-Type: application/http',
      '',
      'POST /odata/$batch HTTP/1.1',
      'Content-Type: multipart/mixed; boundary=inner',
      '',
      inner,
      '--b--',
      '',
    ].join('\r\n');
    const res = await fetch(`${client.root}/$batch`, {
      method: 'POST',
      headers: { ...ADMIN_HEADERS, 'Content-Type': 'multipart/mixed; boundary=b' },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /cannot contain another \$batch/,
    );
    expect(await taskCount()).toBe(before);
  });

  it('every expression option, alias and key list is measured before parsing', async () => {
    const deep = (inner: string) => `${'('.repeat(9)}${inner}${')'.repeat(9)}`;
    const cases: Array<[string, string]> = [
      [`Task?$filter=${deep("Name eq 'x'")}`, '$filter'],
      [`Task?$orderby=${deep('Name')}`, '$orderby'],
      [`Task?$compute=${deep('WorkAmount')} as W`, '$compute'],
      [`Task?$apply=filter(${deep('IsDone')})`, '$apply'],
      [`Task?$search=${deep('word')}`, '$search'],
      [`Task?$expand=Notes($filter=${deep('true')})`, '$expand'],
      [`Task?$select=${deep('Name')}`, '$select'],
      [`Task?$filter=Name eq @p&@p=${deep("'x'")}`, '@p'],
    ];
    for (const [url, target] of cases) {
      const r = await client.get(url.replace(/ /g, '%20'));
      expectError(r, 400, 'ODATA107', target);
    }
    expectError(await client.get(`Task(${deep(`'${taskId}'`)})`), 400, 'ODATA107');
    expectError(await client.get(`Task/GetStopwatch(x=${deep('1')})`), 400, 'ODATA107');
    // Parentheses inside string literals are text, not nesting.
    expect((await client.get(`Task?$filter=Name eq '${'('.repeat(20)}'`)).status).toBe(200);
  });

  it('too many terms in one option: 400 before parsing (2 x ODATA_MAX_FILTER_NODES)', async () => {
    const r = await client.get(`Task?$orderby=${Array.from({ length: 1001 }, () => 'A').join(',')}`);
    expectError(r, 400, 'ODATA107', '$orderby');
  });

  it('URL and option lengths: 414 with the limit in the message', async () => {
    const long = await client.get(`Task?$filter=Name eq '${'x'.repeat(3001)}'`.replace(/ /g, '%20'));
    expectError(long, 414, 'ODATA107', '$filter');
    expect(long.body.error.message).toMatch(/at most 3000/);
    expectError(await client.get(`Task?x=${'y'.repeat(2999)}&z=${'y'.repeat(2999)}&$top=1`), 414, 'ODATA107');
    expectError(await client.get(`Task('${'k'.repeat(3001)}')`), 414, 'ODATA107');
  });
});

describe('with the limits raised too far', () => {
  let app: TestApp;
  let client: ODataClient;
  beforeAll(async () => {
    const huge = '10000000';
    app = await startTestApp({
      env: {
        ODATA_MAX_URL_LENGTH: huge,
        ODATA_MAX_OPTION_LENGTH: huge,
        ODATA_MAX_NESTING: '1000',
        ODATA_MAX_FILTER_NODES: huge,
      },
    });
    client = new ODataClient(app.baseUrl);
  });
  afterAll(() => app.close());

  it('a stack overflow in the parser is still a 400 LimitExceeded, without internals', async () => {
    // $batch parts have no HTTP header limit: 20,000 chained operators overflow the parser's recursion.
    for (const filter of [`WorkAmount${' add 1'.repeat(20_000)} eq 1`, `${'not '.repeat(50_000)}IsDone`]) {
      const r = await client.post('$batch', {
        requests: [{ id: '1', method: 'GET', url: `Task?$filter=${encodeURIComponent(filter)}` }],
      });
      expect(r.status).toBe(200);
      expect(r.body.responses[0]).toMatchObject({
        status: 400,
        body: { error: { code: 'ODATA107', message: 'The request is nested too deeply to be processed' } },
      });
    }
  });
});
