import { describe, expect, it } from 'vitest';
import type { DeploymentCandidate } from '../../../src/domain/correlation/candidate.ts';
import { rankSuspects, rollbackCommand } from '../../../src/domain/correlation/rankSuspects.ts';
import { before, deployed, facts, pull } from './support.ts';

describe('rankSuspects', () => {
  it('names the recent deploy to the service first, with evidence in plain words and its rollback command', () => {
    const culprit = pull(12, { deployments: [deployed(12)], mergedAt: before(50) });
    const elsewhere = pull(11, { paths: ['services/payments/client.js'], deployments: [deployed(12)], mergedAt: before(60) });
    const result = rankSuspects(facts(), [elsewhere, culprit]);
    expect(result.verdict).toBe('suspects');
    expect(result.suspects.map((s) => s.candidate)).toEqual([culprit, elsewhere]);
    expect(result.suspects[0]?.rollback).toBe('/rollback #12');
    expect(result.suspects[0]?.evidence.map((e) => e.reason)).toEqual(['deployed to production 12 min before the first alert', 'changes services/checkout/**, the alerting service checkout']);
    expect(result.suspects[0]?.score).toBeGreaterThan(0.5);
  });

  it('scores are probabilities that add up to 1 with the no-change hypothesis', () => {
    const result = rankSuspects(facts(), [pull(1), pull(2, { deployments: [deployed(200)] }), pull(3, { paths: ['docs/a.md'] })]);
    const total = result.suspects.reduce((sum, s) => sum + s.score, 0) + result.noChangeProbability;
    expect(total).toBeCloseTo(1, 9);
    for (const s of result.suspects) expect(s.score).toBeGreaterThanOrEqual(0);
  });

  it('abstains when nothing is convincing: only an old deploy to another service', () => {
    const result = rankSuspects(facts(), [pull(1, { paths: ['services/search/index.js'], deployments: [deployed(600)], mergedAt: before(700) })]);
    expect(result.verdict).toBe('no_likely_suspect');
    expect(result.suspects).toHaveLength(1);
    expect(result.noChangeProbability).toBeGreaterThan(0.6);
  });

  it('abstains with no candidates at all', () => {
    const result = rankSuspects(facts(), []);
    expect(result).toMatchObject({ verdict: 'no_likely_suspect', suspects: [], considered: 0, noChangeProbability: 1 });
  });

  it('the abstention threshold is an option', () => {
    const candidates = [pull(1, { deployments: [deployed(60)] })];
    expect(rankSuspects(facts(), candidates).verdict).toBe('suspects');
    expect(rankSuspects(facts(), candidates, { threshold: 0.95 }).verdict).toBe('no_likely_suspect');
  });

  it('excludes changes outside the window: 24 h before the first alert to 10 min after, configurable', () => {
    const tooOld = pull(1, { mergedAt: before(25 * 60), deployments: [deployed(25 * 60)] });
    const tooLate = pull(2, { mergedAt: before(-15), deployments: [deployed(-15)] });
    const edge = pull(3, { mergedAt: before(-9), deployments: [] });
    const result = rankSuspects(facts(), [tooOld, tooLate, edge]);
    expect(result.windowed).toEqual({ from: '2025-06-11T12:00:00.000Z', to: '2025-06-12T12:10:00.000Z' });
    expect(result.suspects.map((s) => s.candidate.kind === 'pull' && s.candidate.number)).toEqual([3]);
    const wider = rankSuspects(facts(), [tooOld, tooLate], { windowBeforeMs: 48 * 3_600_000, windowAfterMs: 30 * 60_000 });
    expect(wider.considered).toBe(2);
    expect(wider.windowed.to).toBe('2025-06-12T12:30:00.000Z');
  });

  it('keeps an old merge that was deployed inside the window', () => {
    const result = rankSuspects(facts(), [pull(1, { mergedAt: before(3 * 1440), deployments: [deployed(20)] })]);
    expect(result.considered).toBe(1);
  });

  it('excludes reverted changes and notes them', () => {
    const reverted = pull(7, { revertedBy: 9, deployments: [deployed(15)] });
    const result = rankSuspects(facts(), [reverted, pull(8, { deployments: [deployed(300)] })]);
    expect(result.suspects.map((s) => s.candidate)).not.toContain(reverted);
    expect(result.reverted).toEqual([{ candidate: reverted, reason: '#7 already reverted by #9 (excluded)' }]);
    expect(result.considered).toBe(1);
  });

  it('returns the top 5 in descending order, ties broken by the most recent change', () => {
    const candidates = Array.from({ length: 8 }, (_, i) => pull(i + 1, { deployments: [deployed(10 + i * 30)], mergedAt: before(20 + i * 30) }));
    const twin = pull(20, { deployments: [deployed(10)], mergedAt: before(15) });
    const result = rankSuspects(facts(), [...candidates, twin]);
    expect(result.suspects).toHaveLength(5);
    expect(result.considered).toBe(9);
    const scores = result.suspects.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.suspects.slice(0, 2).map((s) => s.candidate.kind === 'pull' && s.candidate.number)).toEqual([20, 1]);
    expect(rankSuspects(facts(), candidates, { limit: 2 }).suspects).toHaveLength(2);
  });

  it('rejects a first alert time that is not a time', () => {
    expect(() => rankSuspects(facts({ firstAlertAt: 'yesterday' }), [])).toThrow(/firstAlertAt is not a time/);
  });
});

describe('rollback command', () => {
  const deployment: DeploymentCandidate = {
    kind: 'deployment',
    repo: 'acme/shop',
    deploymentId: 41,
    environment: 'production',
    deployedAt: before(20),
    title: 'Deploy 1a2b3c4 to production',
    url: 'https://github.com/acme/shop/deployments/41',
    author: 'alice',
    sha: '1a2b3c4d5e6f',
    paths: [],
    additions: 0,
    deletions: 0,
    labels: [],
    isRevert: false,
    deployments: [deployed(20)],
    previousSha: '9f8e7d6c5b4a3210',
  };

  it('reverts a PR of the main repo by number, of another repo by full reference', () => {
    expect(rollbackCommand(pull(123), facts())).toBe('/rollback #123');
    expect(rollbackCommand(pull(5, { repo: 'acme/shop-config' }), facts())).toBe('/rollback acme/shop-config#5');
  });

  it('redeploys what ran before a deployment', () => {
    expect(rollbackCommand(deployment, facts())).toBe('/redeploy production 9f8e7d6');
    const { previousSha: _, ...unknown } = deployment;
    expect(rollbackCommand(unknown, facts())).toBe('/redeploy production');
  });
});
