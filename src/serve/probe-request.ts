// Reads a `/probe` request: which scenario, which target (only where the scenario's `serve.targets` allows it), the
// deadline the scrape leaves, and the exposition the scrape accepts. A mistake is a 400 with words, never a probe.

import type { ExpositionFormat } from '../report/openmetrics.js';
import { suggest } from '../scenario/suggest-key.js';

/** blackbox_exporter's default `--timeout-offset`: the answer must be back before Prometheus gives up. */
export const SCRAPE_TIMEOUT_OFFSET_S = 0.5;
/** The deadline when the scrape sends no `X-Prometheus-Scrape-Timeout-Seconds` (curl, a browser), in seconds. */
export const DEFAULT_DEADLINE_S = 10;
/** The longest deadline a scrape may ask for: Prometheus scrapes are seconds apart, not hours. */
export const MAX_DEADLINE_S = 300;
/** The shortest deadline worth starting a probe for, in seconds. */
const MIN_DEADLINE_S = 0.1;
/** Longest `scenario` or `target` value read; a 1 MB query string is not a scenario name. */
const MAX_PARAM_LENGTH = 1000;

/** A host and port a scrape asked for with `target=`. */
export interface Target {
  host: string;
  /** Absent when the target named none: the scenario's own port. */
  port?: number;
}

/** What the probe handler needs to know about a scenario to check a request. */
export interface ScenarioEntry {
  id: string;
  port: number;
  /** `serve.targets` patterns. */
  serveTargets?: readonly string[];
}

export interface ProbeRequest {
  scenario: string;
  target?: Target;
  /** How long the probe may run, in ms: the scrape timeout less the offset. */
  deadlineMs: number;
  exposition: ExpositionFormat;
}

/** Why a request gets no probe, for the exporter's refusal counter. */
export type RequestRefusal = 'bad-request' | 'unknown-scenario' | 'target-refused';

export type ParsedProbeRequest =
  | { ok: true; request: ProbeRequest }
  | { ok: false; reason: RequestRefusal; message: string };

/** Splits `HOST`, `HOST:PORT` or `[V6]:PORT`; undefined when it is neither. */
export function parseHostPort(text: string): { host: string; port?: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const host = (match[1] ?? match[2])!;
  if (match[3] === undefined) return { host };
  const port = Number(match[3]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** Whether `serve.targets` allows the target: a host as listed (or under a `*.` pattern) and its port. */
export function targetAllowed(target: Target, scenario: ScenarioEntry): boolean {
  const host = target.host.toLowerCase();
  const port = target.port ?? scenario.port;
  return (scenario.serveTargets ?? []).some((pattern) => {
    const allowed = parseHostPort(pattern);
    if (!allowed) return false;
    if ((allowed.port ?? scenario.port) !== port) return false;
    const wanted = allowed.host.toLowerCase();
    return wanted.startsWith('*.')
      ? host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1
      : host === wanted;
  });
}

/**
 * The deadline a scrape leaves: Prometheus's `X-Prometheus-Scrape-Timeout-Seconds` less the offset, as
 * blackbox_exporter computes it (prober/handler.go), or the default without the header. Undefined for a header
 * that is not a number.
 */
export function deadlineSeconds(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return DEFAULT_DEADLINE_S;
  const timeout = Number(header);
  if (!Number.isFinite(timeout) || timeout <= 0) return undefined;
  // A timeout at or below the offset still gets a probe, cut short, rather than none.
  const deadline = timeout > SCRAPE_TIMEOUT_OFFSET_S * 2 ? timeout - SCRAPE_TIMEOUT_OFFSET_S : timeout / 2;
  return Math.min(MAX_DEADLINE_S, Math.max(MIN_DEADLINE_S, deadline));
}

/** OpenMetrics when the scrape's Accept header asks for it (Prometheus does by default), else the text format. */
export function expositionFor(accept: string | undefined): ExpositionFormat {
  return /application\/openmetrics-text/i.test(accept ?? '') ? 'openmetrics' : 'text';
}

/** Checks a `/probe` request against the loaded scenarios. */
export function parseProbeRequest(
  query: URLSearchParams,
  headers: { scrapeTimeout?: string; accept?: string },
  scenarios: ReadonlyMap<string, ScenarioEntry>,
): ParsedProbeRequest {
  const names = query.getAll('scenario');
  const known = [...scenarios.keys()];
  const list =
    known.length > 20 ? `${known.slice(0, 20).join(', ')}, … (${known.length} in all)` : known.join(', ');
  if (names.length !== 1 || names[0] === '') {
    return {
      ok: false,
      reason: 'bad-request',
      message: `name one scenario: /probe?scenario=NAME${names.length > 1 ? ' (it was given more than once)' : ''}; scenarios: ${list}`,
    };
  }
  const name = names[0]!;
  if (name.length > MAX_PARAM_LENGTH)
    return { ok: false, reason: 'bad-request', message: 'the scenario parameter is too long' };
  const scenario = scenarios.get(name);
  if (!scenario) {
    const guess = suggest(name, known);
    return {
      ok: false,
      reason: 'unknown-scenario',
      message: `unknown scenario ${JSON.stringify(name)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''}; scenarios: ${list}`,
    };
  }
  const deadline = deadlineSeconds(headers.scrapeTimeout);
  if (deadline === undefined) {
    return {
      ok: false,
      reason: 'bad-request',
      message: 'X-Prometheus-Scrape-Timeout-Seconds is not a positive number of seconds',
    };
  }
  const request: ProbeRequest = {
    scenario: name,
    deadlineMs: Math.round(deadline * 1000),
    exposition: expositionFor(headers.accept),
  };
  const targets = query.getAll('target');
  if (targets.length > 1) return { ok: false, reason: 'bad-request', message: 'give target at most once' };
  if (targets.length === 1) {
    const text = targets[0]!;
    const target = text.length <= MAX_PARAM_LENGTH ? parseHostPort(text) : undefined;
    if (!target) return { ok: false, reason: 'bad-request', message: 'target must be HOST or HOST:PORT' };
    if (target.host === 'emulator' || target.host === 'aws' || !targetAllowed(target, scenario)) {
      return {
        ok: false,
        reason: 'target-refused',
        message: `scenario ${JSON.stringify(name)} may not be sent to that target: list it under serve.targets in the scenario file (an exporter that connects wherever a URL says is an open relay)`,
      };
    }
    request.target = target;
  }
  return { ok: true, request };
}
