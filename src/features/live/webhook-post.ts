import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressProblem } from './webhook-address';

/** How a host name is resolved (node's dns.lookup; a test may pass its own). */
export type Resolve = (host: string, cb: (err: Error | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (host, cb) => dnsLookup(host, { all: true }, cb);

/**
 * The name lookup of a webhook's connection, refusing private addresses. The URL was checked
 * before delivery, but a name can resolve to a public address for that check and to a private one
 * a moment later (DNS rebinding): checking the addresses the socket actually connects to closes
 * that window.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolve = systemResolve): LookupFunction {
  return ((host: string, options: LookupOptions, cb: (...args: unknown[]) => void) => {
    resolve(host, (err, found) => {
      if (err) return cb(err);
      const family = options.family === 4 || options.family === 6 ? options.family : undefined;
      const usable = found.filter((a) => !family || a.family === family);
      const refused = allowPrivate ? undefined : usable.map((a) => addressProblem(a.address)).find(Boolean);
      if (refused) return cb(Object.assign(new Error(refused), { code: 'EWEBHOOKADDRESS' }));
      if (usable.length === 0)
        return cb(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }));
      if (options.all) return cb(null, usable);
      cb(null, usable[0].address, usable[0].family);
    });
  }) as LookupFunction;
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  lookup: LookupFunction;
}

/** POSTs a delivery; resolves with the status (redirects are not followed), rejects on network errors. */
export function postWebhook({ url, headers, body, timeoutMs, lookup }: WebhookPost): Promise<number> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        lookup,
        // a fresh connection per delivery: a pooled socket would skip the lookup above
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          clearTimeout(deadline);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
      },
    );
    // the whole delivery, answer included, within the timeout (a socket timeout is per idle gap)
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.end(body);
  });
}
