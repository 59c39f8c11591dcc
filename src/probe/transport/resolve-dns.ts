// The dns phase: one lookup of the endpoint (or proxy) host, keeping every address it gave, by family.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type PhaseScope, runPhase } from '../run-phase.js';

/**
 * The lookup function's shape (`dns.lookup` with `all: true`: every address, in the resolver's order); tests may
 * pass one that never answers, or one that gives an IPv6 and an IPv4 address for a name.
 */
export type LookupFunction = (
  host: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
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

/** The most addresses kept from one answer: a name with hundreds of records must not swell every result. */
export const MAX_RESOLVED_ADDRESSES = 16;

// No ADDRCONFIG: a name with only an AAAA record, looked up on a machine without IPv6, must end in
// tcp.unreachable (no route), not in a misleading "does not exist". An IP literal comes back as itself, alone.
const defaultLookup: LookupFunction = (host, callback) => dnsLookup(host, { all: true }, callback);

/** Resolves `host` within the dns timeout to its addresses (at least one), in the resolver's order. */
export function resolveDns(scope: PhaseScope, options: ResolveDnsOptions): Promise<ResolvedAddress[]> {
  const lookup = options.lookup ?? defaultLookup;
  return runPhase(
    scope,
    'dns',
    // getaddrinfo cannot be cancelled: on timeout we stop waiting and its late answer is dropped.
    () =>
      new Promise<ResolvedAddress[]>((resolve, reject) => {
        lookup(options.host, (error, addresses) => {
          if (error) {
            reject(error);
            return;
          }
          const kept = addresses
            .slice(0, MAX_RESOLVED_ADDRESSES)
            .map(({ address, family }): ResolvedAddress => ({ address, family: family === 6 ? 6 : 4 }));
          if (kept.length > 0) resolve(kept);
          else reject(Object.assign(new Error(`no address for ${options.host}`), { code: 'ENOTFOUND' }));
        });
      }),
  );
}

/**
 * The addresses TCP tries: the resolver's first, and when the answer holds the other family too, the first
 * address of that family, so both families get one connect each (in the resolver's order).
 */
export function addressPerFamily(addresses: readonly ResolvedAddress[]): ResolvedAddress[] {
  const [first] = addresses;
  if (!first) return [];
  const other = addresses.find((a) => a.family !== first.family);
  return other ? [first, other] : [first];
}
