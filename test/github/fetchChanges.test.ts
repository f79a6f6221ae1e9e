import { describe, expect, it } from 'vitest';
import { batchChangesQuery, CHANGES_QUERY, fetchChanges, repositoryGroups } from '../../src/adapters/github/fetchChanges.ts';

const window = { from: '2025-06-11T12:00:00Z', to: '2025-06-12T12:10:00Z' };

function node(number: number, updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    number,
    title: `PR ${number}`,
    body: '',
    url: `https://github.com/acme/shop/pull/${number}`,
    mergedAt: updatedAt,
    updatedAt,
    baseRefName: 'main',
    author: { login: 'bob' },
    mergeCommit: { oid: `${number}`.padStart(40, '0') },
    labels: { nodes: [{ name: 'risky' }] },
    files: { totalCount: 1, nodes: [{ path: 'services/checkout/a.js', additions: 3, deletions: 1 }] },
    ...overrides,
  };
}

function page(nodes: unknown[], hasNextPage: boolean, extra: Record<string, unknown> = {}) {
  return { repository: { nameWithOwner: 'acme/shop', url: 'https://github.com/acme/shop', defaultBranchRef: { name: 'main' }, pullRequests: { pageInfo: { hasNextPage, endCursor: hasNextPage ? 'c1' : null }, nodes }, ...extra } };
}

