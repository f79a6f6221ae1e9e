/**
 * Global node IDs in GitHub's current style (`PR_kwDO…`, `C_kwDO…`): a type prefix and an opaque
 * suffix. They are stored on records and looked up by value, so only uniqueness matters.
 */
export function nodeId(prefix: string, key: string | number): string {
  return `${prefix}_kwDO${Buffer.from(String(key), 'utf8').toString('base64url')}`;
}
