/**
 * Through the sandbox, as people use it: the body's "First steps" tick as each step happens
 * (issue 14, item 4), keeping what a human ticked or added; people firewatch means to notify are
 * mentioned for real, once, and everyone else is named as copyable inline code with no invisible
 * characters (issue 14, item 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
let number = 0;
beforeAll(async () => {
  chat = await startChatops();
  number = await chat.incident('Checkout fails for card payments', 'P3');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

/** The "First steps" boxes of the body, by their bold lead: ticked or not. */
async function steps(): Promise<Record<string, boolean>> {
  const { body } = await chat.view(number);
  const section = body.slice(body.indexOf('### First steps'), body.indexOf('<!-- firewatch:end first-steps -->'));
  return Object.fromEntries([...section.matchAll(/^- \[([ x])\] \*\*([^*]+)\*\*/gm)].map((match) => [match[2], match[1] === 'x']));
}

/** Real mentions GitHub would notify: `@login` not inside inline code. */
function mentions(text: string): string[] {
  const outsideCode = text.replace(/`[^`]*`/g, '');
  return [...outsideCode.matchAll(/(?<![\w`])@([A-Za-z0-9][\w-]*(?:\/[\w-]+)?)/g)].map((match) => match[1] ?? '');
}

describe('first steps', () => {
  it('start unticked', async () => {
    expect(await steps()).toEqual({ Acknowledge: false, 'Assess severity': false, Communicate: false, 'Check recent changes': false });
  });

  it('tick as each step happens, keeping a box and a line a human ticked or added', async () => {
    await chat.say('bob', number, '/ack');
    expect(await steps()).toMatchObject({ Acknowledge: true, 'Assess severity': false });

    // alice ticks "Communicate" by hand (she told support) and adds a step of her own.
    const { body } = await chat.view(number);
    const edited = body.replace('- [ ] **Communicate**', '- [x] **Communicate**').replace('<!-- firewatch:end first-steps -->', '- [ ] call the card processor\n<!-- firewatch:end first-steps -->');
    await chat.as('alice').rest.issues.update({ ...chat.repo, issue_number: number, body: edited });

    await chat.say('bob', number, '/sev P2 all card payments in the EU fail');
    expect(await steps()).toEqual({ Acknowledge: true, 'Assess severity': true, Communicate: true, 'Check recent changes': false });
    expect((await chat.view(number)).body).toContain('- [ ] call the card processor\n<!-- firewatch:end first-steps -->');

    await chat.say('carol', number, '/status investigating errors from the payment client');
    const { reply } = await chat.say('bob', number, '/deploys');
    expect(reply).toContain('Suspected changes');
    expect(await steps()).toEqual({ Acknowledge: true, 'Assess severity': true, Communicate: true, 'Check recent changes': true });
    expect((await chat.view(number)).body).toContain('- [ ] call the card processor');
  }, 60_000);
});

describe('mentions', () => {
  it('notify a newly named commander and an escalation target for real, once; everyone else is inline code', async () => {
    const commander = await chat.say('bob', number, '/commander @carol');
    expect(commander.reply).toContain('🧭 @carol is now the **incident commander**');
    expect(mentions(commander.reply)).toEqual(['carol']);

    const escalated = await chat.say('bob', number, '/escalate @alice need someone who knows the payment client');
    expect(escalated.reply).toContain('🆘 Escalated to @alice');
    expect(mentions(escalated.reply)).toEqual(['alice']);

    const note = await chat.say('bob', number, '/note asked @acme/everyone and @dave on chat');
    expect(mentions(note.reply)).toEqual([]);
    expect(note.reply).toContain('`@acme/everyone` and `@dave`');

    const { body } = await chat.view(number);
    expect(body).toContain('| **Incident commander** | `@carol` |');
    expect(mentions(body)).toEqual([]);
  }, 60_000);

  it('never carry an invisible character: what a reader copies is what they see', async () => {
    const { body } = await chat.view(number);
    const comments = await chat.comments(number);
    for (const text of [body, ...comments.map((comment) => comment.body ?? '')]) expect(text).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
  });
});
