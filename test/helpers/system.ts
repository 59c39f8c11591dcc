// Tests that need root or Debian packages: skipped with a printed reason on a laptop, failed when CI requires them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { type TestContext, test } from 'node:test';

export interface SystemNeeds {
  /** Root, for network namespaces and iptables. */
  root?: boolean;
  /** Commands that must be on PATH (or absolute paths), e.g. `mosquitto`, `nginx`, `tinyproxy`, `ip`. */
  commands?: string[];
}

/** `MQTTPROBE_SYSTEM_TESTS=required` (set by .ci/run) turns every skip into a failure. */
export const systemTestsRequired = process.env.MQTTPROBE_SYSTEM_TESTS === 'required';

const found = new Map<string, boolean>();
function hasCommand(command: string): boolean {
  if (!found.has(command)) {
    try {
      execFileSync('sh', ['-c', `command -v "${command}"`], {
        stdio: 'ignore',
        env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
      });
      found.set(command, true);
    } catch {
      // `command -v` exits non-zero when the command is missing; that is the answer, not an error.
      found.set(command, false);
    }
  }
  return found.get(command)!;
}

/** What is missing for these needs, in words, or undefined when everything is there. */
export function missingSystemParts(needs: SystemNeeds): string | undefined {
  const missing: string[] = [];
  if (needs.root && process.getuid?.() !== 0) missing.push('root');
  for (const command of needs.commands ?? []) if (!hasCommand(command)) missing.push(`\`${command}\``);
  return missing.length > 0
    ? `needs ${missing.join(', ')} (run .ci/run, or apt-get install the package, as root)`
    : undefined;
}

/** Declares a test that needs system parts: skipped with the reason when they are missing, unless CI requires it. */
export function systemTest(
  name: string,
  needs: SystemNeeds,
  fn: (t: TestContext) => Promise<void> | void,
): void {
  const missing = missingSystemParts(needs);
  if (!missing) {
    test(name, fn);
  } else if (systemTestsRequired) {
    test(name, () => assert.fail(`MQTTPROBE_SYSTEM_TESTS=required, but this test ${missing}`));
  } else {
    console.log(`# skipped: ${name}: ${missing}`);
    test(name, { skip: missing }, fn);
  }
}
