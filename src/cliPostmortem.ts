import { writeFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { CONFIG_PATH } from './domain/config.ts';
import { loadConfig } from './features/loadConfig.ts';
import { readRepoFile } from './github/postmortemApi.ts';
import { httpStatus } from './github/types.ts';
import { postmortemBranch, postmortemRepo, renderPostmortemFile } from './features/postmortem.ts';
import type { CliIO } from './cli.ts';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

const USAGE = 'Usage: firewatch postmortem render --repo OWNER/NAME --issue N [--out FILE] [--api-url URL] [--token TOKEN]';

/** Where to read from: flags, then GITHUB_TOKEN/GHE_HOST (GitHub), else the local sandbox as alice. */
function connection(values: Values, env: NodeJS.ProcessEnv): { baseUrl: string; token: string } {
  const flag = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const ghe = env['GHE_HOST'] ? `${env['GHE_PROTOCOL'] ?? 'https'}://${env['GHE_HOST']}/api/v3` : undefined;
  const sandbox = `http://127.0.0.1:${env['SANDBOX_PORT'] ?? '3001'}/api/v3`;
  const token = flag('token') ?? env['GITHUB_TOKEN'];
  const baseUrl = flag('api-url') ?? env['FIREWATCH_API_URL'] ?? ghe ?? (token ? 'https://api.github.com' : sandbox);
  return { baseUrl, token: token ?? 'sandbox-alice' };
}

/**
 * `firewatch postmortem render`: the postmortem file as `/postmortem` would write it now (merged
 * with the open draft's human text when there is one), printed or written to `--out`.
 */
export async function postmortemCli(input: { values: Values; positionals: string[] }, io: CliIO): Promise<number> {
  const [action, ...extra] = input.positionals;
  const repoFlag = input.values['repo'];
  const issueFlag = input.values['issue'];
  if (action !== 'render' || extra.length || typeof repoFlag !== 'string' || typeof issueFlag !== 'string') {
    io.stderr.write(`error: ${action !== 'render' ? 'the only action is "render"' : 'render needs --repo and --issue'}\n\n${USAGE}\n`);
    return 2;
  }
  const [owner, repo] = repoFlag.split('/');
  const number = Number(issueFlag);
  if (!owner || !repo || !/^[\w.-]+\/[\w.-]+$/.test(repoFlag) || !Number.isInteger(number) || number < 1) {
    io.stderr.write(`error: --repo must be owner/name and --issue a positive number\n\n${USAGE}\n`);
    return 2;
  }
  const { baseUrl, token } = connection(input.values, io.env);
  const octokit = new Octokit({ baseUrl, auth: token, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const incident = { owner, repo, number };
  try {
    const { config, problems } = await loadConfig(octokit, incident);
    for (const problem of problems) io.stderr.write(`warning: ${CONFIG_PATH} ${problem.path || '(root)'}: ${problem.message}\n`);
    const target = postmortemRepo(config, incident);
    const { data: pulls } = await octokit.rest.pulls.list({ ...target, head: `${target.owner}:${postmortemBranch(incident)}`, state: 'open' }).catch(() => ({ data: [] }));
    const draft = pulls[0];
    const first = await renderPostmortemFile(octokit, { incident, config, now: new Date() });
    if (!first) {
      io.stderr.write(`error: ${repoFlag}#${number} is not a firewatch incident (no state block in its body)\n`);
      return 1;
    }
    const existing = draft ? await readRepoFile(octokit, target, first.path, postmortemBranch(incident)).catch(() => null) : null;
    const text = existing ? ((await renderPostmortemFile(octokit, { incident, config, now: new Date(), existing: existing.text }))?.text ?? first.text) : first.text;
    const out = input.values['out'];
    if (typeof out === 'string') {
      writeFileSync(out, text);
      io.stdout.write(`wrote ${out} (${first.path} in ${target.owner}/${target.repo})\n`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  } catch (error) {
    const status = httpStatus(error);
    io.stderr.write(`error: ${status === 404 ? `${repoFlag}#${number} not found at ${baseUrl}` : status === 401 ? `${baseUrl} refused the token` : error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
