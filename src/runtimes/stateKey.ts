import { createHmac } from 'node:crypto';
import { createStateSeal, type StateSeal } from '../domain/incident/stateSeal.ts';
import type { GitHubCredentials } from './env.ts';

/** The variable that holds the state key(s): comma-separated, the first signs, all verify (rotation). */
export const STATE_KEY_VARIABLE = 'FIREWATCH_STATE_KEY';
/** `reject` once every open incident has been written by a version that seals: unsealed blocks are then forged. */
const STATE_UNSEALED_VARIABLE = 'FIREWATCH_STATE_UNSEALED';

/** A key of its own derived from a secret firewatch already holds (every replica holds the same one). */
function derived(secret: string): string {
  return createHmac('sha256', secret).update('firewatch incident state seal v1').digest('hex');
}

/**
 * The key that seals incident state blocks: `FIREWATCH_STATE_KEY` when set, else derived from the
 * GitHub App's webhook secret (or, with a token, from the webhook secret or the token itself), so
 * a server seals with no extra setup and every replica of one app agrees. Without any of these
 * (the Action without a `state-key` input), blocks stay unsealed and only the edit guard protects them.
 */
export function stateSealFrom(env: NodeJS.ProcessEnv, credentials?: GitHubCredentials): StateSeal {
  const explicit = (env[STATE_KEY_VARIABLE] ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const secret = credentials?.webhookSecret ?? (credentials?.kind === 'token' ? credentials.token : undefined);
  const keys = explicit.length ? explicit : secret ? [derived(secret)] : [];
  return createStateSeal(keys, { acceptUnsealed: env[STATE_UNSEALED_VARIABLE]?.trim().toLowerCase() !== 'reject' });
}
