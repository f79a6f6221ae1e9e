/**
 * `firewatch demo` against a running firewatch and sandbox (what `npm start` starts): the tour
 * plays the whole incident, prints what happened after each step, and leaves the incident, its
 * postmortem PR, the status page, the inbox and the escalation in the sandbox for a person to see.
 * When firewatch is not there, or does not react, it says so in one line instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { Sandbox } from '@firewatch/sandbox';
import { freePort } from '../support/processes.ts';
import { runCli } from '../support/cli.ts';

// Wednesday 10:00 UTC: business hours (ack within 5 minutes), carol's week on the primary rotation.
const NOW = new Date('2026-03-04T10:00:00.000Z');
let running: Sandboxed;
let alice: Octokit;
const urls = () => ['--app-url', running.server.url, '--sandbox-url', running.sandbox.url];

beforeAll(async () => {
  // GitHub's limits in force, as `npm start` runs them (a tour makes about 55 content-creating
  // requests, and moves the clock 11 minutes on at its end). Any refusal fails the test.
  running = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', now: NOW, limits: { preset: 'github' } });
  alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 } });
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe('firewatch demo', () => {
  it('plays a whole incident and leaves every effect in the sandbox', async () => {
    const result = await runCli(['demo', ...urls(), '--timeout', '60']);
    expect(result.err).toBe('');
    expect(result.code, result.out).toBe(0);
    const out = result.out;
    const link = (path: string) => `   → ${running.sandbox.url}${path}`;

    expect(out).toContain('   ✓ incident #10 opened: "[P2] checkout: Checkout error rate above 5%" [incident, sev:P2, status:triggered]');
    expect(out).toContain('   ✓ assigned to who is on call now: @carol');
    expect(out).toContain(link('/acme/shop/issues/10'));
    expect(out).toMatch(/ {3}✓ top suspect: #7 "Reserve inventory before authorizing payment" \(\d+%\)/);
    expect(out).toContain('   ✓ firewatch: ✅ Acknowledged by @bob: status acknowledged, assigned to them.');
    expect(out).toContain('   ✓ firewatch: 🌡️ Severity P2 → P1: every card checkout fails.');
    expect(out).toContain('   ✓ firewatch: 🧭 @alice is now the incident commander, assigned to the issue.');
    expect(out).toContain('   ✓ firewatch: 📝 Noted at 2026-03-04 09:40 UTC: first customer reports in support');
    expect(out).toContain('   ✓ status page: checkout is outage');
    expect(out).toContain('   ✓ firewatch: ↩️ Opened #11 [rollback] Revert "Reserve inventory before authorizing payment" to roll back #7.');
    expect(out).toContain('   ✓ alice merged #11; firewatch: ✅ Rollback #11 (reverting acme/shop#7) merged by alice.');
    expect(out).toContain('   ✓ issue #10 is closed, [incident, sev:P1, status:resolved]');
    expect(out).toMatch(/ {3}✓ acme\/post_mortems#1 "Postmortem: checkout: Checkout error rate above 5%" adds postmortems\/2026\/2026-03-04-[\w-]+\.md/);
    expect(out).toContain('   ✓ status page: checkout is operational again');
    expect(out).toContain('   ✓ notifications received by the sandbox inbox: opened, severity, status-update, resolved');
    expect(out).toContain(link('/notifications'));
    expect(out).toContain('   ✓ carol: /oncall → primary `@carol` Mon 2026-03-09 09:00 UTC');
    expect(out).toContain('   ✓ firewatch: 🚨 Ack SLO breached: this incident was not acknowledged within 5 minutes (business hours; due Wed 2026-03-04 10:05 UTC).');
    expect(out).toContain('   ✓ Escalating: @bob, please help.');
    expect(out).toMatch(/\nTour complete in \d+ s: incidents #10 \(resolved, postmortem acme\/post_mortems#1\) and #12 \(escalated, still open: try \/ack as carol\)\.\n/);

    // Under GitHub's limits, and no request of firewatch's refused by one.
    expect(await (await fetch(`${running.sandbox.url}/_sandbox/stats`)).json()).toMatchObject({ limited: 0 });

    // What a person finds in the sandbox afterwards.
    const { data: incident } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: 10 });
    expect(incident.state).toBe('closed');
    expect(incident.labels.map((label) => (typeof label === 'string' ? label : label.name)).sort()).toEqual(['incident', 'sev:P1', 'status:resolved']);
    expect(incident.assignees?.map((user) => user.login).sort()).toEqual(['alice', 'bob', 'carol']);
    const comments = await alice.paginate(alice.rest.issues.listComments, { owner: 'acme', repo: 'shop', issue_number: 10 });
    expect(comments.filter((c) => c.user?.login === 'firewatch[bot]').map((c) => (c.body ?? '').split('\n')[0])).toEqual(
      expect.arrayContaining(['📝 Noted at 2026-03-04 09:40 UTC: first customer reports in support', expect.stringMatching(/^✅ \*\*Resolved\*\*: Reverted #7/)]),
    );
    expect((await alice.rest.pulls.get({ owner: 'acme', repo: 'shop', pull_number: 11 })).data.merged).toBe(true);

    const [postmortem] = (await alice.rest.pulls.list({ owner: 'acme', repo: 'post_mortems', state: 'all' })).data;
    const files = (await alice.rest.pulls.listFiles({ owner: 'acme', repo: 'post_mortems', pull_number: postmortem?.number ?? 0 })).data;
    expect(files).toHaveLength(1);
    const file = await alice.rest.repos.getContent({ owner: 'acme', repo: 'post_mortems', path: files[0]?.filename ?? '', ref: postmortem?.head.ref ?? '' });
    const text = Buffer.from((file.data as { content: string }).content, 'base64').toString('utf8');
    expect(text).toContain('severity: P1');
    expect(text).toContain('Checkout error rate above 5%');
    expect(text).not.toContain('alice'); // redacted: people are pseudonyms

    const status = (await (await fetch(`${running.sandbox.url}/acme.github.io/shop/status.json`)).json()) as { services: { name: string; level: string }[] };
    expect(status.services.map((s) => `${s.name}:${s.level}`)).toEqual(['checkout:operational', 'payments:operational']);
    const inbox = await (await fetch(`${running.sandbox.url}/notifications`)).text();
    expect(inbox).toContain('P2 incident opened: Checkout error rate above 5%');
    expect(inbox).toContain('P2 incident opened: Payment capture latency high');

    const { data: escalated } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: 12 });
    expect(escalated.state).toBe('open');
    expect(escalated.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('slo:breached');
  }, 240_000);

  it('plays again from the seed world: a second run gives the same incident numbers', async () => {
    const result = await runCli(['demo', ...urls(), '--timeout', '60']);
    expect(result.code, `${result.out}\n${result.err}`).toBe(0);
    expect(result.out).toContain('   ✓ incident #10 opened:');
    expect(result.out).toContain('#12 (escalated');
  }, 240_000);

  it('says in one line when firewatch does not react within the timeout', async () => {
    // Webhooks go nowhere: the alert still opens the incident, but no comment reaches firewatch.
    running.sandbox.setWebhookTarget(undefined);
    try {
      const result = await runCli(['demo', ...urls(), '--timeout', '15']);
      expect(result.code).toBe(1);
      expect(result.out).toContain('3. bob acknowledges: he is on it');
      expect(result.err).toBe(`error: waited 15 s for firewatch's reply to "/ack", and it did not come. Is this firewatch running against this sandbox (npm start)? Its log says what it did; --timeout gives it longer.\n`);
    } finally {
      running.sandbox.setWebhookTarget(running.server.webhookUrl);
    }
  }, 60_000);

  it('tells the user to start firewatch when nothing listens', async () => {
    const sandbox = await Sandbox.start({ port: 0, webhookSecret: 'demo-test' });
    try {
      const appUrl = `http://127.0.0.1:${await freePort()}`;
      const result = await runCli(['demo', '--app-url', appUrl, '--sandbox-url', sandbox.url]);
      expect(result.code).toBe(1);
      expect(result.out).toBe('');
      expect(result.err).toBe(`error: cannot reach firewatch at ${appUrl}: start it with \`npm start\` in another terminal (or pass --app-url / --sandbox-url)\n`);
    } finally {
      await sandbox.close();
    }
  }, 30_000);
});
