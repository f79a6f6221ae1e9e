import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, firewatchConfigSchema } from '../../src/domain/config/config.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { correlateAfterIngest, correlateIncident, REQUEST_BUDGET } from '../../src/features/correlation/correlate.ts';
import { FIREWATCH } from '../support/identity.ts';

describe('correlation while filing alerts', () => {
  const alert = { source: 'generic' as const, fingerprint: 'f1', status: 'firing' as const, title: 'Errors', severity: 'P2' as const, service: 'checkout', labels: {}, annotations: {}, startsAt: '2025-06-12T12:00:00Z', links: { other: [] } };
  const state = openIncident(alert, new Date('2025-06-12T12:01:00Z'));
  const log = { debug() {}, info() {}, warn() {}, error() {} };

  it('never fails the incident: a GitHub error is logged and nothing is returned', async () => {
    const errors: string[] = [];
    const octokit = {
      graphql: async () => {
        throw new Error('GitHub is down');
      },
      rest: { issues: { listComments: async () => ({ data: [] }), updateComment: async () => ({ data: { id: 1, html_url: '' } }), createComment: async () => ({ data: { id: 1, html_url: '' } }) } },
    };
    const result = await correlateAfterIngest({ identity: FIREWATCH, octokit, outcome: 'created', repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, alerts: [alert], config: DEFAULT_CONFIG, now: new Date(), log: { ...log, error: (_d: object, message: string) => errors.push(message) } });
    expect(result).toBeUndefined();
    expect(errors).toEqual(['deploy correlation failed; the incident is filed without suspects']);
  });

  it('skips clients without GraphQL, and updates that add no alert', async () => {
    const narrow = { rest: { issues: {} } };
    expect(await correlateAfterIngest({ identity: FIREWATCH, octokit: narrow, outcome: 'created', repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date(), log })).toBeUndefined();
    let called = false;
    const octokit = { graphql: async () => ((called = true), {}), rest: { issues: { listComments: async () => ({ data: [] }), updateComment: async () => ({}), createComment: async () => ({}) } } };
    await correlateAfterIngest({ identity: FIREWATCH, octokit, outcome: 'updated', previousFingerprints: ['f1'], repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date(), log });
    expect(called).toBe(false);
  });
});

describe('correlateIncident keeps one comment per incident', () => {
  const alert = { source: 'generic' as const, fingerprint: 'f1', status: 'firing' as const, title: 'Errors', severity: 'P2' as const, service: 'checkout', labels: { image: 'checkout:abc1234' }, annotations: {}, startsAt: '2025-06-12T12:00:00Z', links: { other: [] } };
  const state = openIncident(alert, new Date('2025-06-12T12:01:00Z'));
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const emptyRepo = { repository: { nameWithOwner: 'acme/shop', url: 'https://github.com/acme/shop', defaultBranchRef: { name: 'main' }, pullRequests: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, deployments: { nodes: [] }, releases: { nodes: [] } } };

  it('edits the existing Suspected changes comment in place as alerts join, keeping the first alerts’ hints, and skips no-op edits', async () => {
    const comments = [{ id: 5, html_url: 'https://github.com/acme/shop/issues/3#c5', body: 'hello', user: { login: 'bob', type: 'User' } }];
    const edits: string[] = [];
    let created = 0;
    const octokit = {
      graphql: async () => emptyRepo,
      rest: {
        issues: {
          listComments: async () => ({ data: comments }),
          createComment: async ({ body }: { body: string }) => {
            created++;
            comments.push({ id: 6, html_url: 'https://github.com/acme/shop/issues/3#c6', body, user: { login: 'firewatch[bot]', type: 'Bot' } });
            return { data: { id: 6, html_url: 'https://github.com/acme/shop/issues/3#c6' } };
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            edits.push(body);
            const comment = comments.find((c) => c.id === comment_id);
            if (comment) comment.body = body;
            return { data: { id: comment_id, html_url: 'https://github.com/acme/shop/issues/3#c6' } };
          },
        },
      },
    };
    const first = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, alerts: [alert], config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:02:00Z'), log, fresh: true });
    expect(first).toMatchObject({ outcome: 'created', requests: 2 });
    const again = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:05:00Z'), log });
    expect(again.outcome).toBe('unchanged');
    expect(again.facts.labels['image']).toBe('checkout:abc1234');
    const later = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:06:00Z'), log, windowBeforeMs: 48 * 3_600_000, recomputedBy: 'carol' });
    expect(later.outcome).toBe('updated');
    expect(created).toBe(1);
    expect(edits).toHaveLength(1);
    expect(edits[0]).toContain('Recomputed by `carol`');
  });
});

