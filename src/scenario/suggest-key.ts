// "Did you mean …?" for keys and values: offers a candidate only when it is a near match, as hurl does.
import leven from 'leven';

const normalize = (s: string) => s.toLowerCase().replace(/[-_\s.]/g, '');

/** The closest candidate to `given`, or undefined when nothing is close enough to be a likely typo. */
export function suggest(given: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(given);
  // Same word in another case or separator style: `client_id` → `clientId`.
  const sameWord = candidates.find((c) => normalize(c) === wanted);
  if (sameWord) return sameWord;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = leven(wanted, normalize(candidate));
    const allowed = candidate.length <= 3 ? 1 : Math.max(2, Math.floor(candidate.length / 3));
    if (distance <= allowed && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  if (best) return best.candidate;
  // A known key with extra words around it: `alpn_protocol` → `alpn`.
  return candidates
    .filter((c) => c.length >= 3 && wanted.startsWith(normalize(c)))
    .sort((a, b) => b.length - a.length)[0];
}
