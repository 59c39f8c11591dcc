// Every output mqttprobe renders, by name: the one place a format or a view is added (as knip's
// src/reporters/index.ts). `--format`, `--report FORMAT=PATH`, the view flags, their help and their errors all
// read this map. It is light on purpose: each renderer loads only when asked for, so `--help` lists names for free.
import type { RunReport } from '../run/result.js';
import type { Style } from './style.js';

/** What a renderer may be given; each reads the options it knows and ignores the rest. */
export interface OutputOptions {
  /** Colour for the terminal layouts; the machine formats ignore it (default: none). */
  style?: Style;
  /** Width for the terminal layouts, in columns (default 100). */
  width?: number;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
  /** The host name JUnit suites carry (default `localhost`) and the HTML page names (default: none). */
  hostname?: string;
  /** What ran the probes, for the HTML page's footer (default: not said). */
  about?: { mqttprobeVersion?: string; nodeVersion?: string };
}

/** A pure renderer: the run as text (a promise of it where the library that builds it is asynchronous: prom-client). */
export type Renderer = (report: RunReport, options?: OutputOptions) => string | Promise<string>;

/** A renderer once loaded, and for a view the terminal may pick by itself, when it suits the report. */
export interface LoadedOutput {
  render: Renderer;
  suits?: (report: RunReport) => boolean;
}

/** A name `--format` and `--report FORMAT=PATH` accept: a file or stdout in that format. */
interface FormatEntry {
  kind: 'format';
  load(): Promise<LoadedOutput>;
}

/** Another layout of the `table` format on the terminal, asked for with `--NAME` (and `short`, if any). */
interface ViewEntry {
  kind: 'view';
  /** A one-letter alias such as `-v`. */
  short?: `-${string}`;
  /** The help of `--NAME`. */
  help: string;
  /** For a view the terminal picks by itself where it `suits` the report: the help of `--no-NAME`, the opt-out. */
  optOutHelp?: string;
  load(): Promise<LoadedOutput>;
}

/**
 * Formats first, in the order help lists them; then views, from the least to the most detailed: asked for
 * together, the more detailed one wins.
 */
export const OUTPUTS = {
  table: { kind: 'format', load: async () => ({ render: (await import('./table.js')).renderTable }) },
  json: { kind: 'format', load: async () => ({ render: (await import('./json-report.js')).renderJson }) },
  junit: { kind: 'format', load: async () => ({ render: (await import('./junit.js')).renderJunit }) },
  markdown: {
    kind: 'format',
    load: async () => ({ render: (await import('./markdown.js')).renderMarkdown }),
  },
  openmetrics: {
    kind: 'format',
    load: async () => ({ render: (await import('./openmetrics.js')).renderOpenMetrics }),
  },
  html: { kind: 'format', load: async () => ({ render: (await import('./html/page.js')).renderHtml }) },
  compare: {
    kind: 'view',
    help: 'side by side: one column per scenario, one row per phase (the default when scenarios differ only in port, ALPN, transport or QoS)',
    optOutHelp: 'one row per scenario, even where side by side would be the default',
    load: async () => {
      const { renderCompare, shouldCompare } = await import('./compare-table.js');
      return { render: renderCompare, suits: shouldCompare };
    },
  },
  waterfall: {
    kind: 'view',
    short: '-v',
    help: 'a timing waterfall per scenario, with TLS and certificate details',
    load: async () => ({ render: (await import('./waterfall.js')).renderWaterfall }),
  },
} as const satisfies Record<string, FormatEntry | ViewEntry>;

export type OutputName = keyof typeof OUTPUTS;
type NamesOf<K extends 'format' | 'view'> = {
  [N in OutputName]: (typeof OUTPUTS)[N]['kind'] extends K ? N : never;
}[OutputName];
export type ReportFormat = NamesOf<'format'>;
export type ViewName = NamesOf<'view'>;

const NAMES = Object.keys(OUTPUTS) as OutputName[];

/** The names `--format` and `--report` accept, in help order. */
export const REPORT_FORMATS = NAMES.filter((n) => OUTPUTS[n].kind === 'format') as ReportFormat[];

/** The terminal layouts besides the table, from the least to the most detailed. */
export const VIEWS = NAMES.filter((n) => OUTPUTS[n].kind === 'view') as ViewName[];

/** True for a name `--format`/`--report` accepts. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** The registry entry of a view, with its optional fields visible whichever view it is. */
export function viewEntry(name: ViewName): ViewEntry {
  return OUTPUTS[name];
}
