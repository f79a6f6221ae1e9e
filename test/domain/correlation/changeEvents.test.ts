import { describe, expect, it } from 'vitest';
import { changeEventCandidates, parseChangeBlock, renderChangeComment, type ChangeEventRecord } from '../../../src/domain/correlation/changeEvents.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { suspectsView } from '../../../src/domain/correlation/suspectsView.ts';
import { before, facts, pull } from './support.ts';

const window = { from: before(24 * 60), to: before(-10) };

function change(overrides: Partial<ChangeEventRecord> = {}): ChangeEventRecord {
  return {
    id: 9001,
    url: 'https://github.com/acme/shop/issues/3#issuecomment-9001',
    repo: 'acme/shop',
    summary: 'Config push: checkout payment timeout 30s → 3s',
    source: 'config-service',
    at: before(12),
    receivedAt: before(12),
    integration: 'checkout-prod',
    service: 'checkout',
    links: [{ title: 'Change 77', url: 'https://config.example.com/changes/77' }],
    details: { environment: 'production', commit: 'c0ffee1234' },
    ...overrides,
  };
}

describe('change events in deploy correlation', () => {
  it('round-trips an event through its comment, with no user text outside the escaped Markdown', () => {
    const { id: _id, url: _url, repo: _repo, ...event } = change({ summary: 'Deploy <b>@alice</b> `x`' });
    const text = renderChangeComment(event, 'UTC');
    expect(text).toContain('🔄 **Change** for **checkout** from `config-service` at ');
    expect(text).toContain('Deploy &lt;b&gt;`@alice`&lt;/b&gt; \\`x\\`');
    expect(parseChangeBlock(text)).toEqual(event);
  });

  it('becomes a candidate in its window, naming the commit its details carry', () => {
    const [candidate] = changeEventCandidates([change(), change({ id: 1, at: before(48 * 60) })], window);
    expect(candidate).toMatchObject({ kind: 'change', id: 9001, title: 'Config push: checkout payment timeout 30s → 3s', url: 'https://config.example.com/changes/77', author: 'config-service', sha: 'c0ffee1234', service: 'checkout' });
    expect(changeEventCandidates([change(), change({ id: 1, at: before(48 * 60) })], window)).toHaveLength(1);
  });

  it('ranks a change reported for the alerting service just before the alert above an older merged PR, with its reasons', () => {
    const ranking = rankSuspects(facts(), [...changeEventCandidates([change()], window), pull(5, { mergedAt: before(600), deployments: [] })]);
    const [top] = ranking.suspects;
    expect(top?.candidate.kind).toBe('change');
    expect(top?.rollback).toBe('');
    expect(top?.evidence.map((e) => e.reason)).toEqual(expect.arrayContaining(['reported 12 min before the first alert', 'reported for checkout, the alerting service']));
    const view = suspectsView(facts(), ranking, { timezone: 'UTC', now: new Date(before(-5)) });
    expect(view.suspects[0]).toMatchObject({ kind: 'change event', when: 'reported 12 min before the first alert', command: '' });
  });

  it("weighs another service's change event down, and a rollback as a revert", () => {
    const [other] = changeEventCandidates([change({ service: 'search' })], window);
    const [rolledBack] = changeEventCandidates([change({ id: 9002, summary: 'Rolled back checkout to v41' })], window);
    const ranking = rankSuspects(facts(), [other!, rolledBack!]);
    const byTitle = Object.fromEntries(ranking.suspects.map((s) => [s.candidate.title, s.evidence.map((e) => [e.reason, Math.sign(e.weight)])]));
    expect(byTitle['Config push: checkout payment timeout 30s → 3s']).toContainEqual(['reported for search, not checkout', -1]);
    expect(byTitle['Rolled back checkout to v41']).toContainEqual(['is itself a revert of an earlier change', -1]);
  });
});
