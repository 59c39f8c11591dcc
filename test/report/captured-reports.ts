// The captured runs (scripts/capture-report.ts) the renderer tests read, and a hostile copy of one.
import { readFileSync } from 'node:fs';
import type { RunReport } from '../../src/run/result.js';

/** `mixed`: every verdict shape; `demo`: scenarios/demo.yaml; `repeat`: a port matrix with repeats. */
export type CapturedRun = 'mixed' | 'demo' | 'repeat';

/** A fresh copy of a captured report, so a test may change it. */
export function capturedReport(name: CapturedRun): RunReport {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/reports/${name}-run.json`, import.meta.url), 'utf8'),
  ) as RunReport;
}

/** A scenario name with everything that breaks naive output: markup of every format, controls, bidi, non-BMP. */
export const HOSTILE_NAME =
  'a|b <&> "q" \'s\' *em* _u_ `c` [l](x) ]]> --> \u0007\u001b[2J\u001b[31m \t tab\r\nline 😀 𝄞 \u0000nul \u0085 \u202edesrever\u202c \u2066iso\u2069';

/** The mixed run with every scenario renamed after HOSTILE_NAME, in a file with a hostile path too. */
export function hostileReport(): RunReport {
  const report = capturedReport('mixed');
  report.scenarios.forEach((o, i) => {
    o.plan.id = `${HOSTILE_NAME} #${i}`;
    o.plan.name = HOSTILE_NAME;
    o.plan.file = `dir <&>/${HOSTILE_NAME}.yaml`;
  });
  return report;
}

/** The width of the widest line, counted in code points as a terminal of ordinary characters shows them. */
export function widestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}
