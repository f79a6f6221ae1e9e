/** The pacer alone, on a clock that moves only when the test moves it. */
import { describe, expect, it } from 'vitest';
import { createPacer, GITHUB_PACE, NO_PACE, type PaceLimits, type RequestCost } from '../../../src/adapters/octokit/githubPacer.ts';
import { costOf } from '../../../src/adapters/octokit/githubPolicy.ts';
import { newIncidentPriority, PRIORITY } from '../../../src/adapters/octokit/requestPriority.ts';
import { fakeClock } from '../../support/fakeTimers.ts';

const createIssue = costOf({ method: 'POST', url: '/repos/{owner}/{repo}/issues' }) as RequestCost;
const comment = costOf({ method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' }) as RequestCost;
const search = costOf({ method: 'GET', url: '/search/issues' }) as RequestCost;
const read = costOf({ method: 'GET', url: '/repos/{owner}/{repo}/issues/{issue_number}' }) as RequestCost;

/** Starts a request's wait for its turn; `granted` is when it got it (clock time), and it is answered at once. */
function request(pacer: ReturnType<typeof createPacer>, cost: RequestCost, priority: number, log: string[], name: string) {
  const result = { granted: undefined as number | undefined };
  void pacer.acquire(cost, { priority }).then((grant) => {
    result.granted = pacer.now();
    log.push(name);
    grant.done();
  });
  return result;
}

describe('the pacer', () => {
  it("sends 80 content-creating requests at once, then one more as each leaves GitHub's minute", async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const log: string[] = [];
    for (let i = 0; i < 80; i++) request(pacer, comment, PRIORITY.notice, log, `c${i}`);
    await clock.advance(0);
    expect(log).toHaveLength(80);
    const late = request(pacer, comment, PRIORITY.notice, log, 'c80');
    await clock.advance(59_999);
    expect(late.granted).toBeUndefined();
    await clock.advance(1);
    expect(late.granted).toBe(60_000);
  });

  it('starts over when the GitHub it paces for started its budgets afresh (the sandbox world was reset)', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const log: string[] = [];
    for (let i = 0; i < 80; i++) request(pacer, comment, PRIORITY.notice, log, `c${i}`);
    await clock.advance(0);
    const late = request(pacer, comment, PRIORITY.notice, log, 'c80');
    pacer.pause('content', 600_000);
    await clock.advance(1_000);
    expect(late.granted).toBeUndefined();
    pacer.forgetSpending();
    await clock.advance(0);
    expect(late.granted).toBe(1_000);
  });

  it('a refusal answered after the spending was forgotten takes back nothing else', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock, limits: { ...GITHUB_PACE, contentCreatingPerMinute: 2 } });
    const first = await pacer.acquire(comment, { priority: PRIORITY.notice });
    pacer.forgetSpending();
    const second = await pacer.acquire(comment, { priority: PRIORITY.notice });
    second.done();
    const third = await pacer.acquire(comment, { priority: PRIORITY.notice });
    third.done();
    first.refused();
    const log: string[] = [];
    const fourth = request(pacer, comment, PRIORITY.notice, log, 'fourth');
    await clock.advance(1_000);
    // Two were spent after the reset: the minute's budget of 2 is used, the refusal did not free one.
    expect(fourth.granted).toBeUndefined();
  });

  it('keeps to 500 content-creating requests an hour', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const log: string[] = [];
    const all = Array.from({ length: 501 }, (_, i) => request(pacer, comment, PRIORITY.notice, log, `c${i}`));
    await clock.advance(7 * 60_000);
    expect(log).toHaveLength(500);
    // Seven minutes of 80 would be 560: the hour's 500 binds, and the 501st waits for the first to leave the hour.
    expect(all[499]?.granted).toBe(6 * 60_000);
    await clock.advance(53 * 60_000);
    expect(all[500]?.granted).toBe(60 * 60_000);
  });

  it('when the budget binds, a new P1 incident goes before the P4s that were waiting, and P4s in the order they came', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock, limits: { ...GITHUB_PACE, contentCreatingPerMinute: 2 } });
    const log: string[] = [];
    request(pacer, createIssue, newIncidentPriority('P4'), log, 'P4 a');
    request(pacer, createIssue, newIncidentPriority('P4'), log, 'P4 b');
    request(pacer, createIssue, newIncidentPriority('P4'), log, 'P4 c');
    request(pacer, comment, PRIORITY.suspects, log, 'suspects');
    request(pacer, createIssue, newIncidentPriority('P4'), log, 'P4 d');
    request(pacer, comment, PRIORITY.sweep, log, 'sweep reminder');
    request(pacer, createIssue, newIncidentPriority('P2'), log, 'P2');
    request(pacer, createIssue, newIncidentPriority('P1'), log, 'P1');
    await clock.advance(0);
    expect(log).toEqual(['P4 a', 'P4 b']);
    await clock.advance(60_000);
    expect(log).toEqual(['P4 a', 'P4 b', 'P1', 'P2']);
    await clock.advance(120_000);
    expect(log).toEqual(['P4 a', 'P4 b', 'P1', 'P2', 'P4 c', 'P4 d', 'suspects', 'sweep reminder']);
  });

  it('a write waiting for the budget holds up no read, and searches have their own 30 a minute', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock, limits: { ...GITHUB_PACE, contentCreatingPerMinute: 1 } });
    const log: string[] = [];
    request(pacer, comment, PRIORITY.notice, log, 'first write');
    request(pacer, comment, PRIORITY.newIncidentP1, log, 'second write');
    request(pacer, read, PRIORITY.report, log, 'read');
    const searches = Array.from({ length: 31 }, (_, i) => request(pacer, search, PRIORITY.notice, log, `search ${i}`));
    await clock.advance(0);
    expect(log).toContain('read');
    expect(log).not.toContain('second write');
    expect(log.filter((name) => name.startsWith('search'))).toHaveLength(30);
    // GitHub's search window closes on a whole second after a minute: a second's margin.
    await clock.advance(60_000);
    expect(searches[30]?.granted).toBeUndefined();
    expect(log).toContain('second write');
    await clock.advance(1_000);
    expect(searches[30]?.granted).toBe(61_000);
  });

  it('after a refusal nothing of that budget goes before the pause ends; reads still go', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const log: string[] = [];
    pacer.pause('content', 5_000);
    const write = request(pacer, comment, PRIORITY.newIncidentP1, log, 'write');
    request(pacer, read, PRIORITY.report, log, 'read');
    await clock.advance(4_999);
    expect(log).toEqual(['read']);
    await clock.advance(1);
    expect(write.granted).toBe(5_000);
  });

  it('reads the limits in force on every decision (the sandbox switched to off: no waiting)', async () => {
    const clock = fakeClock();
    let limits: PaceLimits = { ...GITHUB_PACE, contentCreatingPerMinute: 1 };
    const pacer = createPacer({ clock, limits: () => limits });
    const log: string[] = [];
    request(pacer, comment, PRIORITY.notice, log, 'a');
    request(pacer, comment, PRIORITY.notice, log, 'b');
    await clock.advance(0);
    expect(log).toEqual(['a']);
    limits = { ...NO_PACE };
    pacer.recheck();
    await clock.advance(0);
    expect(log).toEqual(['a', 'b']);
  });

  it('a refused request spends nothing; close() refuses every waiter and leaves no timer', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock, limits: { ...GITHUB_PACE, contentCreatingPerMinute: 1 } });
    const first = await pacer.acquire(comment, { priority: PRIORITY.notice });
    first.refused();
    const second = await pacer.acquire(comment, { priority: PRIORITY.notice });
    second.done();
    const waiting = pacer.acquire(comment, { priority: PRIORITY.notice });
    await clock.advance(0);
    expect(pacer.waiting()).toBe(1);
    pacer.close();
    await expect(waiting).rejects.toThrow(/closed/);
    expect(clock.timers()).toBe(0);
  });
  it('keeps at most 100 requests in flight; the next goes as one is answered, the most urgent first', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const grants = await Promise.all(Array.from({ length: 100 }, () => pacer.acquire(read, { priority: PRIORITY.report })));
    const log: string[] = [];
    const waiting = ['report read', 'P1 issue'].map((name) =>
      pacer.acquire(name === 'P1 issue' ? createIssue : read, { priority: name === 'P1 issue' ? PRIORITY.newIncidentP1 : PRIORITY.report }).then((grant) => {
        log.push(name);
        return grant;
      }),
    );
    await clock.advance(60_000);
    expect(log).toEqual([]);
    expect(pacer.waiting()).toBe(2);
    grants[0]?.done();
    await clock.advance(0);
    expect(log).toEqual(['P1 issue']);
    // A refused request frees its slot too.
    grants[1]?.refused();
    await clock.advance(0);
    expect(log).toEqual(['P1 issue', 'report read']);
    for (const grant of await Promise.all(waiting)) grant.done();
  });

  it('a write waiting for its minute holds no slot from the reads behind it', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock, limits: { ...GITHUB_PACE, contentCreatingPerMinute: 1, concurrentRequests: 2 } });
    const log: string[] = [];
    request(pacer, comment, PRIORITY.notice, log, 'first write');
    await clock.advance(0);
    request(pacer, comment, PRIORITY.newIncidentP1, log, 'second write');
    request(pacer, read, PRIORITY.report, log, 'read a');
    request(pacer, read, PRIORITY.report, log, 'read b');
    await clock.advance(0);
    expect(log).toEqual(['first write', 'read a', 'read b']);
  });
});
