import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a webhook may be delivered to: public unicast only. Everything an attacker
 * could use to reach the portal's own network is refused (SSRF): private (RFC 1918, IPv6 ULA),
 * loopback, link-local (with the cloud metadata services 169.254.169.254 and fd00:ec2::254),
 * CGNAT, multicast, reserved and documentation ranges, and IPv6 forms that carry an IPv4 address
 * (IPv4-mapped, NAT64, 6to4, Teredo), whose IPv4 is judged by the IPv4 rules or refused.
 */
const REFUSED_V4: ReadonlyArray<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** IPv6 ranges refused inside global unicast (2000::/3); anything outside 2000::/3 is refused too. */
const REFUSED_V6_GLOBAL: ReadonlyArray<[string, number, string]> = [
  ['2001::', 23, 'IETF protocol assignments (Teredo)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (carries an IPv4 address)'],
  ['3fff::', 20, 'documentation'],
];

const NAMED_V6: ReadonlyArray<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'NAT64 (carries an IPv4 address)'],
  ['64:ff9b:1::', 48, 'NAT64 (carries an IPv4 address)'],
  ['fc00::', 7, 'private (unique local, cloud metadata)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function listOf(family: 'ipv4' | 'ipv6', ranges: ReadonlyArray<[string, number, string]>) {
  return ranges.map(([net, prefix, why]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return { list, why };
  });
}

const v4Rules = listOf('ipv4', REFUSED_V4);
const v6GlobalRules = listOf('ipv6', REFUSED_V6_GLOBAL);
const v6NamedRules = listOf('ipv6', NAMED_V6);
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad included), or undefined. */
function hextets(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const parts = quad[1].split('.').map(Number);
    text = `${text.slice(0, -quad[1].length)}${((parts[0] << 8) | parts[1]).toString(16)}:${((parts[2] << 8) | parts[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups =
    tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Why `address` may not receive a webhook, or undefined when it is a public unicast address. */
export function refusedAddressReason(address: string): string | undefined {
  if (isIPv4(address)) {
    return v4Rules.find((r) => r.list.check(address, 'ipv4'))?.why;
  }
  if (!isIPv6(address)) return 'not an IP address';
  const groups = hextets(address);
  if (!groups) return 'not an IP address';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address: judge that.
  const mapped = groups[5] === 0xffff;
  const compatible = groups[5] === 0 && groups[6] !== 0;
  if (groups.slice(0, 5).every((g) => g === 0) && (mapped || compatible)) {
    const v4 = `${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`;
    return refusedAddressReason(v4) ?? (compatible ? 'IPv4-compatible IPv6 (deprecated)' : undefined);
  }
  const normal = groups.map((g) => g.toString(16)).join(':');
  const named = v6NamedRules.find((r) => r.list.check(normal, 'ipv6'));
  if (named) return named.why;
  if (!globalUnicast.check(normal, 'ipv6')) return 'not global unicast';
  return v6GlobalRules.find((r) => r.list.check(normal, 'ipv6'))?.why;
}
