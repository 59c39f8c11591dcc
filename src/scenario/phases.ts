// The phase and step vocabulary of a probe, and which phases a plan goes through: part of the plan contract.
import type { Transport } from './plan.js';

/** Phases that open the byte stream MQTT runs over; `proxy` and `ws` only for proxied or WebSocket transports. */
export const TRANSPORT_PHASES = ['dns', 'tcp', 'proxy', 'tls', 'ws'] as const;
/** Phases of the MQTT conversation over that stream. */
export const MQTT_PHASES = ['connack', 'suback', 'puback', 'receive', 'hold'] as const;

/** Phases a probe can pass through, in the order they happen. Every per-phase record is keyed by this list. */
export const PHASES = [...TRANSPORT_PHASES, ...MQTT_PHASES] as const;
export type Phase = (typeof PHASES)[number];
export type MqttPhase = (typeof MQTT_PHASES)[number];

/** Phases that wait on the network and therefore take a timeout (`hold` is a chosen duration, not a wait). */
export type TimedPhase = Exclude<Phase, 'hold'>;
export const TIMED_PHASES: readonly TimedPhase[] = PHASES.filter(
  (phase): phase is TimedPhase => phase !== 'hold',
);

/** The MQTT steps a scenario may ask for; `connect` covers every phase up to CONNACK. */
export const STEPS = ['connect', 'subscribe', 'publish', 'receive'] as const;
export type Step = (typeof STEPS)[number];

/** Whether a phase belongs to the MQTT conversation rather than to the transport under it. */
export function isMqttPhase(phase: Phase): phase is MqttPhase {
  return (MQTT_PHASES as readonly Phase[]).includes(phase);
}

/** What decides the phases of a probe: the plan's fields, or a report's summary of them. */
export interface PhaseShape {
  transport: Transport;
  /** Any value when the probe goes through a proxy. */
  proxy?: unknown;
  steps: readonly string[];
  qos: 0 | 1 | 2;
  /** Absent in a report's summary, whose probes show whether they held. */
  holdMs?: number;
}

/** The phases a probe of this plan goes through when every step succeeds, in order. */
export function plannedPhases(plan: PhaseShape): Phase[] {
  const planned = new Set<Phase>(['dns', 'tcp', 'connack']);
  if (plan.proxy) planned.add('proxy');
  if (plan.transport === 'mqtts' || plan.transport === 'wss') planned.add('tls');
  if (plan.transport === 'ws' || plan.transport === 'wss') planned.add('ws');
  if (plan.steps.includes('subscribe')) planned.add('suback');
  // A QoS 0 publish has no acknowledgement to wait for (MQTT 3.1.1 §4.3.1).
  if (plan.steps.includes('publish') && plan.qos > 0) planned.add('puback');
  if (plan.steps.includes('receive')) planned.add('receive');
  if ((plan.holdMs ?? 0) > 0) planned.add('hold');
  return PHASES.filter((phase) => planned.has(phase));
}
