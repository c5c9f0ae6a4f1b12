import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, postWebhook, type Resolve } from './webhook-post';

/**
 * DNS rebinding: a name that resolved to a public address when the URL was checked and resolves to
 * a private one when the delivery connects must not reach the private host. The resolver is
 * replaced (this is about DNS answers, not PostgreSQL); the receiving server is real.
 */
describe('webhook delivery connects only to addresses it checked', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (host: string, resolve: Resolve, allowPrivate = false) =>
    postWebhook({
      url: `http://${host}:${port}/hook`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      timeoutMs: 2000,
      lookup: guardedLookup(allowPrivate, resolve),
    });

  it('refuses a name that now resolves to loopback, and never connects', async () => {
    const before = hits;
    const rebinding: Resolve = (_host, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    await expect(post('hooks.example.com', rebinding)).rejects.toThrow(/127\.0\.0\.1.*not allowed/);
    expect(hits).toBe(before);
  });

  it('refuses when any address of the name is private (IPv6 mapped forms included)', async () => {
    const mixed: Resolve = (_host, cb) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '::ffff:10.0.0.1', family: 6 },
      ]);
    await expect(post('hooks.example.com', mixed)).rejects.toThrow(/not allowed/);
  });

  it('delivers when private targets are allowed by configuration', async () => {
    const local: Resolve = (_host, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    const before = hits;
    expect(await post('hooks.example.com', local, true)).toBe(204);
    expect(hits).toBe(before + 1);
  });

  it('a resolver error fails the delivery', async () => {
    const broken: Resolve = (_host, cb) =>
      cb(Object.assign(new Error('ENOTFOUND nowhere'), { code: 'ENOTFOUND' }), []);
    await expect(post('nowhere.example.com', broken)).rejects.toThrow(/ENOTFOUND/);
  });
});
