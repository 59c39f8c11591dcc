// MQTT reason codes shared by the probe's diagnosis and the emulator, which both translate MQTT 3.1.1 answers.

// MQTT 3.1.1 CONNACK return codes (§3.2.2.3) as the MQTT 5 reason codes of the same meaning (MQTT 5 §3.2.2.2).
const V3_CONNACK_AS_V5: Record<number, number> = { 0: 0x00, 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 };

/** An MQTT 3.1.1 CONNACK return code as its MQTT 5 equivalent; 0x80 (unspecified) for a code 3.1.1 does not have. */
export function v3ConnackAsV5(returnCode: number): number {
  return V3_CONNACK_AS_V5[returnCode] ?? 0x80;
}
