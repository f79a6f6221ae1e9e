/**
 * Deploy correlation and rollback against the sandbox, over HTTP as users see it: an alert opens
 * an incident whose "Suspected changes" comment names the seeded culprit (#7, the risky checkout
 * rewrite deployed to production 150 minutes ago) first; bob's `/rollback #7` opens a revert PR
 * whose diff undoes #7; eve (read access) is refused; the refusals (revert already open, not
 * merged, already reverted, not clean) say why; merging the revert and a `/redeploy` deployment
 * that succeeds land in the incident timeline.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { parseSuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import matter from 'gray-matter';
import { eventually } from '../support/processes.ts';

let firewatch: Sandboxed;
let bob: Octokit;
let eve: Octokit;
let incident: number;
const shop = { owner: 'acme', repo: 'shop' };

function user(token: string): Octokit {
  return new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: token, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

async function settle(): Promise<void> {
  await firewatch.server.alertQueue.idle();
  await firewatch.sandbox.idle();
}

/** Posts a command as `who` and returns firewatch's reply to it and the reactions on it. */
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

async function incidentBody(): Promise<string> {
  const { data } = await bob.rest.issues.get({ ...shop, issue_number: incident });
  return data.body ?? '';
}

beforeAll(async () => {
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error' });
  bob = user('sandbox-bob');
  eve = user('sandbox-eve');
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

describe('deploy correlation and rollback (sandbox)', () => {
  it('posts one Suspected changes comment naming the deployed risky checkout change first, without pinging its author', async () => {
    const { data: comments } = await bob.rest.issues.listComments({ ...shop, issue_number: incident });
    const suspects = comments.filter((c) => c.body?.includes('Suspected changes'));
    expect(suspects).toHaveLength(1);
    const body = suspects[0]?.body ?? '';
    const block = parseSuspectsBlock(body);
    expect(block?.verdict).toBe('suspects');
    expect(block?.suspects[0]?.key).toBe('acme/shop#7');
    expect(block?.requests).toBeLessThanOrEqual(10);
    expect(body).toMatch(/\*\*1\. \[#7 Reserve inventory before authorizing payment\]\(http[^)]+\/acme\/shop\/pull\/7\)\*\*/);
    expect(body).toContain('deployed to production 2 h 20 min before the first alert');
    expect(body).toContain('Roll back: `/rollback #7`');
    expect(body).toContain('by `bob`');
    expect(body).not.toMatch(/@bob\b/);
    expect(body.match(/^\*\*\d\. /gm)?.length).toBeLessThanOrEqual(5);
  });

  it('redeploys the last good ref before the suspect and records the deployment outcome', async () => {
    const { reply } = await command(bob, '/redeploy production');
    const id = Number(/Created deployment (\d+)/.exec(reply)?.[1]);
    expect(id).toBeGreaterThan(0);
    const { data: deployment } = await bob.rest.repos.getDeployment({ ...shop, deployment_id: id });
    // #7 reached production 150 min ago; before that production ran #5's deployment.
    const { data: five } = await bob.rest.pulls.get({ ...shop, pull_number: 5 });
    expect(deployment.sha).toBe(five.merge_commit_sha);
    expect(reply).toContain(`Created deployment ${id} of ${deployment.sha}, the last good deployment before acme/shop#7 to **production**`);
    await bob.rest.repos.createDeploymentStatus({ ...shop, deployment_id: id, state: 'success' });
    await eventually(async () => {
      await settle();
      return (await incidentBody()).match(new RegExp(`Redeploy of \`${deployment.sha.slice(0, 7)}\` to production \\(deployment ${id}\\) succeeded`)) ?? undefined;
    }, 'the deployment outcome in the timeline');
  });

  it('refuses a bare /rollback and lists the top suspects with their commands', async () => {
    const { reply, reactions } = await command(bob, '/rollback');
    expect(reply).toContain('`/rollback` needs the pull request to revert');
    expect(reply).toContain('`/rollback #7`');
    expect(reactions).toContain('confused');
  });

  it("refuses eve's /rollback (read access) with 😕 and the reason", async () => {
    const { reply, reactions } = await command(eve, '/rollback #7');
    expect(reply).toContain('Cannot run `/rollback`: it needs **write** access');
    expect(reactions).toContain('confused');
    const { data: pulls } = await bob.rest.pulls.list({ ...shop, state: 'open' });
    expect(pulls.some((p) => p.title.startsWith('[rollback]'))).toBe(false);
  });

  it("opens a revert PR for bob's /rollback #7 whose diff undoes #7, labelled and linked both ways", async () => {
    const { data: before } = await bob.rest.pulls.listFiles({ ...shop, pull_number: 7 });
    const { reply, reactions } = await command(bob, '/rollback #7');
    expect(reactions).toContain('rocket');
    const { data: pulls } = await bob.rest.pulls.list({ ...shop, state: 'open' });
    const revert = pulls.find((p) => p.title === '[rollback] Revert "Reserve inventory before authorizing payment"');
    expect(revert).toBeDefined();
    if (!revert) return;
    expect(reply).toContain(`#${revert.number}`);
    expect(revert.labels.map((l) => l.name)).toContain('rollback');
    expect(revert.body).toContain(`acme/shop#${incident}`);
    expect(revert.body).toMatch(/^Reverts acme\/shop#7$/m);

    const { data: files } = await bob.rest.pulls.listFiles({ ...shop, pull_number: revert.number });
    const byName = new Map(files.map((f) => [f.filename, f]));
    expect([...byName.keys()].sort()).toEqual(before.map((f) => f.filename).sort());
    for (const original of before) {
      const undone = byName.get(original.filename);
      // What #7 added, the revert removes, and the other way round.
      expect(undone?.additions).toBe(original.deletions);
      expect(undone?.deletions).toBe(original.additions);
      expect(undone?.status).toBe(original.status === 'added' ? 'removed' : original.status);
    }
    // A real link in the visible timeline, not only in the hidden state block.
    const visible = (await incidentBody()).split('<!-- firewatch:state')[0] ?? '';
    expect(visible).toContain(`| Rollback of #7 opened: [#${revert.number}](${revert.html_url}) (bob) |`);
  });

  it('refuses a second /rollback #7 while the revert is open', async () => {
    const { reply } = await command(bob, '/rollback #7');
    expect(reply).toMatch(/Cannot roll back #7: a revert is already open, #\d+\. Merge it/);
  });

  it('refuses to roll back a PR that is not merged', async () => {
    const { reply, reactions } = await command(bob, '/rollback #9');
    expect(reply).toContain('Cannot roll back #9: it is not merged (still open), so there is nothing to revert. Try `/deploys`');
    expect(reactions).toContain('confused');
  });

  it('records the merge of the revert in the timeline, then refuses /rollback #7 as already reverted', async () => {
    const { data: pulls } = await bob.rest.pulls.list({ ...shop, state: 'open' });
    const revert = pulls.find((p) => p.title.startsWith('[rollback]'));
    if (!revert) throw new Error('no revert PR');
    await bob.rest.pulls.merge({ ...shop, pull_number: revert.number });
    await eventually(async () => {
      await settle();
      return (await incidentBody()).includes(`(reverting acme/shop#7) merged by \`bob\``) || undefined;
    }, 'the merge in the timeline');
    const { reply } = await command(bob, '/rollback #7');
    expect(reply).toContain(`Cannot roll back #7: it is already reverted by #${revert.number} (merged)`);
  });

  it('names the conflicting file when a revert is not clean', async () => {
    // #6 (currency check) was changed again by #8 (idempotent capture) in the same lines.
    const { reply } = await command(bob, '/rollback #6');
    expect(reply).toContain('Cannot roll back #6 cleanly: later changes conflict in `services/payments/gateway.js`');
  });

  it('refuses a PR of a repository that is not the service’s unless --force', async () => {
    const alice = user('sandbox-alice');
    const docs = { owner: 'acme', repo: 'post_mortems' };
    const { data: main } = await alice.rest.git.getRef({ ...docs, ref: 'heads/main' });
    await alice.rest.git.createRef({ ...docs, ref: 'refs/heads/template', sha: main.object.sha });
    await alice.rest.repos.createOrUpdateFileContents({ ...docs, path: 'TEMPLATE.md', message: 'Add a template', content: Buffer.from('# Postmortem\n').toString('base64'), branch: 'template' });
    const { data: pr } = await alice.rest.pulls.create({ ...docs, title: 'Add a postmortem template', head: 'template', base: 'main' });
    await alice.rest.pulls.merge({ ...docs, pull_number: pr.number });
    await settle();

    const refused = await command(bob, `/rollback acme/post_mortems#${pr.number}`);
    expect(refused.reply).toContain(`Cannot roll back acme/post_mortems#${pr.number}: acme/post_mortems is not a repository of this service (acme/shop). If you are sure, run \`/rollback acme/post_mortems#${pr.number} --force\``);
    const forced = await command(bob, `/rollback acme/post_mortems#${pr.number} --force`);
    // Link text is escaped Markdown: `\_` and `\[` render as `_` and `[`.
    expect(forced.reply).toMatch(/↩️ Opened \[acme\/post\\_mortems#\d+ \\\[rollback\\\] Revert "Add a postmortem template"\]\(http/);
  });

  it('recomputes on /deploys, editing the same comment in place', async () => {
    const { reply } = await command(carolOrBob(), '/deploys 48h');
    expect(reply).toMatch(/🔎 \[Suspected changes\]\(http[^)]+\) (updated|are unchanged) over the last 48h before the first alert/);
    const { data: comments } = await bob.rest.issues.listComments({ ...shop, issue_number: incident, per_page: 100 });
    expect(comments.filter((c) => c.body?.includes('### 🔎 Suspected changes'))).toHaveLength(1);
  });

  it('is mitigated when the first fix landed (the redeploy), not when resolved later; the postmortem says so and keeps # in its Mermaid timeline', async () => {
    const before = parseStateBlock(await incidentBody());
    const landed = before?.timeline.find((entry) => entry.type === 'redeploy-succeeded');
    expect(landed).toBeDefined();
    expect(before?.mitigatedAt).toBe(landed?.at);
    // /redeploy and /rollback are looking at the suspects: the first step is ticked.
    expect(await incidentBody()).toMatch(/^- \[x\] \*\*Check recent changes\*\*/m);

    const { reply } = await command(bob, '/resolve fixed by the redeploy');
    expect(reply).toContain('Postmortem drafted');
    const after = parseStateBlock(await incidentBody());
    expect(after?.mitigatedAt).toBe(landed?.at);
    expect(Date.parse(after?.resolvedAt ?? '')).toBeGreaterThan(Date.parse(landed?.at ?? ''));

    const pm = { owner: 'acme', repo: 'post_mortems' };
    const { data: pulls } = await bob.rest.pulls.list({ ...pm, state: 'open' });
    const draft = pulls.find((pull) => pull.head.ref === `postmortem/shop-${incident}`);
    if (!draft) throw new Error('no postmortem draft');
    const { data: files } = await bob.rest.pulls.listFiles({ ...pm, pull_number: draft.number });
    const { data: file } = await bob.rest.repos.getContent({ ...pm, path: files[0]?.filename ?? '', ref: draft.head.ref });
    const text = Buffer.from((file as { content: string }).content, 'base64').toString('utf8');
    const front = matter(text).data;
    expect(Date.parse(String(front['mitigated_at']))).toBe(Math.floor(Date.parse(landed?.at ?? '') / 1000) * 1000);
    expect(front['mitigated_at']).not.toBe(front['resolved_at']);
    // Mermaid entity codes keep "#7" (`#35;` is how Mermaid writes `#`).
    expect(text).toMatch(/Rollback of #35;7 opened#58; #35;\d+/);
    // One score column, no "ranked score" repeated in the evidence.
    expect(text).not.toContain('ranked score');
  });
});

function carolOrBob(): Octokit {
  return user('sandbox-carol');
}
