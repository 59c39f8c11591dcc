// The proxy a scenario gets from the environment (HTTPS_PROXY, ALL_PROXY) when it names none, and NO_PROXY.

import type { ProxySource } from './proxy-setting.js';

/** Variables read in this order, upper case first, as curl does for HTTPS. */
const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
] as const satisfies ProxySource[];

export interface EnvironmentProxy {
  url: string;
  /** Which variable it came from, for the report. */
  variable: (typeof PROXY_VARIABLES)[number];
  /** NO_PROXY as set, applied once the host is known. */
  noProxy?: string;
}

/** The environment's proxy, if any variable sets one. */
export function environmentProxy(
  env: Readonly<Record<string, string | undefined>>,
): EnvironmentProxy | undefined {
  const variable = PROXY_VARIABLES.find((name) => env[name]);
  if (!variable) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  return { url: env[variable]!, variable, ...(noProxy ? { noProxy } : {}) };
}

/**
 * Whether NO_PROXY exempts host:port: `*`, an exact host or address, a domain suffix (`example.com` and
 * `.example.com` both cover `a.example.com`), optionally with `:port`. CIDR ranges are not interpreted.
 */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!;
      const pattern = match[1]!.replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
      if (match[2] && Number(match[2]) !== port) return false;
      return name === pattern || name.endsWith(`.${pattern}`);
    });
}
