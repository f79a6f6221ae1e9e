import { describe, expect, it } from 'vitest';
import { candidateKey } from '../../../src/domain/correlation/candidate.ts';
import { MAX_PATCHED_PULLS, patchTargets, withPatches } from '../../../src/domain/correlation/patchTargets.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { facts, pull } from './support.ts';

describe('patchTargets', () => {
  const candidates = [1, 2, 3, 4, 5].map((n) => pull(n, { deployments: [], mergedAt: new Date(Date.parse('2025-06-12T12:00:00Z') - n * 600_000).toISOString() }));
  const telling = facts({ statements: [{ source: 'description', text: 'KeyError: partial_ratio' }] });

  it('reads the patches of the strongest few PRs, as many as the budget allows', () => {
    const ranking = rankSuspects(telling, candidates);
    expect(patchTargets(telling, ranking, 10).map(candidateKey)).toEqual(ranking.suspects.slice(0, MAX_PATCHED_PULLS).map((s) => candidateKey(s.candidate)));
    expect(patchTargets(telling, ranking, 1)).toHaveLength(1);
    expect(patchTargets(telling, ranking, 0)).toEqual([]);
  });

  it('reads none when the alert says nothing a diff could match', () => {
    expect(patchTargets(facts({ statements: [{ source: 'name', text: 'CheckoutHighErrorRate' }] }), rankSuspects(facts(), candidates), 10)).toEqual([]);
  });

  it('attaches patches to their candidates only', () => {
    const patched = withPatches(candidates, new Map([['acme/shop#2', { 'a.py': '@@ -1 +1 @@\n-a\n+b' }]]));
    expect(patched.map((c) => c.patches)).toEqual([undefined, { 'a.py': '@@ -1 +1 @@\n-a\n+b' }, undefined, undefined, undefined]);
  });
});
