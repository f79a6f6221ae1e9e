import { composeConfigGet } from '@probot/octokit-plugin-config';
import type { Octokit } from '@octokit/rest';
import { CONFIG_PATH, DEFAULT_CONFIG, validateConfig, type ConfigResult } from '../../domain/config/config.ts';
import type { RepoRef } from './types.ts';

type Configuration = Record<string, unknown>;
type ConfigGet = (options: { owner: string; repo: string; path: string; defaults?: (configs: Configuration[]) => Configuration }) => Promise<{
  config: Configuration;
  files: { config: Configuration | null }[];
}>;

/**
 * What reads the config: Probot's Octokit (its `config.get` is `@probot/octokit-plugin-config`), or
 * any Octokit (CLI, Action), which gets the same plugin's `composeConfigGet`. Either way `_extends`
 * and the org's `.github` repository are followed by the same code.
 */
export type ConfigReader = { config: { get: ConfigGet } } | Pick<Octokit, 'request'>;

function isPlainObject(value: unknown): value is Configuration {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Later files win; mappings merge key by key (so a repo can override one org setting), lists are replaced. */
export function deepMerge(base: Configuration, override: Configuration): Configuration {
  const out: Configuration = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/**
 * `.github/firewatch.yml` of a repository, with `_extends` (and the org's `.github` repository)
 * resolved as Probot's `context.config()` does, then validated. The one config loader of the app,
 * the CLI and the Action. Never throws for a user's mistake: a missing file means
 * defaults; a broken one means problems (path + message) and defaults where it is wrong.
 * Errors talking to GitHub (other than "no such file") are thrown to the caller.
 */
export async function loadConfig(octokit: ConfigReader, repo: RepoRef): Promise<ConfigResult> {
  const get: ConfigGet = 'config' in octokit ? (options) => octokit.config.get(options) : (options) => composeConfigGet(octokit as Parameters<typeof composeConfigGet>[0], options); // it uses only `request`
  let loaded: Awaited<ReturnType<ConfigGet>>;
  try {
    loaded = await get({
      owner: repo.owner,
      repo: repo.repo,
      path: CONFIG_PATH,
      // The plugin lists the files base first when it calls this.
      defaults: (configs) => configs.reduce<Configuration>((merged, next) => deepMerge(merged, next), {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The plugin reports YAML and `_extends` mistakes as plain errors whose message says so.
    if (/\[@probot\/octokit-plugin-config\]/.test(message)) {
      const line = yamlLine(error);
      const text = message.replace('[@probot/octokit-plugin-config] ', '') + (line ? ` at line ${line}` : '');
      return { config: DEFAULT_CONFIG, problems: [{ path: '', message: text, ...(line ? { line } : {}) }] };
    }
    throw error;
  }
  if (loaded.files.every((file) => file.config === null)) return { config: DEFAULT_CONFIG, problems: [] };
  return validateConfig(loaded.config);
}

function yamlLine(error: unknown): number | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause !== 'object' || cause === null || !('linePos' in cause) || !Array.isArray(cause.linePos)) return undefined;
  const first: unknown = cause.linePos[0];
  return typeof first === 'object' && first !== null && 'line' in first && typeof first.line === 'number' ? first.line : undefined;
}
