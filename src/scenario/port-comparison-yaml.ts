// Writes the standard port comparison as a scenario file: what `mqttprobe check --save` and `mqttprobe init` produce.

export interface PortComparisonSpec {
  /** A host, `aws` or `emulator`. */
  endpoint: string;
  /** Device certificate and key paths, as they should appear in the file. */
  cert?: string;
  key?: string;
  ca?: string;
  /** Add MQTT over WebSockets with SigV4 (when AWS credentials exist). */
  wss?: boolean;
  /** Also try each way through this proxy (URL as it should appear, e.g. `${HTTPS_PROXY}`). */
  proxy?: string;
  /** Also try each way over MQTT 5, beside MQTT 3.1.1. */
  mqtt5?: boolean;
  /** Probes per way, for p50 figures. */
  repeat?: number;
  /** A comment line for the top of the file. */
  origin: string;
  /**
   * What each scenario (by name) did when `check` ran it: `pass` or the failure code. Written as its `expect`, so
   * the saved file passes when run again on the same network; without it, every way expects `pass`.
   */
  observed?: ReadonlyMap<string, string>;
  /** Where editors find the JSON Schema (the installed package's schema/scenario.schema.json). */
  schemaUrl: string;
}

const quote = (value: string) => JSON.stringify(value);

/** The scenario file text; every way through is a scenario tagged `way`, so reports can rank them. */
export function portComparisonYaml(spec: PortComparisonSpec): string {
  const lines = [
    `# yaml-language-server: $schema=${spec.schemaUrl}`,
    `# ${spec.origin}`,
    '# Which ways into the endpoint work from this network? Run it with: mqttprobe run THIS-FILE',
    'version: 1',
    '',
    'defaults:',
    `  endpoint: ${quote(spec.endpoint)}`,
  ];
  if (spec.ca) lines.push(`  ca: ${quote(spec.ca)}`);
  if (spec.cert && spec.key) {
    lines.push('  auth:', '    type: x509', `    cert: ${quote(spec.cert)}`, `    key: ${quote(spec.key)}`);
  }
  lines.push('  timeout: 5s');
  if (spec.repeat && spec.repeat > 1) lines.push(`  repeat: ${spec.repeat}`);
  lines.push('', 'scenarios:');
  const ways: Array<{ name: string; body: string[] }> = [
    { name: '8883', body: ['port: 8883'] },
    { name: '443 alpn', body: ['port: 443', 'alpn: x-amzn-mqtt-ca'] },
  ];
  if (spec.wss)
    ways.push({ name: '443 wss', body: ['transport: wss', 'port: 443', 'auth: { type: sigv4 }'] });
  if (spec.mqtt5) {
    for (const way of [...ways]) {
      ways.push({ name: `${way.name} mqtt5`, body: [...way.body, 'mqtt: { version: 5 }'] });
    }
  }
  const expectOf = (name: string) => {
    const seen = spec.observed?.get(name);
    return seen && seen !== 'pass' ? [`expect: ${seen}`] : [];
  };
  const scenario = (name: string, tags: string, body: string[]) =>
    lines.push(
      `  - name: ${quote(name)}`,
      `    tags: ${tags}`,
      ...[...body, ...expectOf(name)].map((b) => `    ${b}`),
    );
  // Simplest first: every direct way (never through a proxy from the environment), then the same through the proxy.
  for (const way of ways) scenario(way.name, '[way]', [...way.body, 'proxy: none']);
  if (spec.proxy) {
    for (const way of ways)
      scenario(`${way.name} via proxy`, '[way, proxy]', [...way.body, `proxy: ${quote(spec.proxy)}`]);
  }
  if (isDefaultEndpoint(spec.endpoint)) {
    lines.push(
      "  # AWS IoT's default endpoint (and the emulator) speaks HTTPS on 443 without ALPN: MQTT must get an HTTP",
      '  # answer there. A custom domain (domain configuration) sets its own protocol, so this holds only here.',
    );
    const name = '443 no alpn';
    lines.push(
      `  - name: ${quote(name)}`,
      '    tags: [control]',
      '    port: 443',
      '    alpn: none',
      '    proxy: none',
      '    steps: [connect]',
      '    repeat: 1',
      `    expect: ${spec.observed?.get(name) ?? 'mqtt.http-response'}`,
    );
  } else {
    lines.push(
      '  # Not an AWS IoT default endpoint: what 443 without ALPN does is up to its configuration (a custom domain',
      '  # may serve MQTT there), so it is one more way, its result standing on its own.',
    );
    scenario('443 no alpn', '[way]', ['port: 443', 'alpn: none', 'proxy: none']);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Whether AWS IoT's default-endpoint rules apply (443 without ALPN is HTTPS): `aws` (DescribeEndpoint's
 * iot:Data-ATS endpoint), a `PREFIX-ats.iot.REGION.amazonaws.com` name, and the emulator that copies them. A
 * domain configuration (custom domain, configurable endpoint) replaces the port-and-ALPN rules.
 * https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html
 */
export function isDefaultEndpoint(endpoint: string): boolean {
  return (
    endpoint === 'aws' ||
    endpoint === 'emulator' ||
    /^[a-z0-9]+(-ats)?\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(endpoint)
  );
}
