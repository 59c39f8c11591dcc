// The server answered the WebSocket upgrade with something other than 101: the evidence, without secrets.

/** What the body or headers of a refused upgrade say about the cause, when they say anything. */
export type UpgradeRefusalHint = 'clock-skew' | 'signature';

/** A refused upgrade: status, the server's clock, and a hint read from the body (the body itself is not kept). */
export class WsUpgradeError extends Error {
  readonly statusCode: number;
  /** `HTTP/1.1 403 Forbidden`. */
  readonly statusLine: string;
  /** Server clock minus local clock at the answer, in ms, from the `Date` header (1 s resolution); absent without one. */
  readonly skewMs?: number;
  readonly hint?: UpgradeRefusalHint;
  constructor(options: {
    statusCode: number;
    statusLine: string;
    skewMs?: number;
    hint?: UpgradeRefusalHint;
  }) {
    super(`the WebSocket upgrade was answered ${options.statusLine}`);
    this.name = 'WsUpgradeError';
    this.statusCode = options.statusCode;
    this.statusLine = options.statusLine;
    if (options.skewMs !== undefined) this.skewMs = options.skewMs;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}
