// Parses scenario durations (`750ms`, `5s`, `1.5m`) into milliseconds, and bounds each kind of duration.

/** `5s`, `750ms`, `1.5m`: durations always carry a unit, so `timeout: 5` is never read as 5 ms by surprise. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Milliseconds for a duration string that already passed the schema's pattern (Infinity for a huge number). */
export function parseDurationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new TypeError(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** Formats milliseconds the way a scenario would write them. */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The range one kind of duration accepts, in ms, and what to write instead of a value outside it. */
export interface DurationBounds {
  minMs: number;
  maxMs: number;
  /** What the duration is, for messages: `a timeout`. */
  what: string;
  /** The fix for a value below the range, and for one above it. */
  belowHint: string;
  aboveHint: string;
}

/**
 * Every duration key's range. Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once beyond it, so no
 * bound may exceed that; each is far lower, for the reason docs/limits.md gives.
 */
export const DURATION_BOUNDS = {
  timeout: {
    minMs: 1,
    maxMs: 10 * 60_000,
    what: 'a timeout',
    belowHint: 'a phase cannot answer in no time: use at least 1ms (the default is 5s)',
    aboveHint:
      'a phase that has not answered in 10 minutes will not (the OS gives up on a TCP connect after about 2); use a shorter timeout',
  },
  threshold: {
    minMs: 1,
    maxMs: 60 * 60_000,
    what: 'a threshold',
    belowHint: 'no phase takes no time: use at least 1ms',
    aboveHint: 'a latency limit over an hour is no limit: lower it, or remove the threshold',
  },
  hold: {
    minMs: 0,
    maxMs: 60 * 60_000,
    what: 'a hold',
    belowHint: 'use 0s for no hold',
    aboveHint: 'one probe may hold its connection for at most an hour; for longer, repeat the scenario',
  },
  keepalive: {
    minMs: 0,
    maxMs: 65_535_000,
    what: 'a keepalive',
    belowHint: 'use 0s to turn keepalive off',
    aboveHint:
      'MQTT keepalive is a 16-bit number of seconds (at most 65535s, 18h12m); AWS IoT accepts 30s to 1200s',
  },
} as const satisfies Record<string, DurationBounds>;
export type DurationKind = keyof typeof DURATION_BOUNDS;

/** A refused duration: the label for the caret (the allowed range) and the fix. */
export interface DurationProblem {
  label: string;
  hint: string;
}

/** Why `text` is not an acceptable duration of this kind, or undefined when it is. */
export function durationProblem(text: string, kind: DurationKind): DurationProblem | undefined {
  const bounds: DurationBounds = DURATION_BOUNDS[kind];
  const label = `expected ${bounds.what} from ${formatDurationMs(bounds.minMs)} to ${formatDurationMs(bounds.maxMs)}`;
  if (!DURATION_PATTERN.test(text))
    return {
      label: 'expected a duration with a unit, such as `750ms`, `5s` or `2m`',
      hint: `write ${bounds.what} with its unit, from ${formatDurationMs(bounds.minMs)} to ${formatDurationMs(bounds.maxMs)}`,
    };
  const ms = parseDurationMs(text);
  if (ms < bounds.minMs) return { label, hint: bounds.belowHint };
  if (ms > bounds.maxMs) return { label, hint: `${bounds.aboveHint} (limits: docs/limits.md)` };
  return undefined;
}
