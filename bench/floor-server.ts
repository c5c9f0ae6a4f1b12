/**
 * The floor: the read queries of the mix answered the fastest plain way this machine offers —
 * node:http and `pg`, no framework, a named prepared statement per query shape (PostgreSQL parses
 * and plans it once per connection), plain columns (no JSON built in PostgreSQL) and the response
 * serialised in Node with JSON.stringify. The same rows as the service's: same filter, order, page
 * size and keyset paging. It answers only the exact requests of the mix (and their nextLinks);
 * everything else is 404. A ratio to this floor shows the service's own costs, not shared ones.
 *
 * Writes: `POST Task` (one INSERT ... RETURNING, 201 with the created entity) and `PATCH Task(key)`
 * (one UPDATE, 204), each a named prepared statement per set of columns sent, writing exactly the
 * properties the request sends (the database's own triggers, Version and the change log, run for
 * both servers alike). The write cases measure the service against these (issue 17: >= 0.5).
 *
 * Started by run-bench.ts as a child process. Environment: DATABASE_URL, PORT, BENCH_TASKS (N),
 * FLOOR_COLUMNS and FLOOR_NOTE_COLUMNS (JSON arrays: the properties the service returns, so both
 * send the same rows), FLOOR_POOL_SIZE, FLOOR_FULL_TEXT (1: $search as the service's full text).
 */
import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { Pool, types } from 'pg';
import { FEED_CASES, FloorQuery, PAGE_SIZE, readCases } from './query-mix';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

// timestamptz as PostgreSQL writes it ('2025-01-01 09:30:00+00'), made ISO 8601 by two string
// edits rather than a Date per value.
types.setTypeParser(1184, (v: string) => v.replace(' ', 'T') + (/[+-]\d\d$/.test(v) ? ':00' : ''));

interface Token {
  after: string;
  served: number;
}

/** A statement with its prepared-statement name (one per SQL text). */
export interface FloorStatement {
  name: string;
  sql: string;
  params: unknown[];
}

const statement = (sql: string, params: unknown[]): FloorStatement => ({
  name: 'f' + createHash('sha1').update(sql).digest('hex').slice(0, 16),
  sql,
  params,
});

type Row = Record<string, unknown>;

const PATCH_PATH = /^\/odata\/Task\(([0-9a-fA-F-]{36})\)$/;

export class FloorSql {
  constructor(
    private readonly columns: string[],
    private readonly noteColumns: string[],
    /** The tables have "SearchVector" (tsvector) columns, as the service's full-text $search uses. */
    private readonly fullText = false,
  ) {}

  /** The $search condition, as the service builds it (full text on the task or one of its notes). */
  private searchCondition(param: string): string {
    if (!this.fullText)
      return `(t."Name" ILIKE '%' || ${param} || '%' OR t."DescriptionHTML" ILIKE '%' || ${param} || '%')`;
    const q = `phraseto_tsquery('simple', ${param})`;
    return `(t."SearchVector" @@ ${q} OR EXISTS (SELECT 1 FROM task_item_note n WHERE n."TaskItemId" = t."TaskItemId" AND n."SearchVector" @@ ${q}))`;
  }

  taskNames(select?: string[]): string[] {
    return select ? ['TaskItemId', ...select.filter((s) => s !== 'TaskItemId')] : this.columns;
  }

  private taskColumns(select?: string[]): string {
    return ['t."Version"', ...this.taskNames(select).map((c) => `t.${q(c)}`)].join(', ');
  }

  /** The notes of a page's tasks, in one statement. */
  notes(taskIds: string[]): FloorStatement {
    const cols = ['n."Version"', ...this.noteColumns.map((c) => `n.${q(c)}`)].join(', ');
    return statement(
      `SELECT ${cols} FROM task_item_note n WHERE n."TaskItemId" = ANY($1::uuid[]) ORDER BY n."TaskItemNoteId"`,
      [taskIds],
    );
  }

