/**
 * Issue 16 item 9, as it was attacked: eve (read access) is the author of an issue later declared
 * an incident, so GitHub lets her edit its body, hidden state block included. She sets the status,
 * the commander and a timeline entry in alice's name with a raw link and image. firewatch must
 * not take any of it: the block is put back, the issue is told once, `/summary` shows only what
 * really happened, and bob's next command works from the real state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHiddenJson } from '../../src/domain/text/hiddenJson.ts';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { BOT, startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops();
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

/** The issue body with its state block's JSON changed by `change`, everything else (the seal field too) as it was. */
function tampered(body: string, change: (raw: Record<string, unknown>) => Record<string, unknown>): string {
  const block = stateBlock(body);
  return body.slice(0, block.start) + renderHiddenJson('state', change(block.raw)) + body.slice(block.end);
}

/** The last state block, found as a person editing the body would: by its marker. */
function stateBlock(body: string): { start: number; end: number; raw: Record<string, unknown> } {
  const start = body.lastIndexOf('<!-- firewatch:state ');
  const end = body.indexOf(' -->', start);
  if (start === -1 || end === -1) throw new Error('no state block');
  return { start, end: end + 4, raw: JSON.parse(body.slice(start + '<!-- firewatch:state '.length, end)) as Record<string, unknown> };
}

const FORGED_ENTRY = { at: '2026-01-14T09:10:00.000Z', type: 'note', actor: 'alice', text: 'Approved by alice: [runbook](https://evil.example/phish) ![pwn](https://evil.example/i.png)', markdown: true };

describe('an incident state block edited by someone other than firewatch', () => {
  let number: number;
  let sealedBody: string;

  beforeAll(async () => {
    const { data } = await chat.as('eve').rest.issues.create({ ...chat.repo, title: 'Checkout is slow for me', body: 'Since 09:00.' });
    number = data.number;
    await chat.settle();
    expect((await chat.say('bob', number, '/incident P2 Checkout is slow service=checkout')).reactions).toContain('rocket');
    expect((await chat.say('bob', number, '/note customers report timeouts')).reactions).toContain('rocket');
    sealedBody = (await chat.view(number)).body;
  }, 60_000);

  it('is written sealed by firewatch', () => {
    expect(stateBlock(sealedBody).raw['seal']).toMatch(/^v1\./);
  });

  it("is put back when eve edits the status, the commander and adds an entry in alice's name, and the issue is told once", async () => {
    const forged = tampered(sealedBody, (raw) => ({
      ...raw,
      status: 'resolved',
      resolvedAt: '2026-01-14T09:20:00.000Z',
      roles: { commander: 'eve', comms: null, responders: [] },
      timeline: [...(raw['timeline'] as unknown[]), FORGED_ENTRY],
    }));
    await chat.as('eve').rest.issues.update({ ...chat.repo, issue_number: number, body: `${forged}\n\nMore details from eve.` });
    await chat.settle();

    const after = await chat.view(number);
    expect(after.incident).toMatchObject({ status: 'triggered', severity: 'P2', roles: { commander: null } });
    expect(after.body).not.toContain('evil.example');
    expect(after.body).toContain('More details from eve.');
    expect(after.labels).toEqual(expect.arrayContaining(['status:triggered', 'sev:P2']));
    const notices = (await chat.comments(number)).filter((c) => c.user?.login === BOT && parseEventMarker(c.body)?.type === 'state-restored');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.body).toContain('changed the hidden state block at the end of this issue\'s description. Only firewatch writes it');
    expect(notices[0]?.body).toContain('firewatch put back its own last version (**P2**, **triggered**)');

    // The seal stripped this time: still not taken, and not announced again.
    const stripped = tampered((await chat.view(number)).body, ({ seal: _seal, ...raw }) => ({ ...raw, status: 'resolved', timeline: [...(raw['timeline'] as unknown[]), FORGED_ENTRY] }));
    await chat.as('eve').rest.issues.update({ ...chat.repo, issue_number: number, body: stripped });
    await chat.settle();
    expect((await chat.view(number)).incident?.status).toBe('triggered');
    expect((await chat.comments(number)).filter((c) => c.user?.login === BOT && parseEventMarker(c.body)?.type === 'state-restored')).toHaveLength(1);
  });

  it('never reaches /summary, and bob\'s next command works from the real state', async () => {
    const summary = await chat.say('bob', number, '/summary');
    expect(summary.reply).toContain('customers report timeouts');
    expect(summary.reply).not.toContain('Approved by alice');
    expect(summary.reply).not.toContain('evil.example');

    const status = await chat.say('bob', number, '/status investigating looking at the database');
    expect(status.reactions).toContain('rocket');
    const after = await chat.view(number);
    expect(after.incident).toMatchObject({ status: 'investigating', roles: { commander: null } });
    expect(after.labels).toEqual(expect.arrayContaining(['status:investigating', 'sev:P2']));
    expect(after.labels).not.toContain('status:resolved');
  });
});
