import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient, TEST_ADMIN_TOKEN } from '../support/odata-client';

/**
 * How an application uses the client the SAP Cloud SDK generates: written here, compiled with
 * the generated code (strict), then run against the live service. The bound action goes through
 * the SDK's own BoundOperationRequestBuilder, as the generator would emit it if it could (it
 * generates an operation only when an import references it, and CSDL has no imports of bound
 * operations).
 */
const USAGE = `
import {
  BoundOperationRequestBuilder,
  DefaultDeSerializers,
  OperationParameter,
  asc,
  entityDeserializer,
  transformReturnValueForComplexType,
} from '@sap-cloud-sdk/odata-v4';
import { MoveTaskItemResult, Task, tasksService } from './gen/TasksService';

const { taskApi, taskItemNoteApi, batch, changeset } = tasksService();
type Destination = { url: string };
let auth: Record<string, string> = {};
export function authorize(token: string): void {
  auth = { Authorization: 'Bearer ' + token };
}

export async function create(d: Destination, name: string, projectId: string): Promise<Task> {
  const task = taskApi.entityBuilder().name(name).projectId(projectId).workAmount(2).build();
  return taskApi.requestBuilder().create(task).addCustomHeaders(auth).skipCsrfTokenFetching().execute(d);
}

export async function query(d: Destination, projectId: string): Promise<Array<{ name: string; work: number }>> {
  const { NAME, PROJECT_ID, WORK_AMOUNT } = taskApi.schema;
  const tasks = await taskApi
    .requestBuilder()
    .getAll()
    .select(NAME, WORK_AMOUNT)
    .filter(PROJECT_ID.equals(projectId), WORK_AMOUNT.greaterOrEqual(1))
    .orderBy(asc(NAME))
    .top(10)
    .addCustomHeaders(auth)
    .execute(d);
  return tasks.map((t) => ({ name: t.name ?? '', work: t.workAmount }));
}

export async function count(d: Destination, projectId: string): Promise<number> {
  const { PROJECT_ID } = taskApi.schema;
  return taskApi.requestBuilder().getAll().filter(PROJECT_ID.equals(projectId)).count().addCustomHeaders(auth).execute(d);
}

/** Two copies of one task: the second update carries the first version's ETag. */
export async function staleUpdate(d: Destination, id: string): Promise<{ first: string; second: number }> {
  const read = () => taskApi.requestBuilder().getByKey(id).addCustomHeaders(auth).execute(d);
  const [a, b] = [await read(), await read()];
  a.name = 'renamed once';
  const updated = await taskApi.requestBuilder().update(a).addCustomHeaders(auth).skipCsrfTokenFetching().execute(d);
  b.name = 'renamed from a stale copy';
  try {
    await taskApi.requestBuilder().update(b).addCustomHeaders(auth).skipCsrfTokenFetching().execute(d);
    return { first: updated.name ?? '', second: 200 };
  } catch (e) {
    return { first: updated.name ?? '', second: statusOf(e) };
  }
}

/** The SDK wraps the HTTP client's error (which holds the response) in ErrorWithCause, maybe twice. */
function statusOf(e: unknown): number {
  for (let x = e as { cause?: unknown; response?: { status: number } } | undefined; x; x = x.cause as typeof x)
    if (x.response) return x.response.status;
  return 0;
}

export async function expand(d: Destination, id: string): Promise<string[]> {
  const { NOTES, NAME } = taskApi.schema;
  const task = await taskApi
    .requestBuilder()
    .getByKey(id)
    .select(NAME)
    .expand(NOTES.select(taskItemNoteApi.schema.NOTE))
    .addCustomHeaders(auth)
    .execute(d);
  return task.notes.map((n) => n.note ?? '');
}

/** A change set: both writes or neither. */
export async function changeSet(d: Destination, projectId: string, id: string, failSecond: boolean): Promise<number[]> {
  const note = taskItemNoteApi.entityBuilder().taskItemId(id).note('in a change set').build();
  const task = taskApi.entityBuilder().name('from a change set').projectId(failSecond ? '00000000-0000-0000-0000-0000000000ff' : projectId).build();
  const responses = await batch(
    changeset(
      taskItemNoteApi.requestBuilder().create(note),
      taskApi.requestBuilder().create(task),
    ),
  )
    .addCustomHeaders(auth)
    .skipCsrfTokenFetching()
    .execute(d);
  // A change set answers as a whole: its writes' status codes, or the one error.
  return responses.flatMap((r) => (r.isWriteResponses() ? r.responses.map((w) => w.httpCode) : [r.httpCode]));
}

/** Task(<key>)/Tasks.MoveTaskItem, built as the generator builds bound operations. */
export async function move(d: Destination, task: Task, columnId: string): Promise<MoveTaskItemResult> {
  const deserializer = entityDeserializer(taskApi.deSerializers);
  type Parameters = { taskItemStatusId: string; afterTaskItemId: string | null };
  return new BoundOperationRequestBuilder<Task, DefaultDeSerializers, Parameters, MoveTaskItemResult>(
    taskApi,
    task,
    'Tasks.MoveTaskItem',
    (data) =>
      transformReturnValueForComplexType(data, (v) => deserializer.deserializeComplexType(v, MoveTaskItemResult) as MoveTaskItemResult),
    {
      taskItemStatusId: new OperationParameter('taskItemStatusId', 'Edm.Guid', columnId),
      afterTaskItemId: new OperationParameter<string | null>('afterTaskItemId', 'Edm.Guid', null),
    },
    taskApi.deSerializers,
    'action',
  )
    .addCustomHeaders(auth)
    .skipCsrfTokenFetching()
    .execute(d);
}
`;

