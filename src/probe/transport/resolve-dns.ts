// The dns phase: one lookup of the endpoint (or proxy) host, recording the address and family used.
import { lookup as dnsLookup } from 'node:dns';
import { type PhaseScope, runPhase } from '../run-phase.js';

/** The lookup function's shape (`dns.lookup` with one address); tests may pass one that never answers. */
export type LookupFunction = (
  host: string,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => void;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface ResolveDnsOptions {
  host: string;
  /** Defaults to `dns.lookup`, which honours /etc/hosts and nsswitch like every other program on the machine. */
  lookup?: LookupFunction;
}

const defaultLookup: LookupFunction = (host, callback) => dnsLookup(host, { all: false }, callback);

/** Resolves `host` to one address within the dns timeout. */
export function resolveDns(scope: PhaseScope, options: ResolveDnsOptions): Promise<ResolvedAddress> {
  const lookup = options.lookup ?? defaultLookup;
  return runPhase(
    scope,
    'dns',
    // getaddrinfo cannot be cancelled: on timeout we stop waiting and its late answer is dropped.
    () =>
      new Promise<ResolvedAddress>((resolve, reject) => {
        lookup(options.host, (error, address, family) => {
          if (error) reject(error);
          else resolve({ address, family: family === 6 ? 6 : 4 });
        });
      }),
  );
}
