/**
 * Who the server answers to, and who is calling (issue 15). The Host rule stops DNS rebinding: a page on
 * another site whose name is made to resolve to 127.0.0.1 reaches the server under that site's name, which
 * is not one of the server's. The trusted-proxy rule says when X-Forwarded-For may name the client.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

/** A host the server answers to: a name (lower case, IPv6 in brackets) and, if given, a port. */
interface HostEntry {
  name: string;
  port: number | null;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** `name`, `name:port`, `[v6]` or `[v6]:port` as it is written in a Host header; null if it is not one. */
export function parseHost(value: string): HostEntry | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]/\s@]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && port > 65535) return null;
  // "localhost." and "localhost" are one name.
  return { name: m[1]!.toLowerCase().replace(/\.$/, ''), port };
}

/** An --allowed-host value (a name, optionally with a port), or a RangeError that says what is wrong. */
export function parseAllowedHost(value: string): HostEntry {
  const h = parseHost(value);
  if (!h || !h.name) throw new RangeError(`"${value}" is not a host name: give a name as browsers send it in the Host header, e.g. frontline.example.org or frontline.example.org:8443 (no scheme, no path)`);
  return h;
}

const bracket = (address: string): string => (isIP(address) === 6 ? `[${address.toLowerCase()}]` : address.toLowerCase());

/**
 * The Host header check: the loopback names and the address the server is bound to, at the port it
 * listens on (on a wildcard address, this machine's interface addresses and its host name), plus the
 * allowed hosts given (any port unless one is given). Gives null for a host it answers to, else what to do.
 */
export function hostCheck(server: Server, allowed: readonly string[]): (req: IncomingMessage) => string | null {
  const extra = allowed.map(parseAllowedHost);
  let names: Set<string> | null = null;
  let boundTo = '';
  const ownNames = (): Set<string> => {
    const a = server.address();
    const address = typeof a === 'object' && a ? a.address : '';
    if (names && address === boundTo) return names;
    boundTo = address;
    names = new Set(LOOPBACK_NAMES);
    if (address === '0.0.0.0' || address === '::') {
      for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(bracket(i.address.replace(/%.*$/, '')));
      names.add(hostname().toLowerCase());
    } else if (address) names.add(bracket(address));
    return names;
  };
  return (req) => {
    const given = req.headers.host;
    // HTTP/1.0 without a Host is no browser (browsers always send one): nothing to rebind.
    if (given === undefined) return null;
    const h = parseHost(given);
    const port = req.socket.localPort ?? null;
    if (h) {
      const samePort = h.port === port || (h.port === null && port === 80);
      if (samePort && ownNames().has(h.name)) return null;
      if (extra.some((e) => e.name === h.name && (e.port === null || e.port === h.port))) return null;
    }
    const own = [...ownNames()].slice(0, 6).map((n) => `${n}:${port}`);
    const shown = given.length > 100 ? `${given.slice(0, 100)}…` : given;
    return `this server does not answer to the host "${shown}" (it answers to ${[...own, ...allowed].join(', ')}): to reach it under another name (a proxy's public name), start it with --allowed-host NAME or FRONTLINE_ALLOWED_HOSTS=NAME,… (docs/server.md)`;
  };
}

/** Addresses and subnets (`10.0.0.0/8`, `fd00::/8`) of trusted proxies; throws a RangeError naming a bad one. */
export function trustedProxies(list: readonly string[]): BlockList | null {
  if (!list.length) return null;
  const b = new BlockList();
  for (const raw of list) {
    const [address = '', bits, more] = raw.trim().split('/');
    const type = isIP(address);
    const prefix = bits === undefined ? null : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!type || more !== undefined || (prefix !== null && !(prefix <= (type === 4 ? 32 : 128)))) {
      throw new RangeError(`"${raw}" is not an address or a subnet: give a proxy's IP address (127.0.0.1, ::1) or a subnet (10.0.0.0/8)`);
    }
    if (prefix === null) b.addAddress(address, type === 4 ? 'ipv4' : 'ipv6');
    else b.addSubnet(address, prefix, type === 4 ? 'ipv4' : 'ipv6');
  }
  return b;
}

/** An IPv4 address Node shows in IPv6 form (::ffff:127.0.0.1) as the IPv4 address it is. */
const plain = (a: string): string => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a);

const isTrusted = (proxies: BlockList, a: string): boolean => {
  const type = isIP(a);
  return type !== 0 && proxies.check(a, type === 4 ? 'ipv4' : 'ipv6');
};

/**
 * The client's address. Without trusted proxies (the default), the connection's own: X-Forwarded-For is
 * anyone's to write. With them, and only when the connection comes from one, the address a trusted proxy
 * saw: the right-most entry of X-Forwarded-For that is not itself a trusted proxy (entries left of it
 * were written by the client and prove nothing).
 */
export function clientAddress(req: IncomingMessage, proxies: BlockList | null): string {
  const peer = plain(req.socket.remoteAddress ?? '?');
  if (!proxies || !isTrusted(proxies, peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => plain(s.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) return peer; // a malformed entry: the chain cannot be read past it
    if (!isTrusted(proxies, hop)) return hop;
  }
  return hops[0] ?? peer;
}
