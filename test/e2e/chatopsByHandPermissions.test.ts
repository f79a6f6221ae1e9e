/**
 * Changes made by hand in GitHub's UI follow the same permission table as the commands (issue 16,
 * item 8): carol (triage) may close or relabel the issue in GitHub, but that may not resolve,
 * cancel or reopen the incident when `/resolve`, `/cancel` or `/reopen` would be refused to her;
 * eve (read), as the author of an issue later declared an incident, may close it in GitHub but not
 * resolve it that way. Such a change is put back, with one comment saying why; bob and alice
 * (write, admin) still resolve by closing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { BOT, startChatops, type Chatops, type User } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

/** Our comments recording or refusing a change made in GitHub. */
async function changeComments(number: number): Promise<string[]> {
  return (await chat.comments(number)).filter((c) => c.user?.login === BOT && parseEventMarker(c.body)?.type === 'github-change').map((c) => c.body ?? '');
}

async function postmortemPulls(number: number) {
  const { data } = await chat.as('alice').rest.pulls.list({ owner: 'acme', repo: 'post_mortems', state: 'all' });
  return data.filter((pull) => pull.head.ref === `postmortem/shop-${number}`);
}

async function close(user: User, number: number, reason: 'completed' | 'not_planned' = 'completed'): Promise<void> {
  await chat.as(user).rest.issues.update({ ...chat.repo, issue_number: number, state: 'closed', state_reason: reason });
  await chat.settle();
}

describe('closing and relabelling by hand without the permission for it', () => {
  it('carol (triage) closing a P2 incident: reopened, not resolved, no postmortem, one comment saying why', async () => {
    const number = await chat.incident('Carol closes', 'P2');
    const before = await chat.view(number);
    await close('carol', number);
    const after = await chat.view(number);
    expect(after).toMatchObject({ state: 'open', labels: before.labels, incident: { status: before.incident?.status } });
    expect(after.incident?.resolvedAt ?? null).toBeNull();
    expect(await postmortemPulls(number)).toEqual([]);
    const comments = await changeComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('↩️ Put back a change `@carol` made in GitHub');
    expect(comments[0]).toContain('Closing the issue resolves the incident, which needs **write** access; `@carol` has **triage**. Reopened it: ask someone with write access to run `/resolve`.');
  });

  it('carol closing as not planned does not cancel it', async () => {
    const number = await chat.incident('Carol cancels');
    await close('carol', number, 'not_planned');
    expect(await chat.view(number)).toMatchObject({ state: 'open', labels: ['incident', 'sev:P3', 'status:triggered'], incident: { status: 'triggered' } });
    expect((await changeComments(number))[0]).toContain('Closing the issue as not planned cancels the incident, which needs **write** access');
  });

  it('carol adding status:resolved or status:canceled: the label is put back, the issue stays open', async () => {
    const number = await chat.incident('Carol labels');
    for (const label of ['status:resolved', 'status:canceled']) {
      await chat.as('carol').rest.issues.addLabels({ ...chat.repo, issue_number: number, labels: [label] });
      await chat.settle();
      expect(await chat.view(number)).toMatchObject({ state: 'open', labels: ['incident', 'sev:P3', 'status:triggered'], incident: { status: 'triggered' } });
    }
    const comments = await changeComments(number);
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain('`status:resolved` resolves the incident, which needs **write** access; `@carol` has **triage**. Put `status:triggered` back');
    expect(comments[1]).toContain('`status:canceled` cancels the incident, which needs **write** access');
  });

  it('carol reopening a resolved incident: closed again, still resolved', async () => {
    const number = await chat.incident('Carol reopens');
    const { reactions } = await chat.say('bob', number, '/resolve fixed');
    expect(reactions).toContain('rocket');
    const resolved = await chat.view(number);
    await chat.as('carol').rest.issues.update({ ...chat.repo, issue_number: number, state: 'open' });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'closed', stateReason: 'completed', labels: resolved.labels, incident: { status: 'resolved', resolvedAt: resolved.incident?.resolvedAt } });
    expect((await changeComments(number)).at(-1)).toContain('Reopening the issue reopens the incident, which needs **write** access; `@carol` has **triage**. Closed it again: ask someone with write access to run `/reopen`.');
  });

  it('eve (read), author of an issue later declared an incident, closing it: reopened, not resolved', async () => {
    const { data: issue } = await chat.as('eve').rest.issues.create({ ...chat.repo, title: 'Checkout is slow for me', body: 'Since this morning.' });
    await chat.settle();
    const { reactions } = await chat.say('alice', issue.number, '/incident P2 Checkout slow service=checkout');
    expect(reactions).toContain('rocket');
    await close('eve', issue.number);
    const after = await chat.view(issue.number);
    expect(after).toMatchObject({ state: 'open', incident: { status: 'triggered' } });
    expect(await postmortemPulls(issue.number)).toEqual([]);
    expect((await changeComments(issue.number))[0]).toContain('`@eve` has **read**. Reopened it');
  });

  it('a severity label needs what /severity needs: allowed to carol by default, put back once the config asks for write', async () => {
    const number = await chat.incident('Carol severity');
    await chat.as('carol').rest.issues.setLabels({ ...chat.repo, issue_number: number, labels: ['incident', 'sev:P1', 'status:triggered'] });
    await chat.settle();
    expect((await chat.view(number)).incident?.severity).toBe('P1');

    await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n  permissions:\n    severity: write\n');
    try {
      await chat.as('carol').rest.issues.setLabels({ ...chat.repo, issue_number: number, labels: ['incident', 'sev:P4', 'status:triggered'] });
      await chat.settle();
      expect(await chat.view(number)).toMatchObject({ labels: ['incident', 'sev:P1', 'status:triggered'], incident: { severity: 'P1' } });
      expect((await changeComments(number)).at(-1)).toContain('`sev:P4` changes the severity, which needs **write** access; `@carol` has **triage**. Put `sev:P1` back');
    } finally {
      await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n');
    }
  });
});

describe('closing by hand with the permission for it still works', () => {
  it('bob (write) closing resolves and keeps it closed', async () => {
    const number = await chat.incident('Bob closes');
    await close('bob', number);
    expect(await chat.view(number)).toMatchObject({ state: 'closed', stateReason: 'completed', labels: ['incident', 'sev:P3', 'status:resolved'], incident: { status: 'resolved' } });
    expect((await changeComments(number))[0]).toContain('📝 Recorded a change `@bob` made in GitHub');
  });

  it('alice (admin) adding status:resolved resolves and closes; reopening reopens', async () => {
    const number = await chat.incident('Alice labels');
    await chat.as('alice').rest.issues.addLabels({ ...chat.repo, issue_number: number, labels: ['status:resolved'] });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'closed', incident: { status: 'resolved' } });
    await chat.as('alice').rest.issues.update({ ...chat.repo, issue_number: number, state: 'open' });
    await chat.settle();
    expect(await chat.view(number)).toMatchObject({ state: 'open', incident: { status: 'triggered' } });
  });
});
