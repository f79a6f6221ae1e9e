import { describe, expect, it } from 'vitest';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { parseSuspectsBlock, renderReason, renderSuspectsBlock, shownEvidence, suspectsBlock, suspectsView } from '../../../src/domain/correlation/suspectsView.ts';
import { loadTemplates } from '../../../src/adapters/templates/templates.ts';
import { deployed, facts, pull } from './support.ts';

const render = loadTemplates();
const now = new Date('2025-06-12T12:05:00Z');

describe('the Suspected changes comment', () => {
  it('lists suspects with score, plain-word evidence, link, unpinged author and the exact rollback command', () => {
    const culprit = pull(7, { title: 'Reserve inventory *before* paying', author: 'bob', labels: ['risky'], deployments: [deployed(12)] });
    const bystander = pull(8, { author: 'alice', paths: ['docs/runbook.md'], deployments: [deployed(600)] });
    const ranking = rankSuspects(facts(), [culprit, bystander]);
    const text = render('suspects', suspectsView(facts(), ranking, { timezone: 'UTC', now }));
    expect(text).toContain('### 🔎 Suspected changes');
    expect(text).toMatch(/\*\*1\. \[#7 Reserve inventory \\\*before\\\* paying\]\(https:\/\/github\.com\/acme\/shop\/pull\/7\)\*\* · \d+% · PR by `bob`, merged 2 h before the first alert/);
    expect(text).toContain('- ⬆️ deployed to production 12 min before the first alert');
    expect(text).toContain('changes services/checkout/\\*\\*, the alerting service');
    expect(text).toContain('Roll back: `/rollback #7`');
    expect(text).not.toMatch(/@bob|@alice/);
    expect(text).not.toContain('No likely suspect');
  });

  it('quotes what matched as code, escaping the words around it', () => {
    const f = facts({ statements: [{ source: 'description', text: 'Traceback (most recent call last):\n  File "/srv/app/services/checkout/cart_total.py", line 12, in total\nKeyError: *currency*' }] });
    const culprit = pull(7, { paths: ['services/checkout/cart_total.py'], deployments: [deployed(12)], patches: { 'services/checkout/cart_total.py': '@@ -10,5 +10,5 @@\n a\n b\n-c\n+d\n e' } });
    const text = render('suspects', suspectsView(f, rankSuspects(f, [culprit]), { timezone: 'UTC', now }));
    expect(text).toContain('- ⬆️ the alert names `cart_total.py:12`; this PR changes `services/checkout/cart_total.py` lines 10–14');
    expect(renderReason({ reason: '', parts: ['the alert says ', { code: 'a`b' }, ' *and* @team'] })).toBe('the alert says ``a`b`` \\*and\\* `@team`');
  });

  it('keeps what the alerts said in the hidden block, bounded, for a recompute', () => {
    const f = facts({ statements: [{ source: 'name', text: 'RefundWorkerExceptions' }, { source: 'description', text: 'x'.repeat(1500) }] });
    const parsed = parseSuspectsBlock(renderSuspectsBlock(suspectsBlock(f, rankSuspects(f, [pull(7)]), { now })));
    expect(parsed?.statements).toEqual([
      { source: 'name', text: 'RefundWorkerExceptions' },
      { source: 'description', text: 'x'.repeat(1000) },
    ]);
  });

  it('shows at most five suspects', () => {
    const many = Array.from({ length: 8 }, (_, i) => pull(i + 1, { deployments: [deployed(10 + i)] }));
    const text = render('suspects', suspectsView(facts(), rankSuspects(facts(), many, { limit: 8 }), { timezone: 'UTC', now }));
    expect(text.match(/^\*\*\d\. /gm)).toHaveLength(5);
  });

  it('says "no likely suspect" with what was considered instead of guessing', () => {
    const old = pull(3, { paths: ['services/search/index.js'], deployments: [deployed(20 * 60)] });
    const ranking = rankSuspects(facts(), [old]);
    expect(ranking.verdict).toBe('no_likely_suspect');
    const text = render('suspects', suspectsView(facts(), ranking, { timezone: 'UTC', now }));
    expect(text).toContain('**No likely suspect.** None of the 1 change to **checkout** from 2025-06-11 12:00 UTC to 2025-06-12 12:10 UTC (24.2 h) is convincing');
    expect(text).toContain('<details><summary>What was considered</summary>');
    expect(text).toContain('#3 Change 3');
  });

  it('notes reverted changes and fetch problems', () => {
    const reverted = pull(5, { revertedBy: 6, deployments: [deployed(30)] });
    const text = render('suspects', suspectsView(facts(), rankSuspects(facts(), [reverted]), { timezone: 'UTC', now, notes: ['could not read acme/infra (not found, or firewatch is not installed there)'] }));
    expect(text).toContain('Left out (already reverted): #5 already reverted by #6 (excluded).');
    expect(text).toContain('> ⚠️ could not read acme/infra');
  });

  it('keeps the alert hints and the ranking in a hidden block it can read back', () => {
    const f = facts({ labels: { image: 'checkout:abc1234', huge: 'x'.repeat(500) } });
    const ranking = rankSuspects(f, [pull(7, { deployments: [deployed(12)] })]);
    const block = suspectsBlock(f, ranking, { incident: 'inc-1', requests: 2, now, beforeFor: () => 'f'.repeat(40) });
    const parsed = parseSuspectsBlock(`text\n${renderSuspectsBlock(block)}`);
    expect(parsed).toMatchObject({ incident: 'inc-1', verdict: 'suspects', requests: 2, labels: { image: 'checkout:abc1234' }, suspects: [{ key: 'acme/shop#7', command: '/rollback #7', before: 'f'.repeat(40) }] });
    expect(parsed?.labels['huge']).toBeUndefined();
  });

  it("keeps each suspect's evidence in plain words in the hidden block, at most four reasons of bounded length", () => {
    const culprit = pull(7, { title: 'x'.repeat(300), labels: ['risky'], deployments: [deployed(12)] });
    const ranking = rankSuspects(facts(), [culprit]);
    const parsed = parseSuspectsBlock(renderSuspectsBlock(suspectsBlock(facts(), ranking, { now })));
    const evidence = parsed?.suspects[0]?.evidence ?? [];
    expect(evidence.map((e) => e.reason)).toContain('deployed to production 12 min before the first alert');
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.length).toBeLessThanOrEqual(4);
    for (const e of evidence) expect(e.reason.length).toBeLessThanOrEqual(240);
    // The hidden block stays plain text: escaping is the renderer's job.
    expect(evidence.some((e) => e.reason.includes('services/checkout/**'))).toBe(true);
  });
});

describe('the evidence a suspect shows', () => {
  const e = (feature: string, weight: number) => ({ feature, weight, reason: `${feature} ${weight}` }) as Parameters<typeof shownEvidence>[0]['evidence'][number];

  it('the strongest four, and a value the alert quotes always among them, strongest first', () => {
    const evidence = [e('timing', 3), e('alert_words', 2.5), e('config', 1.2), e('service_paths', 0.9), e('alert_value', 0.6), e('size', 0.02)];
    expect(shownEvidence({ evidence }).map((x) => x.feature)).toEqual(['timing', 'alert_words', 'config', 'alert_value']);
    const without = evidence.filter((x) => x.feature !== 'alert_value');
    expect(shownEvidence({ evidence: without }).map((x) => x.feature)).toEqual(['timing', 'alert_words', 'config', 'service_paths']);
  });
});