describe('SAP Cloud SDK generated client', () => {
  let app: TestApp;
  let client: ODataClient;
  const dir = join(__dirname, '../../test-results', `sap-cloud-sdk-${process.pid}`);

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    client = new ODataClient(app.baseUrl);
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates from the live $metadata, type-checks, and queries, writes, expands and batches', async () => {
    writeFileSync(join(dir, 'TasksService.edmx'), (await client.get('$metadata')).text);
    // The metadata has no self link, so the generator cannot know that the service lives under
    // /odata: basePath is set per service (keyed by the input path, relative to the cwd).
    writeFileSync(
      join(dir, 'options-per-service.json'),
      JSON.stringify({ 'TasksService.edmx': { directoryName: 'TasksService', basePath: '/odata' } }),
    );
    execFileSync(
      process.execPath,
      [
        require.resolve('@sap-cloud-sdk/generator/dist/cli.js'),
        '--input',
        'TasksService.edmx',
        '--outputDir',
        'gen',
        '--optionsPerService',
        'options-per-service.json',
        '--overwrite',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    writeFileSync(join(dir, 'usage.ts'), USAGE);
    const gen = join(dir, 'gen', 'TasksService');
    const files = [join(dir, 'usage.ts'), ...readdirSync(gen).map((f) => join(gen, f))];
    expect(files.map((f) => f.split('/').pop())).toEqual(
      expect.arrayContaining(['TaskApi.ts', 'BatchRequest.ts', 'service.ts', 'MoveTaskItemResult.ts']),
    );
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      outDir: join(dir, 'out'),
      rootDir: dir,
      moduleResolution: ts.ModuleResolutionKind.Node10,
    });
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    );
    expect(diagnostics).toEqual([]);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(join(dir, 'out', 'usage.js'));
    sdk.authorize(TEST_ADMIN_TOKEN);
    const d = { url: app.baseUrl };
    const project = (await client.post('Project', { Name: 'SAP' })).body;
    const column = (await client.post('TaskStatus', { Name: 'Doing', ProjectId: project.ProjectId })).body;

    const created = await sdk.create(d, 'from the SAP Cloud SDK', project.ProjectId);
    expect(created.taskItemId).toMatch(/^[0-9a-f-]{36}$/);
    await sdk.create(d, 'another', project.ProjectId);
    expect(await sdk.query(d, project.ProjectId)).toEqual([
      { name: 'another', work: 2 },
      { name: 'from the SAP Cloud SDK', work: 2 },
    ]);
    expect(Number(await sdk.count(d, project.ProjectId))).toBe(2);

    expect(await sdk.staleUpdate(d, created.taskItemId)).toEqual({ first: 'renamed once', second: 412 });
    expect((await client.get(`Task(${created.taskItemId})`)).body.Name).toBe('renamed once');

    await client.post('TaskItemNote', { TaskItemId: created.taskItemId, Note: 'first note' });
    expect(await sdk.expand(d, created.taskItemId)).toEqual(['first note']);

    // a change set that fails on its second write leaves no trace of its first
    const failed = await sdk.changeSet(d, project.ProjectId, created.taskItemId, true);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeGreaterThanOrEqual(400);
    expect(failed[0]).toBeLessThan(500);
    expect(await sdk.expand(d, created.taskItemId)).toEqual(['first note']);
    expect(await sdk.changeSet(d, project.ProjectId, created.taskItemId, false)).toEqual([201, 201]);
    expect((await sdk.expand(d, created.taskItemId)).sort()).toEqual(['first note', 'in a change set']);
    expect(Number(await sdk.count(d, project.ProjectId))).toBe(3);

    const moved = await sdk.move(d, created, column.TaskItemStatusId);
    expect(moved).toMatchObject({
      taskItemId: created.taskItemId,
      taskItemStatusId: column.TaskItemStatusId,
    });
  }, 240000);
});
