/**
 * Alert → incident → /resolve → draft postmortem PR in acme/post_mortems, in process against the
 * sandbox: a human edits the draft, `/postmortem` refreshes it (same PR, human text kept), and
 * `/postmortem reviewed` makes it ready for review.
 */
import { Octokit } from '@octokit/rest';
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { eventually } from '../support/processes.ts';

let running: Sandboxed;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const as = (token: string) => new Octokit({ baseUrl: running.sandbox.apiUrl, auth: token, request: { retries: 0 }, log: quiet });
const pm = { owner: 'acme', repo: 'post_mortems' };

beforeAll(async () => {
  running = await startSandboxed({ port: 0, sandboxPort: 0, now: new Date('2026-01-14T09:00:00Z'), logLevel: 'error', queue: {} });
}, 30_000);

afterAll(async () => {
  await running?.close();
});

async function setClock(now: string): Promise<void> {
  const res = await fetch(`${running.sandbox.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
  expect(res.status).toBeLessThan(300);
}

async function command(issue: number, body: string, expectText: string | RegExp): Promise<string> {
  const bob = as('sandbox-bob');
  const { data: posted } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue, body });
  const reply = await eventually(async () => {
    const { data } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue, per_page: 100 });
    return data.find((c) => c.id > posted.id && c.user?.login === 'firewatch[bot]' && c.body?.includes('"replyTo":' + posted.id));
  }, `the reply to ${body}`);
  expect(reply.body).toMatch(expectText);
  return reply.body ?? '';
}

async function fileOnBranch(path: string, ref: string): Promise<string> {
  const { data } = await as('sandbox-alice').rest.repos.getContent({ ...pm, path, ref });
  if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} is not a file`);
  return Buffer.from(data.content, 'base64').toString('utf8');
}

