// Resolves endpoints that need work before any probe: `emulator` starts the embedded AWS IoT Core look-alike.
import type { Emulator } from '../emulator/index.js';
import type { ProbePlan } from '../scenario/plan.js';
import { Secret } from '../scenario/secret.js';

export interface ResolvedEndpoints {
  /** The plans, with endpoint, ports and credentials filled in; same order as given. */
  plans: ProbePlan[];
  /** Stops whatever was started for the run (the emulator); resolves when its sockets are gone. */
  close(): Promise<void>;
}

/** AWS's well-known ports, mapped onto the emulator's ephemeral listeners. */
function emulatorPort(plan: ProbePlan, emulator: Emulator): number {
  if (plan.port === 8883) return emulator.ports.mqtts;
  if (plan.port === 443) return emulator.ports.alpn;
  return plan.port;
}

function onEmulator(plan: ProbePlan, emulator: Emulator): ProbePlan {
  const resolved: ProbePlan = {
    ...plan,
    endpoint: emulator.host,
    port: emulatorPort(plan, emulator),
    servername: plan.servername ?? emulator.hostname,
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

/** Starts the emulator when a plan asks for it (loading aedes only then) and points those plans at it. */
export async function resolveEndpoints(plans: readonly ProbePlan[]): Promise<ResolvedEndpoints> {
  if (!plans.some((p) => p.endpoint === 'emulator')) return { plans: [...plans], close: async () => {} };
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator();
  return {
    plans: plans.map((p) => (p.endpoint === 'emulator' ? onEmulator(p, emulator) : p)),
    close: () => emulator.close(),
  };
}
