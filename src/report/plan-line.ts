// One paragraph per resolved scenario, for `mqttprobe validate`: what will be probed, and how. It reads the plan only
// through its summary (run/summarise-plan.ts), as every report does, so no credential can reach the line.

import type { PlanSummary } from '../run/result.js';
import { formatDurationMs } from '../scenario/duration.js';
import { plannedPhases, type TimedPhase } from '../scenario/phases.js';
import { hangingLines } from './fit-width.js';
import { printable } from './printable-text.js';
import { plainStyle, type Style } from './style.js';

/**
 * `timeout=5s` when every phase this plan runs has one timeout, else the most common one and the phases that differ:
 * `timeout=1s,suback=2s`.
 */
function timeouts(plan: PlanSummary): string {
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

/**
 * `name  host:port mqtts alpn=x-amzn-mqtt-ca auth=x509 qos=1 steps=… expect=pass`; a flag's value names its flag.
 * Wrapped to `width` columns after `indent`, the settings that do not fit hanging four columns further in.
 */
export function renderPlanLine(
  plan: PlanSummary,
  style: Style = plainStyle,
  { width = 100, indent = '' }: { width?: number; indent?: string } = {},
): string {
  const from = (key: string, text: string) =>
    plan.commandLine?.[key] ? `${text} (${plan.commandLine[key]})` : text;
  const parts = [
    from('endpoint', `${plan.endpoint}:${plan.port}`),
    plan.transport,
    `alpn=${plan.alpn.length > 0 ? plan.alpn.join(',') : 'none'}`,
    from('auth', `auth=${plan.authType}`),
    `mqtt=${plan.mqttVersion}`,
    `qos=${plan.qos}`,
    `steps=${plan.steps.join('→')}`,
    from('timeout', timeouts(plan)),
  ];
  if (plan.repeat > 1 || plan.commandLine?.repeat) parts.push(from('repeat', `repeat=${plan.repeat}`));
  if (plan.holdMs > 0) parts.push(`hold=${formatDurationMs(plan.holdMs)}`);
  if (plan.proxy) parts.push(`proxy=${plan.proxy}`);
  if (plan.insecure) parts.push(style.yellow('tls=INSECURE'));
  parts.push(`expect=${plan.expect}`);
  // The id, endpoint, ALPN names and proxy come from the file: none of them may drive the terminal.
  const name = printable(plan.id);
  const text = `${name}  ${printable(parts.join(' '))}`;
  // Wrapped as plain text, then painted, so the widths are those of the text: the name bold, the rest dim.
  return hangingLines(text, width, indent, `${indent}    `)
    .map((line, i) => {
      const body = line.slice(i === 0 ? indent.length : indent.length + 4);
      const lead = line.slice(0, line.length - body.length);
      const painted =
        i === 0 && body.startsWith(name)
          ? `${style.bold(name)}${style.dim(body.slice(name.length))}`
          : style.dim(body);
      return `${lead}${painted.replace('tls=INSECURE', style.yellow('tls=INSECURE'))}`;
    })
    .join('\n');
}
