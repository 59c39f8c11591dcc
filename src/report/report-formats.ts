// The output formats `--format` and `--report FORMAT=PATH` accept, and the renderer behind each.
import type { RunReport } from '../run/result.js';
import { renderJson } from './json-report.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { plainStyle, type Style } from './style.js';
import { renderTable } from './table.js';

export const REPORT_FORMATS = ['table', 'json', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderReportOptions {
  /** Colour for `table`; the machine formats ignore it (default: none). */
  style?: Style;
  /** Width for `table`, in columns (default 100). */
  width?: number;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
  /** The host name JUnit suites carry (default `localhost`). */
  hostname?: string;
}

/** True for a name `--format`/`--report` accepts. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** Renders the report in one format: the single place that maps a format name to its renderer. */
export function renderReport(
  format: ReportFormat,
  report: RunReport,
  options: RenderReportOptions = {},
): string {
  const now = options.now ? { now: options.now } : {};
  switch (format) {
    case 'table':
      return renderTable(report, {
        style: options.style ?? plainStyle,
        ...(options.width ? { width: options.width } : {}),
      });
    case 'json':
      return renderJson(report, now);
    case 'junit':
      return renderJunit(report, { ...now, ...(options.hostname ? { hostname: options.hostname } : {}) });
    case 'markdown':
      return renderMarkdown(report, now);
  }
}
