import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { AllowAllAccessPolicy } from '../../src/odata/access/access-policy';
import { ODataRequestHandler } from '../../src/odata/http/odata-request-handler';
import type { EdmModel } from '../../src/odata/model/edm-model';
import { ACCESS_POLICY, EDM_MODEL, ODataModule } from '../../src/odata/odata.module';
import { createTestDatabase, TestDatabase } from '../support/database';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient } from '../support/odata-client';
import { Factories } from '../support/factories';

const limits = {
  maxPageSize: 100,
  maxBatchRequests: 10,
  maxTop: 1000,
  maxExpandDepth: 3,
  maxFilterNodes: 100,
  maxInList: 100,
};
const admission = { slots: 2, longSlots: 1, queueLength: 10, waitMs: 1000 };

@Module({ providers: [{ provide: ACCESS_POLICY, useClass: AllowAllAccessPolicy }], exports: [ACCESS_POLICY] })
class AllowAllModule {}

describe('the core is extended through providers, complete at boot', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const boot = (imports: any[]) => {
    @Module({
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(db.url, { poolSize: 2 })),
        ODataModule.forRoot({ namespace: 'Tasks', limits, admission, imports }),
      ],
    })
    class Root {}
    return NestFactory.createApplicationContext(Root, { logger: false, abortOnError: false });
  };

  it('refuses to boot without an ACCESS_POLICY', async () => {
    await expect(boot([])).rejects.toThrow(/ACCESS_POLICY/);
  });

  it('boots with the explicit allow-all policy: every row is visible to any caller', async () => {
    const app = await boot([AllowAllModule]);
    try {
      const handler = app.get(ODataRequestHandler);
      const res = await handler.handle({
        method: 'GET',
        path: '/Project/$count',
        search: '',
        headers: {},
        serviceRoot: 'http://x/odata',
        caller: { id: 'anyone' },
      });
      expect(res.status).toBe(200);
      expect(Number(res.body)).toBeGreaterThanOrEqual(0);
    } finally {
      await app.close();
    }
  });
});

describe('the application: model and entity ids', () => {
  let app: TestApp;
  let client: ODataClient;
  let make: Factories;
  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    make = new Factories(client);
  });
  afterAll(() => app.close());

  it('has every operation in the model before the first request, and the model is frozen', () => {
    const model = app.app.get<EdmModel>(EDM_MODEL);
    expect(model.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['MoveTaskItem']));
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.operations)).toBe(true);
  });

  it('a compound key: Location, OData-EntityId and $ref answers address the same entity', async () => {
    const project = await make.project();
    const contact = await make.contact();
    const created = await client.post('ProjectMember', {
      ProjectId: project.ProjectId,
      ContactId: contact.ContactId,
      Role: 'Viewer',
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toBe(
      `${client.root}/ProjectMember(ProjectId=${project.ProjectId},ContactId=${contact.ContactId})`,
    );
    const read = await client.get(location);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ ProjectId: project.ProjectId, ContactId: contact.ContactId });

    const patched = await client.patch(location, { Role: 'Editor' });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('odata-entityid')).toBe(location);

    const ref = await client.get(`${location.slice(client.root.length + 1)}/$ref`);
    expect(ref.status).toBe(200);
    expect(ref.body['@odata.id']).toBe(location);
    expect((await client.get(ref.body['@odata.id'])).body.Role).toBe('Editor');

    const refs = await client.get('ProjectMember/$ref');
    expect(refs.status).toBe(200);
    expect(refs.body.value).toContainEqual({ '@odata.id': location });
    for (const { '@odata.id': id } of refs.body.value) expect((await client.get(id)).status).toBe(200);
  });
});
