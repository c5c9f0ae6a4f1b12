import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient } from '../support/odata-client';

const CONTRACT_SETS = [
  'Task',
  'TaskItemNote',
  'TaskStatus',
  'TaskItemTemplate',
  'DynamicTaskItem',
  'Project',
  'Contact',
  'Planning',
  'Risk',
  'Document',
  'TimeEntry',
  'ChecklistItem',
  'ProjectDefinedField',
  'Notification',
];

describe('service document and $metadata', () => {
  let app: TestApp;
  let client: ODataClient;
  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
  });
  afterAll(() => app.close());

  it('service document lists every entity set of the contract', async () => {
    const r = await client.get('');
    expect(r.status).toBe(200);
    expect(r.headers.get('odata-version')).toBe('4.0');
    expect(r.body['@odata.context']).toBe(`${client.root}/$metadata`);
    const names = r.body.value.map((s: any) => s.name);
    for (const set of CONTRACT_SETS) expect(names).toContain(set);
    expect(r.body.value[0]).toEqual({ name: expect.any(String), kind: 'EntitySet', url: expect.any(String) });
  });

  it('$metadata is CSDL XML that validates against the OASIS schemas', async () => {
    const r = await client.get('$metadata');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/xml/);
    const schemaDir = join(require.resolve('odata-csdl/package.json'), '..', 'schemas');
    const result = await validateXML({
      xml: [{ fileName: 'metadata.xml', contents: r.text }],
      schema: [{ fileName: 'edmx.xsd', contents: readFileSync(join(schemaDir, 'edmx.xsd'), 'utf8') }],
      preload: [{ fileName: 'edm.xsd', contents: readFileSync(join(schemaDir, 'edm.xsd'), 'utf8') }],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('$metadata declares keys, types, nullability, computed properties, navigation and OpenType', async () => {
    const { text } = await client.get('$metadata');
    expect(text).toMatch(/<EntityType Name="Task">\s*<Key>\s*<PropertyRef Name="TaskItemId"\/>/);
    expect(text).toMatch(/<Property Name="TaskItemId" Type="Edm.Guid" Nullable="false"/);
    expect(text).toMatch(/<Property Name="Name" Type="Edm.String"\/>/);
    expect(text).toMatch(
      /<Property Name="DoneDate" Type="Edm.DateTimeOffset" Precision="6">\s*<Annotation Term="Core.Computed" Bool="true"\/>/,
    );
    expect(text).toMatch(/<Property Name="Tags" Type="Collection\(Edm.String\)" Nullable="false"\/>/);
    expect(text).toMatch(
      /<NavigationProperty Name="Project" Type="Tasks.Project">[\s\S]*?<ReferentialConstraint Property="ProjectId" ReferencedProperty="ProjectId"\/>/,
    );
    expect(text).toMatch(
      /<NavigationProperty Name="Notes" Type="Collection\(Tasks.TaskItemNote\)" Partner="Task"\/>/,
    );
    expect(text).toMatch(/<EntityType Name="DynamicTaskItem" OpenType="true">/);
    expect(text).toMatch(/<EntitySet Name="Task" EntityType="Tasks.Task">/);
    expect(text).not.toMatch(/"Version"|ProjectDefinedFields/);
  });

  it('CSDL JSON only when asked for explicitly', async () => {
    const viaFormat = await client.get('$metadata?$format=json');
    expect(viaFormat.headers.get('content-type')).toMatch(/^application\/json/);
    expect(viaFormat.body.$Version).toBe('4.0');
    expect(viaFormat.body.$EntityContainer).toBe('Tasks.Container');
    expect(viaFormat.body.Tasks.Task.$Key).toEqual(['TaskItemId']);
    expect(viaFormat.body.Tasks.Task.DoneDate).toMatchObject({
      $Type: 'Edm.DateTimeOffset',
      $Nullable: true,
      '@Core.Computed': true,
    });
    const viaAccept = await client.get('$metadata', { Accept: 'application/json' });
    expect(viaAccept.body.Tasks.Container.Task).toEqual(
      expect.objectContaining({ $Collection: true, $Type: 'Tasks.Task' }),
    );
    // Power Query's Accept lists JSON first but XML too: it must get XML.
    const powerQuery = await client.get('$metadata', {
      Accept: 'application/json;odata.metadata=minimal;q=1.0,application/xml;q=0.7',
    });
    expect(powerQuery.headers.get('content-type')).toMatch(/^application\/xml/);
  });

  it('negotiates OData-Version', async () => {
    expect((await client.get('Task', { 'OData-MaxVersion': '4.01' })).headers.get('odata-version')).toBe(
      '4.01',
    );
    const bad = await client.get('Task', { 'OData-Version': '5.0' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toEqual(expect.any(String));
  });
});
