// Reads the SNI from a TLS ClientHello, before any TLS server sees it (RFC 8446 §4.1.2, RFC 6066 §3).

/** What the first bytes of a connection say about SNI: a name, none, or not enough bytes yet (or not TLS at all). */
export type ClientHelloSni =
  | { kind: 'name'; name: string }
  | { kind: 'none' }
  | { kind: 'incomplete' }
  | { kind: 'not-tls' };

const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME_EXTENSION = 0x0000;
const HOST_NAME = 0x00;

/** The SNI of the ClientHello at the start of `bytes` (one record; a ClientHello split over records reads as none). */
export function clientHelloSni(bytes: Buffer): ClientHelloSni {
  if (bytes.length < 5) return { kind: 'incomplete' };
  if (bytes[0] !== HANDSHAKE_RECORD || bytes[1] !== 0x03) return { kind: 'not-tls' };
  const recordLength = bytes.readUInt16BE(3);
  if (bytes.length < 5 + recordLength) return { kind: 'incomplete' };
  const hello = bytes.subarray(5, 5 + recordLength);
  if (hello[0] !== CLIENT_HELLO) return { kind: 'not-tls' };
  // type (1) + length (3) + legacy_version (2) + random (32)
  let at = 38;
  const skip = (lengthBytes: 1 | 2): boolean => {
    if (at + lengthBytes > hello.length) return false;
    at += lengthBytes + (lengthBytes === 1 ? hello[at]! : hello.readUInt16BE(at));
    return at <= hello.length;
  };
  // legacy_session_id, cipher_suites, legacy_compression_methods
  if (!skip(1) || !skip(2) || !skip(1) || at + 2 > hello.length) return { kind: 'none' };
  const end = Math.min(hello.length, at + 2 + hello.readUInt16BE(at));
  at += 2;
  while (at + 4 <= end) {
    const type = hello.readUInt16BE(at);
    const length = hello.readUInt16BE(at + 2);
    const body = hello.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    // server_name_list: length (2), then entries of name_type (1), length (2), name.
    if (type === SERVER_NAME_EXTENSION && body.length >= 5 && body[2] === HOST_NAME) {
      const nameLength = body.readUInt16BE(3);
      return { kind: 'name', name: body.subarray(5, 5 + nameLength).toString('latin1') };
    }
  }
  return { kind: 'none' };
}

/** A fatal `unrecognized_name` alert (112), as a TLS 1.2 record: what a server that requires SNI sends instead. */
export const UNRECOGNIZED_NAME_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70]);
