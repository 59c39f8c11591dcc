// `mqttprobe init`: writes a starter scenario file from what it finds here: AWS-console certificate files and,
// with AWS credentials, the account's endpoint. It asks only on a terminal; elsewhere flags decide.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { portComparisonYaml } from '../scenario/port-comparison-yaml.js';
import { type CliIo, EXIT, UsageError } from './io.js';

interface InitFlags {
  endpoint?: string;
  cert?: string;
  key?: string;
  ca?: string;
  output: string;
  force?: boolean;
}

const SCHEMA_URL = pathToFileURL(new URL('../../schema/scenario.schema.json', import.meta.url).pathname).href;

/** The files the AWS console downloads for a thing: `…-certificate.pem.crt`, `…-private.pem.key`, `AmazonRootCA1.pem`. */
export function findAwsConsoleFiles(dir: string): { cert?: string; key?: string; ca?: string } {
  const names = readdirSync(dir).sort();
  const cert =
    names.find((n) => n.endsWith('-certificate.pem.crt')) ?? names.find((n) => n.endsWith('.pem.crt'));
  const key = names.find((n) => n.endsWith('-private.pem.key'));
  const ca = names.find((n) => n === 'AmazonRootCA1.pem');
  return { ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(ca ? { ca } : {}) };
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
        `DescribeEndpoint failed (${(error as Error).message}); writing endpoint: aws\n`,
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
      if (existsSync(output) && !flags.force) {
        throw new UsageError(
          `${flags.output} exists already`,
          'choose another --output, or add --force to overwrite it',
        );
      }
      const found = findAwsConsoleFiles(cwd);
      let endpoint = flags.endpoint ?? (await guessEndpoint(io));
      let cert = flags.cert ?? found.cert;
      let key = flags.key ?? found.key;
      // Questions only for a person at a terminal; a script gets exactly what its flags say.
      if (process.stdin.isTTY && io.stderr.isTTY) {
        endpoint =
          (await ask('AWS IoT data endpoint (or `aws` to look it up at run time)', endpoint)) ?? endpoint;
        cert = await ask('device certificate file', cert);
        key = await ask('private key file', key);
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
      writeFileSync(output, yaml);
      const missing = !(cert && key)
        ? ' It names no device certificate yet: add `auth:` or pass --cert/--key to run.'
        : '';
      io.stderr.write(
        `wrote ${flags.output} (endpoint ${endpoint}${cert ? `, certificate ${cert}` : ''}).${missing}\n`,
      );
      io.stderr.write(`next: mqttprobe run ${flags.output}\n`);
      io.setExitCode(EXIT.ok);
    });
}
