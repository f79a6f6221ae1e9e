import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Proof that firewatch wrote an incident's state block. The block sits in the issue body, which
 * the author (and anyone with triage access) can edit; without a seal, whoever edits it
 * could set the status, the roles or a timeline entry in someone else's name. The seal is an
 * HMAC-SHA256 over the state's JSON and the repository it belongs to (so a block copied from
 * another repository's incident does not verify), with a key only firewatch holds.
 */
export interface StateSeal {
  /** Whether a key is configured. Without one, blocks are written unsealed and only `issues.edited` guards them. */
  readonly keyed: boolean;
  /**
   * Whether a block without a seal is read as written by an earlier version (migration). With
   * `FIREWATCH_STATE_UNSEALED=reject`, once every open incident has been rewritten, it is not.
   */
  readonly acceptUnsealed: boolean;
  /** The seal of `json` in `repo` (`owner/name`), or `undefined` without a key. */
  sign(repo: string, json: string): string | undefined;
  /** Whether `seal` is what the current key, or a previous one still listed, gives for `json` in `repo`. */
  verify(repo: string, json: string, seal: string): boolean;
}

/** Which seal and repository a state block is read or written with. */
export interface StateScope {
  seal: StateSeal;
  /** `owner/name`; compared case-insensitively, as GitHub does. */
  repo: string;
}

export function stateScope(seal: StateSeal, repo: { owner: string; repo: string }): StateScope {
  return { seal, repo: `${repo.owner}/${repo.repo}` };
}

const PREFIX = 'v1.';

function digest(key: string, repo: string, json: string): Buffer {
  return createHmac('sha256', key).update(`firewatch-state\n${repo.toLowerCase()}\n`).update(json).digest();
}

/**
 * A seal with `keys`: the first signs, every one verifies (so a key can be rotated: put the new
 * one first and keep the old one until every open incident has been written again).
 */
export function createStateSeal(keys: readonly string[], options: { acceptUnsealed?: boolean } = {}): StateSeal {
  const usable = keys.filter((key) => key.length > 0);
  const [signing] = usable;
  return {
    keyed: signing !== undefined,
    acceptUnsealed: options.acceptUnsealed ?? true,
    sign: (repo, json) => (signing === undefined ? undefined : PREFIX + digest(signing, repo, json).toString('base64url')),
    verify: (repo, json, seal) => {
      if (!seal.startsWith(PREFIX)) return false;
      const given = Buffer.from(seal.slice(PREFIX.length), 'base64url');
      return usable.some((key) => {
        const expected = digest(key, repo, json);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
  };
}

/** No key: nothing is sealed and every unsealed block is read as before. */
export const UNSEALED: StateSeal = createStateSeal([]);
