// Preloaded with `node --import`: records every module the process loads (ESM through a load hook, CommonJS from
// require.cache at exit) into $BENCH_MODULE_LOG, one file URL or path a line.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.BENCH_MODULE_LOG;
if (file) {
  register('./module-log-hooks.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const paths = Object.keys(require.cache);
    if (paths.length > 0) appendFileSync(file, `${paths.join('\n')}\n`);
  });
}
