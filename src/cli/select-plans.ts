// Applies the command line's selection (--only, --tag) to loaded plans; the flags that change values (--timeout,
// --repeat) are overrides the loader applies (target-options.ts).

import type { ProbePlan } from '../scenario/plan.js';
import { UsageError } from './io.js';

export interface Selection {
  only?: string[];
  tag?: string[];
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

/** The plans the user asked for. */
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
  return chosen;
}

/** Parses --concurrency. */
export function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`--concurrency ${text} is not a whole number from 1 to 1000`);
  return n;
}