describe('postmortem drafted as a pull request', () => {
  let issueNumber = 0;
  let path = '';
  let branch = '';

  it('drafts a draft PR on /resolve of a P2 incident, with the file alone (README.md untouched)', async () => {
    const alert = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Checkout errors after carol deploy', severity: 'P2', service: 'checkout' }),
    });
    expect(alert.status).toBeLessThan(300);
    const issue = await eventually(async () => {
      const { data } = await as('sandbox-bob').rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'open' });
      return data.find((i) => i.title.includes('Checkout errors'));
    }, 'the incident issue');
    issueNumber = issue.number;

    await setClock('2026-01-14T09:05:00Z');
    await command(issueNumber, '/ack\n/commander @alice\n/note -15m first report from @carol in support', /Acknowledged/i);
    await setClock('2026-01-14T10:10:00Z');
    const reply = await command(issueNumber, '/resolve rolled back the deploy by @bob', /Postmortem drafted/);

    const { data: pulls } = await as('sandbox-alice').rest.pulls.list({ ...pm, state: 'all' });
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    branch = pull.head.ref;
    expect(branch).toBe(`postmortem/shop-${issueNumber}`);
    expect(pull.draft).toBe(true);
    expect(pull.title).toBe('Postmortem: checkout: Checkout errors after team-member-1 deploy');
    expect(pull.labels.map((label) => label.name)).toEqual(['postmortem']);
    expect(pull.body).toContain(issue.html_url);
    expect(reply).toContain(pull.html_url);

    path = `postmortems/2026/2026-01-14-checkout-checkout-errors-after-team-member-1-deploy.md`;
    const text = await fileOnBranch(path, branch);
    const { data } = matter(text);
    expect(data).toMatchObject({ severity: 'P2', status: 'draft', incident: `acme/shop#${issueNumber}` });
    for (const login of ['alice', 'bob', 'carol']) expect(text.toLowerCase()).not.toMatch(new RegExp(`(?<![a-z])${login}(?![a-z])`));
    expect(text).toContain('incident commander (team-member-');

    // No shared file in a draft: README.md on the branch is the default branch's, so drafts never conflict.
    expect(await fileOnBranch('README.md', branch)).toBe(await fileOnBranch('README.md', 'main'));
    const { data: files } = await as('sandbox-alice').rest.pulls.listFiles({ ...pm, pull_number: pull.number });
    expect(files.map((file) => file.filename)).toEqual([path]);
    // The back-dated note (-15m) starts the incident, in the issue and in the postmortem alike.
    const { data: shown } = await as('sandbox-bob').rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issueNumber });
    expect(shown.body).toMatch(/\| \*\*Started at\*\* \| 2026-01-14 08:50 UTC \|/);
    expect(String(data['started_at'])).toMatch(/^2026-01-14T08:50:/);
    // A UTC team: one time column, no "08:50 UTC (08:50 UTC)".
    expect(text).toContain('| | UTC |\n| --- | --- |\n| Started | 2026-01-14 08:50 UTC |');
    expect(text).not.toMatch(/UTC \| UTC|(\d\d:\d\d) UTC \(\1 UTC\)/);
    expect(data).toMatchObject({ time_to_acknowledge: 'PT5M', time_to_resolve: 'PT1H10M' });

    // The incident links to the PR from its body (timeline) too.
    const { data: incident } = await as('sandbox-bob').rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issueNumber });
    expect(incident.body).toContain('Postmortem draft');
    // A real link in the visible timeline (not only in the hidden state): escaped label, bare URL.
    const visible = (incident.body ?? '').split('<!-- firewatch:state')[0] ?? '';
    expect(visible).toContain(`Postmortem draft: [acme/post\\_mortems#${pull.number}](${pull.html_url})`);
    expect(visible).not.toContain('post\\_mortems/pull');
  }, 40_000);

  it('refreshes the same PR after a human edit, keeping the human text', async () => {
    const alice = as('sandbox-alice');
    const current = await fileOnBranch(path, branch);
    const { data: meta } = await alice.rest.repos.getContent({ ...pm, path, ref: branch });
    const edited = current.replace('## What went well\n\n_…_', '## What went well\n\nThe rollback took two minutes.');
    expect(edited).not.toBe(current);
    await alice.rest.repos.createOrUpdateFileContents({ ...pm, path, branch, message: 'What went well', content: Buffer.from(edited).toString('base64'), sha: (meta as { sha: string }).sha });

    await command(issueNumber, '/followup Alert on payment timeouts', /Follow-up/i);
    await command(issueNumber, '/postmortem', /Postmortem refreshed/);
    const { data: pulls } = await alice.rest.pulls.list({ ...pm, state: 'all' });
    expect(pulls).toHaveLength(1);
    const text = await fileOnBranch(path, branch);
    expect(text).toContain('The rollback took two minutes.');
    expect(text).toMatch(/- \[ \] \[acme\/shop#\d+\]\([^)]+\) Alert on payment timeouts/);

    // Again with nothing changed: planned as no write, so the branch keeps its commit.
    const head = async () => (await alice.rest.git.getRef({ ...pm, ref: `heads/${branch}` })).data.object.sha;
    const before = await head();
    await command(issueNumber, '/postmortem', /📝 Postmortem \[[^\]]+\]\([^)]+\) is up to date\./);
    expect(await head()).toBe(before);
    expect(await fileOnBranch(path, branch)).toBe(text);
  }, 30_000);

  it('marks it reviewed and ready for review with /postmortem reviewed', async () => {
    await command(issueNumber, '/postmortem reviewed', /marked reviewed/);
    const { data: pulls } = await as('sandbox-alice').rest.pulls.list({ ...pm, state: 'all' });
    expect(pulls[0]?.draft).toBe(false);
    const text = await fileOnBranch(path, branch);
    expect(matter(text).data['status']).toBe('reviewed');
    expect(await fileOnBranch('README.md', branch)).toBe(await fileOnBranch('README.md', 'main'));
  }, 30_000);

  it('after the merge, refreshes only when generated data changed, with one follow-up PR', async () => {
    const alice = as('sandbox-alice');
    const { data: [pull] } = await alice.rest.pulls.list({ ...pm, state: 'open' });
    await alice.rest.pulls.merge({ ...pm, pull_number: pull!.number });
    // Merged: its row is written into the index on the default branch, with the merged status.
    const readme = await eventually(async () => {
      const text = await fileOnBranch('README.md', 'main');
      return text.includes(path) ? text : undefined;
    }, 'the index row on main');
    expect(readme).toContain('Blameless postmortems for acme incidents');
    expect(readme).toMatch(new RegExp(`\\| 2026-01-14 \\| \\[checkout: Checkout errors after team-member-1 deploy\\]\\(${path.replace(/[.]/g, '\\.')}\\) \\| P2 \\| 1h 10m \\| reviewed \\|`));
    await command(issueNumber, '/postmortem', /merged and still matches the incident; nothing to refresh/);
    expect((await alice.rest.pulls.list({ ...pm, state: 'all' })).data).toHaveLength(1);

    await command(issueNumber, '/note -1h the payment provider also reported errors', /note|timeline/i);
    await command(issueNumber, '/postmortem', /follow-up .* updates it/);
    const { data: pulls } = await alice.rest.pulls.list({ ...pm, state: 'all' });
    expect(pulls).toHaveLength(2);
    const followup = pulls.find((p) => p.state === 'open')!;
    expect(followup).toMatchObject({ draft: true, head: { ref: branch } });
    const text = await fileOnBranch(path, branch);
    expect(text).toContain('The rollback took two minutes.');
    expect(text).toContain('the payment provider also reported errors');
    expect(matter(text).data['status']).toBe('reviewed');
  }, 30_000);

  it('drafts nothing on /resolve after /postmortem skip', async () => {
    const alert = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Duplicate page for search', severity: 'P3', service: 'search' }),
    });
    expect(alert.status).toBeLessThan(300);
    const issue = await eventually(async () => {
      const { data } = await as('sandbox-bob').rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'open' });
      return data.find((i) => i.title.includes('Duplicate page'));
    }, 'the second incident');
    await command(issue.number, '/postmortem skip duplicate of the checkout incident', /No postmortem for this incident: duplicate of the checkout incident/);
    const reply = await command(issue.number, '/resolve', /Resolved/i);
    expect(reply).not.toContain('Postmortem');
    expect((await as('sandbox-alice').rest.pulls.list({ ...pm, state: 'all' })).data).toHaveLength(2);
  }, 30_000);

  it('previews the file with the CLI', async () => {
    const { main } = await import('../../src/runtimes/cli/main.ts');
    let out = '';
    const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((out += s), true) }, env: {}, untilStopped: () => new Promise<string>(() => {}) } as never;
    const code = await main(['postmortem', 'render', '--repo', 'acme/shop', '--issue', String(issueNumber), '--api-url', running.sandbox.apiUrl, '--token', 'sandbox-alice'], io);
    expect(code).toBe(0);
    expect(matter(out).data['incident']).toBe(`acme/shop#${issueNumber}`);
    expect(out).toContain('The rollback took two minutes.');
  }, 20_000);

  it('drafts the postmortem when alice closes a P2 incident by hand in GitHub', async () => {
    const alert = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Payments timing out', severity: 'P2', service: 'payments' }),
    });
    expect(alert.status).toBeLessThan(300);
    const issue = await eventually(async () => {
      const { data } = await as('sandbox-bob').rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'open' });
      return data.find((i) => i.title.includes('Payments timing out'));
    }, 'the incident closed by hand');
    const alice = as('sandbox-alice');
    await alice.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issue.number, state: 'closed', state_reason: 'completed' });

    // The PR is opened, then labelled (GitHub takes no labels when opening one): wait for both.
    const pull = await eventually(async () => {
      const { data } = await alice.rest.pulls.list({ ...pm, state: 'open' });
      return data.find((p) => p.head.ref === `postmortem/shop-${issue.number}` && p.labels.length > 0);
    }, 'the labelled postmortem PR of the incident closed by hand');
    expect(pull.draft).toBe(true);
    expect(pull.title).toBe('Postmortem: payments: Payments timing out');
    expect(pull.labels.map((label) => label.name)).toEqual(['postmortem']);

    const link = `Postmortem draft: [acme/post\\_mortems#${pull.number}](${pull.html_url})`;
    // The PR is opened before the incident is written: wait for the write.
    const closed = await eventually(async () => {
      const { data } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue.number });
      return data.body?.includes(link) ? data : undefined;
    }, 'the postmortem link in the incident body');
    expect(closed.state).toBe('closed');
    expect(closed.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('status:resolved');
    const recorded = await eventually(async () => {
      const { data: comments } = await alice.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number, per_page: 100 });
      return comments.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes('Recorded a change'));
    }, 'the comment recording the close');
    expect(recorded.body).toContain(`📝 Postmortem drafted: [acme/post\\_mortems#${pull.number}](${pull.html_url})`);
  }, 30_000);

  it('two drafts open at once never conflict, and both are indexed once merged, in either order', async () => {
    const alice = as('sandbox-alice');
    const numbers: number[] = [];
    for (const title of ['Search down after index rebuild', 'Login slow for EU users']) {
      const alert = await fetch(`${running.server.url}/alerts/generic`, {
        method: 'POST',
        headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
        body: JSON.stringify({ title, severity: 'P2', service: 'search' }),
      });
      expect(alert.status).toBeLessThan(300);
      const issue = await eventually(async () => {
        const { data } = await as('sandbox-bob').rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'open' });
        return data.find((i) => i.title.includes(title));
      }, title);
      numbers.push(issue.number);
    }
    for (const number of numbers) await command(number, '/resolve', /Postmortem drafted/);
    const drafts = await eventually(async () => {
      const { data } = await alice.rest.pulls.list({ ...pm, state: 'open' });
      const ours = data.filter((p) => numbers.some((n) => p.head.ref === `postmortem/shop-${n}`));
      return ours.length === 2 ? ours : undefined;
    }, 'two open drafts');
    // Reviewed (ready for review), then merged, the later one first: each merges cleanly, and each lands in the index.
    for (const number of numbers) await command(number, '/postmortem reviewed', /marked reviewed/);
    for (const pull of [...drafts].reverse()) {
      const { data: merged } = await alice.rest.pulls.merge({ ...pm, pull_number: pull.number });
      expect(merged.merged).toBe(true);
    }
    const readme = await eventually(async () => {
      const text = await fileOnBranch('README.md', 'main');
      return ['search-down-after-index-rebuild', 'login-slow-for-eu-users'].every((slug) => text.includes(slug)) ? text : undefined;
    }, 'both rows in the index');
    for (const slug of ['search-down-after-index-rebuild', 'login-slow-for-eu-users']) {
      expect(readme.split('\n').filter((line) => line.startsWith('| 2026-01-14 |') && line.includes(slug))).toHaveLength(1);
    }
  }, 60_000);
});