  /** One page of a collection: the statement (one row more than the page) and the page size. */
  collection(f: FloorQuery, token?: Token): (FloorStatement & { limit: number }) | undefined {
    const params = [...(f.params ?? [])];
    const served = token?.served ?? 0;
    const limit = Math.min(PAGE_SIZE, f.top !== undefined ? f.top - served : Infinity);
    if (limit <= 0) return undefined;
    const where = f.where ? [f.where] : [];
    if (f.search !== undefined) {
      params.push(f.search);
      where.push(this.searchCondition(`$${params.length}::text`));
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (token) {
      // keyset: the rows after the last one served (orderBy is only used with $top below a page)
      params.push(token.after);
      where.push(`t."TaskItemId" > $${params.length}::uuid`);
    }
    const order = f.orderBy ? `t.${q(f.orderBy)} ASC NULLS FIRST, t."TaskItemId"` : `t."TaskItemId"`;
    const offset = !token && f.skip ? ` OFFSET ${f.skip}` : '';
    const count = f.count ? `, (SELECT count(*)::int FROM task t ${filter}) AS "@count"` : '';
    const sql = `SELECT ${this.taskColumns(f.select)}${count} FROM task t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT ${limit + 1}${offset}`;
    return { ...statement(sql, params), limit };
  }

  /** POST Task: the sent properties (known columns only) inserted, the stored row returned. */
  insert(body: Row): FloorStatement {
    const names = Object.keys(body).filter((k) => this.columns.includes(k));
    return statement(
      `INSERT INTO task (${names.map(q).join(', ')}) VALUES (${names.map((_, k) => `$${k + 1}`).join(', ')})
       RETURNING ${['"Version"', ...this.columns.map(q)].join(', ')}`,
      names.map((n) => body[n]),
    );
  }

  /** PATCH Task(key): the sent properties (known columns other than the key) updated. */
  update(key: string, body: Row): FloorStatement {
    const names = Object.keys(body).filter((k) => this.columns.includes(k) && k !== 'TaskItemId');
    return statement(
      `UPDATE task SET ${names.map((n, k) => `${q(n)} = $${k + 2}`).join(', ')} WHERE "TaskItemId" = $1`,
      [key, ...names.map((n) => body[n])],
    );
  }

  entity(f: FloorQuery): FloorStatement {
    return statement(`SELECT ${this.taskColumns()} FROM task t WHERE t."TaskItemId" = $1`, [f.key]);
  }

  /** A database row as the OData entity: its ETag first, then the properties. */
  static entity(row: Row, names: string[]): Row {
    const out: Row = { '@odata.etag': `W/"${row.Version}"` };
    for (const n of names) out[n] = row[n];
    return out;
  }
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json;odata.metadata=minimal',
    'OData-Version': '4.0',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** `Task?...` without $skiptoken (decoded, as the mix writes it) and the token, if any. */
function parseRequest(url: string): { request: string; token?: Token } | undefined {
  if (!url.startsWith('/odata/')) return undefined;
  const rel = url.slice('/odata/'.length);
  const at = rel.indexOf('?');
  const path = at < 0 ? rel : rel.slice(0, at);
  const parts =
    at < 0
      ? []
      : rel
          .slice(at + 1)
          .split('&')
          .filter((p) => p !== '');
  let token: Token | undefined;
  const rest = parts.filter((p) => {
    if (!p.startsWith('$skiptoken=')) return true;
    const [after, served] = decodeURIComponent(p.slice('$skiptoken='.length)).split('~');
    token = { after, served: Number(served) };
    return false;
  });
  try {
    return { request: decodeURIComponent(rest.length ? `${path}?${rest.join('&')}` : path), token };
  } catch {
    return undefined;
  }
}

export function startFloor(opts: {
  url: string;
  port: number;
  n: number;
  columns: string[];
  noteColumns: string[];
  poolSize: number;
  fullText: boolean;
}) {
  const pool = new Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    application_name: 'bench-floor',
    options: '-c TimeZone=UTC',
  });
  const sql = new FloorSql(opts.columns, opts.noteColumns, opts.fullText);
  const routes = new Map<string, FloorQuery>();
  for (const c of [...readCases(opts.n), ...FEED_CASES]) routes.set(c.request, c.floor);

  const run = (s: FloorStatement) => pool.query({ name: s.name, text: s.sql, values: s.params });

