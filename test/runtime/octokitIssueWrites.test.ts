import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { octokitIssueWrites } from '../../src/adapters/octokit/octokitIssueWrites.ts';

const issue = (number: number) => ({
  number,
  html_url: `https://ghe.example/acme/shop/issues/${number}`,
  repository_url: 'https://ghe.example/api/v3/repos/acme/shop',
  body: 'body',
  labels: [{ name: 'incident' }],
  updated_at: '2026-01-14T09:04:00Z',
});

/** An Octokit whose requests are answered by `answer`, with the plugin under test. */
function octokitWith(answer: (method: string, url: string) => unknown, seen: unknown[], onError?: (error: unknown) => void) {
  const Octokit = ProbotOctokit.plugin(
    octokitIssueWrites({
      issue: (repo, written) => {
        if (written.number === 13) throw new Error('listener bug');
        seen.push({ repo, number: written.number });
      },
      comment: (repo, issueNumber, body) => void seen.push({ repo, issueNumber, body }),
      ...(onError ? { failed: onError } : {}),
    }),
  );
  return new Octokit({
    baseUrl: 'https://ghe.example/api/v3',
    auth: 'token',
    retry: { enabled: false },
    throttle: { enabled: false },
    request: {
      fetch: async (url: string, init: { method?: string }) =>
        new Response(JSON.stringify(answer(init.method ?? 'GET', url)), { status: init.method === 'POST' ? 201 : 200, headers: { 'content-type': 'application/json' } }),
    },
  });
}

describe('octokitIssueWrites', () => {
  it('reports issues created and updated, as GitHub answered, and nothing else', async () => {
    const seen: unknown[] = [];
    const comment = { id: 1, body: 'suspects', issue_url: 'https://ghe.example/api/v3/repos/acme/shop/issues/3' };
    const octokit = octokitWith((method, url) => (url.includes('/comments') ? comment : /\/reactions$/.test(url) ? { id: 9, content: 'eyes' } : method === 'GET' ? [issue(3)] : issue(/\/issues\/(\d+)/.exec(url)?.[1] ? 3 : 4)), seen);
    await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'x' });
    await octokit.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: 3, state: 'closed' });
    await octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'shop' });
    await octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 3, body: 'suspects' });
    await octokit.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: 1, body: 'suspects' });
    await octokit.rest.reactions.createForIssue({ owner: 'acme', repo: 'shop', issue_number: 3, content: 'eyes' });
    const shop = { owner: 'acme', repo: 'shop' };
    expect(seen).toEqual([
      { repo: shop, number: 4 },
      { repo: shop, number: 3 },
      { repo: shop, issueNumber: 3, body: 'suspects' },
      { repo: shop, issueNumber: 3, body: 'suspects' },
    ]);
  });

  it('a listener that throws never fails the write', async () => {
    const errors: unknown[] = [];
    const octokit = octokitWith(() => issue(13), [], (error) => errors.push(error));
    const { data } = await octokit.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: 13, title: 'y' });
    expect(data.number).toBe(13);
    expect(errors).toHaveLength(1);
  });
});
