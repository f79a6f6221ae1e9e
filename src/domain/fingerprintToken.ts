import { createHash } from 'node:crypto';

/**
 * A single search-friendly word for an alert's fingerprint (`fwfp` + 24 hex digits). Raw
 * fingerprints contain punctuation that GitHub search splits into words; this token is found
 * whole by `in:body "fwfp…"`. Scoped by source so two tools' fingerprints never collide.
 */
export function fingerprintToken(source: string, fingerprint: string): string {
  return `fwfp${createHash('sha256').update(`${source}\u0000${fingerprint}`).digest('hex').slice(0, 24)}`;
}
