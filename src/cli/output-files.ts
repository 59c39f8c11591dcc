// Files a command writes (reports, the GitHub job summary, `check --save`, `init --output`): checked before the
// first probe, never written onto an input, and written to a temporary file then renamed, so a reader never sees
// half a report and a symlink at the path is replaced rather than followed.
import {
  accessSync,
  appendFileSync,
  constants,
  lstatSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProbePlan } from '../scenario/plan.js';
import { UsageError } from './io.js';

/** A file a command will write; `label` names where the path came from, as the user typed it (`--report json`). */
export interface OutputTarget {
  path: string;
  label: string;
  /** `append` adds to the file (the job summary); `replace` writes a new file in its place. */
  mode?: 'append' | 'replace';
}

/** The files a run reads: its scenario files, certificates, keys and CA bundles. */
export function inputFilesOf(plans: readonly ProbePlan[]): string[] {
  const files = new Set<string>();
  for (const plan of plans) {
    files.add(plan.file);
    if (plan.ca) files.add(plan.ca.path);
    if (plan.auth.type === 'x509') {
      files.add(plan.auth.cert.path);
      files.add(plan.auth.key.path);
    }
  }
  return [...files];
}

function statOrUndefined(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    // Absent (or unreadable): it is then not an input we would overwrite, and the folder check decides.
    return undefined;
  }
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * Checks that every target can be written, before anything runs, so a typo costs seconds, not a whole run: its
 * folder exists and is writable, it is not a folder, not an input file, and not named twice. Throws a UsageError.
 */
export function checkOutputPaths(targets: readonly OutputTarget[], inputs: readonly string[]): void {
  const inputStats = inputs.map((f) => [f, statOrUndefined(f, true)] as const);
  const seen = new Map<string, string>();
  for (const target of targets) {
    const path = resolve(target.path);
    const where = `${target.label} ${target.path}`;
    const earlier = seen.get(path);
    if (earlier)
      throw new UsageError(`${where}: ${earlier} writes there already`, 'give each output its own file');
    seen.set(path, target.label);
    const self = statOrUndefined(path, true);
    if (self?.isDirectory()) throw new UsageError(`${where} is a folder`, 'give a file name inside it');
    const input = self && inputStats.find(([, s]) => s && s.dev === self.dev && s.ino === self.ino)?.[0];
    if (input)
      throw new UsageError(
        `${where} is an input of this run (${input})`,
        'write the report elsewhere; mqttprobe never overwrites what it reads',
      );
    if (target.mode === 'append' && self) {
      try {
        accessSync(path, constants.W_OK);
      } catch (error) {
        throw new UsageError(`cannot write ${where} (${errnoOf(error)})`, 'check that the file is writable');
      }
      continue;
    }
    const folder = dirname(path);
    const dir = statOrUndefined(folder, true);
    if (!dir)
      throw new UsageError(`cannot write ${where}: folder ${folder} does not exist`, 'create it first');
    if (!dir.isDirectory())
      throw new UsageError(`cannot write ${where}: ${folder} is not a folder`, 'choose another path');
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new UsageError(
        `cannot write ${where}: folder ${folder} is not writable (${errnoOf(error)})`,
        'choose a folder you can write to',
      );
    }
  }
}

/**
 * Writes `text` to a temporary file beside `path`, then renames it onto `path`: readers see the old file or the
 * whole new one, and a symlink at `path` is replaced, not followed. Throws a UsageError naming the target.
 */
export function writeFileAtomically(target: OutputTarget, text: string): void {
  const path = resolve(target.path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    // `wx`: never through a file or link someone placed at the temporary name.
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(
      `cannot write ${target.label} ${target.path} (${errnoOf(error)})`,
      'check that the folder exists and is writable',
    );
  }
}

/** Appends `text` to a file that others write too (GitHub's job summary); throws a UsageError naming it. */
export function appendToFile(target: OutputTarget, text: string): void {
  try {
    appendFileSync(resolve(target.path), text);
  } catch (error) {
    throw new UsageError(
      `cannot write ${target.label} ${target.path} (${errnoOf(error)})`,
      'check that the file is writable',
    );
  }
}

/** The exit code when the run finished but a report could not be written: 2 for a run that passed, else its own. */
export function reportFailedExit(verdict: number): number {
  return verdict === 0 ? 2 : verdict;
}