describe('correlateIncident reads patches within its request budget', () => {
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const alert = {
    source: 'generic' as const,
    fingerprint: 'f1',
    status: 'firing' as const,
    title: 'LedgerPostingErrors',
    description: 'KeyError: partial_ratio',
    severity: 'P2' as const,
    service: 'ledger',
    labels: {},
    annotations: {},
    startsAt: '2025-06-12T12:00:00Z',
    links: { other: [] },
  };
  const state = openIncident(alert, new Date('2025-06-12T12:01:00Z'));

  /** Each repository merged two PRs an hour before the alert (no deployments: merging is deploying). */
  function repository(owner: string, name: string) {
    const pull = (number: number) => ({
      number,
      title: `Change ${number} of ${name}`,
      body: '',
      url: `https://github.com/${owner}/${name}/pull/${number}`,
      mergedAt: '2025-06-12T11:00:00Z',
      updatedAt: '2025-06-12T11:00:00Z',
      baseRefName: 'main',
      author: { login: 'bob' },
      mergeCommit: { oid: `${name}${number}`.padEnd(40, '0') },
      labels: { nodes: [] },
      files: { totalCount: 1, nodes: [{ path: `src/${name}/posting${number}.py`, additions: 3, deletions: 1 }] },
    });
    return { repository: { nameWithOwner: `${owner}/${name}`, url: `https://github.com/${owner}/${name}`, defaultBranchRef: { name: 'main' }, pullRequests: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [pull(1), pull(2)] }, deployments: { nodes: [] }, releases: { nodes: [] } } };
  }

  /** Answers single-repository queries and batches (`r0`, `r1`, … aliases) alike; `busy` repositories have more pages. */
  function client(listFiles: (params: { owner: string; repo: string; pull_number: number }) => Promise<{ data: unknown }>, busy: readonly string[] = []) {
    let graphql = 0;
    const answer = (owner: string, name: string, after: unknown) => {
      const { repository: repo } = repository(owner, name);
      const more = busy.includes(`${owner}/${name}`);
      return { ...repo, pullRequests: { ...repo.pullRequests, pageInfo: { hasNextPage: more, endCursor: more ? `${String(after ?? '')}x` : null } } };
    };
    const octokit = {
      graphql: async (_query: string, parameters?: Record<string, unknown>) => {
        graphql++;
        if (parameters?.['owner'] !== undefined) return { repository: answer(String(parameters['owner']), String(parameters['name']), parameters['after']) };
        const batch: Record<string, unknown> = {};
        for (let i = 0; parameters?.[`owner${i}`] !== undefined; i++) batch[`r${i}`] = answer(String(parameters[`owner${i}`]), String(parameters[`name${i}`]), null);
        return batch;
      },
      rest: {
        issues: { listComments: async () => ({ data: [] }), updateComment: async () => ({ data: { id: 1, html_url: '' } }), createComment: async () => ({ data: { id: 1, html_url: 'https://github.com/acme/ledger/issues/3#c1' } }) },
        pulls: { listFiles },
      },
    };
    return { octokit, graphqlCalls: () => graphql };
  }

  const configFor = (repos: string[]) => firewatchConfigSchema.parse({ routing: { services: [{ name: 'ledger', match: { service: 'ledger' }, repos }] } });

  it('reads the patches of the strongest PRs (two here, at most three) and ranks with them', async () => {
    const asked: string[] = [];
    const { octokit } = client(async ({ repo, pull_number }) => {
      asked.push(`${repo}#${pull_number}`);
      const patch = repo === 'ledger' && pull_number === 2 ? '@@ -1,2 +1,2 @@\n def post(entry):\n-    return entry.amount\n+    return entry.amount * entry.partial_ratio\n' : '@@ -1 +1 @@\n-a = 1\n+a = 2\n';
      return { data: [{ filename: `src/${repo}/posting${pull_number}.py`, patch }] };
    });
    const result = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'ledger' }, issueNumber: 3, state, alerts: [alert], config: configFor(['acme/ledger']), now: new Date('2025-06-12T12:02:00Z'), log, fresh: true });
    expect(asked).toHaveLength(2);
    expect(result.requests).toBe(1 + 2 + 1);
    expect(result.ranking.suspects[0]?.candidate).toMatchObject({ repo: 'acme/ledger', number: 2 });
    const words = result.ranking.suspects[0]?.evidence.find((e) => e.feature === 'alert_words');
    expect(words?.reason).toMatch(/^the alert's description says `partial_ratio`; this PR changes a line with `partial_ratio` in `src\/ledger\/posting2\.py`/);
  });

  it('never goes past 10 requests: twenty repositories are read in four queries, and three patches still fit', async () => {
    const repos = Array.from({ length: 20 }, (_, i) => `acme/ledger${i}`);
    let patches = 0;
    const { octokit, graphqlCalls } = client(async () => ((patches += 1), { data: [] }));
    const result = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'ledger0' }, issueNumber: 3, state, alerts: [alert], config: configFor(repos), now: new Date('2025-06-12T12:02:00Z'), log, fresh: true });
    expect(graphqlCalls()).toBe(4);
    expect(result.ranking.considered).toBe(40);
    expect(patches).toBe(3);
    expect(result.requests).toBe(4 + 3 + 1);
    expect(result.block.requests).toBe(result.requests);
  });

  it('stops paging busy repositories at the budget, keeps the comment write, and says what it left out', async () => {
    const repos = ['acme/ledger0', 'acme/ledger1', 'acme/ledger2'];
    const { octokit, graphqlCalls } = client(async () => ({ data: [] }), repos);
    const result = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'ledger0' }, issueNumber: 3, state, alerts: [alert], config: configFor(repos), now: new Date('2025-06-12T12:02:00Z'), log, fresh: true });
    expect(graphqlCalls()).toBe(REQUEST_BUDGET - 1);
    expect(result.requests).toBe(REQUEST_BUDGET);
    expect(result.notes.some((note) => /more PRs updated since the window opened than fit in the request budget/.test(note))).toBe(true);
  });

  it('ranks without a patch it could not read, and says so in the log', async () => {
    const warnings: string[] = [];
    const { octokit } = client(async () => {
      throw new Error('502 Bad Gateway');
    });
    const result = await correlateIncident({ octokit, identity: FIREWATCH, repo: { owner: 'acme', repo: 'ledger' }, issueNumber: 3, state, alerts: [alert], config: configFor(['acme/ledger']), now: new Date('2025-06-12T12:02:00Z'), log: { ...log, warn: (_d: object, message: string) => warnings.push(message) }, fresh: true });
    expect(result.outcome).toBe('created');
    expect(result.ranking.considered).toBe(2);
    expect(warnings).toEqual(['could not read the patch of a suspect; ranked without it', 'could not read the patch of a suspect; ranked without it']);
  });
});
