import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient, expectODataError } from '../support/odata-client';

const crlf = (lines: string[]) => lines.join('\r\n');

describe('$batch', () => {
  let app: TestApp;
  let client: ODataClient;
  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
  });
  afterAll(() => app.close());

  const count = async (set: string) => Number((await client.get(`${set}/$count`)).text);

  it('JSON: an atomicity group commits as one, with $id references in URLs and bodies', async () => {
    const r = await client.post('$batch', {
      requests: [
        { id: 'p', method: 'POST', url: 'Project', body: { Name: 'Batched' }, atomicityGroup: 'g1' },
        {
          id: 't',
          method: 'POST',
          url: 'Task',
          body: { Name: 'In batch', 'Project@odata.bind': '$p' },
          atomicityGroup: 'g1',
          dependsOn: ['p'],
        },
        {
          id: 'n',
          method: 'POST',
          url: '$t/Notes',
          body: { Note: 'via reference' },
          atomicityGroup: 'g1',
          dependsOn: ['t'],
        },
        {
          id: 'q',
          method: 'GET',
          url: "Task?$filter=Name eq 'In batch'&$expand=Notes($select=Note)&$select=Name,ProjectId",
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.responses.map((x: any) => [x.id, x.status])).toEqual([
      ['p', 201],
      ['t', 201],
      ['n', 201],
      ['q', 200],
    ]);
    const task = r.body.responses[3].body.value[0];
    expect(task.ProjectId).toBe(r.body.responses[0].body.ProjectId);
    expect(task.Notes).toEqual([expect.objectContaining({ Note: 'via reference' })]);
  });

  it('JSON: a failing request rolls its whole group back; without continue-on-error the batch stops', async () => {
    const before = await count('Project');
    const r = await client.post('$batch', {
      requests: [
        { id: '1', method: 'POST', url: 'Project', body: { Name: 'rolled back' }, atomicityGroup: 'g' },
        { id: '2', method: 'POST', url: 'Task', body: { Name: 5 }, atomicityGroup: 'g' },
        { id: '3', method: 'GET', url: 'Project/$count' },
      ],
    });
    expect(r.body.responses.map((x: any) => [x.id, x.status])).toEqual([
      ['1', 424],
      ['2', 400],
    ]);
    expect(r.body.responses[1].body.error.code).toEqual(expect.any(String));
    expect(await count('Project')).toBe(before);
  });

  it('JSON: continue-on-error runs the rest; dependsOn on a failed request is 424', async () => {
    const r = await client.post(
      '$batch',
      {
        requests: [
          { id: '1', method: 'GET', url: 'Nope' },
          { id: '2', method: 'POST', url: 'Contact', body: { DisplayName: 'after failure' } },
          { id: '3', method: 'PATCH', url: '$1', body: {}, dependsOn: ['1'] },
        ],
      },
      { Prefer: 'odata.continue-on-error' },
    );
    expect(r.headers.get('preference-applied')).toBe('odata.continue-on-error');
    expect(r.body.responses.map((x: any) => x.status)).toEqual([404, 201, 424]);
  });

  it('multipart/mixed with a change set, and GETs for long URLs', async () => {
    const body = crlf([
      '--batch_1',
      'Content-Type: multipart/mixed; boundary=changeset_1',
      '',
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST Project HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"Name":"Multipart project"}',
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST $1/Statuses HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"Name":"Column"}',
      '--changeset_1--',
      '--batch_1',
      'Content-Type: application/http',
      '',
      `GET TaskStatus?$filter=${encodeURIComponent(`Name eq 'Column' and (${Array.from({ length: 100 }, (_, i) => `OrdinalPosition ne ${i + 1000}`).join(' and ')})`)} HTTP/1.1`,
      'Accept: application/json',
      '',
      '',
      '--batch_1--',
      '',
    ]);
    const res = await fetch(`${client.root}/$batch`, {
      method: 'POST',
      headers: { ...ADMIN_HEADERS, 'Content-Type': 'multipart/mixed; boundary=batch_1' },
      body,
    });
    expect(res.status).toBe(200);
    const boundary = res.headers.get('content-type')!.match(/boundary=(\S+)/)![1];
    const text = await res.text();
    expect(text).toContain(`--${boundary}--`);
    expect(text.match(/HTTP\/1\.1 201 Created/g)).toHaveLength(2);
    expect(text).toMatch(/HTTP\/1\.1 200 OK[\s\S]*"Name":"Column"/);
    expect(text).toMatch(/Content-ID: 2/);
  });

  it('limits and bad batches are clear 4xx', async () => {
    expectODataError(
      await client.post('$batch', {
        requests: Array.from({ length: 1001 }, (_, i) => ({
          id: String(i),
          method: 'GET',
          url: 'Task/$count',
        })),
      }),
      400,
    );
    expectODataError(await client.post('$batch', '{"requests": 3}'), 400);
    expectODataError(await client.post('$batch', 'not json'), 400);
    expectODataError(await client.post('$batch', 'x', { 'Content-Type': 'text/plain' }), 415);
    expectODataError(
      await client.request('POST', '$batch', '--x\r\n', { 'Content-Type': 'multipart/mixed' }),
      400,
    );
    const outside = await client.post('$batch', {
      requests: [{ id: '1', method: 'GET', url: 'http://elsewhere.example/odata/Task' }],
    });
    expect(outside.body.responses[0].status).toBe(400);
    const dup = await client.post('$batch', {
      requests: [
        { id: 'a', method: 'GET', url: 'Task' },
        { id: 'a', method: 'GET', url: 'Task' },
      ],
    });
    expectODataError(dup, 400);
  });

  it('bound actions work inside a batch', async () => {
    const r = await client.post('$batch', {
      requests: [
        { id: '1', method: 'POST', url: 'Task', body: { Name: 'with stopwatch' }, atomicityGroup: 'g' },
        { id: '2', method: 'POST', url: '$1/StartStopwatch', atomicityGroup: 'g', dependsOn: ['1'] },
        { id: '3', method: 'GET', url: '$1/GetStopwatch()', atomicityGroup: 'g', dependsOn: ['2'] },
      ],
    });
    expect(r.body.responses.map((x: any) => x.status)).toEqual([201, 200, 200]);
    expect(r.body.responses[2].body.State).toBe('Running');
  });
});
