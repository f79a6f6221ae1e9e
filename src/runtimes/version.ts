import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to `src/` (works from a checkout and from npm). */
export const VERSION: string = readVersion();

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // A bundle without package.json beside it still runs; it just cannot say which version it is.
  }
  return '0.0.0-unknown';
}
