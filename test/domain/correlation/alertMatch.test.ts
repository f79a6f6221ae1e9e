import { describe, expect, it } from 'vitest';
import { buildCorpus, fileEvidence, fileMatch, MATCH_WEIGHTS, mismatchEvidence, plainReason, wordEvidence, wordWeight } from '../../../src/domain/correlation/alertMatch.ts';
import { alertText, fileReferences } from '../../../src/domain/correlation/alertText.ts';
import type { IncidentFacts } from '../../../src/domain/correlation/candidate.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { deployed, facts, pull } from './support.ts';

const said = (overrides: Partial<IncidentFacts>) => alertText(facts(overrides));

describe('wordWeight', () => {
  it('weighs rare words over common ones: the fewer other changes carry a word, the more it says', () => {
    expect(wordWeight(0, 2)).toBeCloseTo(Math.log(0.5 / (0.45 / 5)), 6);
    expect(wordWeight(0, 2)).toBeGreaterThan(wordWeight(0, 0));
    expect(wordWeight(1, 2)).toBeLessThan(wordWeight(0, 2));
    expect(wordWeight(4, 4)).toBe(0);
    expect(wordWeight(0, 2, true)).toBeGreaterThan(wordWeight(0, 2));
  });
});

describe('fileMatch', () => {
  const [ledger] = fileReferences('File "/srv/app/app/refunds/ledger.py", line 88, in post');
  const [mapper] = fileReferences('at mapShipment (/srv/app/dist/carriers/ups/mapShipment.js:4:35)');
  const [module] = fileReferences('Culprit: app.billing.proration in prorate_invoice');
  it('matches trailing path parts, compiled output to its source, and module names to files', () => {
    if (!ledger || !mapper || !module) throw new Error('no references');
    expect(fileMatch(ledger, 'app/refunds/ledger.py')).toBe(3);
    expect(fileMatch(ledger, 'other/ledger.py')).toBe(1);
    expect(fileMatch(ledger, 'app/refunds/ledger.rb')).toBe(0);
    expect(fileMatch(mapper, 'src/carriers/ups/mapShipment.ts')).toBe(3);
    expect(fileMatch(module, 'app/billing/proration.py')).toBe(3);
    expect(fileMatch(module, 'app/billing/pdf.py')).toBe(0);
  });
});

describe('file evidence', () => {
  const alert = said({ statements: [{ source: 'description', text: 'Traceback (most recent call last):\n  File "/srv/app/app/refunds/ledger.py", line 88, in post_refund\nAttributeError' }] });
  const patch = '@@ -85,7 +85,7 @@\n     if amount <= 0:\n         raise ValueError\n     fee = book.fee_for(entry)\n-    entry.balance -= amount + fee\n+    entry.balance -= amount + fee * entry.partial_ratio\n     book.append(entry)\n     return entry';

  it('quotes the named file and line and the lines the PR changed around it', () => {
    const culprit = pull(1, { paths: ['app/refunds/ledger.py'], patches: { 'app/refunds/ledger.py': patch } });
    const evidence = fileEvidence(culprit, alert, buildCorpus([culprit], alert));
    expect(plainReason(evidence?.parts ?? [])).toBe('the alert names `ledger.py:88`; this PR changes `app/refunds/ledger.py` lines 85–91');
    expect(evidence?.weight).toBe(MATCH_WEIGHTS.primaryFile + MATCH_WEIGHTS.lineInHunk);
  });

  it('weighs a change far from the named line less, and divides the weight among changes to the same file', () => {
    const far = pull(1, { paths: ['app/refunds/ledger.py'], patches: { 'app/refunds/ledger.py': '@@ -10,1 +10,1 @@\n-a\n+b' } });
    expect(fileEvidence(far, alert, buildCorpus([far], alert))?.weight).toBeCloseTo(MATCH_WEIGHTS.primaryFile * MATCH_WEIGHTS.farFromLine, 6);
    const other = pull(2, { paths: ['app/refunds/ledger.py'] });
    expect(fileEvidence(other, alert, buildCorpus([far, other], alert))?.weight).toBeCloseTo(MATCH_WEIGHTS.primaryFile / 2, 6);
  });

  it('counts a match of a common file name for little', () => {
    const main = said({ statements: [{ source: 'description', text: 'panic\n\t/build/main.go:12 +0x1' }] });
    const change = pull(1, { paths: ['cmd/api/main.go'] });
    expect(fileEvidence(change, main, buildCorpus([change], main))?.weight).toBeCloseTo(MATCH_WEIGHTS.primaryFile * MATCH_WEIGHTS.commonFileName, 6);
  });
});

