/**
 * Repository permission levels as GitHub ranks them. Data, not scattered `if`s: every check
 * compares positions in this list.
 */
export const PERMISSION_LEVELS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** Levels a command can require (nobody needs a permission to have none). */
export const REQUIRABLE_LEVELS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RequirableLevel = (typeof REQUIRABLE_LEVELS)[number];

function isPermissionLevel(value: unknown): value is PermissionLevel {
  return typeof value === 'string' && (PERMISSION_LEVELS as readonly string[]).includes(value);
}

/** Position of a level; anything unknown ranks as `none`, so surprises fail closed. */
export function permissionRank(level: unknown): number {
  return isPermissionLevel(level) ? PERMISSION_LEVELS.indexOf(level) : 0;
}

export function atLeast(have: unknown, need: PermissionLevel): boolean {
  return permissionRank(have) >= permissionRank(need) && permissionRank(have) > 0;
}

/**
 * The level from GitHub's collaborator-permission response. `role_name` carries the real role
 * (triage, maintain); `permission` only the legacy four. Custom role names fall back to the legacy
 * field, and anything unrecognised is `none`.
 */
export function permissionFromApi(data: { permission?: unknown; role_name?: unknown }): PermissionLevel {
  if (isPermissionLevel(data.role_name)) return data.role_name;
  if (isPermissionLevel(data.permission)) return data.permission;
  return 'none';
}

export interface PermissionOverrides {
  [command: string]: RequirableLevel | undefined;
}

/** What a command needs: the configured override, else the command's own default. */
export function requiredPermission(command: { name: string; permission: RequirableLevel }, overrides: PermissionOverrides = {}): RequirableLevel {
  return overrides[command.name] ?? command.permission;
}

/**
 * Whether someone with `permission` may run `command`. Fails closed: an unknown permission, an
 * unknown command or an unrecognised override refuses.
 */
export function canRun(permission: unknown, command: { name: string; permission: RequirableLevel } | undefined, overrides: PermissionOverrides = {}): boolean {
  if (!command) return false;
  // Overrides come from a user's file; a value that slipped past validation must not grant access.
  const need: unknown = requiredPermission(command, overrides);
  if (!isPermissionLevel(need) || need === 'none') return false;
  return atLeast(permission, need);
}
