import { describe, expect, it } from 'vitest';
import { buildCandidates, isRevertPull, type DeploymentRecord, type MergedPull } from '../../../src/domain/correlation/buildCandidates.ts';
import { before } from './support.ts';

const window = { from: before(1440), to: before(-10) };

function merged(number: number, minutesBefore: number, overrides: Partial<MergedPull> = {}): MergedPull {
  return {
    repo: 'acme/shop',
    number,
    title: `Change ${number}`,
    body: '',
    url: `https://github.com/acme/shop/pull/${number}`,
    author: 'bob',
    mergedAt: before(minutesBefore),
    mergeCommitSha: `c0ffee${number}`.padEnd(40, '0'),
    paths: [`services/checkout/${number}.js`],
    additions: 5,
    deletions: 1,
    labels: [],
    ...overrides,
  };
}

function deployment(id: number, pull: number, minutesBefore: number, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return { repo: 'acme/shop', id, environment: 'production', sha: `c0ffee${pull}`.padEnd(40, '0'), createdAt: before(minutesBefore), state: 'success', url: `https://example.test/d/${id}`, creator: 'alice', ...overrides };
}

describe('buildCandidates', () => {
  it('a deployment ships every PR merged since the previous one to that environment', () => {
    const candidates = buildCandidates({ pulls: [merged(1, 2000), merged(2, 300), merged(3, 200)], deployments: [deployment(1, 1, 1900), deployment(2, 3, 30)] }, window);
    expect(candidates.map((c) => c.kind === 'pull' && [c.number, c.deployments.map((d) => d.id)])).toEqual([
      [2, [2]],
      [3, [2]],
    ]);
  });

  it('a deployment of a merge older than the window becomes a deployment candidate that can be redeployed', () => {
    const candidates = buildCandidates({ pulls: [merged(1, 8000), merged(2, 4300)], deployments: [deployment(1, 1, 7900), deployment(2, 2, 35)] }, window);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({ kind: 'deployment', deploymentId: 2, number: 2, title: 'Change 2', previousSha: 'c0ffee1'.padEnd(40, '0'), paths: ['services/checkout/2.js'], isRevert: false });
  });

  it('a deployment of an older commit than the one live is a rollback', () => {
    const candidates = buildCandidates({ pulls: [merged(1, 3000), merged(2, 100)], deployments: [deployment(1, 1, 2900), deployment(2, 2, 90), deployment(3, 1, 20)] }, window);
    expect(candidates.find((c) => c.kind === 'deployment')).toMatchObject({ deploymentId: 3, isRevert: true });
  });

  it('marks reverts and what they reverted, by reference, commit or title', () => {
    const pulls = [
      merged(1, 300),
      merged(2, 200, { title: 'Revert "Change 1"', body: 'Reverts acme/shop#1' }),
      merged(3, 150),
      merged(4, 100, { title: 'Undo 3', body: `This reverts commit ${'c0ffee3'.padEnd(40, '0')}.` }),
      merged(5, 90),
      merged(6, 80, { title: 'Revert "Change 5"' }),
    ];
    const candidates = buildCandidates({ pulls, deployments: [] }, window);
    const byNumber = new Map(candidates.map((c) => [c.kind === 'pull' ? c.number : 0, c]));
    expect(byNumber.get(1)?.revertedBy).toBe(2);
    expect(byNumber.get(3)?.revertedBy).toBe(4);
    expect(byNumber.get(5)?.revertedBy).toBe(6);
    expect(byNumber.get(2)?.isRevert).toBe(true);
    expect(isRevertPull({ title: 'Add retries', body: '' })).toBe(false);
  });

  it('keeps failed deployments as attempts without moving what is live', () => {
    const candidates = buildCandidates({ pulls: [merged(1, 3000), merged(2, 100)], deployments: [deployment(1, 1, 2900), deployment(2, 2, 60, { state: 'failure' }), deployment(3, 2, 30)] }, window);
    expect(candidates[0]?.deployments.map((d) => [d.id, d.state])).toEqual([
      [2, 'failure'],
      [3, 'success'],
    ]);
  });
});
