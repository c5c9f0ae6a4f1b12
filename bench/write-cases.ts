/**
 * The write cases: requests that create or change bench tasks (keys ffffffff-..., project 999,
 * dates in 2030), and the clean-up that removes them and puts the data set back as it was.
 */
import type { Client } from 'pg';
import { CREATE_UUID_FUNCTION, uuidSql } from './dataset.sql';
import {
  BENCH_DATES_FROM,
  BENCH_PROJECT,
  BUSY_STATUS,
  MOVERS_STATUS,
  WriteCase,
  benchKey,
  benchTask,
  busyColumnMiddleCard,
} from './query-mix';
import type { LoadOptions } from './http-load';
import { timeout } from './bench-context';
import { holdsDataset, loadDataset } from './load-dataset';

/** Tasks created by SQL for g-patch and MoveTaskItem to work on (the service's POST may be missing). */
export async function createBenchTasks(client: Client, run: number, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, j) => benchKey(run, 0xf00000 + j));
  await client.query(
    `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "StartDateTime", "EndDateTime", "CardPositionNumber")
     SELECT k, 'bench pool ' || o, $2, $3, $4::timestamptz, $4::timestamptz + interval '1 day', 1000000000 + o::int
     FROM unnest($1::uuid[]) WITH ORDINALITY AS u(k, o)`,
    [keys, BENCH_PROJECT, MOVERS_STATUS, BENCH_DATES_FROM],
  );
  return keys;
}

/**
 * Removes every bench task (named 'bench ...', EndDateTime in 2030: the data set ends in 2026)
 * and, with `restore` (only when the database holds the data set), puts back the Kanban column
 * and CardPositionNumber of data set tasks that a move renumbered.
 */
