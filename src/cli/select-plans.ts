// Applies the command line's selection (--only, --tag) and overrides (--timeout, --repeat) to loaded plans.

import { DURATION_PATTERN, parseDurationMs } from '../scenario/duration.js';
import { TIMED_PHASES } from '../scenario/phases.js';
import type { ProbePlan } from '../scenario/plan.js';
import { UsageError } from './io.js';

export interface Selection {
  only?: string[];
  tag?: string[];
  timeout?: string;
  repeat?: string;
}

/** `*` matches any run of characters; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** The plans the user asked for, with command-line overrides applied. */
export function selectPlans(plans: readonly ProbePlan[], selection: Selection): ProbePlan[] {
  let chosen = [...plans];
  if (selection.only?.length) {
    const patterns = selection.only.map(globToRegExp);
    chosen = chosen.filter((p) => patterns.some((re) => re.test(p.name) || re.test(p.id)));
    if (chosen.length === 0) {
      throw new UsageError(
        `no scenario matches --only ${selection.only.join(', ')}`,
        `scenarios: ${[...new Set(plans.map((p) => p.name))].join(', ')}`,
      );
    }
  }
  if (selection.tag?.length) {
    const tagged = (p: ProbePlan) => p.tags.some((t) => selection.tag!.includes(t));
    const tags = selection.tag.join(' or ');
    chosen = chosen.filter(tagged);
    if (chosen.length === 0) {
      const withTag = [...new Set(plans.filter(tagged).map((p) => p.name))];
      // Both filters apply: when the tag exists but not among the --only matches, say so rather than deny the tag.
      if (withTag.length > 0) {
        throw new UsageError(
          `no scenario matches --only ${selection.only!.join(', ')} and has tag ${tags}`,
          `scenarios with tag ${tags}: ${withTag.join(', ')}`,
        );
      }
      const all = [...new Set(plans.flatMap((p) => p.tags))];
      throw new UsageError(
        `no scenario has tag ${tags}`,
        all.length ? `tags in these files: ${all.join(', ')}` : 'no scenario has tags',
      );
    }
  }
  if (selection.timeout !== undefined) {
    if (!DURATION_PATTERN.test(selection.timeout))
      throw new UsageError(`--timeout ${selection.timeout} is not a duration`, 'use a unit: 750ms, 5s, 1m');
    const ms = parseDurationMs(selection.timeout);
    chosen = chosen.map((p) => ({
      ...p,
      timeoutsMs: Object.fromEntries(TIMED_PHASES.map((phase) => [phase, ms])) as ProbePlan['timeoutsMs'],
    }));
  }
  if (selection.repeat !== undefined) {
    const n = Number(selection.repeat);
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw new UsageError(`--repeat ${selection.repeat} is not a whole number from 1 to 10000`);
    chosen = chosen.map((p) => ({ ...p, repeat: n }));
  }
  return chosen;
}

/** Parses --concurrency. */
export function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`--concurrency ${text} is not a whole number from 1 to 1000`);
  return n;
}
