// `mqttprobe init`: writes a starter scenario file from what it finds here: AWS-console certificate files and,
// with AWS credentials, the account's endpoint. It asks only on a terminal; elsewhere flags decide.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { printable } from '../report/printable-text.js';
import { portComparisonYaml } from '../scenario/port-comparison-yaml.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import { checkOutputPaths, writeFileAtomically } from './output-files.js';

interface InitFlags {
  endpoint?: string;
  cert?: string;
  key?: string;
  ca?: string;
  output: string;
  force?: boolean;
}

const SCHEMA_URL = pathToFileURL(new URL('../../schema/scenario.schema.json', import.meta.url).pathname).href;

const CERT_SUFFIX = '-certificate.pem.crt';
const KEY_SUFFIX = '-private.pem.key';

/**
 * The files the AWS console downloads for a thing (`ID-certificate.pem.crt`, `ID-private.pem.key`,
 * `AmazonRootCA1.pem`): every candidate, so that a choice between two devices is never made silently.
 */
export function findAwsConsoleFiles(dir: string): { certs: string[]; keys: string[]; ca?: string } {
  // Regular files only (symbolic links followed): a folder or a FIFO named like a certificate would fail at `run`.
  const names = readdirSync(dir)
    .filter((name) => isRegularFile(join(dir, name)))
    .sort();
  const named = names.filter((n) => n.endsWith(CERT_SUFFIX));
  const certs = named.length > 0 ? named : names.filter((n) => n.endsWith('.pem.crt'));
  const keys = names.filter((n) => n.endsWith(KEY_SUFFIX));
  const ca = names.find((n) => n === 'AmazonRootCA1.pem');
  return { certs, keys, ...(ca ? { ca } : {}) };
}

/** The one candidate, none, or a usage error naming them all: two certificates are two devices to choose from. */
function onlyOne(candidates: string[], what: string, flag: string): string | undefined {
  if (candidates.length <= 1) return candidates[0];
  throw new UsageError(
    `found ${candidates.length} ${what}s here (${candidates.join(', ')}) and cannot tell which to use`,
    `choose one with ${flag} FILE`,
  );
}

/** The key downloaded with `cert` (same ID), else the only key here. */
function keyFor(cert: string | undefined, keys: string[]): string | undefined {
  const id =
    cert && basename(cert).endsWith(CERT_SUFFIX) ? basename(cert).slice(0, -CERT_SUFFIX.length) : undefined;
  const sameId = id === undefined ? undefined : keys.find((k) => k === `${id}${KEY_SUFFIX}`);
  return sameId ?? onlyOne(keys, 'private key', '--key');
}

/** Which flag (or search) gave each file the written scenario names, by its key path there. */
const FILE_KEYS = { 'defaults.auth.cert': 'cert', 'defaults.auth.key': 'key', 'defaults.ca': 'ca' } as const;

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // A dangling link or a file removed meanwhile: not a candidate.
    return false;
  }
}

function hasAwsCredentials(env: CliIo['env']): boolean {
  return Boolean((env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) || env.AWS_PROFILE);
}

/** The account's endpoint when credentials are at hand; a note on stderr and `aws` (looked up at run time) otherwise. */
async function guessEndpoint(io: CliIo): Promise<string> {
  if (!hasAwsCredentials(io.env)) return 'aws';
  const { describeEndpoint } = await import('../run/describe-endpoint.js');
  try {
    return await describeEndpoint({});
  } catch (error) {
    io.stderr.write(
      io.style.stderr.yellow(
        `DescribeEndpoint failed (${printable((error as Error).message)}); writing endpoint: aws\n`,
      ),
    );
    return 'aws';
  }
}

async function ask(question: string, fallback: string | undefined): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
    return answer || fallback;
  } finally {
    rl.close();
  }
}

