import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfigText, validateConfig } from '../../src/domain/config/config.ts';
import { configJsonSchema, SCHEMA_FILE } from '../../scripts/write-schema.ts';

describe('validateConfig', () => {
  it('accepts an empty config and fills every default', () => {
    expect(validateConfig({})).toEqual({ config: DEFAULT_CONFIG, problems: [] });
    expect(DEFAULT_CONFIG).toMatchObject({
      timezone: 'UTC',
      incidents: { defaultSeverity: 'P3', assignees: [], labels: [] },
      commands: { permissions: {}, rateLimit: { max: 30, windowSeconds: 300 }, followupRepos: {} },
    });
  });

  it('accepts a full config', () => {
    const { config, problems } = validateConfig({
      timezone: 'Europe/Berlin',
      incidents: { repo: 'acme/incidents', defaultSeverity: 'P2', assignees: ['alice', 'bob'], labels: ['team:payments'] },
      commands: { permissions: { help: 'triage' } },
    });
    expect(problems).toEqual([]);
    expect(config.incidents.repo).toBe('acme/incidents');
    expect(config.commands.permissions).toEqual({ help: 'triage' });
  });

  it('reports typos with their path and a suggestion', () => {
    const { problems } = validateConfig({ incidents: { asignees: ['bob'] }, timezon: 'UTC' });
    expect(problems).toEqual([
      { path: 'incidents.asignees', message: 'unknown key "asignees" (did you mean "assignees"?)' },
      { path: 'timezon', message: 'unknown key "timezon" (did you mean "timezone"?)' },
    ]);
  });

  it('reports wrong values and keeps the valid rest', () => {
    const { config, problems } = validateConfig({
      timezone: 'Mars/Olympus',
      incidents: { defaultSeverity: 'P9', assignees: ['alice', '@bob'], labels: ['ok'] },
      commands: { permissions: { help: 'root', teleport: 'write' } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin or America/New_York' },
        { path: 'incidents.defaultSeverity', message: 'must be one of P1, P2, P3, P4, P5' },
        { path: 'incidents.assignees[1]', message: 'must be a GitHub login such as octocat (without @)' },
        { path: 'commands.permissions.help', message: 'must be one of read, triage, write, maintain, admin' },
      ]),
    );
    expect(problems.some((p) => p.path.startsWith('commands.permissions') && /teleport/.test(p.path + p.message))).toBe(true);
    expect(config.timezone).toBe('UTC');
    expect(config.incidents).toEqual({ defaultSeverity: 'P3', assignees: ['alice'], labels: ['ok'] });
    expect(config.commands.permissions).toEqual({});
  });

  it('never throws, whatever it is given', () => {
    for (const input of [null, undefined, 'text', 42, [], { incidents: 'x' }, { incidents: { assignees: 'bob' } }]) {
      const result = validateConfig(input);
      expect(result.config.timezone).toBeDefined();
    }
    expect(validateConfig('text').problems).toEqual([{ path: '', message: 'must be a mapping of settings (key: value)' }]);
    expect(validateConfig({ incidents: 'x' }).problems).toEqual([{ path: 'incidents', message: 'must be a mapping' }]);
  });
});

describe('parseConfigText', () => {
  it('reads YAML', () => {
    expect(parseConfigText('timezone: America/New_York\nincidents:\n  defaultSeverity: P1\n').config).toMatchObject({ timezone: 'America/New_York', incidents: { defaultSeverity: 'P1' } });
  });

  it('treats an empty file as defaults', () => {
    expect(parseConfigText('')).toEqual({ config: DEFAULT_CONFIG, problems: [] });
    expect(parseConfigText('# only a comment\n')).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('turns YAML syntax errors into a problem with the line', () => {
    const { config, problems } = parseConfigText('timezone: UTC\nincidents:\n  assignees: [alice\n  labels: x\n');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('');
    expect(problems[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });
});

describe('the JSON Schema for editors', () => {
  it('is committed and matches a fresh generation (run `npm run schema`)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('leaves defaulted fields optional (input side)', () => {
    const schema = JSON.parse(configJsonSchema()) as { required?: string[]; additionalProperties: boolean };
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });
});
