// mqttprobe's own version, read once from the package.json it ships with (beside dist/, or the repository's).
import { readFileSync } from 'node:fs';

/** The `version` of package.json, as `--version` prints it and the HTML report's footer names it. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
