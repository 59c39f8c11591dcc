// Parses scenario durations (`750ms`, `5s`, `1.5m`) into milliseconds.

/** `5s`, `750ms`, `1.5m`: durations always carry a unit, so `timeout: 5` is never read as 5 ms by surprise. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Milliseconds for a duration string that already passed the schema's pattern. */
export function parseDurationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new TypeError(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** Formats milliseconds the way a scenario would write them. */
export function formatDurationMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
