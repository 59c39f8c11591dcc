// The phases of one probe, in the order they happen. Every per-phase record is keyed by this list.

/** Phases a probe can pass through; `proxy` and `ws` only run for proxied or WebSocket transports. */
export const PHASES = [
  'dns',
  'tcp',
  'proxy',
  'tls',
  'ws',
  'connack',
  'suback',
  'puback',
  'receive',
  'hold',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases that wait on the network and therefore take a timeout (`hold` is a chosen duration, not a wait). */
export const TIMED_PHASES = [
  'dns',
  'tcp',
  'proxy',
  'tls',
  'ws',
  'connack',
  'suback',
  'puback',
  'receive',
] as const;
export type TimedPhase = (typeof TIMED_PHASES)[number];

/** The MQTT steps a scenario may ask for; `connect` covers every phase up to CONNACK. */
export const STEPS = ['connect', 'subscribe', 'publish', 'receive'] as const;
export type Step = (typeof STEPS)[number];
