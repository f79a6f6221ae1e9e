import { describe, expect, it } from 'vitest';
import { decideRollback, reverts, rollbackMethodRefusal, type OtherPull, type PullFacts, type RollbackFacts } from '../../../src/domain/correlation/decideRollback.ts';

const merged: PullFacts = { repo: 'acme/shop', number: 7, id: 'PR_7', title: 'Reserve inventory', url: 'https://github.com/acme/shop/pull/7', state: 'MERGED', mergeCommitSha: 'abcdef1234567890' };

function facts(overrides: Partial<RollbackFacts> = {}): RollbackFacts {
  return { asked: '#7', pull: merged, others: [], serviceRepos: ['acme/shop'], force: false, permission: 'write', ...overrides };
}

const revertOf = (state: OtherPull['state'], body = 'Reverts acme/shop#7'): OtherPull => ({ number: 12, title: 'Revert "Reserve inventory"', body, url: 'u', state });

describe('decideRollback', () => {
  it('allows a merged PR of a service repository for someone with write access', () => {
    expect(decideRollback(facts())).toEqual({ ok: true, pull: merged });
  });

  it('refuses a PR that does not exist, pointing to the suspects list', () => {
    const decision = decideRollback(facts({ pull: null }));
    expect(decision).toMatchObject({ ok: false, reason: 'not_found' });
    expect(!decision.ok && decision.message).toContain('`/rollback` alone lists the suspects');
  });

  it('refuses an open PR as not merged, with the hint to use /deploys', () => {
    const decision = decideRollback(facts({ pull: { ...merged, state: 'OPEN' } }));
    expect(decision).toEqual({ ok: false, reason: 'not_merged', message: '⚠️ Cannot roll back #7: it is not merged (still open), so there is nothing to revert. Try `/deploys` for merged suspects.' });
  });

  it('says a closed, unmerged PR was closed without merging', () => {
    const decision = decideRollback(facts({ pull: { ...merged, state: 'CLOSED' } }));
    expect(!decision.ok && decision.message).toContain('closed without merging');
  });

  it('refuses a PR already reverted by a merged revert, naming the revert', () => {
    const decision = decideRollback(facts({ others: [revertOf('MERGED')] }));
    expect(decision).toMatchObject({ ok: false, reason: 'already_reverted' });
    expect(!decision.ok && decision.message).toContain('already reverted by #12 (merged)');
  });

  it('refuses while a revert is open, asking to merge it', () => {
    const decision = decideRollback(facts({ others: [revertOf('OPEN')] }));
    expect(decision).toMatchObject({ ok: false, reason: 'revert_open' });
    expect(!decision.ok && decision.message).toContain('a revert is already open, #12. Merge it');
  });

  it('ignores a closed, unmerged revert', () => {
    expect(decideRollback(facts({ others: [revertOf('CLOSED')] })).ok).toBe(true);
  });

  it('refuses a PR outside the service’s repositories unless --force', () => {
    const outside = { ...merged, repo: 'acme/docs' };
    const decision = decideRollback(facts({ asked: 'acme/docs#7', pull: outside }));
    expect(decision).toMatchObject({ ok: false, reason: 'not_service_repo' });
    expect(!decision.ok && decision.message).toContain('run `/rollback acme/docs#7 --force`');
    expect(decideRollback(facts({ asked: 'acme/docs#7', pull: outside, force: true })).ok).toBe(true);
  });

  it('compares repositories case-insensitively, as GitHub does', () => {
    expect(decideRollback(facts({ pull: { ...merged, repo: 'Acme/Shop' } })).ok).toBe(true);
  });

  it('refuses without write access to the PR’s repository (fail closed on none)', () => {
    for (const permission of ['none', 'read', 'triage'] as const) {
      const decision = decideRollback(facts({ permission }));
      expect(decision).toMatchObject({ ok: false, reason: 'no_permission' });
      expect(!decision.ok && decision.message).toContain(`you have **${permission}** there`);
    }
  });
});

describe('reverts', () => {
  it("recognises GitHub's body, git's commit line and the title convention", () => {
    expect(reverts({ title: 'x', body: 'Reverts acme/shop#7' }, merged)).toBe(true);
    expect(reverts({ title: 'x', body: 'This reverts commit abcdef1.' }, merged)).toBe(true);
    expect(reverts({ title: '[rollback] Revert "Reserve inventory"', body: '' }, merged)).toBe(true);
  });

  it('does not take a revert of another PR for one of this PR', () => {
    expect(reverts({ title: 'x', body: 'Reverts acme/shop#70' }, merged)).toBe(false);
    expect(reverts({ title: 'Revert "Something else"', body: 'This reverts commit 1234567.' }, merged)).toBe(false);
  });
});

describe('rollbackMethodRefusal', () => {
  it('lets /rollback open revert PRs with rollback.method revert-pr', () => {
    expect(rollbackMethodRefusal('revert-pr', '#7', '/rollback #7')).toBeUndefined();
  });

  it('points to /redeploy, with the top suspect\'s command, when the team rolls back by deployment or workflow', () => {
    expect(rollbackMethodRefusal('deployment', '#7', '/redeploy production abc1234')).toBe(
      '⚠️ Cannot run `/rollback #7`: this service rolls back by deploying an earlier ref (`rollback.method: deployment` in .github/firewatch.yml), not with revert PRs. Use `/redeploy <environment> [ref]`, e.g. `/redeploy production abc1234` for the top suspect. To roll back with revert PRs, set `rollback.method: revert-pr`.',
    );
    const bare = rollbackMethodRefusal('workflow', undefined, '/rollback #7');
    expect(bare).toContain('Cannot run `/rollback`: this service rolls back by dispatching its deploy workflow');
    // A suspect without an earlier deployment keeps `/rollback #n`, which is no example here.
    expect(bare).toContain('Use `/redeploy <environment> [ref]`. To roll back');
  });
});
