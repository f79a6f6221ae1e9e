/**
 * `rollback.method: workflow` against the sandbox, over HTTP as users see it: acme/shop's
 * `.github/firewatch.yml` names a deploy workflow; bob's `/redeploy production` dispatches it with
 * the last good ref before the suspect, the sandbox receives the dispatch (and emits the
 * `workflow_dispatch` webhook), and the incident's timeline and the reply say so with a link to
 * the run. `/rollback #7` is refused with the `/redeploy` to use instead.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { eventually } from '../support/processes.ts';
import { writeRepoFile } from '../support/repoConfig.ts';

let firewatch: Sandboxed;
let bob: Octokit;
let incident: number;
const shop = { owner: 'acme', repo: 'shop' };

const CONFIG = `correlation:
  rollback:
    method: workflow
    workflow:
      id: deploy.yml
      ref: main
      inputs:
        environment: "{{environment}}"
        ref: "{{ref}}"
        incident: "{{issue}}"
`;

const WORKFLOW = `name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment: { required: true }
      ref: { required: true }
      incident: { required: false }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "deploying \${{ inputs.ref }} to \${{ inputs.environment }}"
`;

function user(token: string): Octokit {
  return new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: token, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

async function settle(): Promise<void> {
  await firewatch.server.alertQueue.idle();
  await firewatch.sandbox.idle();
}

async function command(who: Octokit, body: string): Promise<{ reply: string; reactions: string[] }> {
  const { data: posted } = await who.rest.issues.createComment({ ...shop, issue_number: incident, body });
  const reply = await eventually(async () => {
    await settle();
    const { data } = await bob.rest.issues.listComments({ ...shop, issue_number: incident, per_page: 100 });
    return data.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes(`"replyTo":${posted.id}`));
  }, `the reply to ${body}`);
  const { data: reactions } = await bob.rest.reactions.listForIssueComment({ ...shop, comment_id: posted.id });
  return { reply: reply.body ?? '', reactions: reactions.map((r) => r.content) };
}

beforeAll(async () => {
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error' });
  bob = user('sandbox-bob');
  const alice = user('sandbox-alice');
  for (const [path, text] of [['.github/workflows/deploy.yml', WORKFLOW], ['.github/firewatch.yml', CONFIG]] as const) {
    await writeRepoFile(alice, shop, path, text, `Add ${path}`);
  }
  const startedAt = new Date(firewatch.sandbox.now().getTime() - 10 * 60_000).toISOString();
  const response = await fetch(`${firewatch.server.url}/alerts/generic`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'CheckoutHighErrorRate', severity: 'P2', service: 'checkout', started_at: startedAt, labels: { environment: 'production' } }),
  });
  expect(response.status).toBeLessThan(300);
  await settle();
  const { data: issues } = await bob.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'open' });
  const found = issues.find((i) => i.title.includes('CheckoutHighErrorRate'));
  if (!found) throw new Error('no incident issue was opened');
  incident = found.number;
}, 60_000);

afterAll(async () => {
  await firewatch?.close();
});

describe('/redeploy with rollback.method: workflow (sandbox)', () => {
  it('suggests /redeploy, not a revert PR, for the top suspect', async () => {
    const { data: comments } = await bob.rest.issues.listComments({ ...shop, issue_number: incident });
    const suspects = comments.find((c) => c.body?.includes('Suspected changes'))?.body ?? '';
    const { data: five } = await bob.rest.pulls.get({ ...shop, pull_number: 5 });
    expect(suspects).toContain(`Roll back: \`/redeploy production ${five.merge_commit_sha?.slice(0, 7)}\``);
  });

  it('dispatches the deploy workflow with the last good ref before the suspect, and says so in the reply and the timeline', async () => {
    const { reply, reactions } = await command(bob, '/redeploy production');
    expect(reactions).toContain('rocket');
    const { data: five } = await bob.rest.pulls.get({ ...shop, pull_number: 5 });
    const sha = five.merge_commit_sha ?? '';
    expect(sha).toMatch(/^[0-9a-f]{40}$/);

    const dispatches = firewatch.sandbox.deliveries().filter((d) => d.event === 'workflow_dispatch');
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]?.payload).toMatchObject({
      workflow: '.github/workflows/deploy.yml',
      ref: 'refs/heads/main',
      inputs: { environment: 'production', ref: sha, incident: `acme/shop#${incident}` },
      repository: { full_name: 'acme/shop' },
      sender: { login: 'firewatch[bot]' },
    });

    expect(reply).toMatch(/^🔁 Dispatched workflow `deploy\.yml` of acme\/shop \(ref `main`, \[run \d+\]\(http[^)]+\/acme\/shop\/actions\/runs\/\d+\)\) to deploy /);
    expect(reply).toContain(`${sha}, the last good deployment before acme/shop#7 to **production** with inputs \`environment=production\`, \`ref=${sha}\`, \`incident=acme/shop#${incident}\``);
    const runUrl = /\[run \d+\]\((http[^)]+)\)/.exec(reply)?.[1];
    const { data: issue } = await bob.rest.issues.get({ ...shop, issue_number: incident });
    const visible = (issue.body ?? '').split('<!-- firewatch:state')[0] ?? '';
    expect(visible).toMatch(new RegExp(`\\| Redeploy of \`${sha.slice(0, 7)}\` to production dispatched \\(workflow \`deploy\\.yml\`, \\[run \\d+\\]\\(${runUrl?.replace(/[.?]/g, '\\$&')}\\)\\) \\(bob\\) \\|`));
    // Nothing was deployed through the Deployments API instead.
    const { data: deployments } = await bob.rest.repos.listDeployments({ ...shop, sha });
    expect(deployments.filter((d) => d.description?.includes('firewatch rollback'))).toHaveLength(0);
  });

  it('refuses /rollback #7 with the /redeploy to use instead, opening no revert PR', async () => {
    const { reply, reactions } = await command(bob, '/rollback #7');
    const { data: five } = await bob.rest.pulls.get({ ...shop, pull_number: 5 });
    expect(reply).toContain('⚠️ Cannot run `/rollback #7`: this service rolls back by dispatching its deploy workflow (`rollback.method: workflow` in .github/firewatch.yml), not with revert PRs.');
    expect(reply).toContain(`Use \`/redeploy <environment> [ref]\`, e.g. \`/redeploy production ${five.merge_commit_sha?.slice(0, 7)}\` for the top suspect.`);
    expect(reactions).toContain('confused');
    const { data: pulls } = await bob.rest.pulls.list({ ...shop, state: 'all' });
    expect(pulls.some((p) => p.title.startsWith('[rollback]'))).toBe(false);
  });
});
