// Matching for the emulator's allow-lists: MQTT topic filters and `*`/`?` client ID patterns.

/** True when `topic` matches the MQTT topic filter `filter` (`+` one level, `#` the rest), MQTT 3.1.1 §4.7. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when every topic that `requested` matches is also matched by `allowed` (both MQTT topic filters). */
export function filterCovers(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    const level = a[i];
    if (level === '#') return true;
    const wanted = r[i];
    if (wanted === undefined || wanted === '#') return false;
    if (level === '+') continue;
    if (wanted === '+' || wanted !== level) return false;
  }
  return a.length === r.length;
}

/** True when `pattern` (with `*` for any run and `?` for one character) matches `value` entirely. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** True when an allow-list permits `value`; an absent list permits everything. */
export function allowedBy(
  list: string[] | undefined,
  value: string,
  match: (p: string, v: string) => boolean,
) {
  return list === undefined || list.some((pattern) => match(pattern, value));
}