describe('fetchChanges', () => {
  it('reads merged PRs, deployments and releases of a repository in one query', async () => {
    const calls: Record<string, unknown>[] = [];
    const octokit = {
      graphql: async (query: string, parameters?: Record<string, unknown>) => {
        expect(query).toBe(CHANGES_QUERY);
        calls.push(parameters ?? {});
        return page([node(7, '2025-06-12T10:00:00Z'), node(8, '2025-06-12T09:00:00Z', { baseRefName: 'feature/x' })], false, {
          deployments: { nodes: [{ databaseId: 41, environment: 'production', createdAt: '2025-06-12T11:00:00Z', commitOid: 'a'.repeat(40), creator: { login: 'alice' }, latestStatus: { state: 'SUCCESS' }, commit: { committedDate: '2025-06-12T10:00:00Z' } }] },
          releases: { nodes: [{ tagName: 'v1', name: null, url: 'u', isDraft: false, publishedAt: '2025-06-12T11:30:00Z', author: null, tagCommit: { oid: 'b'.repeat(40), committedDate: '2025-06-12T10:00:00Z' } }] },
        });
      },
    };
    const fetched = await fetchChanges(octokit, { repos: ['acme/shop'], window });
    expect(fetched.requests).toBe(1);
    expect(calls).toEqual([{ owner: 'acme', name: 'shop', after: null, withHistory: true }]);
    // PRs into other branches than the default (and configured release branches) do not ship.
    expect(fetched.pulls.map((p) => p.number)).toEqual([7]);
    expect(fetched.pulls[0]).toMatchObject({ repo: 'acme/shop', author: 'bob', labels: ['risky'], paths: ['services/checkout/a.js'], additions: 3, deletions: 1 });
    expect(fetched.deployments).toEqual([expect.objectContaining({ id: 41, environment: 'production', state: 'success', creator: 'alice', commitAt: '2025-06-12T10:00:00Z' })]);
    expect(fetched.deployedEnvironments).toEqual({ 'acme/shop': ['production'] });
    expect(fetched.releases).toEqual([expect.objectContaining({ tag: 'v1', author: 'ghost' })]);
  });

  it('pages while PRs were updated inside the window, and stops at the first older page', async () => {
    const pages = [
      page(Array.from({ length: 100 }, (_, i) => node(300 - i, '2025-06-12T10:00:00Z')), true),
      page([node(200, '2025-06-12T09:00:00Z'), node(1, '2025-06-01T09:00:00Z')], true),
      page([node(0, '2025-05-01T09:00:00Z')], false),
    ];
    let call = 0;
    const fetched = await fetchChanges({ graphql: async () => pages[call++] }, { repos: ['acme/shop'], window });
    expect(fetched.requests).toBe(2);
    expect(fetched.pulls).toHaveLength(102);
  });

  it('a repository with 5,000 PRs merged in the window costs 4 pages at most, and the notes say what was left out', async () => {
    let call = 0;
    const fetched = await fetchChanges(
      {
        graphql: async () => {
          const first = 5_000 - call++ * 100;
          return page(Array.from({ length: 100 }, (_, i) => node(first - i, '2025-06-12T10:00:00Z')), first > 100);
        },
      },
      { repos: ['acme/shop'], window },
    );
    expect(fetched.requests).toBe(4);
    expect(call).toBe(4);
    expect(fetched.pulls).toHaveLength(400);
    expect(fetched.pulls[0]?.number).toBe(5_000);
    expect(fetched.notes).toEqual(['acme/shop has more than 400 PRs updated since the window opened; only the latest 400 were weighed']);
  });

  it('counts release branches as shipping', async () => {
    const fetched = await fetchChanges({ graphql: async () => page([node(9, '2025-06-12T10:00:00Z', { baseRefName: 'release/2.3' })], false) }, { repos: ['acme/shop'], window, releaseBranches: ['release/*'] });
    expect(fetched.pulls.map((p) => p.number)).toEqual([9]);
  });

  it('notes a repository it cannot read and goes on with the others', async () => {
    const octokit = {
      graphql: async (_query: string, parameters?: Record<string, unknown>) => {
        if (parameters?.['name'] === 'infra') throw Object.assign(new Error('Could not resolve'), { errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository' }] });
        return page([node(7, '2025-06-12T10:00:00Z')], false);
      },
    };
    const fetched = await fetchChanges(octokit, { repos: ['acme/infra', 'acme/shop'], window });
    expect(fetched.notes).toEqual(['could not read acme/infra (not found, or firewatch is not installed there)']);
    expect(fetched.pulls).toHaveLength(1);
  });

  it('rejects an answer that is not what was asked for', async () => {
    await expect(fetchChanges({ graphql: async () => ({ repository: { nameWithOwner: 1 } }) }, { repos: ['acme/shop'], window })).rejects.toThrow(/unexpected GitHub GraphQL response for acme\/shop/);
  });

  it('reads many repositories several to a query: never more than four first-page requests', async () => {
    expect(repositoryGroups(['a', 'b', 'c']).map((g) => g.length)).toEqual([1, 1, 1]);
    expect(repositoryGroups(Array.from({ length: 9 }, (_, i) => i)).map((g) => g.length)).toEqual([3, 3, 3]);
    expect(repositoryGroups(Array.from({ length: 20 }, (_, i) => i)).map((g) => g.length)).toEqual([5, 5, 5, 5]);
    const repos = Array.from({ length: 10 }, (_, i) => `acme/part${i}`);
    const queries: string[] = [];
    const octokit = {
      graphql: async (query: string, parameters?: Record<string, unknown>) => {
        queries.push(query);
        if (parameters?.['owner'] !== undefined) return { repository: { ...page([node(99, '2025-06-12T10:00:00Z')], false).repository, nameWithOwner: `acme/${String(parameters['name'])}` } };
        const answer: Record<string, unknown> = {};
        for (let i = 0; parameters?.[`owner${i}`] !== undefined; i++) {
          answer[`r${i}`] = { ...page([node(i + 1, '2025-06-12T10:00:00Z')], false).repository, nameWithOwner: `acme/${String(parameters[`name${i}`])}` };
        }
        return answer;
      },
    };
    const fetched = await fetchChanges(octokit, { repos, window });
    expect(fetched.requests).toBe(4);
    expect(queries).toEqual([batchChangesQuery(3), batchChangesQuery(3), batchChangesQuery(3), CHANGES_QUERY]);
    expect(new Set(fetched.pulls.map((p) => p.repo)).size).toBe(10);
  });

  it('keeps what a batch read when one of its repositories cannot be read', async () => {
    const octokit = {
      graphql: async () => {
        const data = { r0: page([node(7, '2025-06-12T10:00:00Z')], false).repository, r1: null };
        throw Object.assign(new Error('Could not resolve'), { data, errors: [{ type: 'NOT_FOUND', path: ['r1'], message: 'Could not resolve to a Repository' }] });
      },
    };
    const repos = ['acme/shop', 'acme/gone', 'acme/shop2', 'acme/shop3', 'acme/shop4'];
    const fetched = await fetchChanges(octokit, { repos, window });
    expect(fetched.requests).toBe(3);
    expect(fetched.notes).toContain('could not read acme/gone (not found, or firewatch is not installed there)');
    expect(fetched.pulls.map((p) => p.number)).toContain(7);
  });

  it('stays within maxRequests: pages past it are left out, and the notes say so', async () => {
    const full = page(Array.from({ length: 100 }, (_, i) => node(300 - i, '2025-06-12T10:00:00Z')), true);
    const fetched = await fetchChanges({ graphql: async () => full }, { repos: ['acme/shop', 'acme/web'], window, maxRequests: 3 });
    expect(fetched.requests).toBe(3);
    expect(fetched.notes.length).toBeGreaterThan(0);
    for (const note of fetched.notes) expect(note).toMatch(/^acme\/(shop|web) has more PRs updated since the window opened than fit in the request budget/);
  });
});
