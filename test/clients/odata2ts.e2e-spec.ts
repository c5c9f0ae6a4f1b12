import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { startTestApp, TestApp } from '../support/test-app';
import { ADMIN_HEADERS, ODataClient } from '../support/odata-client';

/** @odata2ts/odata2ts: a typed client generated from the live $metadata, compiled, and used. */
describe('odata2ts generated client', () => {
  let app: TestApp;
  let client: ODataClient;
  const dir = join(__dirname, '../../.cache', `odata2ts-${process.pid}`);

  beforeAll(async () => {
    app = await startTestApp();
    client = new ODataClient(app.baseUrl);
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates from $metadata, type-checks, and queries, creates and calls an action', async () => {
    writeFileSync(join(dir, 'metadata.xml'), (await client.get('$metadata')).text);
    execFileSync(
      join(__dirname, '../../node_modules/.bin/odata2ts'),
      [
        '-s',
        join(dir, 'metadata.xml'),
        '-o',
        join(dir, 'gen'),
        '-m',
        'service',
        '-e',
        'ts',
        '-name',
        'TasksService',
      ],
      { stdio: 'pipe' },
    );
    const files = readdirSync(join(dir, 'gen')).map((f) => join(dir, 'gen', f));
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual([
      'QTasksService.ts',
      'TasksServiceModel.ts',
      'TasksServiceService.ts',
    ]);

    // Compile: the generated code must type-check against the runtime packages.
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      outDir: join(dir, 'out'),
      moduleResolution: ts.ModuleResolutionKind.Node10,
    };
    const program = ts.createProgram(files, options);
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    );
    expect(diagnostics).toEqual([]);

    // Use it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TasksServiceService } = require(join(dir, 'out', 'TasksServiceService.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FetchClient } = require('@odata2ts/http-client-fetch');
    const service = new TasksServiceService(new FetchClient({ headers: ADMIN_HEADERS }), client.root);
    const project = (await client.post('Project', { Name: 'Generated' })).body;
    const column = (await client.post('TaskStatus', { Name: 'Todo', ProjectId: project.ProjectId })).body;
    const created = await service.Task().create({
      Name: 'from odata2ts',
      ProjectId: project.ProjectId,
      TaskItemStatusId: column.TaskItemStatusId,
      WorkAmount: 3,
    });
    expect(created.data.Name).toBe('from odata2ts');
    const found = await service
      .Task()
      .query((q: any, qTask: any) =>
        q.select('Name', 'WorkAmount').filter(qTask.Name.eq('from odata2ts')).top(5),
      );
    expect(found.data.value).toEqual([expect.objectContaining({ Name: 'from odata2ts', WorkAmount: 3 })]);
    const moved = await service
      .Task(created.data.TaskItemId)
      .MoveTaskItem({ taskItemStatusId: column.TaskItemStatusId, afterTaskItemId: null });
    expect(moved.data.CardPositionNumber).toBe(1);
  }, 120000);
});
