import { BlockList, isIP } from 'node:net';

/**
 * Where an instructor's webhook may point (server-side request forgery): http or https, no
 * credentials in the URL, and never an address inside the operator's networks (loopback,
 * link-local with cloud metadata services, private ranges, carrier-grade NAT, multicast)
 * unless the operator allows that range in `SLIPWAY_WEBHOOK_ALLOWED_NETWORKS`. The rule is
 * applied to every address a name resolves to, when the webhook is registered and again at
 * each connection (so a name that later resolves elsewhere is still refused).
 */

const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const PRIVATE_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

/** BlockList matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 ranges. */
export function internalRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of PRIVATE_V4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of PRIVATE_V6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

/** `SLIPWAY_WEBHOOK_ALLOWED_NETWORKS`: addresses or CIDR ranges, comma-separated. */
export function parseAllowedNetworks(setting: string | undefined): BlockList {
  const list = new BlockList();
  for (const raw of (setting ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const bits = prefix === undefined ? max : Number(prefix);
    if (!family || !Number.isInteger(bits) || bits < 0 || bits > max || prefix === '')
      throw new Error(`"${entry}" is not an address or a CIDR range (e.g. 10.0.0.0/8)`);
    list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** Why a webhook URL cannot be used, before any name is resolved; undefined when it can. */
export function urlProblem(raw: string): string | undefined {
  if (!URL.canParse(raw)) return 'it is not a URL';
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'only http:// and https:// URLs can receive webhooks';
  if (url.username || url.password)
    return 'a URL with a user name or password in it would show them in the delivery log';
  if (!url.hostname) return 'it names no host';
  return undefined;
}

/** The host of a URL as an address, when it is one ([::1] without its brackets). */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
}

/** Why a webhook may not connect to this address; undefined when it may. */
export function addressProblem(
  address: string,
  allowed: BlockList,
  internal: BlockList = internalRanges(),
): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(address, family)) return undefined;
  if (internal.check(address, family))
    return `it leads to ${address}, an address inside the platform's own networks (the operator can allow it with SLIPWAY_WEBHOOK_ALLOWED_NETWORKS)`;
  return undefined;
}
