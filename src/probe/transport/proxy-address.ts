// Reads the plan's proxy URL into what the proxy layers need; the credentials stay inside this value.
import { isIPv6 } from 'node:net';

/** Which handshake the proxy speaks. `https` is an HTTP proxy reached over TLS. */
export type ProxyKind = 'http' | 'https' | 'socks4' | 'socks5';

/** A proxy to dial: where it is, how to talk to it, and (secret) who we are. */
export interface ProxyAddress {
  kind: ProxyKind;
  host: string;
  port: number;
  /** Decoded user name and password from the URL; never printed (the plan's `display` form masks them). */
  credentials?: { username: string; password: string };
}

const KINDS: Record<string, ProxyKind> = {
  'http:': 'http',
  'https:': 'https',
  'socks:': 'socks5',
  'socks5:': 'socks5',
  // socks5h means "the proxy resolves the name"; this probe always lets the proxy resolve (see open-socks-proxy.ts).
  'socks5h:': 'socks5',
  'socks4:': 'socks4',
  'socks4a:': 'socks4',
};

const DEFAULT_PORTS: Record<ProxyKind, number> = { http: 80, https: 443, socks4: 1080, socks5: 1080 };

/** Parses a proxy URL (the revealed form); undefined when the scheme is not one the probe speaks. */
export function parseProxyUrl(url: string): ProxyAddress | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The scenario layer validates proxy URLs; a value that still does not parse is "not one we speak".
    return undefined;
  }
  const kind = KINDS[parsed.protocol];
  if (kind === undefined || parsed.hostname === '') return undefined;
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const address: ProxyAddress = {
    kind,
    host,
    port: parsed.port === '' ? DEFAULT_PORTS[kind] : Number(parsed.port),
  };
  if (parsed.username !== '' || parsed.password !== '') {
    address.credentials = {
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
  }
  return address;
}

/** `host:port` as an HTTP CONNECT target or Host header, with brackets around an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return `${bracketed(host)}:${port}`;
}

/** The host as it appears in a URL or Host header: an IPv6 address in brackets. */
export function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
