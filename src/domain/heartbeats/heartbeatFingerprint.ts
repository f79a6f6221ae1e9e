import { createHash } from 'node:crypto';

/** The fingerprint of a heartbeat's alert: its name's, the same in every process. */
export function stableFingerprintOf(name: string): string {
  return createHash('sha256').update(`heartbeat\u0000${name}`).digest('hex').slice(0, 16);
}