describe('word evidence', () => {
  it('quotes the alert word and where the PR says it', () => {
    const alert = said({ labels: { queue: 'emails' } });
    const digest = pull(1, { title: 'Digest: one task per subscriber', body: 'Adds 200k small tasks to the emails queue each Monday.' });
    const sms = pull(2, { title: 'SMS: switch provider' });
    const evidence = wordEvidence(digest, alert, buildCorpus([digest, sms], alert));
    expect(plainReason(evidence?.parts ?? [])).toBe("the alert's label queue says `emails`; this PR says `emails` in its description");
    expect(wordEvidence(sms, alert, buildCorpus([digest, sms], alert))).toBeUndefined();
  });

  it('quotes up to three of the words that matched, so the one that tells the change apart is shown too', () => {
    const alert = said({ service: 'checkout', labels: { provider: 'adyen' }, statements: [{ source: 'name', text: 'PaymentRefusalsHigh' }, { source: 'description', text: "Top refusal reason: 'Invalid shopper reference'" }] });
    const culprit = pull(1, { title: 'Adyen: identify shoppers by customer UUID', paths: ['app/Payments/Adyen/PaymentRequestBuilder.php'] });
    const other = pull(2, { title: 'Polish translations', paths: ['resources/lang/pl/checkout.php'] });
    const reason = plainReason(wordEvidence(culprit, alert, buildCorpus([culprit, other], alert))?.parts ?? []);
    expect(reason).toContain('`Payment`');
    expect(reason).toContain('`adyen`');
    expect(reason).toContain('`shopper`');
  });

  it('says when a change matches nothing a telling alert names', () => {
    const alert = said({ statements: [{ source: 'description', text: 'File "/srv/app/auth/oidc.py", line 40, in exchange' }] });
    const footer = pull(1, { paths: ['templates/login.html'] });
    const evidence = mismatchEvidence(footer, alert, buildCorpus([footer], alert));
    expect(evidence?.weight).toBe(MATCH_WEIGHTS.unmatchedFile);
    expect(plainReason(evidence?.parts ?? [])).toBe('nothing in it matches what the alert names (`oidc.py:40`)');
    // An alert that says little (its name is the service's) holds nothing against anyone.
    expect(mismatchEvidence(footer, said({ statements: [{ source: 'name', text: 'CheckoutHighErrorRate' }] }), buildCorpus([footer], alert))).toBeUndefined();
  });
});

describe('one deployment, several PRs', () => {
  it('the PR the alert names wins, and the verdict names it instead of splitting the deployment evenly', () => {
    const shipped = [deployed(20)];
    const candidates = [
      pull(1, { title: 'Proration: support mid-cycle downgrades', paths: ['services/checkout/billing/proration.py'], deployments: shipped }),
      pull(2, { title: 'PDF footer: VAT number', paths: ['services/checkout/billing/pdf.py'], deployments: shipped }),
      pull(3, { title: 'Bump sentry-sdk from 2.3.0 to 2.5.1', paths: ['services/checkout/requirements.txt'], deployments: shipped }),
    ];
    // Read without what the alert says, the three are near even and #1 is not first.
    const plain = rankSuspects(facts(), candidates);
    expect(plain.suspects[0]?.score).toBeLessThan(0.5);
    expect(plain.suspects[0]?.candidate).not.toMatchObject({ number: 1 });
    const ranking = rankSuspects(facts({ statements: [{ source: 'name', text: 'ZeroDivisionError: division by zero' }, { source: 'description', text: 'Culprit: billing.proration in prorate_invoice' }] }), candidates);
    expect(ranking.verdict).toBe('suspects');
    expect(ranking.suspects[0]?.candidate).toMatchObject({ number: 1 });
    expect(ranking.suspects[0]?.score).toBeGreaterThan(0.6);
  });
});
