// One line per resolved scenario, for `mqttprobe validate`: what will be probed, and how.

import { formatDurationMs } from '../scenario/duration.js';
import { plannedPhases, type TimedPhase } from '../scenario/phases.js';
import { effectiveAuthType, type ProbePlan } from '../scenario/plan.js';
import { printable } from './printable-text.js';
import { plainStyle, type Style } from './style.js';

function expectation(plan: ProbePlan): string {
  return plan.expect.kind === 'code' ? plan.expect.code : plan.expect.kind;
}

/**
 * `timeout=5s` when every phase this plan runs has one timeout, else the most common one and the phases that differ:
 * `timeout=1s,suback=2s`.
 */
function timeouts(plan: ProbePlan): string {
  const phases = plannedPhases(plan).filter((phase): phase is TimedPhase => phase !== 'hold');
  const counts = new Map<number, number>();
  for (const phase of phases)
    counts.set(plan.timeoutsMs[phase], (counts.get(plan.timeoutsMs[phase]) ?? 0) + 1);
  // Map keeps insertion order, so on a tie the earliest phase's timeout is the base.
  const [base] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const differing = phases
    .filter((phase) => plan.timeoutsMs[phase] !== base)
    .map((phase) => `${phase}=${formatDurationMs(plan.timeoutsMs[phase])}`);
  return [`timeout=${formatDurationMs(base)}`, ...differing].join(',');
}

/** `name  host:port mqtts alpn=x-amzn-mqtt-ca auth=x509 qos=1 steps=… expect=pass`; a flag's value names its flag. */
export function describePlan(plan: ProbePlan, style: Style = plainStyle): string {
  const from = (key: string, text: string) =>
    plan.commandLine?.[key] ? `${text} (${plan.commandLine[key]})` : text;
  const parts = [
    from('endpoint', `${plan.endpoint}:${plan.port}`),
    plan.transport,
    `alpn=${plan.alpn.length > 0 ? plan.alpn.join(',') : 'none'}`,
    from('auth', `auth=${effectiveAuthType(plan)}`),
    `mqtt=${plan.mqtt.version === 5 ? '5' : '3.1.1'}`,
    `qos=${plan.qos}`,
    `steps=${plan.steps.join('→')}`,
    from('timeout', timeouts(plan)),
  ];
  if (plan.repeat > 1 || plan.commandLine?.repeat) parts.push(from('repeat', `repeat=${plan.repeat}`));
  if (plan.holdMs > 0) parts.push(`hold=${formatDurationMs(plan.holdMs)}`);
  if (plan.proxy) parts.push(`proxy=${plan.proxy.display}`);
  if (plan.tls.insecure) parts.push(style.yellow('tls=INSECURE'));
  parts.push(`expect=${expectation(plan)}`);
  // The id, endpoint, ALPN names and proxy come from the file: none of them may drive the terminal.
  return `${style.bold(printable(plan.id))}  ${style.dim(printable(parts.join(' ')))}`;
}
