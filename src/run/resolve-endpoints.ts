// Resolves endpoints that need work before any probe: `emulator` starts the embedded AWS IoT Core look-alike,
// `aws` asks DescribeEndpoint (once per region and profile), and AWS hosts get Amazon's root CAs.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EmulatorThreadReady } from '../emulator/emulator-thread.js';
import { bypassesProxy } from '../scenario/environment-proxy.js';
import type { ProbePlan } from '../scenario/plan.js';
import { Secret } from '../scenario/secret.js';
import { amazonRootCas, isAwsHost } from './aws-root-cas.js';
import type { AwsTarget } from './describe-endpoint.js';

export interface ResolvedEndpoints {
  /** The plans, with endpoint, ports and credentials filled in; same order as given. */
  plans: ProbePlan[];
  /** Stops whatever was started for the run (the emulator); resolves when its sockets are gone. */
  close(): Promise<void>;
}

export interface ResolveEndpointOptions {
  /** The DescribeEndpoint call; tests of this module may pass their own. */
  describeEndpoint?: (target: AwsTarget) => Promise<string>;
}

/** The emulator as the run sees it: where it listens and what it lends, in its own thread. */
type RunningEmulator = EmulatorThreadReady;

// In dist/ the bundle puts the thread's entry at dist/emulator/emulator-thread.js. Run from the sources (tests, under
// tsx), only the .ts file is there, and a worker does not inherit tsx's loader: it registers it first.
function newEmulatorThread(): Worker {
  const built = new URL('../emulator/emulator-thread.js', import.meta.url);
  if (existsSync(built)) return new Worker(built);
  const source = new URL('../emulator/emulator-thread.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`,
    { eval: true },
  );
}

/**
 * Starts the emulator in a worker thread: in this thread its handshakes and broker work would land inside the
 * probes' timed windows (the in-process emulator cost each probe's tls several ms side by side, docs/accuracy.md).
 */
async function startEmulatorThread(): Promise<{ emulator: RunningEmulator; close: () => Promise<void> }> {
  const worker = newEmulatorThread();
  const failed = once(worker, 'error').then(([error]) => {
    throw new Error('the embedded emulator did not start', { cause: error });
  });
  const [ready] = (await Promise.race([once(worker, 'message'), failed])) as [EmulatorThreadReady];
  // An error after start-up shows in the probes (the emulator stops answering); it must not crash the run.
  failed.catch(() => undefined);
  return {
    emulator: ready,
    close: async () => {
      const exited = once(worker, 'exit');
      worker.postMessage('close');
      await exited;
    },
  };
}

/** AWS's well-known ports, mapped onto the emulator's ephemeral listeners. */
function emulatorPort(plan: ProbePlan, emulator: RunningEmulator): number {
  if (plan.port === 8883) return emulator.ports.mqtts;
  if (plan.port === 443) return emulator.ports.alpn;
  return plan.port;
}

function onEmulator(plan: ProbePlan, emulator: RunningEmulator): ProbePlan {
  const resolved: ProbePlan = {
    ...plan,
    endpoint: emulator.host,
    port: emulatorPort(plan, emulator),
    servername: plan.servername ?? emulator.hostname,
    written: { endpoint: plan.endpoint, port: plan.port },
  };
  if (plan.emulator?.ca) resolved.ca = { path: '(emulator CA)', pem: emulator.ca };
  if (plan.emulator?.deviceCert) {
    resolved.auth = {
      type: 'x509',
      cert: { path: '(emulator device certificate)', pem: emulator.client.cert },
      key: { path: '(emulator device key)', secret: new Secret(emulator.client.key) },
    };
  }
  return resolved;
}

const targetKey = (plan: ProbePlan) => `${plan.aws?.region ?? ''}\u0000${plan.aws?.profile ?? ''}`;

/** Looks up each distinct AWS account once, in parallel; a failure throws EndpointLookupError. */
async function lookUpAws(
  plans: readonly ProbePlan[],
  options: ResolveEndpointOptions,
): Promise<Map<string, string>> {
  const targets = new Map<string, AwsTarget>();
  for (const plan of plans) if (plan.endpoint === 'aws') targets.set(targetKey(plan), { ...plan.aws });
  if (targets.size === 0) return new Map();
  const describe = options.describeEndpoint ?? (await import('./describe-endpoint.js')).describeEndpoint;
  const entries = await Promise.all(
    [...targets].map(async ([key, target]) => [key, await describe(target)] as const),
  );
  return new Map(entries);
}

/** Starts the emulator and looks up AWS endpoints when plans ask for them, loading aedes or the SDK only then. */
export async function resolveEndpoints(
  plans: readonly ProbePlan[],
  options: ResolveEndpointOptions = {},
): Promise<ResolvedEndpoints> {
  const aws = await lookUpAws(plans, options);
  const thread = plans.some((p) => p.endpoint === 'emulator') ? await startEmulatorThread() : undefined;
  const emulator = thread?.emulator;
  const resolved = plans.map((plan) => {
    if (plan.endpoint === 'emulator' && emulator) return onEmulator(plan, emulator);
    const endpoint = plan.endpoint === 'aws' ? aws.get(targetKey(plan))! : plan.endpoint;
    const host = plan.servername ?? endpoint;
    const resolved: ProbePlan = { ...plan, endpoint };
    if (plan.ca === undefined && isAwsHost(host)) resolved.ca = amazonRootCas();
    // An environment proxy waited for the looked-up host to apply NO_PROXY.
    if (plan.proxy?.noProxy !== undefined && bypassesProxy(endpoint, plan.port, plan.proxy.noProxy)) {
      delete resolved.proxy;
    }
    return resolved;
  });
  return { plans: resolved, close: async () => thread?.close() };
}
