// The scenario files the benchmark runs, as YAML text pointing at the bench broker and its certificates.

/** Where the probes go: the broker address and the folder with ca.pem, client.pem and client-key.pem. */
export interface ScenarioTarget {
  host: string;
  port: number;
  dir: string;
}

function header({ host, port, dir }: ScenarioTarget, timeout = '5s'): string[] {
  return [
    'version: 1',
    'defaults:',
    `  endpoint: ${host}`,
    `  port: ${port}`,
    `  ca: ${dir}/ca.pem`,
    `  auth: { type: x509, cert: ${dir}/client.pem, key: ${dir}/client-key.pem }`,
    `  timeout: ${timeout}`,
    '  qos: 1',
    'scenarios:',
  ];
}

/** One scenario that stops after CONNACK. */
export function connectOnlyScenario(target: ScenarioTarget): string {
  return [...header(target), '  - name: connect only', '    steps: [connect]', ''].join('\n');
}

/** connect → subscribe → publish → receive at QoS 1, `repeat` times. */
export function roundTripScenario(target: ScenarioTarget & { repeat?: number }): string {
  return [...header(target), '  - name: round trip', `    repeat: ${target.repeat ?? 1}`, ''].join('\n');
}

/** 16 scenarios, every other one to the blackholed port and expected to end in tcp.timeout. */
export function timeoutBoundScenarios(
  target: ScenarioTarget & { blackholePort: number; timeout: string },
): string {
  const lines = header(target, target.timeout);
  for (let i = 0; i < 16; i++) {
    if (i % 2 === 0) lines.push(`  - name: reachable ${i / 2 + 1}`);
    else
      lines.push(
        `  - name: blackholed ${(i + 1) / 2}`,
        `    port: ${target.blackholePort}`,
        '    expect: tcp.timeout',
      );
  }
  return `${lines.join('\n')}\n`;
}

/** One scenario to the blackholed port and one that works, each `repeat` times: the cold probe must hold up neither. */
export function timeoutRepeatScenarios(
  target: ScenarioTarget & { blackholePort: number; timeout: string; repeat: number },
): string {
  return [
    ...header(target, target.timeout),
    `  - name: blackholed`,
    `    port: ${target.blackholePort}`,
    '    expect: tcp.timeout',
    `    repeat: ${target.repeat}`,
    '  - name: reachable',
    `    repeat: ${target.repeat}`,
    '',
  ].join('\n');
}
