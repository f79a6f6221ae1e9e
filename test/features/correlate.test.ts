import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.ts';
import { openIncident } from '../../src/domain/openIncident.ts';
import { correlateAfterIngest, correlateIncident } from '../../src/features/correlate.ts';

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
    const result = await correlateAfterIngest({ octokit, outcome: 'created', repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, alerts: [alert], config: DEFAULT_CONFIG, now: new Date(), log: { ...log, error: (_d: object, message: string) => errors.push(message) } });
    expect(result).toBeUndefined();
    expect(errors).toEqual(['deploy correlation failed; the incident is filed without suspects']);
  });

  it('skips clients without GraphQL, and updates that add no alert', async () => {
    const narrow = { rest: { issues: {} } };
    expect(await correlateAfterIngest({ octokit: narrow, outcome: 'created', repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date(), log })).toBeUndefined();
    let called = false;
    const octokit = { graphql: async () => ((called = true), {}), rest: { issues: { listComments: async () => ({ data: [] }), updateComment: async () => ({}), createComment: async () => ({}) } } };
    await correlateAfterIngest({ octokit, outcome: 'updated', previousFingerprints: ['f1'], repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date(), log });
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
    const first = await correlateIncident({ octokit, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, alerts: [alert], config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:02:00Z'), log, fresh: true });
    expect(first).toMatchObject({ outcome: 'created', requests: 2 });
    const again = await correlateIncident({ octokit, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:05:00Z'), log });
    expect(again.outcome).toBe('unchanged');
    expect(again.facts.labels['image']).toBe('checkout:abc1234');
    const later = await correlateIncident({ octokit, repo: { owner: 'acme', repo: 'shop' }, issueNumber: 3, state, config: DEFAULT_CONFIG, now: new Date('2025-06-12T12:06:00Z'), log, windowBeforeMs: 48 * 3_600_000, recomputedBy: 'carol' });
    expect(later.outcome).toBe('updated');
    expect(created).toBe(1);
    expect(edits).toHaveLength(1);
    expect(edits[0]).toContain('Recomputed by `carol`');
  });
});
