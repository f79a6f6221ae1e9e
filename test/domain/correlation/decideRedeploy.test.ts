import { describe, expect, it } from 'vitest';
import { decideRedeploy, lastGoodBefore, type DeploymentFact } from '../../../src/domain/correlation/decideRedeploy.ts';

const sha = (c: string) => c.repeat(40);
const deployments: DeploymentFact[] = [
  { id: 1, environment: 'production', sha: sha('a'), createdAt: '2025-06-12T08:00:00Z', state: 'inactive' },
  { id: 2, environment: 'staging', sha: sha('b'), createdAt: '2025-06-12T09:00:00Z', state: 'success' },
  { id: 3, environment: 'production', sha: sha('c'), createdAt: '2025-06-12T10:00:00Z', state: 'failure' },
  { id: 4, environment: 'production', sha: sha('d'), createdAt: '2025-06-12T11:00:00Z', state: 'success' },
];

describe('decideRedeploy', () => {
  it('needs an environment and lists the known ones', () => {
    const decision = decideRedeploy({ deployments });
    expect(decision).toMatchObject({ ok: false, reason: 'no_environment' });
    expect(!decision.ok && decision.message).toContain('Known environments: `production`, `staging`');
  });

  it('uses the ref given', () => {
    expect(decideRedeploy({ environment: 'production', ref: 'v2.3.1', deployments })).toEqual({ ok: true, ref: 'v2.3.1', reason: 'v2.3.1, as asked' });
  });

  it('prefers the last good ref before the top suspect', () => {
    expect(decideRedeploy({ environment: 'production', deployments, suggested: { ref: sha('a'), label: 'acme/shop#7' } })).toMatchObject({ ok: true, ref: sha('a') });
  });

  it('otherwise goes back to what ran before the live deployment, skipping failed ones', () => {
    const decision = decideRedeploy({ environment: 'production', deployments });
    expect(decision).toEqual({ ok: true, ref: sha('a'), reason: 'aaaaaaa, what ran in production before deployment 4 (ddddddd)' });
  });

  it('refuses an environment never deployed to, and one with nothing earlier', () => {
    expect(decideRedeploy({ environment: 'canary', deployments })).toMatchObject({ ok: false, reason: 'unknown_environment' });
    expect(decideRedeploy({ environment: 'staging', deployments })).toMatchObject({ ok: false, reason: 'nothing_earlier' });
  });
});

describe('lastGoodBefore', () => {
  it('finds the newest successful deployment to the environment before a time', () => {
    expect(lastGoodBefore(deployments, 'prod', Date.parse('2025-06-12T10:30:00Z'))?.id).toBe(1);
    expect(lastGoodBefore(deployments, 'production', Date.parse('2025-06-12T12:00:00Z'))?.id).toBe(4);
    expect(lastGoodBefore(deployments, 'production', Date.parse('2025-06-12T07:00:00Z'))).toBeUndefined();
  });
});
