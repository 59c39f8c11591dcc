// The one thing system-test helpers need from a test context: a place to register cleanup (scripts pass their own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A node:test TestContext satisfies this; scripts/accuracy.ts passes a list it runs in a `finally`. */
export interface Teardown {
  after(fn: () => unknown): void;
}

/** Collects cleanup functions and runs them last-in first-out, for code that runs outside node:test. */
export function teardownList(): Teardown & { run(): Promise<void> } {
  const fns: Array<() => unknown> = [];
  return {
    after: (fn) => {
      fns.push(fn);
    },
    run: async () => {
      for (const fn of fns.reverse()) await fn();
    },
  };
}

/** A private temporary folder removed at teardown. */
export function privateTempDir(teardown: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'mqttprobe-system-'));
  teardown.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
