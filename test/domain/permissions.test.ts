import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/domain/commands/commands.ts';
import { atLeast, canRun, permissionFromApi, PERMISSION_LEVELS, requiredPermission } from '../../src/domain/commands/permissions.ts';

const help = COMMANDS.find((command) => command.name === 'help')!;
const writeOnly = { name: 'resolve', permission: 'write' as const };

describe('permissions', () => {
  it('are ordered none < read < triage < write < maintain < admin', () => {
    expect(PERMISSION_LEVELS).toEqual(['none', 'read', 'triage', 'write', 'maintain', 'admin']);
    expect(atLeast('maintain', 'write')).toBe(true);
    expect(atLeast('triage', 'write')).toBe(false);
  });

  it('let readers run /help and keep write commands from triagers', () => {
    expect(canRun('read', help)).toBe(true);
    expect(canRun('none', help)).toBe(false);
    expect(canRun('triage', writeOnly)).toBe(false);
    expect(canRun('admin', writeOnly)).toBe(true);
  });

  it('apply per-command overrides from config', () => {
    expect(requiredPermission(help, { help: 'triage' })).toBe('triage');
    expect(canRun('read', help, { help: 'triage' })).toBe(false);
    expect(canRun('read', writeOnly, { resolve: 'read' })).toBe(true);
  });

  it('fail closed on anything unknown', () => {
    expect(canRun('superuser', help)).toBe(false);
    expect(canRun(undefined, help)).toBe(false);
    expect(canRun('admin', undefined)).toBe(false);
    expect(canRun('admin', help, { help: 'god' as never })).toBe(false);
    expect(canRun('admin', help, { help: 'none' as never })).toBe(false);
  });

  it('read the real role from the collaborator API, falling back to the legacy field', () => {
    expect(permissionFromApi({ permission: 'read', role_name: 'triage' })).toBe('triage');
    expect(permissionFromApi({ permission: 'write', role_name: 'release-manager' })).toBe('write');
    expect(permissionFromApi({ permission: 'weird' })).toBe('none');
    expect(permissionFromApi({})).toBe('none');
  });
});
