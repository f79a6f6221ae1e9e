import { writeFileSync } from 'node:fs';
import { CONFIG_PATH } from '../../domain/config/config.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { readRepoFile } from '../../adapters/github/postmortemApi.ts';
import { postmortemBranch, postmortemRepo, renderPostmortemFile } from '../../features/postmortem/postmortem.ts';
import { closest } from '../../domain/text/closest.ts';
import { botLogin, cliOctokit, connection, FAILED, type Io, USAGE_ERROR, type Values } from './support.ts';
import { tokenIdentity } from '../../services/identity.ts';

const USAGE = 'firewatch postmortem render --repo OWNER/NAME --issue N [--out FILE] [--api-url URL] [--token TOKEN]';

/**
 * `firewatch postmortem render`: the postmortem file as `/postmortem` would write it now (merged
 * with the open draft's human text when there is one), printed or written to `--out`.
 */
export async function postmortemCli(input: { values: Values; positionals: string[] }, io: Io): Promise<number> {
  const [action, ...extra] = input.positionals;
  const repoFlag = input.values['repo'];
  const issueFlag = input.values['issue'];
  if (action !== 'render' || extra.length || typeof repoFlag !== 'string' || typeof issueFlag !== 'string') {
    const guess = action !== undefined && action !== 'render' ? closest(action, ['render']) : undefined;
    const problem = action === undefined ? 'say what to do: render' : action !== 'render' ? `unknown action "${action}"${guess ? `; did you mean "${guess}"?` : ''}` : extra.length ? `unexpected "${extra.join(' ')}"` : 'render needs --repo and --issue';
    io.stderr.write(`error: postmortem: ${problem} (usage: ${USAGE})\n`);
    return USAGE_ERROR;
  }
  const [owner, repo] = repoFlag.split('/');
  const number = Number(issueFlag);
  if (!owner || !repo || !/^[\w.-]+\/[\w.-]+$/.test(repoFlag) || !Number.isInteger(number) || number < 1) {
    io.stderr.write(`error: --repo must be owner/name and --issue a positive number (usage: ${USAGE})\n`);
    return USAGE_ERROR;
  }
  const octokit = cliOctokit(connection(input.values, io.env));
  const incident = { owner, repo, number };
  // A failure (GitHub unreachable, the issue not found) is told in one line by the CLI's edge.
  const { config, problems } = await loadConfig(octokit, incident);
  for (const problem of problems) io.stderr.write(`warning: ${CONFIG_PATH} ${problem.path || '(root)'}: ${problem.message}\n`);
  const target = postmortemRepo(config, incident);
  const { data: pulls } = await octokit.rest.pulls.list({ ...target, head: `${target.owner}:${postmortemBranch(incident)}`, state: 'open' }).catch(() => ({ data: [] }));
  const draft = pulls[0];
  // Who firewatch is: the timeline entries its comments record are the incident's.
  const identity = await tokenIdentity(octokit, { also: [botLogin(io.env)] });
  const first = await renderPostmortemFile(octokit, { incident, config, now: new Date(), identity });
  if (!first) {
    io.stderr.write(`error: ${repoFlag}#${number} is not a firewatch incident (no state block in its body): pick an incident issue with --issue\n`);
    return FAILED;
  }
  const existing = draft ? await readRepoFile(octokit, target, first.path, postmortemBranch(incident)).catch(() => null) : null;
  const text = existing ? ((await renderPostmortemFile(octokit, { incident, config, now: new Date(), existing: existing.text, identity }))?.text ?? first.text) : first.text;
  const out = input.values['out'];
  if (typeof out === 'string') {
    writeFileSync(out, text);
    io.stdout.write(`wrote ${out} (${first.path} in ${target.owner}/${target.repo})\n`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}
