/**
 * The real Prometheus Alertmanager (Debian's prometheus-alertmanager) sends its webhook to
 * firewatch, which files into the sandbox: groups become one incident each, and resolving the
 * alerts posts one timeline comment at once. The coalescing window is a minute here, far longer
 * than the 5 s default, so an update that waited for it could not pass for a prompt one.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { startAlertmanager, type PostableAlert, type RunningAlertmanager } from '../support/alertmanager.ts';
import { eventually } from '../support/processes.ts';
import { needs } from '../support/components.ts';

let firewatch: Sandboxed;
let alertmanager: RunningAlertmanager;
let alice: Octokit;

const errors: PostableAlert[] = ['web-1', 'web-2'].map((instance) => ({
  labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', instance },
  annotations: { summary: 'Checkout errors above 5%', runbook_url: 'https://runbooks.example/checkout' },
}));
const DESCRIPTION = 'Disk /var/lib/postgresql on db-1 is 97% full | *growing* 2%/h.\nAsk @acme/dba before deleting <anything>; see `df -h`.';
const disk: PostableAlert[] = [
  { labels: { alertname: 'DiskFull', service: 'db', severity: 'warning', instance: 'db-1' }, annotations: { summary: 'Disk almost full on db-1', description: DESCRIPTION } },
];

needs('alertmanager', 'with a real Alertmanager', () => {
beforeAll(async () => {
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', queue: { coalesceMs: 60_000 } });
  alertmanager = await startAlertmanager({ webhookUrl: `${firewatch.server.url}/alerts/alertmanager`, bearerToken: 'sandbox-alerts', groupBy: ['alertname'] });
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice' });
}, 30_000);

afterAll(async () => {
  await alertmanager?.stop();
  await firewatch?.close();
});

async function incidents() {
  const { data } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'all' });
  return data;
}

describe('Alertmanager → firewatch → sandbox GitHub', () => {
  it('opens one incident per alert group, with every alert of the group in its table', async () => {
    await alertmanager.postAlerts([...errors, ...disk]);
    const issues = await eventually(async () => {
      const found = await incidents();
      const errorsIssue = found.find((issue) => issue.title === '[P1] checkout: HighErrorRate');
      return errorsIssue && parseStateBlock(errorsIssue.body)?.alerts.length === 2 && found.some((issue) => issue.title === '[P3] db: DiskFull') ? found : undefined;
    }, 'both incidents, the first with both alerts', 20_000);
    expect(issues).toHaveLength(2);
    const errorsIssue = issues.find((issue) => issue.title.includes('HighErrorRate'));
    expect(errorsIssue?.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual(['incident', 'sev:P1', 'status:triggered']);
    expect(errorsIssue?.body).toContain('`instance=web-1`');
    expect(errorsIssue?.body).toContain('`instance=web-2`');
    expect(errorsIssue?.body).toContain('[runbook](https://runbooks.example/checkout)');
    expect(errorsIssue?.body).toMatch(/\[silence\]\(http:\/\/127\.0\.0\.1:\d+\/#\/silences\/new/);
    expect(errorsIssue?.body).toMatch(/firewatch fingerprint: (fw(fp|gk)[0-9a-f]{24} ?){3}/);
    const state = parseStateBlock(errorsIssue?.body);
    expect(state?.groupKeys).toHaveLength(1);
  }, 30_000);

  it('posts one timeline comment as soon as the group resolves (a quiet incident is not held back), and keeps the incident open', async () => {
    const errorsIssue = (await incidents()).find((issue) => issue.title.includes('HighErrorRate'));
    const resolvedAt = performance.now();
    await alertmanager.resolveAlerts(errors);
    const comments = await eventually(async () => {
      const { data } = await alice.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: errorsIssue?.number ?? 0 });
      const fromIntake = data.filter((comment) => comment.body?.includes('<!-- firewatch:event {"type":"alert-'));
      return fromIntake.length > 0 ? fromIntake : undefined;
    }, 'the resolution comment', 20_000);
    // Alertmanager sends it within its 1 s group interval; filing takes a moment more. Held for the window, it would take a minute.
    expect(performance.now() - resolvedAt).toBeLessThan(15_000);
    await firewatch.server.alertQueue.idle();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/All 2 alerts have resolved: \*\*HighErrorRate\*\*\. The incident stays open until someone resolves it\./);
    expect(comments[0]?.user?.login).toBe('firewatch[bot]');
    const { data: issue } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: errorsIssue?.number ?? 0 });
    expect(issue.state).toBe('open');
    expect(parseStateBlock(issue.body)?.alerts.every((alert) => alert.status === 'resolved')).toBe(true);
    // The disk alert's incident is untouched.
    expect((await incidents()).filter((i) => i.state === 'open')).toHaveLength(2);
  }, 30_000);

  it("shows the alert's summary and description in the incident body, escaped and without pinging anyone (issue 14, item 1)", async () => {
    const issue = (await incidents()).find((i) => i.title === '[P3] db: DiskFull');
    const body = issue?.body ?? '';
    expect(body).toContain('Disk almost full on db-1');
    expect(body).toContain('> Disk /var/lib/postgresql on db-1 is 97% full \\| \\*growing\\* 2%/h.\n> Ask `@acme/dba` before deleting &lt;anything&gt;; see \\`df -h\\`.');
    expect(body).not.toMatch(/(^|[^`])@acme\/dba/);
  });

  it('says so when /resolve closes an incident whose alert still fires, and shows the alert truthfully until Alertmanager resolves it (issue 14, item 3)', async () => {
    const bob = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-bob' });
    const issue = (await incidents()).find((i) => i.title === '[P3] db: DiskFull');
    const number = issue?.number ?? 0;
    const { data: posted } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: number, body: '/resolve disk cleaned up' });
    const reply = await eventually(async () => {
      await firewatch.sandbox.idle();
      const { data } = await alice.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: number, per_page: 100 });
      return data.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes(`"replyTo":${posted.id}`));
    }, 'the reply to /resolve');
    expect(reply.body).toContain('✅ **Resolved**: disk cleaned up. The issue is closed as completed. ⚠️ 1 alert still firing; resolving anyway');
    const { data: closed } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: number });
    expect(closed.state).toBe('closed');
    expect(closed.body).toMatch(/\| Resolved \(1 alert still firing; resolving anyway\): disk cleaned up \(bob\) \|/);
    expect(closed.body).toMatch(/\| DiskFull \| 🔴 still firing \|/);
    expect(closed.body).toContain('⚠️ The incident was resolved while 1 alert was still firing');

    await alertmanager.resolveAlerts(disk);
    const updated = await eventually(async () => {
      await firewatch.server.alertQueue.idle();
      const { data } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: number });
      return data.body?.includes('| DiskFull | ✅ resolved |') ? data : undefined;
    }, 'the row resolved once Alertmanager says so', 20_000);
    expect(updated.state).toBe('closed');
    expect(updated.body).not.toContain('🔴 still firing');
    expect(updated.body).not.toContain('⚠️ The incident was resolved while');
  }, 40_000);
});
});
