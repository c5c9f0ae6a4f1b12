/**
 * `npm run bench:load -- --tasks 1000000`: loads the DATASET.md rows straight into PostgreSQL
 * (DATABASE_URL, or the benchmark's own embedded server under ./.bench-data), replacing every
 * project, contact, Kanban column, task and note there. One INSERT ... SELECT per table into the
 * migrated schema (its indexes already exist), then VACUUM ANALYZE.
 */
import type { Client } from 'pg';
import { connect, migrate, openBenchDatabase } from './database';
import {
  CREATE_UUID_FUNCTION,
  INSERT_CONTACTS,
  INSERT_NOTES,
  INSERT_PROJECTS,
  INSERT_STATUSES,
  INSERT_TASKS,
  UUID_SELF_CHECK,
  uuidSql,
} from './dataset.sql';

/** The contact the initial migration creates for the service itself: kept across loads. */
const SYSTEM_CONTACT = '00000000-0000-0000-0000-000000000000';

export type Log = (line: string) => void;

/** Checks uuid(seed) against the DATASET.md examples; throws on any difference. */
export async function checkUuidFunction(client: Client): Promise<void> {
  await client.query(CREATE_UUID_FUNCTION);
  for (const [seed, expected] of UUID_SELF_CHECK) {
    const { rows } = await client.query(`SELECT ${uuidSql('$1')}::text AS u`, [seed]);
    if (rows[0].u !== expected) throw new Error(`uuid('${seed}') = ${rows[0].u}, expected ${expected}`);
  }
}

/** True when the database holds exactly the N-task data set (cheap checks, no full scan of rules). */
export async function holdsDataset(client: Client, n: number): Promise<boolean> {
  await client.query(CREATE_UUID_FUNCTION);
  const { rows } = await client.query(
    `SELECT (SELECT count(*) FROM task)::bigint AS tasks,
            (SELECT count(*) FROM task_item_note)::bigint AS notes,
            (SELECT count(*) FROM project)::bigint AS projects,
            (SELECT count(*) FROM task_status)::bigint AS statuses,
            (SELECT count(*) FROM contact)::bigint AS contacts,
            (SELECT "Name" FROM task WHERE "TaskItemId" = ${uuidSql(`'task-' || $1::bigint`)}) AS last_name`,
    [n],
  );
  const r = rows[0];
  return (
    Number(r.tasks) === n &&
    Number(r.notes) === Math.floor(n / 10) * 2 &&
    Number(r.projects) === 1000 &&
    Number(r.statuses) === 5000 &&
    Number(r.contacts) >= 10000 &&
    r.last_name === `Task ${n}`
  );
}

async function timed<T>(log: Log, what: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  log(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/** Replaces the data of the tables of the data set with the N-task data set. */
export async function loadDataset(client: Client, n: number, log: Log = console.log): Promise<void> {
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_000_000_000)
    throw new Error(`--tasks must be a positive integer, not ${n}`);
  await checkUuidFunction(client);
  const superuser =
    (await client.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).rows[0]?.rolsuper ===
    true;
  log(
    `Loading the data set: ${n.toLocaleString('en-US')} tasks${superuser ? '' : ' (not a superuser: triggers stay on, slower)'}`,
  );
  const t0 = performance.now();
  await client.query('BEGIN');
  try {
    // Triggers (and the foreign-key checks, which are triggers too) off for this transaction:
    // DoneDate must be e(i), not now(), and a million per-row trigger calls would cost minutes.
    if (superuser) await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(
      `CREATE TEMP TABLE bench_keep_contact ON COMMIT DROP AS SELECT * FROM contact WHERE "ContactId" = $1`,
      [SYSTEM_CONTACT],
    );
    // Every project and contact goes, and with them (CASCADE) every row that refers to one.
    await timed(log, 'truncate', () => client.query(`TRUNCATE project, contact CASCADE`));
    // The service's change log (if it keeps one) would only describe rows that are gone now.
    if ((await client.query(`SELECT to_regclass('change_event') AS t`)).rows[0].t)
      await client.query(`TRUNCATE change_event`);
    await client.query(`INSERT INTO contact SELECT * FROM bench_keep_contact`);
    await timed(log, 'project (1,000)', () => client.query(INSERT_PROJECTS));
    await timed(log, 'contact (10,000)', () => client.query(INSERT_CONTACTS));
    await timed(log, 'task_status (5,000)', () => client.query(INSERT_STATUSES));
    await timed(log, `task (${n.toLocaleString('en-US')})`, () => client.query(INSERT_TASKS, [1, n]));
    await timed(log, `task_item_note (${(Math.floor(n / 10) * 2).toLocaleString('en-US')})`, () =>
      client.query(INSERT_NOTES, [1, n]),
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  await timed(log, 'VACUUM ANALYZE', () =>
    client.query(`VACUUM (ANALYZE) project, contact, task_status, task, task_item_note`),
  );
  if (!(await holdsDataset(client, n))) throw new Error('The loaded data does not pass the data set checks');
  // The keys of DATASET.md's examples, read back from the loaded rows.
  const project7 = (
    await client.query(
      `SELECT "Name" FROM project WHERE "ProjectId" = 'c0ec1ecf-1a01-47dc-9ead-1116de86429e'`,
    )
  ).rows[0]?.Name;
  const task1 = (
    await client.query(`SELECT "Name" FROM task WHERE "TaskItemId" = 'c146b6ad-3827-4b93-9d94-d82f20703136'`)
  ).rows[0]?.Name;
  if (project7 !== 'Project 7' || task1 !== 'Task 1')
    throw new Error(`Self-check failed: uuid('project-7') holds ${project7}, uuid('task-1') holds ${task1}`);
  log(
    `  self-check: uuid('project-7') = c0ec1ecf-1a01-47dc-9ead-1116de86429e is Project 7, uuid('task-1') = c146b6ad-3827-4b93-9d94-d82f20703136 is Task 1`,
  );
  log(`Loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export function tasksArgument(argv: string[], fallback: number): number {
  const at = argv.findIndex((a) => a === '--tasks' || a.startsWith('--tasks='));
  if (at < 0) return fallback;
  const text = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  return Number(String(text).replace(/[_,]/g, ''));
}

async function main(): Promise<void> {
  const n = tasksArgument(process.argv.slice(2), 1_000_000);
  const db = await openBenchDatabase();
  try {
    console.log(db.embedded ? 'Database: embedded PostgreSQL in ./.bench-data' : 'Database: DATABASE_URL');
    await migrate(db.url);
    const client = await connect(db.url, 'bench-load');
    try {
      await loadDataset(client, n);
    } finally {
      await client.end();
    }
  } finally {
    await db.stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
