// Builds dist/: src/cli.ts and its light dependencies bundled by esbuild, with every dynamic import kept as a
// chunk loaded on demand. One file instead of dozens of modules is what brings `--version` near bare Node start-up
// (bench/run.ts measures it; docs/benchmarks.md has the numbers).
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const src = `${root}src/`;

// Loaded only by the commands and scenarios that need them, and heavy or built around their own files: they stay
// ordinary packages in node_modules, imported at run time exactly as before.
const external = ['@aws-sdk/*', 'aedes', '@peculiar/x509', 'reflect-metadata', 'ora'];

/**
 * Sources find their data files (package.json, schema/, scenarios/) relative to their own URL, as tsc laid them out
 * (dist/cli/demo.js for src/cli/demo.ts). Every bundle file sits directly in dist/, so `import.meta.url` is rewritten
 * to the URL the module would have had, and `new URL('../../schema/…', import.meta.url)` keeps working.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const asEmitted = `./${relative(src, args.path).replace(/\.ts$/, '.js')}`;
      const url = `new URL(${JSON.stringify(asEmitted)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  // The emulator's worker-thread entry sits where run/resolve-endpoints.ts looks for it: dist/emulator/.
  entryPoints: [
    { in: `${src}cli.ts`, out: 'cli' },
    { in: `${src}emulator/emulator-thread.ts`, out: 'emulator/emulator-thread' },
  ],
  outdir: `${root}dist`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS packages (mqtt, commander) call require() for Node built-ins; ESM has none of its own.
  banner: {
    js: "import { createRequire as __mqttprobeCreateRequire } from 'node:module'; const require = __mqttprobeCreateRequire(import.meta.url);",
  },
  plugins: [keepModuleUrls],
  logLevel: 'warning',
});
