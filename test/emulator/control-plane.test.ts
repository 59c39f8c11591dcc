import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator;
let iot: IoTClient;
before(async () => {
  emulator = await startEmulator({ hostname: 'abc123-ats.iot.emulator.test' });
  // Explicit test credentials: the SDK must not look at the machine's profile or any network.
  iot = new IoTClient({
    endpoint: emulator.controlPlaneUrl,
    region: emulator.credentials.sigv4.region,
    credentials: {
      accessKeyId: emulator.credentials.sigv4.accessKeyId,
      secretAccessKey: emulator.credentials.sigv4.secretAccessKey,
    },
    maxAttempts: 1,
  });
});
after(async () => {
  iot.destroy();
  await emulator.close();
});

test('DescribeEndpoint for iot:Data-ATS returns the emulator host name through the real SDK client', async () => {
  const answer = await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
  assert.equal(answer.endpointAddress, 'abc123-ats.iot.emulator.test');
});

test('DescribeEndpoint with an unknown endpoint type fails with InvalidRequestException', async () => {
  await assert.rejects(iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Nonsense' })), {
    name: 'InvalidRequestException',
  });
});
