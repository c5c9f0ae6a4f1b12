import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard for webhook URLs: http(s) only, and every address the host
 * resolves to must be public unicast (not loopback, private, link-local, unique-local, ...),
 * unless private targets are allowed by configuration. Checked on save and again before each
 * delivery (the name may resolve elsewhere by then).
 */
export async function checkWebhookUrl(url: string, allowPrivate: boolean): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `'${url}' is not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'webhook URLs must be http or https';
  if (u.username || u.password) return 'webhook URLs may not carry credentials; use the Secret';
  if (allowPrivate) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `the host ${host} does not resolve`;
  }
  for (const a of addresses) {
    let parsed = ipaddr.parse(a);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (parsed.range() !== 'unicast') return `the address ${a} (${parsed.range()}) is not allowed for webhooks`;
  }
  return undefined;
}
