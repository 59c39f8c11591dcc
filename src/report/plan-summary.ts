// One line per resolved scenario, for `mqttprobe validate`: what will be probed, and how.

import { formatDurationMs } from '../scenario/duration.js';
import { effectiveAuthType, type ProbePlan } from '../scenario/plan.js';
import { plainStyle, type Style } from './style.js';

function expectation(plan: ProbePlan): string {
  return plan.expect.kind === 'code' ? plan.expect.code : plan.expect.kind;
}

/** `name  host:port mqtts alpn=x-amzn-mqtt-ca auth=x509 qos=1 steps=… expect=pass` */
export function describePlan(plan: ProbePlan, style: Style = plainStyle): string {
  const parts = [
    `${plan.endpoint}:${plan.port}`,
    plan.transport,
    `alpn=${plan.alpn.length > 0 ? plan.alpn.join(',') : 'none'}`,
    `auth=${effectiveAuthType(plan)}`,
    `mqtt=${plan.mqtt.version === 5 ? '5' : '3.1.1'}`,
    `qos=${plan.qos}`,
    `steps=${plan.steps.join('→')}`,
    `timeout=${formatDurationMs(Math.max(...Object.values(plan.timeoutsMs)))}`,
  ];
  if (plan.repeat > 1) parts.push(`repeat=${plan.repeat}`);
  if (plan.holdMs > 0) parts.push(`hold=${formatDurationMs(plan.holdMs)}`);
  if (plan.proxy) parts.push(`proxy=${plan.proxy.display}`);
  if (plan.tls.insecure) parts.push(style.yellow('tls=INSECURE'));
  parts.push(`expect=${expectation(plan)}`);
  return `${style.bold(plan.id)}  ${style.dim(parts.join(' '))}`;
}
