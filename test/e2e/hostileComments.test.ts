/**
 * Comments and bodies written to hurt, through the sandbox as GitHub would deliver them (issue 16
 * items 5 and 12): text that made a backtracking pattern hold the event loop for seconds, and a
 * command hidden in an HTML comment that GitHub does not show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops();
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

/**
 * The longest wait between two answers of `/healthz`, asked one after another while `work` ran
 * and every webhook it caused was handled. The sandbox and the app share this process, so a
 * blocked event loop shows as one long wait, whenever it falls.
 */
async function slowestHealthz(work: () => Promise<void>): Promise<number> {
  const url = `${chat.running.server.url}/healthz`;
  let slowest = 0;
  let done = false;
  const probe = (async () => {
    let last = performance.now();
    while (!done) {
      const response = await fetch(url);
      await response.text();
      expect(response.status).toBe(200);
      const now = performance.now();
      slowest = Math.max(slowest, now - last);
      last = now;
    }
  })();
  await work();
  await chat.settle();
  done = true;
  await probe;
  return slowest;
}

// Before the fix each of these held the event loop for seconds; a loaded machine answers in well under one.
const RESPONSIVE_MS = 1_500;

describe('hostile comments and bodies', () => {
  it('a comment of 65,000 spaces and an x is handled at once, and /healthz stays responsive', async () => {
    const number = await chat.incident('Checkout fails', 'P2');
    const before = (await chat.comments(number)).length;
    const slowest = await slowestHealthz(async () => {
      await chat.as('eve').rest.issues.createComment({ ...chat.repo, issue_number: number, body: `${' '.repeat(65_000)}x` });
    });
    expect(slowest).toBeLessThan(RESPONSIVE_MS);
    // Not a command: nothing to answer.
    expect((await chat.comments(number)).length).toBe(before + 1);
  });

  it('a body its author padded with 60,000 newlines does not stall the next write', async () => {
    const { data } = await chat.as('eve').rest.issues.create({ ...chat.repo, title: 'Checkout is slow', body: 'Since 09:00.' });
    await chat.settle();
    expect((await chat.say('bob', data.number, '/incident P2 Checkout is slow service=checkout')).reactions).toContain('rocket');
    const { body } = await chat.view(data.number);
    const slowest = await slowestHealthz(async () => {
      await chat.as('eve').rest.issues.update({ ...chat.repo, issue_number: data.number, body: `${body}${'\n'.repeat(60_000)}x` });
      await chat.settle();
      const { reactions } = await chat.say('bob', data.number, '/note db failover started');
      expect(reactions).toContain('rocket');
    });
    expect(slowest).toBeLessThan(RESPONSIVE_MS);
    expect((await chat.view(data.number)).incident?.timeline.map((entry) => entry.text)).toContain('db failover started');
  });

  it('does not run a command hidden in an HTML comment opened mid-line', async () => {
    const number = await chat.incident('Payments slow', 'P2');
    const { reply, reactions } = await chat.say('bob', number, 'Looks fine <!--\n/severity P5\n-->');
    expect(reply).toBe('');
    expect(reactions).toEqual([]);
    expect((await chat.view(number)).labels).toContain('sev:P2');
    // A command GitHub shows still runs, on the line after the comment closed.
    const visible = await chat.say('bob', number, 'Looks fine <!-- an aside -->\n/severity P1 checkout down');
    expect(visible.reactions).toContain('rocket');
    expect((await chat.view(number)).labels).toContain('sev:P1');
    const replies = (await chat.comments(number)).filter((c) => c.user?.login === BOT && parseEventMarker(c.body)?.type === 'command-reply');
    expect(replies.every((c) => !(c.body ?? '').includes('P5'))).toBe(true);
  });
});
