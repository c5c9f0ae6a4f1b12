import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard for webhook URLs: http(s) only, and every address the host
 * resolves to must be public unicast (not loopback, private, link-local, unique-local, ...),
 * unless private targets are allowed by configuration. Checked on save and again before each
 * delivery (the name may resolve elsewhere by then).
 *
 * IPv4 written as a number, in octal or hex (`2130706433`, `0177.1`, `0x7f.1`) needs nothing
 * here: the WHATWG URL parser already turns it into dotted decimal.
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
    const problem = addressProblem(a);
    if (problem) return problem;
  }
  return undefined;
}

/** Why a webhook may not be delivered to this address (IPv4 or IPv6, bracketed or not), if it may not. */
export function addressProblem(text: string): string | undefined {
  const bare = text.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return `${text} is not an IP address`;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return ipv4Problem(text, parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  // A zone id only means something for link-local (scoped) addresses.
  if (v6.zoneId) return `the address ${text} has a zone id (link-local) and is not allowed for webhooks`;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    for (const v4 of embedded) {
      const problem = ipv4Problem(`${text} (${v4.toString()})`, v4);
      if (problem) return problem;
    }
    return undefined;
  }
  const range = v6.range();
  return range === 'unicast' ? undefined : `the address ${text} (${range}) is not allowed for webhooks`;
}

function ipv4Problem(label: string, v4: ipaddr.IPv4): string | undefined {
  const range = v4.range();
  return range === 'unicast' ? undefined : `the address ${label} (${range}) is not allowed for webhooks`;
}

const v4Of = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/**
 * The IPv4 addresses an IPv6 address stands for, where it embeds one: packets to it reach (or
 * are translated to) that IPv4 host, so that host is what must be public. Undefined when the
 * address embeds none (or is a prefix, such as NAT64's local-use /48, that is never public).
 */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const p = v6.parts;
  const low = () => v4Of(p[6], p[7]);
  switch (v6.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return [low()];
    case 'rfc6052': // NAT64: 64:ff9b::a.b.c.d; 64:ff9b:1::/48 is a local-use network (refused by its range)
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? [low()] : undefined;
    case '6to4': // 2002:AABB:CCDD::/48
      return [v4Of(p[1], p[2])];
    case 'teredo': // 2001:0:<server>:<flags>:<port>:<client, inverted>
      return [v4Of(p[2], p[3]), v4Of(~p[6] & 0xffff, ~p[7] & 0xffff)];
    default:
      // IPv4-compatible (deprecated): ::a.b.c.d, the first 96 bits zero; :: and ::1 are ranges of their own.
      if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1)) return [low()];
      return undefined;
  }
}
