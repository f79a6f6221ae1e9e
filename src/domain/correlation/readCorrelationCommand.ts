/**
 * Arguments of the correlation commands: `/deploys [window]`, `/rollback [#123 | owner/repo#123 |
 * PR URL] [--force]`, `/redeploy <environment> [ref]`. Pure.
 */
import { parseDuration } from '../alerts/intakeConfig.ts';
import type { ParsedCommand } from '../commands/parseCommands.ts';

export type CorrelationRequest =
  | { name: 'deploys'; windowBeforeMs?: number; window?: string }
  | { name: 'rollback'; target?: PullReference; force: boolean }
  | { name: 'redeploy'; environment?: string; ref?: string };

export interface PullReference {
  /** `owner/name` when given; otherwise the service's main repository. */
  repo?: string;
  number: number;
}

/** Longest `/deploys` look-back: GitHub lists at most a few hundred PRs cheaply. */
const MAX_DEPLOYS_WINDOW = '7d';

const PULL_URL = /^https?:\/\/[^/\s]+\/([\w.-]+\/[\w.-]+)\/pull\/(\d+)\/?$/;
const QUALIFIED = /^([\w.-]+\/[\w.-]+)#(\d+)$/;
const SHORT = /^#?(\d+)$/;

export function readPullReference(word: string): PullReference | undefined {
  const url = PULL_URL.exec(word);
  if (url?.[1] && url[2]) return { repo: url[1], number: Number(url[2]) };
  const qualified = QUALIFIED.exec(word);
  if (qualified?.[1] && qualified[2]) return { repo: qualified[1], number: Number(qualified[2]) };
  const short = SHORT.exec(word);
  if (short?.[1]) return { number: Number(short[1]) };
  return undefined;
}

const ENVIRONMENT = /^[\w.-]{1,255}$/;
const REF = /^[\w./-]{1,255}$/;

export type ReadCorrelationResult = { ok: true; request: CorrelationRequest } | { ok: false; message: string };

export function readCorrelationCommand(line: ParsedCommand): ReadCorrelationResult {
  const name = line.command.name;
  const usage = (problem: string): ReadCorrelationResult => ({
    ok: false,
    message: `\`/${name}\` ${problem}. Usage: \`/${name}${line.command.args ? ` ${line.command.args}` : ''}\`, e.g. \`${line.command.examples[0] ?? `/${name}`}\`.`,
  });
  const args = line.args;
  switch (name) {
    case 'deploys': {
      if (args.length > 1) return usage('takes at most one look-back window');
      const window = args[0];
      if (window === undefined) return { ok: true, request: { name } };
      const ms = parseDuration(window);
      if (ms === undefined || ms <= 0) return usage(`cannot read ${JSON.stringify(window)} as a window such as 6h, 48h or 3d`);
      if (ms > (parseDuration(MAX_DEPLOYS_WINDOW) ?? Infinity)) return usage(`looks back at most ${MAX_DEPLOYS_WINDOW}`);
      return { ok: true, request: { name, windowBeforeMs: ms, window } };
    }
    case 'rollback': {
      const force = args.some((arg) => arg === '--force');
      const rest = args.filter((arg) => arg !== '--force');
      if (rest.length > 1) return usage('rolls back one pull request at a time');
      if (rest[0] === undefined) return { ok: true, request: { name, force } };
      const target = readPullReference(rest[0]);
      if (!target) return usage(`cannot read ${JSON.stringify(rest[0])} as a pull request (#123, owner/repo#123 or its URL)`);
      return { ok: true, request: { name, target, force } };
    }
    case 'redeploy': {
      if (args.length > 2) return usage('takes an environment and at most one ref');
      const [environment, ref] = args;
      if (environment !== undefined && !ENVIRONMENT.test(environment)) return usage(`cannot read ${JSON.stringify(environment)} as an environment name`);
      if (ref !== undefined && (!REF.test(ref) || ref.includes('..'))) return usage(`cannot read ${JSON.stringify(ref)} as a branch, tag or commit`);
      return { ok: true, request: { name, ...(environment ? { environment } : {}), ...(ref ? { ref } : {}) } };
    }
    default:
      return { ok: false, message: `\`/${name}\` is not a deploy correlation command.` };
  }
}
