import { Writable } from 'node:stream';
import { startTestApp, TestApp } from '../support/test-app';
import { ODataClient } from '../support/odata-client';

/**
 * With LOG_LEVEL above info, OData requests skip pino-http (no per-request child loggers);
 * a failing request still gets its line, in pino-http's format, and nothing leaks a secret.
 */
describe('request logs at LOG_LEVEL=warn', () => {
  let app: TestApp;
  let client: ODataClient;
  const logs: string[] = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write: (chunk, _enc, done) => {
        logs.push(String(chunk));
        done();
      },
    });
    app = await startTestApp({ logStream, env: { LOG_LEVEL: 'warn' } });
    client = new ODataClient(app.baseUrl);
  });
  afterAll(() => app.close());

  const lines = () => logs.map((l) => JSON.parse(l));

  it('a successful read writes no line; a 404 and a 401 write theirs at warn, secrets redacted', async () => {
    const ok = await client.get('Task?$top=1', { 'X-Request-Id': 'ok-1' });
    expect(ok.status).toBe(200);
    const missing = await client.get('NoSuchSet?api_key=sup3r-s3cret-k3y', { 'X-Request-Id': 'missing-1' });
    expect(missing.status).toBe(404);
    const bad = await client.get('Task?$top=1', {
      Authorization: 'Bearer t0ken-never-logged',
      'X-Request-Id': 'unauth-1',
    });
    expect(bad.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines().find((l) => l.req?.id === 'ok-1')).toBeUndefined();
    // One line: from the OData binding, not also from pino-http (which the OData root skips).
    expect(lines().filter((l) => l.req?.id === 'missing-1')).toHaveLength(1);
    const notFound = lines().find((l) => l.req?.id === 'missing-1');
    expect(notFound).toMatchObject({
      level: 40,
      entitySet: 'NoSuchSet',
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(notFound.req.url).toContain('api_key=[redacted]');
    expect(lines().find((l) => l.req?.id === 'unauth-1')).toMatchObject({ res: { statusCode: 401 } });
    const all = logs.join('');
    expect(all).not.toContain('sup3r-s3cret-k3y');
    expect(all).not.toContain('t0ken-never-logged');
  });

  it('requests outside the OData root keep pino-http (its line for a 404 there)', async () => {
    const r = await fetch(`${app.baseUrl}/no-such-page`, { headers: { 'X-Request-Id': 'outside-1' } });
    expect(r.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines().filter((l) => l.req?.id === 'outside-1')).toHaveLength(1);
  });
});
