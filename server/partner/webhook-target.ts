import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point (SSRF): http(s) only, no credentials in the URL, and unless allowed
 * (tests with receivers on 127.0.0.1, an operator's internal receiver) no private, loopback,
 * link-local, shared, multicast or reserved address, whether written as an IP or reached through
 * a name. Checked when a webhook is made and again before every delivery, against the addresses
 * the name resolves to then; redirects are never followed (webhooks.ts). A delivery resolves the
 * name once (pinWebhookTarget) and connects to the very address it checked (webhook-transport.ts),
 * so a name that answers a public address to the check and a private one to the connection (DNS
 * rebinding) never reaches the private one.
 */
export interface WebhookTargetPolicy {
  /** Allow private, loopback and link-local targets; off unless the operator or a test says so. */
  readonly allowPrivate: boolean;
  /** Name resolution, injected in tests; node's resolver (all addresses) otherwise. */
  readonly resolve?: (hostname: string) => Promise<readonly string[]>;
}

export const WEBHOOK_TARGET_POLICY_DEFAULT: WebhookTargetPolicy = { allowPrivate: false };

export type WebhookTargetRefusal = 'scheme' | 'credentials' | 'private_address' | 'unresolvable' | 'malformed';

export class WebhookTargetError extends Error {
  constructor(
    readonly reason: WebhookTargetRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64]] as const) blocked.addSubnet(network, prefix, 'ipv6');

/** True for an address no webhook may reach by default (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped !== null) return blocked.check(mapped[1] as string, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

async function resolveAll(hostname: string): Promise<readonly string[]> {
  return (await lookup(hostname, { all: true, verbatim: true })).map((each) => each.address);
}

/** Where a delivery connects: the URL (its name for Host and TLS) and the one address that was checked. */
export interface PinnedWebhookTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

function parseTarget(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookTargetError('malformed', 'not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new WebhookTargetError('scheme', `a webhook is http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  if (parsed.username !== '' || parsed.password !== '') throw new WebhookTargetError('credentials', 'a webhook URL carries no user name or password (the signature authenticates deliveries)');
  return parsed;
}

async function addressesOf(host: string, policy: WebhookTargetPolicy): Promise<readonly string[]> {
  let addresses: readonly string[];
  try {
    addresses = await (policy.resolve ?? resolveAll)(host);
  } catch (error) {
    throw new WebhookTargetError('unresolvable', `${host} does not resolve (${(error as Error).message})`);
  }
  if (addresses.length === 0) throw new WebhookTargetError('unresolvable', `${host} has no address`);
  return addresses;
}

/**
 * Judges a target; the name is resolved when private targets are refused (every address must be
 * public) or when the delivery needs the address to connect to (`pin`).
 */
async function judge(url: string, policy: WebhookTargetPolicy, pin: boolean): Promise<{ url: URL; addresses: readonly string[] }> {
  const parsed = parseTarget(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  if (!policy.allowPrivate) {
    if (literal && isPrivateAddress(host)) throw new WebhookTargetError('private_address', `${host} is a private, loopback or reserved address`);
    if (host === 'localhost' || host.endsWith('.localhost')) throw new WebhookTargetError('private_address', `${host} is this machine`);
  }
  if (literal) return { url: parsed, addresses: [host] };
  if (policy.allowPrivate && !pin) return { url: parsed, addresses: [] };
  const addresses = await addressesOf(host, policy);
  const inside = policy.allowPrivate ? undefined : addresses.find((address) => isPrivateAddress(address));
  if (inside !== undefined) throw new WebhookTargetError('private_address', `${host} resolves to ${inside}, a private, loopback or reserved address`);
  return { url: parsed, addresses };
}

/** Throws a WebhookTargetError when `url` is not a target this policy allows; returns the parsed URL. */
export async function checkWebhookTarget(url: string, policy: WebhookTargetPolicy): Promise<URL> {
  return (await judge(url, policy, false)).url;
}

/**
 * The target of one delivery: the name resolved once, every address checked as checkWebhookTarget
 * does, and the first one kept for the connection. A name is resolved even when private targets
 * are allowed, so the connection never asks a resolver again.
 */
export async function pinWebhookTarget(url: string, policy: WebhookTargetPolicy): Promise<PinnedWebhookTarget> {
  const judged = await judge(url, policy, true);
  const address = judged.addresses[0] as string;
  return { url: judged.url, address, family: isIP(address) === 6 ? 6 : 4 };
}
