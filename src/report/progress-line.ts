// One plain line per finished scenario, for logs and CI where a spinner would only litter the output.
import type { ScenarioOutcome } from '../run/result.js';
import { verdictWords } from './cells.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { plainStyle, type Style } from './style.js';

/** `[3/6] ✔ port 8883  pass  97ms` */
export function progressLine(
  outcome: ScenarioOutcome,
  done: number,
  total: number,
  style: Style = plainStyle,
): string {
  const { met, word } = verdictWords(outcome, 'full');
  const mark = met ? style.green('✔') : style.red('✖');
  const why =
    outcome.verdict === 'pass'
      ? ''
      : outcome.verdict === 'expected-failure'
        ? ` (${outcome.diagnosis?.code ?? 'failure'})`
        : ` (${outcome.diagnosis?.code ?? outcome.mismatch ?? 'failure'})`;
  return `[${done}/${total}] ${mark} ${printable(outcome.plan.id)}  ${printable(`${word}${why}`)}  ${style.dim(formatMs(outcome.representative.totalMs))}`;
}