export async function cleanUpBenchWrites(
  client: Client,
  opts: { restore: boolean },
): Promise<{ removed: number; restored: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await cleanUp(client, opts);
    } catch (e: any) {
      // a request of the last run may still be finishing: deadlock or serialization failure
      if (attempt >= 5 || !['40P01', '40001'].includes(e?.code)) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function cleanUp(
  client: Client,
  opts: { restore: boolean },
): Promise<{ removed: number; restored: number }> {
  await client.query(CREATE_UUID_FUNCTION);
  const removed =
    (
      await client.query(`DELETE FROM task WHERE "EndDateTime" >= $1 AND "Name" LIKE 'bench %'`, [
        BENCH_DATES_FROM,
      ])
    ).rowCount ?? 0;
  if (!opts.restore) return { removed, restored: 0 };
  const i = `substr(t."Name", 6)::bigint`;
  const status = `k.status[(${i} % 1000) * 5 + (CASE WHEN ${i} % 3 = 0 THEN 4 ELSE ${i} % 4 END) + 1]`;
  const restored =
    (
      await client.query(
        `WITH k AS MATERIALIZED (SELECT (SELECT array_agg(${uuidSql(`'status-' || p || '-' || s`)} ORDER BY p, s)
                                     FROM generate_series(0, 999) p CROSS JOIN generate_series(0, 4) s) AS status)
     UPDATE task t SET "TaskItemStatusId" = ${status}, "CardPositionNumber" = ${i}
     FROM k WHERE t."Name" ~ '^Task [0-9]+$' AND (t."CardPositionNumber" <> ${i} OR t."TaskItemStatusId" IS DISTINCT FROM ${status})`,
      )
    ).rowCount ?? 0;
  if (removed || restored) await client.query(`VACUUM (ANALYZE) task`);
  return { removed, restored };
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The bench tasks MoveTaskItem moves back and forth in the busy column (enough for every connection). */
const movers = (pool: string[]) => pool.slice(0, 32);

/**
 * Moves each mover into the busy column once, untimed: the measured moves are then all within
 * that column (and none pays for leaving the column it was created in).
 */
export async function moveIntoBusyColumn(
  origin: string,
  headers: Record<string, string>,
  pool: string[],
  n: number,
): Promise<void> {
  for (const key of movers(pool)) {
    const res = await fetch(`${origin}/odata/Task(${key})/MoveTaskItem`, {
      method: 'POST',
      headers,
      signal: timeout(),
      body: JSON.stringify({ taskItemStatusId: BUSY_STATUS, afterTaskItemId: busyColumnMiddleCard(n) }),
    });
    await res.arrayBuffer();
    if (!res.ok) return;
  }
}

/** The last change_event (the service's change log, if it has one) before the writes. */
export async function changeLogMark(client: Client): Promise<string | null> {
  if (!(await client.query(`SELECT to_regclass('change_event') AS t`)).rows[0].t) return null;
  return (await client.query(`SELECT COALESCE(max("Id"), 0)::text AS id FROM change_event`)).rows[0].id;
}

/** Removes the change events the bench writes and their clean-up produced. */
export async function dropChangeLogSince(client: Client, mark: string | null): Promise<number> {
  if (mark === null) return 0;
  return (await client.query(`DELETE FROM change_event WHERE "Id" > $1::bigint`, [mark])).rowCount ?? 0;
}

/** The autocannon request of a write case (bodies and paths change per request). */
export function writeRequest(
  c: WriteCase,
  ctx: { run: number; pool: string[]; n: number; counter: { next: number } },
): Omit<LoadOptions, 'origin' | 'connections' | 'seconds'> {
  const nextKey = () => benchKey(ctx.run, ctx.counter.next++);
  let turn = 0;
  const poolKey = () => ctx.pool[turn++ % ctx.pool.length];
  switch (c.kind) {
    case 'post':
      return {
        method: 'POST',
        path: '/odata/Task',
        headers: JSON_HEADERS,
        setupRequest: (req) => {
          const key = nextKey();
          return { ...req, body: JSON.stringify(benchTask(key, `post ${key}`)) };
        },
      };
    case 'patch':
      return {
        method: 'PATCH',
        path: `/odata/Task(${ctx.pool[0]})`,
        headers: JSON_HEADERS,
        body: '{"IsDone":true}',
        setupRequest: (req) => ({ ...req, path: `/odata/Task(${poolKey()})` }),
      };
    case 'batch':
      return {
        method: 'POST',
        path: '/odata/Task/BatchInsert',
        headers: JSON_HEADERS,
        setupRequest: (req) => {
          const items = Array.from({ length: 1000 }, () => {
            const key = nextKey();
            return benchTask(key, `batch ${key}`);
          });
          return { ...req, body: JSON.stringify({ items }) };
        },
      };
    case 'move': {
      const cards = movers(ctx.pool);
      let m = 0;
      const body = JSON.stringify({
        taskItemStatusId: BUSY_STATUS,
        afterTaskItemId: busyColumnMiddleCard(ctx.n),
      });
      return {
        method: 'POST',
        path: `/odata/Task(${ctx.pool[0]})/MoveTaskItem`,
        headers: JSON_HEADERS,
        body,
        setupRequest: (req) => ({ ...req, path: `/odata/Task(${cards[m++ % cards.length]})/MoveTaskItem` }),
      };
    }
  }
}

/** One request of the case, checked: supported (2xx) and what it should have done. */
export async function probeWrite(
  origin: string,
  c: WriteCase,
  request: ReturnType<typeof writeRequest>,
): Promise<{ status: number; ok: boolean; note: string }> {
  const req = request.setupRequest
    ? request.setupRequest({
        path: request.path,
        body: request.body,
        method: request.method,
        headers: request.headers,
      })
    : request;
  const res = await fetch(origin + req.path, {
    method: request.method,
    headers: request.headers,
    body: req.body,
    signal: timeout(),
  });
  const text = await res.text();
  if (res.status < 200 || res.status > 299)
    return { status: res.status, ok: false, note: text.slice(0, 200) };
  let body: any = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    /* not JSON */
  }
  const sent = req.body ? JSON.parse(req.body) : {};
  switch (c.kind) {
    case 'post':
      return {
        status: res.status,
        ok: body.Name === sent.Name,
        note: body.Name === sent.Name ? 'created' : 'response is not the new task',
      };
    case 'patch':
      return { status: res.status, ok: true, note: 'changed' };
    case 'batch': {
      const created = Array.isArray(body.value)
        ? body.value.length
        : Array.isArray(body)
          ? body.length
          : undefined;
      return { status: res.status, ok: created === 1000, note: `${created ?? '?'} tasks returned` };
    }
    case 'move': {
      const status = body.TaskItemStatusId;
      return {
        status: res.status,
        ok: status === undefined || status === BUSY_STATUS,
        note:
          status === undefined ? 'moved' : `moved to ${status === BUSY_STATUS ? 'the busy column' : status}`,
      };
    }
  }
}

/**
 * Makes sure the database holds exactly the N-task data set (bench and soak alike): removes
 * tasks an earlier run left, puts moved cards back, loads the set if it is not there. Returns
 * the load time in seconds if it loaded.
 */
export async function prepareDataset(
  client: Client,
  n: number,
  log: (line: string) => void,
): Promise<number | undefined> {
  const leftovers = await cleanUpBenchWrites(client, { restore: false });
  if (leftovers.removed) log(`Removed ${leftovers.removed} bench tasks left by an earlier run`);
  if (await holdsDataset(client, n)) {
    const { restored } = await cleanUpBenchWrites(client, { restore: true });
    log(
      `The database holds the ${n.toLocaleString('en-US')}-task data set${restored ? ` (${restored} cards put back in place)` : ''}`,
    );
    return undefined;
  }
  const t0 = Date.now();
  await loadDataset(client, n, log);
  return (Date.now() - t0) / 1000;
}
