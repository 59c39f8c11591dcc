// Which modules a command loads: runs it under bench/module-log.mjs and groups the files by package.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeOk } from './time-process.js';

/** Packages the start-up target says must not load on the light paths. */
export const HEAVY_PACKAGES = ['@aws-sdk/client-iot', 'aedes', '@peculiar/x509', 'ora'] as const;

/**
 * Source modules loaded, per package (`mqttprobe` for src/, `node:` for built-ins). dist/ is a bundle, so each
 * loaded dist file is opened up through its source map: a package bundled into a chunk counts when the chunk loads.
 */
export interface ModuleList {
  /** Files the process actually loaded (dist chunks, external packages' files, built-ins). */
  files: number;
  /** Source modules, summed over byPackage. */
  total: number;
  byPackage: Map<string, number>;
}

const preload = new URL('./module-log.mjs', import.meta.url).href;

function packageOf(path: string): string {
  if (path.startsWith('node:')) return 'node:';
  const at = path.lastIndexOf('/node_modules/');
  if (at === -1) return path.includes('/src/') || path.includes('/dist/') ? 'mqttprobe' : path;
  const [scope = '', name = ''] = path.slice(at + '/node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

/** The source files inside a bundle file, from its source map; a file without one is its own source. */
function bundledSources(path: string): string[] {
  const map = `${path}.map`;
  if (!path.includes('/dist/') || !existsSync(map)) return [path];
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return sources.map((source) => new URL(source, `file://${path}`).pathname);
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
    let files = 0;
    for (const entry of entries) {
      if (entry.includes('/bench/module-log')) continue;
      files += 1;
      for (const source of bundledSources(entry)) {
        const name = packageOf(source);
        byPackage.set(name, (byPackage.get(name) ?? 0) + 1);
      }
    }
    return { files, total: [...byPackage.values()].reduce((a, b) => a + b, 0), byPackage };
  } finally {
    rmSync(file, { force: true });
  }
}
