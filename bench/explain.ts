/**
 * EXPLAIN (ANALYZE, BUFFERS) of the main reads. Preferably of the service's own SQL: with the
 * embedded database, auto_explain is switched on for the database (log_analyze, log_buffers),
 * the service is restarted so its connections load it, each request is sent, and the plans are
 * read from the server log. With an external DATABASE_URL the log is out of reach: the floor's
 * equivalent SQL is explained instead (the report says which).
 */
import type { Client } from 'pg';
import { timeout } from './bench-context';
import { onServerLog } from './database';
import type { FloorSql } from './floor-server';
import type { FloorQuery } from './query-mix';

export interface PlanEntry {
  id: string;
  request: string;
  source: 'service SQL (auto_explain)' | 'floor SQL';
  /** One entry per statement the request ran: the SQL (shortened) and its plan. */
  statements: Array<{ sql: string; plan: string }>;
}

export interface ExplainTarget {
  id: string;
  request: string;
  url: string;
  floor: FloorQuery;
}

const SETTINGS: Array<[string, string]> = [
  ['session_preload_libraries', 'auto_explain'],
  ['auto_explain.log_min_duration', '0'],
  ['auto_explain.log_analyze', 'on'],
  ['auto_explain.log_buffers', 'on'],
  ['auto_explain.log_timing', 'on'],
  ['auto_explain.log_format', 'text'],
];

/** Plans in a chunk of server log: "LOG:  duration: x ms  plan:" then indented lines. */
export function parsePlans(log: string): Array<{ sql: string; plan: string }> {
  const out: Array<{ sql: string; plan: string }> = [];
  const parts = log.split(/^.*LOG:\s+duration: [\d.]+ ms\s+plan:\s*$/m).slice(1);
  for (const part of parts) {
    const body = part.split(/^\S.*\[\d+\]\s+(?:LOG|STATEMENT|ERROR|WARNING|DETAIL|HINT|FATAL):/m)[0];
    const lines = body.split('\n');
    const planStart = lines.findIndex(
      (l) =>
        /^\s*(->|[A-Z][A-Za-z ]+(\s\(|\s+on\s)|Result|Limit|Sort|Aggregate)/.test(l) &&
        /\(cost=|\(actual/.test(l),
    );
    const sqlText = lines
      .slice(0, planStart < 0 ? 1 : planStart)
      .join('\n')
      .replace(/^\s*Query Text:\s*/, '')
      .trim();
    const plan = (planStart < 0 ? lines.slice(1) : lines.slice(planStart))
      .map((l) => l.replace(/^\t/, ''))
      .join('\n')
      .trimEnd();
    out.push({ sql: sqlText, plan });
  }
  return out;
}

export async function enableAutoExplain(client: Client): Promise<string> {
  const db = (await client.query('SELECT current_database() AS d')).rows[0].d as string;
  for (const [k, v] of SETTINGS) await client.query(`ALTER DATABASE "${db}" SET ${k} = '${v}'`);
  return db;
}

export async function disableAutoExplain(client: Client, db: string): Promise<void> {
  for (const [k] of SETTINGS) await client.query(`ALTER DATABASE "${db}" RESET ${k}`);
}

/** Sends each request (once to warm up, once to capture) to a service that runs with auto_explain on. */
export async function explainThroughService(
  targets: ExplainTarget[],
  headers: Record<string, string>,
): Promise<PlanEntry[]> {
  let log = '';
  onServerLog((chunk) => {
    log += chunk;
  });
  const out: PlanEntry[] = [];
  try {
    for (const t of targets) {
      await (await fetch(t.url, { headers, signal: timeout() })).arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
      log = '';
      await (await fetch(t.url, { headers, signal: timeout() })).arrayBuffer();
      await new Promise((r) => setTimeout(r, 300));
      // Only the request's own statements: reads of the service (alias e0), not background jobs.
      const statements = parsePlans(log).filter(
        (s) => /^\s*(SELECT|WITH)\b/i.test(s.sql) && /\be0\b/.test(s.sql),
      );
      out.push({ id: t.id, request: t.request, source: 'service SQL (auto_explain)', statements });
    }
  } finally {
    onServerLog(undefined);
  }
  return out;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the floor's statement for each request (first page). */
export async function explainFloorSql(
  client: Client,
  sql: FloorSql,
  targets: ExplainTarget[],
): Promise<PlanEntry[]> {
  const out: PlanEntry[] = [];
  for (const t of targets) {
    const stmt = t.floor.key
      ? sql.entity(t.floor)
      : t.floor.raw
        ? { name: 'floor-raw', sql: t.floor.raw, params: [] }
        : sql.collection(t.floor);
    if (!stmt) continue;
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${stmt.sql}`, stmt.params);
    out.push({
      id: t.id,
      request: t.request,
      source: 'floor SQL',
      statements: [{ sql: stmt.sql, plan: rows.map((r) => r['QUERY PLAN']).join('\n') }],
    });
  }
  return out;
}
