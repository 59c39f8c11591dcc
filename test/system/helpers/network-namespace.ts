// A network namespace joined to the root namespace by a veth pair on its own 10.213.N.0/24, removed when the test ends.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Teardown } from './teardown.js';

/** A namespace for one test: servers listen on `hostAddress` (root side), clients run inside on `nsAddress`. */
export interface NetworkNamespace {
  name: string;
  /** The root side's address, e.g. `10.213.7.1`. */
  hostAddress: string;
  /** The namespace side's address, e.g. `10.213.7.2`. */
  nsAddress: string;
  /** With `ipv6`: the root side's ULA address, e.g. `fd16:7::1`. */
  hostAddress6?: string;
  /** With `ipv6`: the namespace side's ULA address, e.g. `fd16:7::2`. */
  nsAddress6?: string;
  /** Runs `iptables ARGS` inside the namespace. */
  iptables: (args: string[]) => void;
  /** Runs `ip6tables ARGS` inside the namespace. */
  ip6tables: (args: string[]) => void;
  /** The veth end inside the namespace, for iptables `-i`/`-o`. */
  insideInterface: string;
  /** The argv prefix that runs a command inside the namespace: `['ip', 'netns', 'exec', NAME]`. */
  execPrefix: string[];
}

let counter = 0;

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A /24 under 10.213.0.0/16 that no interface uses yet, starting from a place that depends on the process. */
function freeSubnet(): number {
  const used = ip(['-4', '-o', 'addr', 'show']);
  for (let i = 0; i < 250; i++) {
    const n = ((process.pid + counter * 17 + i) % 250) + 1;
    if (!used.includes(`10.213.${n}.`)) return n;
  }
  throw new Error('no free 10.213.N.0/24 subnet');
}

/** What else the namespace gets besides its IPv4 /24. */
export interface NetworkNamespaceOptions {
  /** Also a ULA /64 (fd16:N::/64) on the veth pair, without duplicate address detection so it works at once. */
  ipv6?: boolean;
  /**
   * Files that `ip netns exec` bind-mounts over /etc for commands in the namespace (/etc/netns/NAME/FILE), such
   * as `resolv.conf` or `hosts`; removed at teardown. A function gets the addresses chosen for the namespace (a
   * `hosts` file naming the root side, say).
   */
  etc?: EtcFiles | ((addresses: NamespaceAddresses) => EtcFiles);
}

type EtcFiles = Partial<Record<'resolv.conf' | 'hosts', string>>;
type NamespaceAddresses = Pick<NetworkNamespace, 'hostAddress' | 'nsAddress' | 'hostAddress6' | 'nsAddress6'>;

/**
 * Creates the namespace and veth pair (names unique to this process and call) and registers their removal in
 * `t.after`, so they go even when the test fails. Deleting the namespace takes its veth end and thereby the pair.
 */
export function createNetworkNamespace(t: Teardown, options: NetworkNamespaceOptions = {}): NetworkNamespace {
  counter += 1;
  const id = `${process.pid % 1_000_000}x${counter}`;
  const name = `mqttprobe-${id}`;
  const outside = `mqp${id}a`;
  const inside = `mqp${id}b`;
  const n = freeSubnet();
  const hostAddress = `10.213.${n}.1`;
  const nsAddress = `10.213.${n}.2`;
  const etcDir = `/etc/netns/${name}`;
  t.after(() => {
    rmSync(etcDir, { recursive: true, force: true });
    for (const args of [
      ['netns', 'del', name],
      ['link', 'del', outside],
    ]) {
      try {
        ip(args);
      } catch {
        // Already gone (deleting the namespace removes the pair), or never created because setup failed early.
      }
    }
  });
  ip(['netns', 'add', name]);
  ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
  ip(['link', 'set', inside, 'netns', name]);
  ip(['addr', 'add', `${hostAddress}/24`, 'dev', outside]);
  ip(['link', 'set', outside, 'up']);
  ip(['-n', name, 'addr', 'add', `${nsAddress}/24`, 'dev', inside]);
  ip(['-n', name, 'link', 'set', inside, 'up']);
  ip(['-n', name, 'link', 'set', 'lo', 'up']);
  const v6 = options.ipv6 ? { hostAddress6: `fd16:${n}::1`, nsAddress6: `fd16:${n}::2` } : {};
  if (v6.hostAddress6 && v6.nsAddress6) {
    ip(['-6', 'addr', 'add', `${v6.hostAddress6}/64`, 'dev', outside, 'nodad']);
    ip(['-n', name, '-6', 'addr', 'add', `${v6.nsAddress6}/64`, 'dev', inside, 'nodad']);
  }
  const etc =
    typeof options.etc === 'function' ? options.etc({ hostAddress, nsAddress, ...v6 }) : options.etc;
  const files = Object.entries(etc ?? {});
  if (files.length > 0) {
    mkdirSync(etcDir, { recursive: true });
    for (const [file, text] of files) writeFileSync(`${etcDir}/${file}`, text);
  }
  const execPrefix = ['ip', 'netns', 'exec', name];
  return {
    name,
    hostAddress,
    nsAddress,
    ...v6,
    insideInterface: inside,
    execPrefix,
    iptables: (args) => {
      execFileSync('ip', ['netns', 'exec', name, 'iptables', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    },
    ip6tables: (args) => {
      execFileSync('ip', ['netns', 'exec', name, 'ip6tables', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
  };
}
