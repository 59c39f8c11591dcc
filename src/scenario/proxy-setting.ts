// A proxy URL, parsed once at load time into what the probe dials and the reports show; the password stays secret.
import { redactUrl } from './redact-url.js';
import { Secret } from './secret.js';

/** Which handshake the proxy speaks. `https` is an HTTP proxy reached over TLS. */
export type ProxyKind = 'http' | 'https' | 'socks4' | 'socks5';

/** Where a proxy setting came from: the scenario's `proxy` key or an environment variable. */
export type ProxySource = 'scenario' | 'HTTPS_PROXY' | 'https_proxy' | 'ALL_PROXY' | 'all_proxy';

/** User name and password from the proxy URL, decoded. */
export interface ProxyCredentials {
  username: string;
  password: string;
}

/** A plan's proxy: parsed, with the credentials wrapped and everything else plain data. */
export interface ProxySetting {
  /** undefined when the URL's scheme is not one the probe speaks (an environment variable is not validated). */
  kind?: ProxyKind;
  /** Host name or address, without IPv6 brackets; empty when the URL does not parse. */
  host: string;
  /** The URL's port, or the scheme's default (80, 443, 1080); 0 when the URL does not parse. */
  port: number;
  /** Whether the URL carries a user name or password: the probe sends them (Basic auth, SOCKS5 user/pass). */
  hasCredentials: boolean;
  credentials?: Secret<ProxyCredentials>;
  source: ProxySource;
  /** The URL with the password masked, followed by ` (VARIABLE)` when it came from the environment. */
  display: string;
  /** NO_PROXY, when the proxy came from the environment and the host is not known yet (`endpoint: aws`). */
  noProxy?: string;
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

/** Parses a proxy URL once; the only reader of the URL's text. */
export function parseProxySetting(url: string, source: ProxySource): ProxySetting {
  const display = source === 'scenario' ? redactUrl(url) : `${redactUrl(url)} (${source})`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Only an environment variable can get here (the schema validates `proxy`): "a scheme we cannot speak".
    return { host: '', port: 0, hasCredentials: false, source, display };
  }
  const kind = KINDS[parsed.protocol];
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const hasCredentials = parsed.username !== '' || parsed.password !== '';
  const port = parsed.port !== '' ? Number(parsed.port) : kind ? DEFAULT_PORTS[kind] : 0;
  return {
    ...(kind && host !== '' ? { kind } : {}),
    host,
    port,
    hasCredentials,
    ...(hasCredentials
      ? {
          credentials: new Secret({
            username: decodeURIComponent(parsed.username),
            password: decodeURIComponent(parsed.password),
          }),
        }
      : {}),
    source,
    display,
  };
}
