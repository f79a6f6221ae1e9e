/**
 * The newcomer's path, over HTTP only: `firewatch serve` with no credentials starts the sandbox
 * and the app; a curl-style alert opens an incident issue; bob comments /help and gets a reply.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningFirewatch, startFirewatch } from '../support/processes.ts';

let firewatch: RunningFirewatch;

beforeAll(async () => {
  firewatch = await startFirewatch();
}, 60_000);

afterAll(async () => {
  await firewatch?.stop();
});

describe('firewatch serve (sandbox mode)', () => {
  it('prints the URLs, the seeded users and copy-paste lines at start-up', () => {
    const out = firewatch.output();
    expect(out).toContain(firewatch.appUrl);
    expect(out).toContain(firewatch.sandboxUrl);
    for (const token of ['sandbox-alice', 'sandbox-bob', 'sandbox-carol', 'sandbox-eve']) expect(out).toContain(token);
    expect(out).toMatch(/curl .*\/alerts\/generic/);
    expect(out).toMatch(/curl .*\/help/);
  });

  it('goes alert → incident issue → /help by bob → reply', async () => {
    const alert = await fetch(`${firewatch.appUrl}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'HighErrorRate', severity: 'P2', service: 'checkout' }),
    });
    expect(alert.status).toBeLessThan(300);

    const bob = new Octokit({ baseUrl: firewatch.apiUrl, auth: 'sandbox-bob' });
    const issue = await eventually(async () => {
      const { data } = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'open' });
      return data.find((i) => i.title.includes('HighErrorRate'));
    }, 'the incident issue');
    expect(issue.title).toBe('[P2] checkout: HighErrorRate');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect(issue.body).toContain('checkout');
    expect(issue.body).toMatch(/<!-- firewatch:state \{.*\} -->\s*$/s);

    // The issue shows up on the sandbox web page a newcomer watches.
    const page = await (await fetch(`${firewatch.sandboxUrl}/acme/shop/issues/${issue.number}`)).text();
    expect(page).toContain('[P2] checkout: HighErrorRate');

    const { data: command } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: '/help' });
    const reply = await eventually(async () => {
      const { data } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number });
      // Other firewatch comments (e.g. suspected changes) may come first; the reply names its command.
      return data.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes(`"replyTo":${command.id}`));
    }, 'the /help reply');
    expect(reply.body).toContain('/help');
    expect(reply.body).toMatch(/<!-- firewatch:event \{.*\} -->/);

    const reactions = await eventually(async () => {
      const { data } = await bob.rest.reactions.listForIssueComment({ owner: 'acme', repo: 'shop', comment_id: command.id });
      const contents = data.map((r) => r.content);
      return contents.includes('rocket') ? contents : undefined;
    }, 'the 🚀 reaction on the command');
    expect(reactions).toContain('eyes');

    // The alert is counted once its filing is over: labels are tidied after the issue and its suspects comment.
    const metrics = await eventually(async () => {
      const text = await (await fetch(`${firewatch.appUrl}/metrics`)).text();
      return /firewatch_alerts_total\{source="generic",outcome="created"\} 1/.test(text) ? text : undefined;
    }, 'the alert counted in /metrics');
    expect(metrics).toMatch(/firewatch_alerts_total\{source="generic",outcome="created"\} 1/);
    expect(metrics).toMatch(/firewatch_commands_total\{command="help",outcome="ok"\} 1/);
    expect(metrics).toMatch(/firewatch_webhooks_total\{event="issue_comment"\} [1-9]/);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${firewatch.appUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', mode: 'sandbox' });
  });
});
