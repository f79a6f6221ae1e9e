/**
 * Publishing the status page to a branch through the git data API: on every public change of an
 * incident (hook), in one commit, keeping files the page does not own, and not at all when only
 * internal things changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishStatusPage } from '../../src/features/statusPage/publishStatusPage.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops(new Date('2026-03-01T10:00:00.000Z'));
  await chat.writeConfig('commands:\n  rateLimit:\n    max: 200\nstatusPage:\n  publish: true\n  title: Acme status\n  services: [checkout, search]\n');
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

async function branchHead(): Promise<string | null> {
  try {
    const { data } = await chat.as('alice').rest.git.getRef({ ...chat.repo, ref: 'heads/gh-pages' });
    return data.object.sha;
  } catch {
    return null;
  }
}

async function publishedFile(path: string): Promise<string> {
  const { data } = await chat.as('alice').rest.repos.getContent({ ...chat.repo, path, ref: 'gh-pages' });
  if (Array.isArray(data) || !('content' in data)) throw new Error(`${path} is not a file`);
  return Buffer.from(data.content, 'base64').toString('utf8');
}

async function say(at: string, number: number, body: string): Promise<void> {
  await chat.setClock(at);
  const result = await chat.say('bob', number, body);
  expect(result.reactions, `${body}: ${result.reply}`).toEqual(['eyes', 'rocket']);
  await chat.settle();
}

describe('status page publishing', () => {
  it('commits the page to gh-pages on public changes only', async () => {
    const number = await chat.incident('Checkout fails', 'P1');
    // Declared but not confirmed with an ack: nothing public yet.
    expect(await branchHead()).toBeNull();
    await say('2026-03-01T10:02:00Z', number, '/ack');
    const first = await branchHead();
    expect(first).not.toBeNull();
    expect(await publishedFile('index.html')).toContain('Major outage: checkout');

    await say('2026-03-01T10:05:00Z', number, '/status investigating Card payments fail for some customers.');
    const second = await branchHead();
    expect(second).not.toBe(first);
    const { data: commit } = await chat.as('alice').rest.git.getCommit({ ...chat.repo, commit_sha: second ?? '' });
    expect(commit.parents.map((parent) => parent.sha)).toEqual([first]);
    expect(await publishedFile('index.html')).toContain('Card payments fail for some customers.');
    expect(JSON.parse(await publishedFile('status.json'))).toMatchObject({ overall: 'outage', active: [{ service: 'checkout', status: 'investigating' }] });
    expect(await publishedFile('feed.atom')).toContain('<content type="text">Card payments fail for some customers.</content>');

    // An internal update and a note change nothing the public sees: no commit.
    await say('2026-03-01T10:10:00Z', number, '/status identified db-primary-7 credentials rotated --internal');
    await say('2026-03-01T10:11:00Z', number, '/note bob is looking at the db');
    expect(await branchHead()).toBe(second);
    expect(await publishedFile('index.html')).not.toContain('db-primary-7');

    await say('2026-03-01T10:40:00Z', number, '/resolve Payments work again.');
    expect(await branchHead()).not.toBe(second);
    expect(JSON.parse(await publishedFile('status.json'))).toMatchObject({ overall: 'operational', active: [], past: [{ service: 'checkout', status: 'resolved' }] });
  }, 60_000);

  it('keeps files it does not own and skips a rebuild that shows the same', async () => {
    const alice = chat.as('alice');
    const target = { owner: 'acme', repo: 'post_mortems' };
    const files = new Map([['index.html', '<h1>v1</h1>'], ['status.json', '{"generatedAt":"2026-03-01T10:00:00Z","overall":"operational"}']]);
    const created = await publishStatusPage(alice, target, 'gh-pages', files);
    expect(created).toMatchObject({ outcome: 'published', created: true });
    const { data: cname } = await alice.rest.repos.createOrUpdateFileContents({ ...target, path: 'CNAME', branch: 'gh-pages', message: 'custom domain', content: Buffer.from('status.acme.test').toString('base64') });

    const rebuilt = new Map([['index.html', '<h1>v1, built later</h1>'], ['status.json', '{"generatedAt":"2026-03-01T11:00:00Z","overall":"operational"}']]);
    expect(await publishStatusPage(alice, target, 'gh-pages', rebuilt)).toEqual({ outcome: 'unchanged', requests: 2 });

    const changed = new Map([['index.html', '<h1>v2</h1>'], ['status.json', '{"generatedAt":"2026-03-01T12:00:00Z","overall":"degraded"}']]);
    const result = await publishStatusPage(alice, target, 'gh-pages', changed, { message: 'Update status page' });
    expect(result).toMatchObject({ outcome: 'published', created: false, requests: 6 });
    const { data: tree } = await alice.rest.git.getTree({ ...target, tree_sha: 'gh-pages' });
    expect(tree.tree.map((entry) => entry.path).sort()).toEqual(['CNAME', 'index.html', 'status.json']);
    const { data: head } = await alice.rest.git.getCommit({ ...target, commit_sha: result.outcome === 'published' ? result.commit : '' });
    expect(head).toMatchObject({ message: 'Update status page', parents: [{ sha: cname.commit.sha }] });
  }, 30_000);
});
