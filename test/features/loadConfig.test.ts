import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config/config.ts';
import { deepMerge, loadConfig, type ConfigReader } from '../../src/adapters/github/loadConfig.ts';

const repo = { owner: 'acme', repo: 'shop' };

/** Behaves like @probot/octokit-plugin-config: files listed repo first, `defaults` called base first. */
function reader(files: (Record<string, unknown> | null)[], error?: Error): ConfigReader {
  return {
    config: {
      async get(options) {
        if (error) throw error;
        const configs = files.filter((f): f is Record<string, unknown> => f !== null).reverse();
        return { config: options.defaults ? options.defaults(configs) : Object.assign({}, ...configs), files: files.map((config) => ({ config })) };
      },
    },
  };
}

describe('loadConfig', () => {
  it('gives defaults and no problems when there is no file', async () => {
    expect(await loadConfig(reader([null, null]), repo)).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('validates the file', async () => {
    const { config, problems } = await loadConfig(reader([{ timezone: 'Europe/Paris', incidents: { defaultSeverity: 'P7' } }]), repo);
    expect(config.timezone).toBe('Europe/Paris');
    expect(problems).toEqual([{ path: 'incidents.defaultSeverity', message: 'must be one of P1, P2, P3, P4, P5' }]);
  });

  it('merges _extends deeply: the repository overrides one org setting and keeps the others', async () => {
    const repoFile = { incidents: { defaultSeverity: 'P2' } };
    const orgFile = { timezone: 'America/New_York', incidents: { assignees: ['alice'], defaultSeverity: 'P4' } };
    const { config, problems } = await loadConfig(reader([repoFile, orgFile]), repo);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ timezone: 'America/New_York', incidents: { assignees: ['alice'], defaultSeverity: 'P2' } });
  });

  it('turns unparsable YAML into a problem with its line, and keeps defaults', async () => {
    const error = new Error('[@probot/octokit-plugin-config] Configuration could not be parsed from https://api/x (invalid YAML)', { cause: { linePos: [{ line: 3, col: 1 }] } });
    expect(await loadConfig(reader([], error), repo)).toEqual({
      config: DEFAULT_CONFIG,
      problems: [{ path: '', message: 'Configuration could not be parsed from https://api/x (invalid YAML) at line 3', line: 3 }],
    });
  });

  it('lets GitHub failures through to the caller', async () => {
    await expect(loadConfig(reader([], Object.assign(new Error('boom'), { status: 500 })), repo)).rejects.toThrow('boom');
  });
});

describe('deepMerge', () => {
  it('merges mappings and replaces lists', () => {
    expect(deepMerge({ a: { b: 1, c: [1] } }, { a: { c: [2] }, d: 1 })).toEqual({ a: { b: 1, c: [2] }, d: 1 });
  });
});
