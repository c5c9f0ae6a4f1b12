/** Load generation: autocannon for single requests, a small puller for nextLink feeds. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import autocannon = require('autocannon');
import { timeout } from './bench-context';

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadOptions {
  origin: string;
  path: string;
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** GET these paths in turn on each connection instead of `path` (a mix of reads). */
  paths?: string[];
  /** Changes each request before it is sent (unique keys, rotating targets). */
  setupRequest?: (req: {
    path: string;
    body?: string;
    method?: string;
    headers?: Record<string, string>;
  }) => typeof req;
}

/** One autocannon run; the path is sent exactly as given (no URL normalisation). */
export async function loadTest(o: LoadOptions): Promise<LoadResult> {
  const request: Record<string, unknown> = {
    method: o.method ?? 'GET',
    path: o.path,
    headers: o.headers,
    body: o.body,
  };
  if (o.setupRequest) request.setupRequest = o.setupRequest;
  const r = await autocannon({
    url: o.origin,
    connections: o.connections,
    duration: o.seconds,
    requests: o.paths ? o.paths.map((path) => ({ ...request, path }) as any) : [request as any],
    timeout: 30,
  });
  const seconds = (Number(r.finish) - Number(r.start)) / 1000 || o.seconds;
  const ok = r['2xx'];
  return {
    connections: o.connections,
    seconds,
    requests: r.requests.total,
    rps: ok / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.mean,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

export interface Pull {
  rows: number;
  pages: number;
  ms: number;
  status: number;
  /** Link to page `capturePage` (1-based), when asked for. */
  captured?: string;
  /** Parsed rows, when asked for (`keepRows`). */
  value?: any[];
  error?: string;
}

const NEXT_LINK = /"@odata\.nextLink"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const ROW_MARK = /"TaskItemId":/g;

/**
 * GET `url`, then every @odata.nextLink. Rows are counted from the text (no JSON.parse) unless
 * `keepRows` (the correctness pass), so the client costs little CPU next to the server.
 */
export async function pullFeed(
  url: string,
  opts: { keepRows?: boolean; capturePage?: number; origin: string; headers?: Record<string, string> },
): Promise<Pull> {
  const t0 = performance.now();
  let next: string | undefined = url;
  let rows = 0;
  let pages = 0;
  let captured: string | undefined;
  const value: any[] = [];
  while (next) {
    pages++;
    if (opts.capturePage === pages) captured = next;
    const res = await fetch(next, { headers: opts.headers, signal: timeout() });
    const text = await res.text();
    if (res.status !== 200)
      return { rows, pages, ms: performance.now() - t0, status: res.status, error: text.slice(0, 200) };
    if (opts.keepRows) {
      const body = JSON.parse(text);
      value.push(...body.value);
      rows += body.value.length;
      next = body['@odata.nextLink'];
    } else {
      rows += text.match(ROW_MARK)?.length ?? 0;
      const m =
        NEXT_LINK.exec(text.length > 4096 ? text.slice(-4096) : text) ?? NEXT_LINK.exec(text.slice(0, 4096));
      next = m ? JSON.parse(`"${m[1]}"`) : undefined;
    }
    if (next && !/^https?:/.test(next)) next = new URL(next, opts.origin).toString();
  }
  return {
    rows,
    pages,
    ms: performance.now() - t0,
    status: 200,
    captured,
    value: opts.keepRows ? value : undefined,
  };
}

export interface FeedLoad {
  clients: number;
  seconds: number;
  pulls: number;
  rows: number;
  rowsPerSecond: number;
  meanPullMs: number;
  failures: number;
}

/** `clients` pullers, each pulling the whole feed again and again until `seconds` are over. */
export async function feedLoad(
  url: string,
  clients: number,
  seconds: number,
  origin: string,
  headers: Record<string, string>,
): Promise<FeedLoad> {
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let pulls = 0;
  let rows = 0;
  let pullMs = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const p = await pullFeed(url, { origin, headers });
        if (p.status !== 200) failures++;
        pulls++;
        rows += p.rows;
        pullMs += p.ms;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return {
    clients,
    seconds: elapsed,
    pulls,
    rows,
    rowsPerSecond: rows / elapsed,
    meanPullMs: pulls ? pullMs / pulls : 0,
    failures,
  };
}
