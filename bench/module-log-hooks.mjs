// Module hooks (run in Node's loader thread) for module-log.mjs: logs each module URL as it loads.
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_MODULE_LOG;

/** Logs the URL, then loads the module unchanged. */
export async function load(url, context, nextLoad) {
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
