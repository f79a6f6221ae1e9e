import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { describe, expect, it } from 'vitest';
import { renderRollbackLink } from '../../src/domain/correlation/rollbackLink.ts';
import { outcomeOfClosedPull, outcomeOfDeploymentStatus } from '../../src/features/rollback/recordRollbackOutcome.ts';
import { FIREWATCH } from '../support/identity.ts';

const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
function example(event: string, action?: string): Record<string, unknown> {
  const found = webhooks.find((w) => w.name === event)?.examples.find((e) => !action || (e as { action?: string }).action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found) as Record<string, unknown>;
}

const link = renderRollbackLink({ incidentRepo: 'acme/shop', issue: 12, incident: 'inc-1', reverts: 'acme/shop#7', by: 'bob' });

describe('rollback outcomes from webhooks', () => {
  it('turns a merged revert PR opened by firewatch into a timeline entry for its incident', () => {
    const payload = example('pull_request', 'closed');
    const pull = payload['pull_request'] as Record<string, unknown>;
    Object.assign(pull, { body: `Reverts acme/shop#7\n\n${link}`, merged: true, merged_by: { login: 'bob' }, merged_at: '2025-06-12T12:30:00Z', user: { ...(pull['user'] as object), login: 'firewatch[bot]', type: 'Bot' } });
    const outcome = outcomeOfClosedPull(payload, FIREWATCH);
    expect(outcome).toMatchObject({ type: 'rollback-merged', actor: 'bob', at: '2025-06-12T12:30:00Z', link: { incidentRepo: 'acme/shop', issue: 12 } });
    expect(outcome?.text).toMatch(/^Rollback \[.+#\d+\]\(https:\/\/.+\) \(reverting acme\/shop#7\) merged by `bob`$/);
  });

  it('ignores PRs without the link, and links written into a person’s or another app’s PR', () => {
    const plain = example('pull_request', 'closed');
    expect(outcomeOfClosedPull(plain, FIREWATCH)).toBeNull();
    const forged = example('pull_request', 'closed');
    Object.assign(forged['pull_request'] as object, { body: link, merged: true });
    expect(outcomeOfClosedPull(forged, FIREWATCH)).toBeNull();
    // Another app's bot is not firewatch either.
    Object.assign(forged['pull_request'] as object, { user: { login: 'mallory-app[bot]', type: 'Bot' } });
    expect(outcomeOfClosedPull(forged, FIREWATCH)).toBeNull();
  });

  it('records a finished /redeploy deployment, and nothing for statuses in between', () => {
    const payload = example('deployment_status');
    const deployment = payload['deployment'] as Record<string, unknown>;
    Object.assign(deployment, { payload: { firewatch: { incidentRepo: 'acme/shop', issue: 12, ref: 'abc' } }, creator: { ...(deployment['creator'] as object), login: 'firewatch[bot]', type: 'Bot' } });
    Object.assign(payload['deployment_status'] as object, { state: 'failure' });
    expect(outcomeOfDeploymentStatus(payload, FIREWATCH)).toMatchObject({ type: 'redeploy-failed', link: { issue: 12 } });
    Object.assign(payload['deployment_status'] as object, { state: 'in_progress' });
    expect(outcomeOfDeploymentStatus(payload, FIREWATCH)).toBeNull();
  });
});
