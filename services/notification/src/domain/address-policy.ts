import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** Ranges an operator may open with WEBHOOK_ALLOW_PRIVATE (a trusted network of their own). */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'linkLocal', 'carrierGradeNat', 'uniqueLocal']);

/** Cloud metadata services: never reachable, whatever the setting (they hand out credentials). */
const METADATA = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2'];

/**
 * Whether an outbound request (webhook, push endpoint) may connect to `ip`. Only ordinary public
 * unicast addresses are allowed; loopback, private (RFC 1918), link-local, CGNAT (100.64/10) and
 * IPv6 unique-local addresses only when `allowPrivate`; metadata, unspecified, multicast, broadcast,
 * documentation and other reserved ranges, NAT64/6to4/Teredo (which can tunnel to any IPv4) never.
 * An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function checkAddress(ip: string, allowPrivate: boolean): AddressVerdict {
  if (!ipaddr.isValid(ip)) return { allowed: false, reason: `"${ip}" is not an IP address` };
  let parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const normalized = parsed.toString();
  if (METADATA.some((m) => ipaddr.parse(m).toString() === normalized)) {
    return { allowed: false, reason: `${normalized} is a cloud metadata address` };
  }
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true };
  if (PRIVATE_RANGES.has(range)) {
    return allowPrivate
      ? { allowed: true }
      : { allowed: false, reason: `${normalized} is a ${describe(range)} address` };
  }
  return { allowed: false, reason: `${normalized} is a ${describe(range)} address` };
}

function describe(range: string): string {
  return (
    {
      loopback: 'loopback',
      private: 'private',
      linkLocal: 'link-local',
      carrierGradeNat: 'carrier-grade NAT',
      uniqueLocal: 'unique-local',
      unspecified: 'unspecified',
      multicast: 'multicast',
      broadcast: 'broadcast',
    }[range] ?? `reserved (${range})`
  );
}

export type UrlVerdict =
  | { allowed: true; url: URL; host: string; port: number; ipLiteral: boolean }
  | { allowed: false; reason: string };

/**
 * The checks a URL passes before anything is resolved: http or https, no credentials in it, a port
 * from the allowlist (`any` lifts it). An IP literal host is checked here too; names are checked
 * after resolution, on every address they resolve to.
 */
export function checkUrl(
  text: string,
  policy: { allowPrivate: boolean; allowedPorts: readonly number[] | 'any' },
): UrlVerdict {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { allowed: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { allowed: false, reason: 'only http and https URLs are allowed' };
  }
  if (url.username || url.password) return { allowed: false, reason: 'credentials in URLs are not allowed' };
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (policy.allowedPorts !== 'any' && !policy.allowedPorts.includes(port)) {
    return {
      allowed: false,
      reason: `port ${port} is not allowed (allowed: ${policy.allowedPorts.join(', ')})`,
    };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const ipLiteral = ipaddr.isValid(host);
  if (ipLiteral) {
    const verdict = checkAddress(host, policy.allowPrivate);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true, url, host, port, ipLiteral };
}
