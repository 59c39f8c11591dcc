// HTTP basic auth against the web config's bcrypt hashes, the way exporter-toolkit checks them (web/handler.go):
// an unknown user still costs a bcrypt comparison (against a dummy hash), so timing does not say which users exist,
// and results are cached, because bcrypt per scrape would cost tens of ms of CPU. The cache key is a SHA-256 of
// user, password and hash, so no password is kept in memory; the cache is bounded.
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Secret } from '../scenario/secret.js';

/** The toolkit's own dummy hash (of a random password), compared against when the user is unknown. */
const DUMMY_HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
/** Cached outcomes; beyond this the oldest is forgotten. */
const CACHE_SIZE = 100;
/** Longest Authorization header read: a basic credential is a few dozen bytes. */
const MAX_HEADER_LENGTH = 4096;

export class BasicAuth {
  readonly #users: ReadonlyMap<string, Secret<string>>;
  readonly #cache = new Map<string, boolean>();

  constructor(users: ReadonlyMap<string, Secret<string>>) {
    this.#users = users;
  }

  /** Whether basic auth is on (the web config lists users). */
  get enabled(): boolean {
    return this.#users.size > 0;
  }

  /** Whether the Authorization header names a listed user with the right password. */
  async check(header: string | undefined): Promise<boolean> {
    if (!this.enabled) return true;
    if (!header || header.length > MAX_HEADER_LENGTH) return false;
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const stored = this.#users.get(user);
    const hash = stored?.reveal() ?? DUMMY_HASH;
    const key = createHash('sha256')
      .update(user)
      .update('\0')
      .update(password)
      .update('\0')
      .update(hash)
      .digest('hex');
    let ok = this.#cache.get(key);
    if (ok === undefined) {
      ok = (await bcrypt.compare(password, hash)) && stored !== undefined;
      if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(key, ok);
    }
    return ok;
  }
}
