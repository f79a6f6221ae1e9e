import { createHash } from 'node:crypto';

/**
 * A single search-friendly word for an alert's fingerprint (`fwfp` + 24 hex digits). Raw
 * fingerprints contain punctuation that GitHub search splits into words; this token is found
 * whole by `in:body "fwfp…"`. Scoped by source so two tools' fingerprints never collide.
 */
export function fingerprintToken(source: string, fingerprint: string): string {
  return `fwfp${createHash('sha256').update(`${source}\u0000${fingerprint}`).digest('hex').slice(0, 24)}`;
}

/** The search token of an Alertmanager group (`fwgk` + 24 hex digits): one incident per group while it is open. */
export function groupToken(source: string, groupKey: string): string {
  return `fwgk${createHash('sha256').update(`${source}\u0000group\u0000${groupKey}`).digest('hex').slice(0, 24)}`;
}

/**
 * The visible footer line carrying the search tokens. GitHub search may skip text inside HTML
 * comments, so the tokens in the hidden state block alone could not be found after a restart.
 */
export function searchTokensLine(tokens: readonly string[]): string {
  return tokens.length ? `<sub>firewatch fingerprint: ${tokens.join(' ')}</sub>` : '';
}
