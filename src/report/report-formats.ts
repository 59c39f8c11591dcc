// The output formats `--format` and `--report FORMAT=PATH` accept, and the renderer behind each.
import type { RunReport } from '../run/result.js';
import type { ReportFormat } from './format-names.js';
import { renderJson } from './json-report.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { plainStyle, type Style } from './style.js';
import { renderTable } from './table.js';

export { isReportFormat, REPORT_FORMATS, type ReportFormat } from './format-names.js';

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
        ...now,
      });
    case 'json':
      return renderJson(report, now);
    case 'junit':
      return renderJunit(report, { ...now, ...(options.hostname ? { hostname: options.hostname } : {}) });
    case 'markdown':
      return renderMarkdown(report, now);
  }
}