  /** POST Task and PATCH Task(key): true when the request was one of them (and is answered). */
  const write = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? '';
    const patchKey = req.method === 'PATCH' ? PATCH_PATH.exec(url)?.[1] : undefined;
    if (!(req.method === 'POST' && url === '/odata/Task') && !patchKey) return false;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Row;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      send(res, 400, '{"error":{"code":"400","message":"the body is not JSON"}}');
      return true;
    }
    const root = `http://${req.headers.host}/odata`;
    if (patchKey) {
      const { rowCount } = await run(sql.update(patchKey, body));
      if (!rowCount) send(res, 404, '{"error":{"code":"404","message":"not found"}}');
      else {
        res.writeHead(204, { 'OData-Version': '4.0' });
        res.end();
      }
      return true;
    }
    const { rows } = await run(sql.insert(body));
    const created = FloorSql.entity(rows[0], opts.columns);
    res.setHeader('Location', `${root}/Task(${created.TaskItemId})`);
    send(res, 201, JSON.stringify({ '@odata.context': `${root}/$metadata#Task/$entity`, ...created }));
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (await write(req, res)) return;
    const parsed = parseRequest(req.url ?? '');
    const floor = parsed && routes.get(parsed.request);
    if (!parsed || !floor || req.method !== 'GET')
      return send(res, 404, '{"error":{"code":"404","message":"not in the mix"}}');
    const root = `http://${req.headers.host}/odata`;
    if (floor.key) {
      const { rows } = await run(sql.entity(floor));
      if (!rows.length) return send(res, 404, '{"error":{"code":"404","message":"not found"}}');
      const body = {
        '@odata.context': `${root}/$metadata#Task/$entity`,
        ...FloorSql.entity(rows[0], opts.columns),
      };
      return send(res, 200, JSON.stringify(body));
    }
    if (floor.raw) {
      const { rows } = await pool.query({ name: 'floor-raw', text: floor.raw });
      return send(
        res,
        200,
        JSON.stringify({ '@odata.context': `${root}/$metadata#Task(ProjectId,Count)`, value: rows }),
      );
    }
    let value: Row[] = [];
    let count: number | undefined;
    let next: Token | undefined;
    const stmt = sql.collection(floor, parsed.token);
    if (stmt) {
      const { rows } = await run(stmt);
      const names = sql.taskNames(floor.select);
      value = rows.slice(0, stmt.limit).map((r) => FloorSql.entity(r, names));
      if (floor.count) count = rows.length ? (rows[0]['@count'] as number) : await countAll(floor);
      const served = (parsed.token?.served ?? 0) + value.length;
      const remaining = floor.top !== undefined ? floor.top - (parsed.token?.served ?? 0) : Infinity;
      if (rows.length > stmt.limit && remaining > stmt.limit)
        next = { after: String(value[value.length - 1].TaskItemId), served };
      if (floor.expandNotes && value.length) {
        const notes = await run(sql.notes(value.map((t) => String(t.TaskItemId))));
        const byTask = new Map<unknown, Row[]>(value.map((t) => [t.TaskItemId, []]));
        for (const n of notes.rows) byTask.get(n.TaskItemId)?.push(FloorSql.entity(n, opts.noteColumns));
        for (const t of value) t.Notes = byTask.get(t.TaskItemId);
      }
    } else if (floor.count) {
      count = await countAll(floor);
    }
    const context = floor.select
      ? `Task(${floor.select.join(',')})`
      : floor.expandNotes
        ? 'Task(Notes())'
        : 'Task';
    const self = (req.url ?? '').replace(/[?&]\$skiptoken=[^&]*/, '');
    const body: Row = { '@odata.context': `${root}/$metadata#${context}` };
    if (count !== undefined) body['@odata.count'] = count;
    body.value = value;
    if (next) {
      body['@odata.nextLink'] =
        `http://${req.headers.host}${self}${self.includes('?') ? '&' : '?'}$skiptoken=${next.after}~${next.served}`;
    }
    send(res, 200, JSON.stringify(body));
  };

  /** $count of a page past the end (no row to carry it). */
  const countAll = async (floor: FloorQuery): Promise<number> => {
    const text = `SELECT count(*)::int AS c FROM task t ${floor.where ? `WHERE ${floor.where}` : ''}`;
    const name = 'c' + createHash('sha1').update(text).digest('hex').slice(0, 16);
    return (await pool.query({ name, text, values: floor.params ?? [] })).rows[0].c;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) =>
      send(res, 500, JSON.stringify({ error: { code: '500', message: String(e?.message ?? e) } })),
    );
  });
  server.keepAliveTimeout = 60_000;
  return new Promise<{ close: () => Promise<void> }>((ok) => {
    server.listen(opts.port, '127.0.0.1', () =>
      ok({
        close: () => new Promise<void>((done) => server.close(() => void pool.end().then(() => done()))),
      }),
    );
  });
}

if (require.main === module) {
  const env = process.env;
  startFloor({
    url: env.DATABASE_URL!,
    port: Number(env.PORT),
    n: Number(env.BENCH_TASKS),
    columns: JSON.parse(env.FLOOR_COLUMNS ?? '[]'),
    noteColumns: JSON.parse(env.FLOOR_NOTE_COLUMNS ?? '[]'),
    poolSize: Number(env.FLOOR_POOL_SIZE ?? 10),
    fullText: env.FLOOR_FULL_TEXT === '1',
  }).then(() => process.stdout.write('floor ready\n'));
}
