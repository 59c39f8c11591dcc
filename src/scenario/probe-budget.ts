// How many probes a run may hold, counted across all its files before any matrix is expanded. Kept free of heavy
// imports: the CLI reads the default for its `--help` text at start-up.

/** Probes (expanded scenarios × repeat) a run may hold across all its files, unless `--max-probes` says otherwise. */
export const DEFAULT_MAX_PROBES = 100_000;

/** The probe count of a run, shared by every file it loads so that the limit holds for the run, not per file. */
export interface ProbeBudget {
  /** Most probes the run may hold. */
  maxProbes: number;
  /** Probes counted so far, in the files loaded before. */
  counted: number;
}
