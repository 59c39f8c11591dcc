// What the phases have learned so far in one probe; filled in as they go so a failure keeps everything seen.
import type { ConnackDetails, ProxyDetails, TlsDetails, Warning, WebSocketDetails } from './result.js';

/** Mutable, per-probe record that phases write to; `runProbe` copies it into the ProbeResult at the end. */
export interface ProbeFacts {
  address?: string;
  family?: 4 | 6;
  proxy?: ProxyDetails;
  tls?: TlsDetails;
  ws?: WebSocketDetails;
  connack?: ConnackDetails;
  grantedQos?: number[];
  receivedQos?: 0 | 1 | 2;
  payloadBytes?: number;
  heldMs?: number;
  /** The first bytes the server sent on the MQTT connection (up to 64), to recognise an HTTP answer. */
  firstBytes?: Buffer;
  warnings: Warning[];
}
