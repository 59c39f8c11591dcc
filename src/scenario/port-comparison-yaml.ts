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
  /** Probes per way, for p50 figures. */
  repeat?: number;
  /** A comment line for the top of the file. */
  origin: string;
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
  for (const way of ways) {
    lines.push(`  - name: ${quote(way.name)}`, '    tags: [way]', ...way.body.map((b) => `    ${b}`));
    if (spec.proxy) {
      lines.push(
        `  - name: ${quote(`${way.name} via proxy`)}`,
        '    tags: [way, proxy]',
        ...way.body.map((b) => `    ${b}`),
      );
      lines.push(`    proxy: ${quote(spec.proxy)}`);
    }
  }
  lines.push(
    '  # Without ALPN, AWS IoT speaks HTTPS on 443: MQTT must get an HTTP answer there.',
    `  - name: ${quote('443 no alpn')}`,
    '    tags: [control]',
    '    port: 443',
    '    alpn: none',
    '    steps: [connect]',
    '    repeat: 1',
    '    expect: mqtt.http-response',
    '',
  );
  return lines.join('\n');
}
