/** A small HTTP client for the tests: JSON in and out, OData headers visible. */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** The administrator token every test app accepts (ADMIN_TOKEN); tests of permissions use their own. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const ADMIN_HEADERS = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

export class ODataClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = ADMIN_HEADERS,
  ) {}

  get root(): string {
    return `${this.baseUrl}/odata`;
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const url = path.startsWith('http') ? path : `${this.root}${path.startsWith('/') ? '' : '/'}${path}`;
    const init: RequestInit = { method, headers: { ...this.defaultHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(url, init);
    const text = await res.text();
    let parsed: any = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
  put<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }
  delete<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  /** Follows @odata.nextLink to the end; returns every row. */
  async all<T = any>(path: string, headers?: Record<string, string>): Promise<{ rows: T[]; pages: number }> {
    const rows: T[] = [];
    let url: string | undefined = path;
    let pages = 0;
    while (url) {
      const r: Reply = await this.get(url, headers);
      if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text}`);
      rows.push(...r.body.value);
      pages++;
      url = r.body['@odata.nextLink'];
    }
    return { rows, pages };
  }
}

/** Asserts an OData error body and status. */
export function expectODataError(reply: Reply, status: number): void {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.text}`);
  expect(reply.body).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
}
