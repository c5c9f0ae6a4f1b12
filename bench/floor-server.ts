/**
 * The floor: the read queries of the mix served by plain node:http on `pg`, no framework, with
 * the same SQL as the service's (same filter, order, page size and keyset paging) and the JSON
 * built by PostgreSQL (row_to_json / json_agg, one text value per response). It answers only the
 * exact requests of the mix (and their nextLinks); everything else is 404.
 *
 * Started by run-bench.ts as a child process. Environment: DATABASE_URL, PORT, BENCH_TASKS (N),
 * FLOOR_COLUMNS and FLOOR_NOTE_COLUMNS (JSON arrays: the properties the service returns, so both
 * send the same rows), FLOOR_POOL_SIZE, FLOOR_FULL_TEXT (1: $search as the service's full text).
 */
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { Pool } from 'pg';
import { FEED_CASES, FloorQuery, PAGE_SIZE, readCases } from './query-mix';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Token {
  after: string;
  served: number;
}

interface Page {
  value: string;
  count?: number;
  /** The key of the last row when there is a next page. */
  next?: Token;
}

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

  private taskColumns(select?: string[]): string {
    const names = select ? ['TaskItemId', ...select.filter((s) => s !== 'TaskItemId')] : this.columns;
    return [`('W/"' || t."Version" || '"') AS "@odata.etag"`, ...names.map((c) => `t.${q(c)}`)].join(', ');
  }

  private notesColumn(): string {
    const cols = [
      `('W/"' || n."Version" || '"') AS "@odata.etag"`,
      ...this.noteColumns.map((c) => `n.${q(c)}`),
    ].join(', ');
    return `(SELECT COALESCE(json_agg(x ORDER BY x."TaskItemNoteId"), '[]') FROM (SELECT ${cols} FROM task_item_note n WHERE n."TaskItemId" = t."TaskItemId") x) AS "Notes"`;
  }

  /** One page of a collection: the statement and its parameters. */
  collection(f: FloorQuery, token?: Token): { sql: string; params: unknown[]; limit: number } | undefined {
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
    const cols = this.taskColumns(f.select) + (f.expandNotes ? `, ${this.notesColumn()}` : '');
    const count = f.count ? `, (SELECT count(*) FROM task t ${filter}) AS count` : '';
    const sql = `SELECT json_agg(p.j ORDER BY p.n) FILTER (WHERE p.n <= ${limit})::text AS value, count(*) AS fetched,
        max(p.k) FILTER (WHERE p.n = ${limit}) AS last${count}
      FROM (SELECT row_number() OVER () AS n, row_to_json(x) AS j, x."TaskItemId"::text AS k
            FROM (SELECT ${cols} FROM task t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                  ORDER BY ${order} LIMIT ${limit + 1}${offset}) x) p`;
    return { sql, params, limit };
  }

  entity(f: FloorQuery): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT row_to_json(x)::text AS value FROM (SELECT ${this.taskColumns()} FROM task t WHERE t."TaskItemId" = $1) x`,
      params: [f.key],
    };
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = parseRequest(req.url ?? '');
    const floor = parsed && routes.get(parsed.request);
    if (!parsed || !floor || req.method !== 'GET')
      return send(res, 404, '{"error":{"code":"404","message":"not in the mix"}}');
    const root = `http://${req.headers.host}/odata`;
    if (floor.key) {
      const stmt = sql.entity(floor);
      const { rows } = await pool.query(stmt.sql, stmt.params);
      if (!rows.length) return send(res, 404, '{"error":{"code":"404","message":"not found"}}');
      const body: string = rows[0].value;
      return send(res, 200, `{"@odata.context":"${root}/$metadata#Task/$entity",${body.slice(1)}`);
    }
    if (floor.raw) {
      const { rows } = await pool.query(floor.raw);
      return send(
        res,
        200,
        `{"@odata.context":"${root}/$metadata#Task(ProjectId,Count)","value":${rows[0].value ?? '[]'}}`,
      );
    }
    const page: Page = { value: '[]' };
    const stmt = sql.collection(floor, parsed.token);
    if (stmt) {
      const { rows } = await pool.query(stmt.sql, stmt.params);
      const r = rows[0];
      page.value = r.value ?? '[]';
      if (r.count !== undefined) page.count = Number(r.count);
      const served = (parsed.token?.served ?? 0) + Math.min(Number(r.fetched), stmt.limit);
      const remaining = floor.top !== undefined ? floor.top - (parsed.token?.served ?? 0) : Infinity;
      if (Number(r.fetched) > stmt.limit && remaining > stmt.limit) page.next = { after: r.last, served };
    } else if (floor.count) {
      page.count = Number(
        (
          await pool.query(
            `SELECT count(*) AS c FROM task t ${floor.where ? `WHERE ${floor.where}` : ''}`,
            floor.params ?? [],
          )
        ).rows[0].c,
      );
    }
    const context = floor.select
      ? `Task(${floor.select.join(',')})`
      : floor.expandNotes
        ? 'Task(Notes())'
        : 'Task';
    const self = (req.url ?? '').replace(/[?&]\$skiptoken=[^&]*/, '');
    const next = page.next
      ? `,"@odata.nextLink":"http://${req.headers.host}${self}${self.includes('?') ? '&' : '?'}$skiptoken=${page.next.after}~${page.next.served}"`
      : '';
    send(
      res,
      200,
      `{"@odata.context":"${root}/$metadata#${context}"${page.count !== undefined ? `,"@odata.count":${page.count}` : ''},"value":${page.value}${next}}`,
    );
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
