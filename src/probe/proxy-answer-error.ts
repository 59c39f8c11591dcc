// The proxy answered, and the answer was no: an HTTP CONNECT status other than 2xx, or a SOCKS failure reply.

/** A negative answer from a proxy, as plain evidence (never the credentials that were sent). */
export class ProxyAnswerError extends Error {
  /** `http` for an HTTP CONNECT reply, `socks4`/`socks5` for a SOCKS reply. */
  readonly protocol: 'http' | 'socks4' | 'socks5';
  /** The HTTP status code (403, 407, 502, …); absent for SOCKS, whose reply codes are in `statusLine`. */
  readonly statusCode?: number;
  /** `HTTP/1.1 403 Forbidden`, or for SOCKS e.g. `SOCKS5 NotAllowed`. */
  readonly statusLine: string;
  /** True when the proxy wants (other) credentials: HTTP 407 (or 401), or a SOCKS authentication failure. */
  readonly authRequired: boolean;
  constructor(options: {
    protocol: 'http' | 'socks4' | 'socks5';
    statusCode?: number;
    statusLine: string;
    authRequired: boolean;
  }) {
    super(`the proxy answered ${options.statusLine}`);
    this.name = 'ProxyAnswerError';
    this.protocol = options.protocol;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    this.statusLine = options.statusLine;
    this.authRequired = options.authRequired;
  }
}
