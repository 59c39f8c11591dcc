// What the classifier may know besides the raw failure: the plan's relevant settings and what the probe saw.
import type { ProbePlan } from '../../scenario/plan.js';
import type { ProxySetting } from '../../scenario/proxy-setting.js';
import type { FamilyAttempt, ServerDisconnect, TlsDetails, TlsHandshakeProgress } from '../result.js';
import type { CrossCheckAnswer, CrossCheckProtocol } from '../transport/cross-check-protocol.js';

/** Everything `diagnose` reads besides the failure itself; all plain data. */
export interface DiagnosisContext {
  plan: Pick<
    ProbePlan,
    | 'endpoint'
    | 'port'
    | 'servername'
    | 'alpn'
    | 'ca'
    | 'tls'
    | 'auth'
    | 'qos'
    | 'transport'
    | 'holdMs'
    | 'mqtt'
    | 'path'
    | 'payload'
  > & { proxy?: Pick<ProxySetting, 'display' | 'host' | 'port' | 'hasCredentials' | 'source'> };
  topic: string;
  clientId: string;
  /** True when the client ID was given (by the scenario or the caller), false when the probe generated it. */
  clientIdFixed: boolean;
  /** The DISCONNECT the server sent (MQTT 5), if one came. */
  serverDisconnect?: ServerDisconnect;
  /** The address TCP dialled, once DNS answered. */
  address?: string;
  /** When DNS gave both families and both failed: the other family's attempt (`address` is the lead's). */
  otherFamily?: FamilyAttempt;
  /** Set once the TLS handshake finished: an alert after that is a post-handshake (TLS 1.3) rejection. */
  tls?: TlsDetails;
  /** The first bytes the server sent on the MQTT connection. */
  firstBytes?: Buffer;
  /** How far the TLS handshake got, whether it finished or not. */
  tlsHandshake?: TlsHandshakeProgress;
  /** After a silent close: the other protocol spoken on a second connection, and whether the port answered it. */
  crossCheck?: { spoke: CrossCheckProtocol; answer: CrossCheckAnswer };
  /** How long the failed phase ran before failing, in ms. */
  failedAfterMs: number;
  /** How long `hold` lasted before the drop, in ms. */
  heldMs?: number;
}