export function registerInit(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('write a starter scenario file (the standard port comparison) for your endpoint and device')
    .option(
      '--endpoint <host>',
      'data endpoint (default: from DescribeEndpoint when AWS credentials are present)',
    )
    .option('--cert <file>', 'device certificate (default: a *-certificate.pem.crt here)')
    .option('--key <file>', 'private key (default: a *-private.pem.key here)')
    .option('--ca <file>', 'CA bundle (default: AmazonRootCA1.pem here, else Amazon’s roots)')
    .option('-o, --output <file>', 'where to write', 'mqttprobe.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .action(async (flags: InitFlags) => {
      const cwd = process.cwd();
      const output = resolve(cwd, flags.output);
      if (existsSync(output) && !isRegularFile(output)) {
        // Writing into a FIFO would wait for a reader forever; into a device or folder, fail or vanish.
        throw new UsageError(`${flags.output} is not a regular file`, 'choose another --output');
      }
      if (existsSync(output) && !flags.force) {
        throw new UsageError(
          `${flags.output} exists already`,
          'choose another --output, or add --force to overwrite it',
        );
      }
      // Checked before any question or DescribeEndpoint call, so a missing folder costs nothing.
      const target = { path: output, label: '--output' };
      checkOutputPaths([target], []);
      const found = findAwsConsoleFiles(cwd);
      const interactive = process.stdin.isTTY && io.stderr.isTTY;
      // Several candidates: a person is asked (with no default), a script is told to choose.
      const guess = <T>(pick: () => T): T | undefined => {
        try {
          return pick();
        } catch (error) {
          if (interactive && error instanceof UsageError) return undefined;
          throw error;
        }
      };
      let endpoint = flags.endpoint ?? (await guessEndpoint(io));
      let cert = flags.cert ?? guess(() => onlyOne(found.certs, 'device certificate', '--cert'));
      let key = flags.key ?? guess(() => keyFor(cert, found.keys));
      // Questions only for a person at a terminal; a script gets exactly what its flags say.
      if (interactive) {
        const among = (names: string[]) => (names.length > 1 ? ` (found: ${names.join(', ')})` : '');
        endpoint =
          (await ask('AWS IoT data endpoint (or `aws` to look it up at run time)', endpoint)) ?? endpoint;
        cert = await ask(`device certificate file${among(found.certs)}`, cert);
        key = await ask(
          `private key file${among(found.keys)}`,
          flags.key ?? guess(() => keyFor(cert, found.keys)),
        );
      }
      // A certificate given without its key (or the other way round) would silently leave `auth` out.
      if (
        (flags.cert !== undefined || flags.key !== undefined) &&
        (cert === undefined) !== (key === undefined)
      ) {
        throw new UsageError(
          cert === undefined
            ? `no device certificate here for --key ${flags.key}`
            : `no private key here for ${cert}`,
          'give both: --cert FILE --key FILE',
        );
      }
      const ca = flags.ca ?? found.ca;
      // The file resolves paths against its own folder, wherever it is written.
      const fromFile = (path: string) => relative(dirname(output), resolve(cwd, path)) || '.';
      const yaml = portComparisonYaml({
        endpoint,
        ...(cert && key ? { cert: fromFile(cert), key: fromFile(key) } : {}),
        ...(ca ? { ca: fromFile(ca) } : {}),
        origin: `Written by \`mqttprobe init\`. Paths are relative to this file's folder; every key is in docs/scenario-format.md.`,
        schemaUrl: SCHEMA_URL,
      });
      // The same checks `run` makes (files present, PEM, key fits certificate, not expired), before anything is written.
      const { loadScenarioText } = await import('../scenario/load-scenario-file.js');
      const problems = loadScenarioText(output, yaml, { env: io.env }).errors;
      if (problems.length > 0) {
        const given = { cert, key, ca };
        const source = (path: string | undefined) => {
          const file = path && path in FILE_KEYS ? FILE_KEYS[path as keyof typeof FILE_KEYS] : undefined;
          if (!file) return 'the written file';
          return flags[file] !== undefined ? `--${file} ${flags[file]}` : `${given[file]} (found here)`;
        };
        throw new UsageError(
          problems.map((p) => `${source(p.path)}: ${p.message}`).join('\n  '),
          // The flags' paths start in the current folder, not in the scenario file's.
          problems[0]!.code === 'pem.not-found'
            ? 'check the path; it starts in the current folder'
            : (problems[0]!.hint ?? 'give the device certificate and key with --cert FILE --key FILE'),
        );
      }
      writeFileAtomically(target, yaml);
      const missing = !(cert && key)
        ? ' It names no device certificate yet: add `auth:` or pass --cert/--key to run.'
        : '';
      io.stderr.write(
        `wrote ${printable(flags.output)} (endpoint ${printable(endpoint)}${cert ? `, certificate ${printable(cert)}` : ''}).${missing}\n`,
      );
      io.stderr.write(`next: mqttprobe run ${printable(flags.output)}\n`);
      io.setExitCode(EXIT.ok);
    });
}
