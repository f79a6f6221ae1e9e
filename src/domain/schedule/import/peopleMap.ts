import yaml from 'js-yaml';
import { loginSchema } from '../scheduleConfig.ts';

/**
 * The mapping file of `firewatch import`: a YAML (or JSON) mapping of e-mail addresses to GitHub
 * logins, plus optional vendor schedules or teams (by name or id) to GitHub teams, for escalation
 * steps that page a whole schedule or team:
 *
 * ```yaml
 * alice@example.com: alice
 * Secondary on-call: '@acme/sre'
 * ```
 */
export interface PeopleMap {
  /** Lower-cased e-mail → login. */
  logins: Map<string, string>;
  /** Lower-cased vendor schedule or team name or id → `@org/team`. */
  teams: Map<string, string>;
}

export type PeopleMapResult = { ok: true; map: PeopleMap } | { ok: false; problems: string[] };

export const EMPTY_PEOPLE_MAP: PeopleMap = { logins: new Map(), teams: new Map() };

const TEAM = /^@[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}\/[\w.-]+$/;

export function parsePeopleMap(text: string): PeopleMapResult {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const where = error instanceof yaml.YAMLException && error.mark ? ` at line ${error.mark.line + 1}` : '';
    return { ok: false, problems: [`not YAML${where}: ${error instanceof yaml.YAMLException ? error.reason : String(error)}`] };
  }
  if (parsed === undefined || parsed === null) return { ok: true, map: { logins: new Map(), teams: new Map() } };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, problems: ['must be a mapping of e-mail: github-login lines'] };
  const logins = new Map<string, string>();
  const teams = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      problems.push(`${key}: must be a GitHub login (or @org/team), not ${value === null ? 'empty' : typeof value}`);
      continue;
    }
    const target = value.trim();
    if (target.startsWith('@')) {
      if (TEAM.test(target)) teams.set(key.trim().toLowerCase(), target);
      else problems.push(`${key}: "${target}" must be @org/team (a person is written as a login without @)`);
      continue;
    }
    if (!key.includes('@')) {
      problems.push(`${key}: people are keyed by e-mail address; a vendor schedule or team maps to @org/team`);
      continue;
    }
    if (!loginSchema.safeParse(target).success) {
      problems.push(`${key}: "${target}" is not a GitHub login`);
      continue;
    }
    logins.set(key.trim().toLowerCase(), target);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map: { logins, teams } };
}
