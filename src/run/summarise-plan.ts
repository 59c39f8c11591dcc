// Reduces a ProbePlan to what a report may show: built field by field, so no credential can slip into output.
import { effectiveAuthType, type ProbePlan } from '../scenario/plan.js';
import type { PlanSummary } from './result.js';

/** The reportable part of a plan. */
export function summarisePlan(plan: ProbePlan): PlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    file: plan.file,
    span: plan.span,
    spans: plan.spans,
    ...(plan.fixOptions ? { fixOptions: { ...plan.fixOptions } } : {}),
    tags: plan.tags,
    endpoint: plan.endpoint,
    port: plan.port,
    transport: plan.transport,
    alpn: plan.alpn,
    qos: plan.qos,
    mqttVersion: plan.mqtt.version === 5 ? '5' : '3.1.1',
    authType: effectiveAuthType(plan),
    steps: plan.steps,
    repeat: plan.repeat,
    expect: plan.expect.kind === 'code' ? plan.expect.code : plan.expect.kind,
    thresholdsMs: plan.thresholdsMs,
    timeoutsMs: { ...plan.timeoutsMs },
    holdMs: plan.holdMs,
    // Flag names only (`{ timeout: '--timeout' }`), never the values they set.
    ...(plan.commandLine ? { commandLine: { ...plan.commandLine } } : {}),
    insecure: plan.tls.insecure,
    ...(plan.proxy ? { proxy: plan.proxy.display } : {}),
  };
}
