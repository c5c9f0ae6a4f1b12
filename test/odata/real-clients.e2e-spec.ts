import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, expectODataError, Reply } from '../support/odata-client';
import { Factories } from '../support/factories';

/**
 * What real clients send (issue 18): Power Query's weighted Accept, axios' default Accept,
 * form-encoded query strings, digits in search words, `in` inside lambdas, methods a resource
 * does not support, custom fields that are null, and the OpenAPI document's promises.
 */
describe('real clients', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  let project: any;
  let task: any;
  const POWER_QUERY =
    'application/json;odata.metadata=minimal;q=1.0,application/json;odata.metadata=full;q=0.9,*/*;q=0.1';
  const AXIOS = 'application/json, text/plain, */*';

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
    project = await make.project();
    task = await make.task({
      Name: 'release zq51fd0d09 build',
      ProjectId: project.ProjectId,
      Tags: ['beta', 'x'],
      EndDateTime: '2025-03-01T00:00:00Z',
    });
    await make.task({ Name: 'A b', ProjectId: project.ProjectId, Tags: ['gamma'] });
    await make.task({ Name: 'other', ProjectId: project.ProjectId, Tags: ['alpha'] });
    await make.create('TaskItemNote', { TaskItemId: task.TaskItemId, Note: 'n1' });
  });
  afterAll(() => app.close());

  const metadataOf = (r: Reply) => r.headers.get('content-type')?.match(/odata\.metadata=(\w+)/)?.[1];

  describe('Accept is negotiated by quality', () => {
    it.each([
      [POWER_QUERY, 'minimal'],
      ['application/json;odata.metadata=full;q=0.9,application/json;odata.metadata=minimal;q=1', 'minimal'],
      ['application/json;odata.metadata=full,application/json;odata.metadata=minimal', 'full'], // a tie keeps the order
      ['application/json;odata.metadata=full;q=0.5,*/*', 'minimal'], // */* gives minimal q=1
      ['application/json;odata.metadata=minimal;q=0,application/json', 'full'], // q=0: not acceptable
      ['application/json;odata.metadata=none', 'none'],
      ['application/json', 'minimal'],
      [AXIOS, 'minimal'],
    ])('%s -> odata.metadata=%s', async (accept, level) => {
      const r = await client.get(`Task(${task.TaskItemId})`, { Accept: accept });
      expect(r.status).toBe(200);
      expect(metadataOf(r)).toBe(level);
      expect('@odata.id' in r.body).toBe(level === 'full');
    });

    it('nothing acceptable is 406 with an OData error', async () => {
      for (const accept of [
        'application/json;q=0',
        'application/xml',
        'application/json;odata.metadata=bogus',
        'text/html',
      ]) {
        expectODataError(await client.get('Task', { Accept: accept }), 406);
      }
    });

    it('odata.metadata=full is complete: ids, links, entity and property types', async () => {
      const r = await client.get(`Task(${task.TaskItemId})?$expand=Notes`, {
        Accept: POWER_QUERY.replace('q=1.0', 'q=0.5'),
      });
      expect(metadataOf(r)).toBe('full');
      const e = r.body;
      const id = `Task(${task.TaskItemId})`;
      expect(e).toMatchObject({ '@odata.type': '#Tasks.Task', '@odata.id': id, '@odata.editLink': id });
      expect(e['TaskItemId@odata.type']).toBe('#Guid');
      expect(e['EndDateTime@odata.type']).toBe('#DateTimeOffset');
      expect(e['CardPositionNumber@odata.type']).toBe('#Int32');
      expect(e['Tags@odata.type']).toBe('#Collection(String)');
      // String, Boolean and Double are recognised from the JSON value itself.
      for (const p of ['Name', 'IsDone', 'WorkAmount']) expect(e[`${p}@odata.type`]).toBeUndefined();
      const metadata = (await client.get('$metadata')).text;
      const taskType = metadata.match(/<EntityType Name="Task"[\s\S]*?<\/EntityType>/)![0];
      const navs = [...taskType.matchAll(/<NavigationProperty Name="(\w+)"/g)].map((m) => m[1]);
      expect(navs.length).toBeGreaterThan(3);
      for (const nav of navs) expect(e[`${nav}@odata.navigationLink`]).toBe(`${id}/${nav}`);
      expect(e.Notes[0]).toMatchObject({
        '@odata.type': '#Tasks.TaskItemNote',
        'TaskItemId@odata.type': '#Guid',
      });
      const keys = Object.keys(e);
      expect(keys.indexOf('EndDateTime@odata.type')).toBe(keys.indexOf('EndDateTime') - 1);
      // $select: links only for what was selected
      const sel = (
        await client.get(`Task(${task.TaskItemId})?$select=Name,Notes`, {
          Accept: 'application/json;odata.metadata=full',
        })
      ).body;
      expect(sel['Notes@odata.navigationLink']).toBe(`${id}/Notes`);
      expect(sel['Project@odata.navigationLink']).toBeUndefined();
    });
  });

  describe('query syntax real clients send', () => {
    const names = async (query: string) => {
      // sent as written: fetch leaves `+` alone
      const r = await client.get(`Task?${query}`);
      if (r.status !== 200) throw new Error(`${query}: ${r.status} ${r.text}`);
      return (r.body.value as any[]).map((t) => t.Name).sort();
    };

    it('+ in the query string is a space (form encoding)', async () => {
      expect(await names("$filter=Name+eq+'A+b'&$select=Name")).toEqual(['A b']);
      expect(await names('$filter=startswith(Name,%27release%27)+and+IsDone+eq+false')).toEqual([
        'release zq51fd0d09 build',
      ]);
      // a literal plus is %2B
      expect(await names('$filter=EndDateTime+eq+2025-03-01T01:00:00%2B01:00')).toEqual([
        'release zq51fd0d09 build',
      ]);
    });

    it('$search words may mix letters and digits', async () => {
      expect(await names('$search=zq51fd0d09')).toEqual(['release zq51fd0d09 build']);
      expect(await names('$search=zq51fd0d09 OR other')).toEqual(['other', 'release zq51fd0d09 build']);
      expectODataError(await client.get('Task?$search=AND'), 400);
    });

    it('lambdas take `in` and the other 4.01 operators', async () => {
      expect(await names(`$filter=${encodeURIComponent("Tags/any(x: x in ('beta','gamma'))")}`)).toEqual([
        'A b',
        'release zq51fd0d09 build',
      ]);
      expect(await names(`$filter=${encodeURIComponent("Tags/all(x: not (x in ('beta','x')))")}`)).toEqual([
        'A b',
        'other',
      ]);
      expect(await names(`$filter=${encodeURIComponent("Tags/any(x: matchesPattern(x,'^gam'))")}`)).toEqual([
        'A b',
      ]);
      expect(
        await names(
          `$filter=${encodeURIComponent("Notes/any(n: n/Note in ('n1') and n/Task/Tags/any(t: t in ('x')))")}`,
        ),
      ).toEqual(['release zq51fd0d09 build']);
    });
  });

  describe('methods and formats', () => {
    const expect405 = async (method: string, path: string, allow: string) => {
      const r = await client.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expectODataError(r, 405);
      expect(`${method} ${path}: ${r.headers.get('allow')}`).toBe(`${method} ${path}: ${allow}`);
    };

    it('every unsupported method is 405 with Allow', async () => {
      const t = `Task(${task.TaskItemId})`;
      for (const m of ['DELETE', 'POST', 'PUT', 'PATCH']) {
        await expect405(m, '$metadata', 'GET, HEAD');
        await expect405(m, '', 'GET, HEAD');
        await expect405(m, 'Task/$count', 'GET, HEAD');
        await expect405(m, `${t}/Name`, 'GET, HEAD');
        await expect405(m, 'DynamicTaskItem', 'GET, HEAD');
        await expect405(m, `DynamicTaskItem(${task.TaskItemId})`, 'GET, HEAD');
      }
      for (const m of ['DELETE', 'PUT', 'PATCH']) await expect405(m, 'Task', 'GET, HEAD, POST');
      await expect405('POST', t, 'GET, HEAD, PATCH, PUT, DELETE');
      for (const m of ['POST', 'PATCH', 'DELETE']) {
        await expect405(m, `${t}/Documents`, 'GET, HEAD');
        await expect405(m, `${t}/Followers`, 'GET, HEAD');
      }
      await expect405('PATCH', `${t}/Project`, 'GET, HEAD');
      await expect405('GET', `${t}/AddNote`, 'POST');
      await expect405('POST', `${t}/GetStopwatch()`, 'GET');
      // what is allowed still works
      expect((await client.post(`${t}/Notes`, { Note: 'via navigation' })).status).toBe(201);
      expect((await client.request('HEAD', '$metadata')).status).toBe(200);
    });

    it('$format=xml or atom on data is 406; on $metadata xml is CSDL XML', async () => {
      for (const f of ['xml', 'atom', 'application/xml', 'csv'])
        expectODataError(await client.get(`Task?$format=${f}`), 406);
      expectODataError(await client.get(`Task(${task.TaskItemId})?$format=xml`), 406);
      expectODataError(await client.get('?$format=xml'), 406);
      expect((await client.get('$metadata?$format=xml')).headers.get('content-type')).toMatch(
        /^application\/xml/,
      );
      expectODataError(await client.get('$metadata?$format=atom'), 406);
      expect(metadataOf(await client.get('Task?$format=json'))).toBe('minimal');
    });

    it('$metadata is CSDL JSON only when asked for by name', async () => {
      const type = async (headers: Record<string, string>, q = '') =>
        (await client.get(`$metadata${q}`, headers)).headers.get('content-type');
      expect(await type({ Accept: AXIOS })).toMatch(/^application\/xml/);
      expect(await type({ Accept: '*/*' })).toMatch(/^application\/xml/);
      expect(await type({ Accept: 'application/*' })).toMatch(/^application\/xml/);
      expect(await type({ Accept: POWER_QUERY })).toMatch(/^application\/xml/);
      expect(await type({ Accept: 'application/json, application/xml' })).toMatch(/^application\/xml/);
      expect(await type({ Accept: 'application/json' })).toMatch(/^application\/json/);
      expect(await type({ Accept: 'application/json, */*;q=0.1' })).toMatch(/^application\/json/);
      expect(await type({ Accept: AXIOS }, '?$format=json')).toMatch(/^application\/json/);
    });
  });

  it('DynamicTaskItem: a declared custom field is always present, null included', async () => {
    const budget = 'pf_rc_Budget';
    const due = 'pf_rc_Due';
    await client.post('ProjectDefinedField', {
      ProjectId: project.ProjectId,
      FieldName: budget,
      Type: 'Number',
    });
    await client.post('ProjectDefinedField', { ProjectId: project.ProjectId, FieldName: due, Type: 'Date' });
    const row = (await client.get(`DynamicTaskItem(${task.TaskItemId})`)).body;
    expect(row).toMatchObject({ [`CF_${budget}`]: null, [`CF_${due}`]: null, TaskItem_Name: task.Name });
    const selected = (
      await client.get(`DynamicTaskItem(${task.TaskItemId})?$select=TaskItem_Name,CF_${budget}`)
    ).body;
    expect(selected[`CF_${budget}`]).toBeNull();
    expect(`CF_${due}` in selected).toBe(false);
    expect(
      (
        await client.post(`Task(${task.TaskItemId})/UpdateProjectDefinedField`, {
          fieldName: due,
          value: '2025-05-01',
        })
      ).status,
    ).toBe(200);
    const list = (
      await client.get(`DynamicTaskItem?$filter=TaskItem_TaskItemId eq ${task.TaskItemId}`, {
        Accept: 'application/json;odata.metadata=full',
      })
    ).body.value;
    expect(list[0]).toMatchObject({
      [`CF_${budget}`]: null,
      [`CF_${due}`]: '2025-05-01T00:00:00+00:00',
      [`CF_${due}@odata.type`]: '#DateTimeOffset',
    });
    // the entity's annotations come first, each property's type right before it
    const keys = Object.keys(list[0]);
    expect(keys.slice(0, 3)).toEqual(['@odata.type', '@odata.id', '@odata.editLink']);
    expect(keys.indexOf(`CF_${due}@odata.type`)).toBe(keys.indexOf(`CF_${due}`) - 1);
  });

  describe('the OpenAPI document', () => {
    it('declares how to send the token', async () => {
      const doc: any = await (await fetch(`${app.baseUrl}/openapi.json`)).json();
      expect(doc.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer' },
        basic: { type: 'http', scheme: 'basic' },
      });
      expect(doc.components.securitySchemes.api_key).toBeUndefined();
      expect(doc.security).toEqual([{ bearer: [] }, { basic: [] }]);
      const withKey = await startTestApp({ env: { API_KEY_IN_QUERY: '1' } });
      try {
        const keyed: any = await (await fetch(`${withKey.baseUrl}/openapi.json`)).json();
        expect(keyed.components.securitySchemes.api_key).toEqual(
          expect.objectContaining({ type: 'apiKey', in: 'query', name: 'api_key' }),
        );
      } finally {
        await withKey.close();
      }
    });

    it('advertises no method the service answers with 405', async () => {
      const doc: any = await (await fetch(`${app.baseUrl}/openapi.json`)).json();
      expect(doc.paths['/Task({TaskItemId})/Documents'].post).toBeUndefined();
      expect(doc.paths['/Task({TaskItemId})/Followers'].post).toBeUndefined();
      const missing = '00000000-0000-4000-8000-00000000abcd';
      const refused: string[] = [];
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
          if (!item[method]) continue;
          // unknown keys: nothing is changed, but the method is checked before the key is looked up
          const url = path.replace(/\{[^}]+\}/g, missing).replace(/^\//, '');
          const r = await client.request(
            method.toUpperCase(),
            url,
            method === 'get' || method === 'delete' ? undefined : {},
          );
          if (r.status === 405) refused.push(`${method.toUpperCase()} ${path}`);
        }
      }
      expect(refused).toEqual([]);
    });
  });
});
