// The names `--format` and `--report FORMAT=PATH` accept: a list light enough to check before any renderer loads.

export const REPORT_FORMATS = ['table', 'json', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** True for a name `--format`/`--report` accepts. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}
