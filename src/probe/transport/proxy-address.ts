// The plan's parsed proxy as the proxy layers need it, the credentials revealed only here.
import { isIPv6 } from 'node:net';
import type { ProxyCredentials, ProxyKind, ProxySetting } from '../../scenario/proxy-setting.js';

export type { ProxyKind } from '../../scenario/proxy-setting.js';

/** A proxy to dial: where it is, how to talk to it, and (secret) who we are. */
export interface ProxyAddress {
  kind: ProxyKind;
  host: string;
  port: number;
  /** Decoded user name and password from the URL; never printed (the plan's `display` form masks them). */
  credentials?: ProxyCredentials;
}

/** What the proxy layers dial; undefined when the scheme is not one the probe speaks. */
export function proxyAddress(setting: ProxySetting): ProxyAddress | undefined {
  const { kind, host, port, credentials } = setting;
  if (kind === undefined) return undefined;
  return { kind, host, port, ...(credentials ? { credentials: credentials.reveal() } : {}) };
}

/** `host:port` as an HTTP CONNECT target or Host header, with brackets around an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return `${bracketed(host)}:${port}`;
}

/** The host as it appears in a URL or Host header: an IPv6 address in brackets. */
export function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
