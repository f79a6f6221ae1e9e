/**
 * The server reads `.github/firewatch.yml` once for all its webhook handlers, and again as soon as
 * a push changes it.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatops, type Chatops } from './chatopsHarness.ts';

const CONTENTS = 'GET /repos/{owner}/{repo}/contents/{path}';
let chat: Chatops;

beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

function contentReads(): number {
  return chat.sandbox.stats().byRoute[CONTENTS] ?? 0;
}

describe('config reads', () => {
  it('commands and incident events share one read of the config', async () => {
    const number = await chat.incident('Shared config');
    chat.sandbox.resetStats();
    for (const note of ['one', 'two', 'three']) expect((await chat.say('bob', number, `/note ${note}`)).reactions).toContain('rocket');
    expect((await chat.say('bob', number, '/status identified')).reactions).toContain('rocket');
    // Four commands, and the issues.edited events their body updates caused: no read at all, the
    // one made when the incident was declared is still fresh.
    expect(contentReads()).toBe(0);
  });

  it('a push that changes the config takes effect at the next command', async () => {
    const number = await chat.incident('Config pushed');
    for (let i = 0; i < 2; i++) expect((await chat.say('carol', number, `/note before ${i}`)).reactions).toContain('rocket');
    await chat.writeConfig('commands:\n  rateLimit:\n    max: 2\n    windowSeconds: 600\n');
    const refused = await chat.say('carol', number, '/note after the push');
    expect(refused.reply).toContain('⏳ Slow down: `@carol` ran more than 2 commands in 600 seconds');
    await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\n');
    expect((await chat.say('carol', number, '/note allowed again')).reactions).toContain('rocket');
  });

  it('alerts filed after a push follow the new config at once', async () => {
    await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\nrouting:\n  labels: ["route:before"]\n');
    const first = await chat.alert('ConfigPushedBefore');
    await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\nrouting:\n  labels: ["route:after"]\n');
    const second = await chat.alert('ConfigPushedAfter');
    expect((await chat.view(first)).labels).toContain('route:before');
    const after = (await chat.view(second)).labels;
    expect(after).toContain('route:after');
    expect(after).not.toContain('route:before');
  });

  it('app.yml subscribes to push, so a registered app hears about config changes', () => {
    const manifest = load(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as { default_events: string[] };
    expect(manifest.default_events).toContain('push');
  });
});
