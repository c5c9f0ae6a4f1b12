/**
 * The board's only door to the service: the public OData API under /odata, with the signed-in
 * token. Errors come back as ODataRequestError carrying the service's OData error body.
 */
export const SERVICE_ROOT = '/odata';

export class ODataRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  etag?: string;
  headers?: Record<string, string>;
}

/** Response header of writes: the WAL position after the commit (README, Scaling). */
const CONSISTENCY_HEADER = 'X-Consistency-Token';

/** WAL positions ('16/B374D848') compared as numbers. */
function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

export class ODataHttp {
  /**
   * The newest consistency token a write of this board answered with. Sent with every request,
   * so a read after a move is served by a replica that has it, or by the primary: a card never
   * jumps back to where it was, whichever instance and replica answer.
   */
  private consistencyToken?: string;

  constructor(private readonly token: string) {}

  private keepToken(value: string | null): void {
    if (!value || !/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(value)) return;
    if (!this.consistencyToken || lsnValue(value) > lsnValue(this.consistencyToken))
      this.consistencyToken = value;
  }

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** JSON in, JSON out; a 204 answers undefined. */
  async send<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      // 4.01: delta responses name removed entries with @removed (4.0 would send $deletedEntity)
      'OData-MaxVersion': '4.01',
      Authorization: this.authorization,
      ...(this.consistencyToken ? { [CONSISTENCY_HEADER]: this.consistencyToken } : {}),
      ...options.headers,
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.etag) headers['If-Match'] = options.etag;
    const url = path.startsWith('http') || path.startsWith('/') ? path : `${SERVICE_ROOT}/${path}`;
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    this.keepToken(response.headers.get(CONSISTENCY_HEADER));
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ODataRequestError(
        response.status,
        error?.code ?? String(response.status),
        error?.message ?? response.statusText,
      );
    }
    return json as T;
  }

  /** Every row of a collection, following @odata.nextLink. */
  async all<T>(path: string, maxPageSize = 1000): Promise<T[]> {
    const rows: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value: T[]; '@odata.nextLink'?: string } = await this.send(next, {
        headers: { Prefer: `odata.maxpagesize=${maxPageSize}` },
      });
      rows.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return rows;
  }

  /**
   * Every row of a tracked read (Prefer: odata.track-changes) and the delta link its last page
   * carries: following that link later answers only what changed since.
   */
  async track<T>(path: string): Promise<{ rows: T[]; deltaLink: string }> {
    const rows: T[] = [];
    let next: string | undefined = path;
    let deltaLink = '';
    while (next) {
      const page: { value: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } = await this.send(
        next,
        { headers: { Prefer: 'odata.track-changes, odata.maxpagesize=1000' } },
      );
      rows.push(...page.value);
      next = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'] ?? deltaLink;
    }
    return { rows, deltaLink };
  }

  /** A JSON $batch whose requests form one atomicity group: all succeed or none. */
  async atomic(
    requests: Array<{ id: string; method: string; url: string; body?: unknown; etag?: string }>,
  ): Promise<Array<{ id: string; status: number; body?: unknown }>> {
    const reply = await this.send<{ responses: Array<{ id: string; status: number; body?: any }> }>(
      '$batch',
      {
        method: 'POST',
        body: {
          requests: requests.map((r) => ({
            id: r.id,
            atomicityGroup: 'g',
            method: r.method,
            url: r.url,
            headers: { 'Content-Type': 'application/json', ...(r.etag ? { 'If-Match': r.etag } : {}) },
            ...(r.body === undefined ? {} : { body: r.body }),
          })),
        },
      },
    );
    const failed = reply.responses.find((r) => r.status >= 400);
    if (failed) {
      const error = failed.body?.error;
      throw new ODataRequestError(
        failed.status,
        error?.code ?? String(failed.status),
        error?.message ?? 'The change was not applied',
      );
    }
    return reply.responses;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An OData string literal: quotes doubled. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
