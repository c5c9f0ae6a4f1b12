/**
 * `npm run bench:delete [-- --tasks 100000]`: deleting a large project through the API.
 *
 * Builds a project of N tasks (five columns, notes, checklist items, relations from a neighbour
 * project's task) with SQL, then sends `DELETE Project(<key>)` while a second client keeps
 * changing and reading a task of the neighbour project. Measures how long the delete takes, how
 * long the neighbour's requests wait meanwhile (a lock on other projects would show here) and how
 * many change events the delete writes. Writes its section of BENCHMARKS.md and
 * bench/results/<date>-project-delete-<N>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { connect, migrate, openBenchDatabase } from './database';
import { machine } from './machine';
import { snapshotServiceBuild, startService } from './processes';
import { replaceSection } from './report';

const ROOT = join(__dirname, '..');
const START = '<!-- project-delete:start -->';
const END = '<!-- project-delete:end -->';

interface DeleteResult {
  date: string;
  tasks: number;
  notes: number;
  checklistItems: number;
  deleteSeconds: number;
  status: number;
  neighbourRequests: number;
  neighbourP50Ms: number;
  neighbourMaxMs: number;
  neighbourErrors: number;
  changeEventsWritten: number;
  machine: ReturnType<typeof machine>;
}

const quantile = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : 0;

async function main(): Promise<void> {
  const at = process.argv.indexOf('--tasks');
  const n = at > 0 ? Number(process.argv[at + 1]) : 100_000;
  if (
    !process.argv.includes('--no-build') &&
    spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status
  ) {
    throw new Error('npm run build failed');
  }
  snapshotServiceBuild();
  const db = await openBenchDatabase();
  const client = await connect(db.url, 'bench-delete');
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    await migrate(db.url);
    console.log(`Building a project of ${n.toLocaleString('en-US')} tasks`);
    const { rows } = await client.query(`
      WITH p AS (INSERT INTO project ("Name") VALUES ('bench: big project'), ('bench: neighbour')
                 RETURNING "ProjectId", "Name")
      SELECT (SELECT "ProjectId" FROM p WHERE "Name" = 'bench: big project') AS victim,
             (SELECT "ProjectId" FROM p WHERE "Name" = 'bench: neighbour') AS neighbour`);
    const { victim, neighbour } = rows[0];
    await client.query(
      `INSERT INTO task_status ("ProjectId", "Name", "OrdinalPosition", "WipLimit")
       SELECT $1, 'Column ' || i, i, 1000 FROM generate_series(1, 5) i`,
      [victim],
    );
    await client.query(
      `INSERT INTO task ("ProjectId", "Name", "TaskItemStatusId", "CardPositionNumber", "DescriptionHTML")
       SELECT $1, 'Card ' || i, s."TaskItemStatusId", i, '<p>work</p>'
       FROM generate_series(1, $2::int) i
       JOIN task_status s ON s."ProjectId" = $1 AND s."OrdinalPosition" = 1 + i % 5`,
      [victim, n],
    );
    const notes = await client.query(
      `INSERT INTO task_item_note ("TaskItemId", "Note", "NoteHtml")
       SELECT "TaskItemId", 'note', '<p>note</p>' FROM task WHERE "ProjectId" = $1 AND "CardPositionNumber" % 10 = 0`,
      [victim],
    );
    const checklist = await client.query(
      `INSERT INTO checklist_item ("TaskItemId", "Name", "OrdinalPosition")
       SELECT "TaskItemId", 'step', 1 FROM task WHERE "ProjectId" = $1 AND "CardPositionNumber" % 10 = 5`,
      [victim],
    );
    const [{ TaskItemId: neighbourTask }] = (
      await client.query(
        `INSERT INTO task ("ProjectId", "Name") VALUES ($1, 'next door') RETURNING "TaskItemId"`,
        [neighbour],
      )
    ).rows;
    await client.query(
      `INSERT INTO task_relation ("TaskItemId", "ItemId", "ItemType")
       SELECT $1, "TaskItemId", 'Task' FROM task WHERE "ProjectId" = $2 AND "CardPositionNumber" % 100 = 0`,
      [neighbourTask, victim],
    );
    await client.query('VACUUM ANALYZE');
    const [{ mark }] = (await client.query(`SELECT COALESCE(max("Id"), 0) AS mark FROM change_event`)).rows;

    service = await startService(db.url);
    const headers = { ...service.headers, 'Content-Type': 'application/json' };
    const latencies: number[] = [];
    let errors = 0;
    let done = false;
    // The neighbour's editor keeps working while the delete runs.
    const neighbourWork = (async () => {
      for (let i = 0; !done; i++) {
        const t = performance.now();
        const r = await fetch(`${service!.origin}/odata/Task(${neighbourTask})`, {
          method: i % 2 ? 'GET' : 'PATCH',
          headers,
          body: i % 2 ? undefined : JSON.stringify({ Name: `next door ${i}` }),
        });
        await r.arrayBuffer();
        if (!r.ok) errors++;
        latencies.push(performance.now() - t);
      }
    })();
    console.log('DELETE Project(...)');
    const t0 = performance.now();
    const res = await fetch(`${service.origin}/odata/Project(${victim})`, { method: 'DELETE', headers });
    await res.arrayBuffer();
    const deleteSeconds = (performance.now() - t0) / 1000;
    done = true;
    await neighbourWork;
    const events = await client.query(
      `SELECT count(*)::int AS n FROM change_event WHERE "Id" > $1 AND ("ProjectId" = $2 OR "ProjectId" IS NULL)`,
      [mark, victim],
    );
    const result: DeleteResult = {
      date: new Date().toISOString(),
      tasks: n,
      notes: notes.rowCount ?? 0,
      checklistItems: checklist.rowCount ?? 0,
      deleteSeconds,
      status: res.status,
      neighbourRequests: latencies.length,
      neighbourP50Ms: quantile(latencies, 0.5),
      neighbourMaxMs: Math.max(0, ...latencies),
      neighbourErrors: errors,
      changeEventsWritten: events.rows[0].n,
      machine: machine((await client.query('SHOW server_version')).rows[0].server_version),
    };
    await client.query(`DELETE FROM project WHERE "ProjectId" = $1`, [neighbour]);
    report(result);
  } finally {
    await service?.stop().catch(() => undefined);
    await client.end().catch(() => undefined);
    await db.stop();
  }
}

function report(r: DeleteResult): void {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const markdown = [
    `## Deleting a large project (\`npm run bench:delete\`, ${r.date.slice(0, 10)})`,
    '',
    `One \`DELETE Project(<key>)\` through the API of a project with ${r.tasks.toLocaleString('en-US')} tasks ` +
      `in five columns, ${r.notes.toLocaleString('en-US')} notes, ${r.checklistItems.toLocaleString('en-US')} ` +
      'checklist items and relations from a task of another project, while a second client changes and ' +
      `reads that other project's task in a loop. ${r.machine.cores} cores, PostgreSQL ${r.machine.postgres}.`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| delete (HTTP ${r.status}), one transaction | ${r.deleteSeconds.toFixed(2)} s |`,
    `| change events the delete wrote | ${r.changeEventsWritten} |`,
    `| other project's requests during the delete | ${r.neighbourRequests} (${r.neighbourErrors} failed) |`,
    `| their latency, median / max | ${ms(r.neighbourP50Ms)} / ${ms(r.neighbourMaxMs)} |`,
    '',
    "The other project's requests do not wait for the delete (no lock beyond the deleted rows), and " +
      'change-stream clients get one summary event instead of one per deleted row.',
  ].join('\n');
  replaceSection(join(ROOT, 'BENCHMARKS.md'), START, END, markdown);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(
    ROOT,
    'bench',
    'results',
    `${r.date.slice(0, 19).replace(/[:T]/g, '-')}-project-delete-${r.tasks}.json`,
  );
  writeFileSync(file, JSON.stringify(r, null, 2));
  console.log(markdown);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
