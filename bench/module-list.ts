// Which modules a command loads: runs it under bench/module-log.mjs and groups the files by package.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeOk } from './time-process.js';

/** Packages the start-up target says must not load on the light paths. */
export const HEAVY_PACKAGES = ['@aws-sdk/client-iot', 'aedes', '@peculiar/x509', 'ora'] as const;

/** Files loaded per package (`mqttprobe` for dist/, `node:` for built-ins). */
export interface ModuleList {
  total: number;
  byPackage: Map<string, number>;
}

const preload = new URL('./module-log.mjs', import.meta.url).href;

function packageOf(entry: string): string {
  if (entry.startsWith('node:')) return 'node:';
  const path = entry.startsWith('file://') ? new URL(entry).pathname : entry;
  const at = path.lastIndexOf('/node_modules/');
  if (at === -1) return path.includes('/dist/') ? 'mqttprobe' : path;
  const [scope = '', name = ''] = path.slice(at + '/node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

/** Runs `node args` with the module log preloaded and returns what loaded, each file counted once. */
export async function listModules(args: string[], expectCode = 0): Promise<ModuleList> {
  const file = join(tmpdir(), `mqttprobe-bench-modules-${process.pid}-${Date.now()}.log`);
  try {
    await timeOk(process.execPath, ['--import', preload, ...args], {
      env: { BENCH_MODULE_LOG: file },
      expectCode,
    });
    const entries = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (line.startsWith('file://') ? new URL(line).pathname : line)),
    );
    const byPackage = new Map<string, number>();
    for (const entry of entries) {
      if (entry.includes('/bench/module-log')) continue;
      const name = packageOf(entry);
      byPackage.set(name, (byPackage.get(name) ?? 0) + 1);
    }
    return { total: [...byPackage.values()].reduce((a, b) => a + b, 0), byPackage };
  } finally {
    rmSync(file, { force: true });
  }
}
