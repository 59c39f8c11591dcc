// A wrapper that keeps key material and passwords out of every output by construction.
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** Holds a secret value; printing, logging or JSON-encoding it shows `[redacted]`. Call `reveal()` at the point of use. */
export class Secret<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The real value; only the transport calls this, when it hands it to TLS or MQTT. */
  reveal(): T {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
