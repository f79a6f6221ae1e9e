/**
 * Issue events as GitHub records them: what users do through the REST API shows up in
 * `/issues/{n}/events` and `/issues/{n}/timeline` (with comments and cross-references), and in the
 * repository's event list, in GitHub's published response shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { expectMatchesOpenApi } from '../support/openapi.ts';
import { octokitFor, startSandbox } from './support.ts';

const repo = { owner: 'acme', repo: 'shop' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ now: new Date('2026-03-01T10:00:00Z') });
});
afterAll(async () => {
  await sandbox?.close();
});

type Event = { event: string; actor?: { login: string } | null; label?: { name: string }; assignee?: { login: string }; rename?: { from: string; to: string }; state_reason?: string | null; lock_reason?: string | null; commit_id?: string | null; source?: { issue?: { number: number } }; body?: string };

function summary(events: Event[]): string[] {
  return events.map((e) =>
    [e.actor?.login, e.event, e.label?.name, e.assignee?.login, e.rename && `${e.rename.from}→${e.rename.to}`, e.state_reason, e.lock_reason, e.source?.issue && `#${e.source.issue.number}`, e.body]
      .filter((part) => part !== undefined && part !== null)
      .join(' '),
  );
}

describe('issue events', () => {
  it('records labels, assignees, renames, closes (with reason), reopens and locks, by who did them', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const carol = octokitFor(sandbox, 'sandbox-carol');
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: 'Checkout fails', labels: ['incident'] });
    await carol.rest.issues.addAssignees({ ...repo, issue_number: issue.number, assignees: ['carol'] });
    await alice.rest.issues.setLabels({ ...repo, issue_number: issue.number, labels: ['incident', 'sev:P2'] });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, title: 'Checkout fails for cards' });
    await carol.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, state: 'open' });
    await alice.rest.issues.lock({ ...repo, issue_number: issue.number, lock_reason: 'too heated' });
    await alice.rest.issues.unlock({ ...repo, issue_number: issue.number });
    await alice.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'sev:P2' });
    await alice.rest.issues.removeAssignees({ ...repo, issue_number: issue.number, assignees: ['carol'] });
    await alice.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed' });

    const { data: events } = await alice.rest.issues.listEvents({ ...repo, issue_number: issue.number, per_page: 100 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues/{issue_number}/events', 200, events);
    expect(summary(events as Event[])).toEqual([
      'alice labeled incident',
      'carol assigned carol',
      'alice labeled sev:P2',
      'alice renamed Checkout fails→Checkout fails for cards',
      'carol closed not_planned',
      'alice reopened reopened',
      'alice locked too heated',
      'alice unlocked',
      'alice unlabeled sev:P2',
      'alice unassigned carol',
      'alice closed completed',
    ]);
  });

  it('the timeline interleaves comments and records where other issues mention this one', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: target } = await alice.rest.issues.create({ ...repo, title: 'Payments down' });
    await bob.rest.issues.createComment({ ...repo, issue_number: target.number, body: 'Looking.' });
    await alice.rest.issues.addLabels({ ...repo, issue_number: target.number, labels: ['bug'] });
    const { data: source } = await bob.rest.issues.create({ ...repo, title: 'Follow-up', body: `Caused by #${target.number}.` });
    // Mentioned again from the same issue, and inside code (ignored, as on GitHub): still one cross-reference.
    await bob.rest.issues.createComment({ ...repo, issue_number: source.number, body: `Still #${target.number}; not \`#${target.number}\`.` });

    const { data: timeline } = await alice.request('GET /repos/{owner}/{repo}/issues/{issue_number}/timeline', { ...repo, issue_number: target.number });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues/{issue_number}/timeline', 200, timeline);
    expect(summary(timeline as Event[])).toEqual(['bob commented Looking.', 'alice labeled bug', `bob cross-referenced #${source.number}`]);
    // Cross-references are timeline-only, as on GitHub.
    const { data: events } = await alice.rest.issues.listEvents({ ...repo, issue_number: target.number });
    expect(summary(events as Event[])).toEqual(['alice labeled bug']);
  });

  it('a merged pull request has merged and closed events with the merge commit; a pushed commit references an issue', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: 'Typo in README' });
    const { data: main } = await alice.rest.git.getRef({ ...repo, ref: 'heads/main' });
    await alice.rest.git.createRef({ ...repo, ref: 'refs/heads/fix-typo', sha: main.object.sha });
    const { data: readme } = await alice.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'fix-typo' });
    const sha = !Array.isArray(readme) && 'sha' in readme ? readme.sha : '';
    const { data: written } = await alice.rest.repos.createOrUpdateFileContents({ ...repo, path: 'README.md', branch: 'fix-typo', sha, message: `Fix the typo (fixes #${issue.number})`, content: Buffer.from('# shop\n').toString('base64') });
    const { data: pull } = await alice.rest.pulls.create({ ...repo, title: 'Fix typo', head: 'fix-typo', base: 'main' });
    const { data: merge } = await alice.rest.pulls.merge({ ...repo, pull_number: pull.number });

    const { data: referenced } = await alice.rest.issues.listEvents({ ...repo, issue_number: issue.number });
    expect(referenced.map((e) => [e.event, e.actor?.login, e.commit_id])).toEqual([['referenced', 'alice', written.commit.sha]]);
    const { data: pullEvents } = await alice.rest.issues.listEvents({ ...repo, issue_number: pull.number });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues/{issue_number}/events', 200, pullEvents);
    expect(pullEvents.map((e) => [e.event, e.actor?.login, e.commit_id])).toEqual([
      ['merged', 'alice', merge.sha],
      ['closed', 'alice', merge.sha],
    ]);
  });

  it('lists the repository events newest first with their issue, and gets one by id', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: events } = await alice.rest.issues.listEventsForRepo({ ...repo, per_page: 5 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues/events', 200, events);
    const times = events.map((e) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    const first = events[0];
    const { data: one } = await alice.rest.issues.getEvent({ ...repo, event_id: first?.id ?? 0 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues/events/{event_id}', 200, one);
    expect(one.issue?.number).toBe(first?.issue?.number);
    await expect(alice.rest.issues.getEvent({ ...repo, event_id: 999_999_999 })).rejects.toMatchObject({ status: 404 });
  });
});
