// Points a diagnosis at the line to edit: the span of the scenario key its registry entry names.
import type { DiagnosisCode } from '../probe/diagnosis/diagnosis.js';
import { DIAGNOSES } from '../probe/diagnosis/registry.js';
import type { PlanSummary } from '../run/result.js';
import type { SourceSpan } from '../scenario/plan.js';

/** The span of the key behind a diagnosis, falling back to the scenario itself. */
export function fixLocation(plan: PlanSummary, code: DiagnosisCode): SourceSpan {
  const key: string | undefined = DIAGNOSES[code].key;
  return (key && (plan.spans[key] ?? plan.spans[key.split('.')[0]!])) || plan.span;
}

/**
 * Where the fix goes, as text: `file:line:column` of the key, or for a plan no file holds (`check` without
 * `--save`) the command-line option that set the key.
 */
export function fixLocationText(plan: PlanSummary, code: DiagnosisCode): string {
  if (plan.fixOptions) {
    const key: string | undefined = DIAGNOSES[code].key;
    const top = key?.split('.')[0];
    return (
      (top !== undefined ? plan.fixOptions[top] : undefined) ?? plan.fixOptions['*'] ?? formatSpan(plan.span)
    );
  }
  return formatSpan(fixLocation(plan, code));
}

/** `file:line:column`. */
export function formatSpan(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.column}`;
}
