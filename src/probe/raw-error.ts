// Reads the generic fields of a thrown value (name, code, errno, syscall, reason) into plain data.
import type { RawCause } from './diagnosis.js';

function field(error: object, key: string): unknown {
  return (error as Record<string, unknown>)[key];
}

/** A thrown value as plain, serialisable data; non-errors become their string form. */
export function toRawCause(error: unknown): RawCause {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const message = field(error, 'message');
  const cause: RawCause = { message: typeof message === 'string' ? message : String(error) };
  const name = field(error, 'name');
  if (typeof name === 'string') cause.name = name;
  const code = field(error, 'code');
  // MQTT.js puts numeric MQTT reason codes in `code`; Node and OpenSSL use strings.
  if (typeof code === 'string') cause.code = code;
  if (typeof code === 'number') cause.reasonCode = code;
  const errno = field(error, 'errno');
  if (typeof errno === 'number') cause.errno = errno;
  const syscall = field(error, 'syscall');
  if (typeof syscall === 'string') cause.syscall = syscall;
  const reason = field(error, 'reason');
  if (typeof reason === 'string') cause.reason = reason;
  return cause;
}
