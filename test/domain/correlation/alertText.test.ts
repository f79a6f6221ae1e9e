import { describe, expect, it } from 'vitest';
import { alertText, fileReferences } from '../../../src/domain/correlation/alertText.ts';

describe('fileReferences', () => {
  it('reads a Python traceback, the failing frame last', () => {
    const refs = fileReferences('Traceback (most recent call last):\n  File "/srv/app/inventory/jobs.py", line 4, in run\n  File "/srv/app/inventory/reservations.py", line 142, in release_expired\nAttributeError: x');
    expect(refs.map((r) => [r.written, r.line, r.primary])).toEqual([
      ['/srv/app/inventory/jobs.py', 4, false],
      ['/srv/app/inventory/reservations.py', 142, true],
    ]);
  });

  it('reads Java, Go and Node traces, the failing frame first, and skips library frames', () => {
    const java = fileReferences('java.lang.NullPointerException\n\tat com.acme.shipping.label.LabelRenderer.render(LabelRenderer.java:213)\n\tat com.acme.shipping.api.LabelController.create(LabelController.java:57)');
    expect(java.filter((r) => !r.module).map((r) => [r.written, r.line, r.primary])).toEqual([
      ['LabelRenderer.java', 213, true],
      ['LabelController.java', 57, false],
    ]);
    expect(java.filter((r) => r.module).map((r) => r.written)).toContain('com.acme.shipping.label.LabelRenderer.render');
    const go = fileReferences('panic: runtime error\n\t/usr/local/go/src/runtime/panic.go:114 +0x1\n\t/build/internal/routing/planner.go:311 +0x4b2');
    expect(go.map((r) => [r.written, r.line, r.primary])).toEqual([['build/internal/routing/planner.go', 311, true]]);
    const node = fileReferences("Error: ER_DUP_ENTRY\n    at Query (node_modules/mysql/lib/protocol/Sequence.js:47:14)\n    at create (/srv/app/src/coupons/create.js:12:3)");
    expect(node.map((r) => [r.written, r.line, r.primary])).toEqual([['srv/app/src/coupons/create.js', 12, true]]);
  });

  it("reads Sentry's culprit and capitalised module names, not metric names", () => {
    expect(fileReferences('Culprit: auth.oidc in exchange_code').map((r) => [r.written, r.module, r.primary])).toEqual([['auth.oidc', true, true]]);
    expect(fileReferences('CaseClauseError raised in ChatWeb.RoomChannel.join/3').map((r) => r.written)).toEqual(['ChatWeb.RoomChannel.join']);
    expect(fileReferences('trace.servlet.request p99 over service:pricing; see www.example.com and v1.2.json')).toEqual([]);
  });

  it("takes a script on another host for no file of ours: a third-party widget is the vendor's", () => {
    const refs = fileReferences('78% of long tasks attributed to cdn.reviewsvendor.net/widget.js and static.vendor.io/loader.min.js; at render (src/widget/embed.js:12:3)');
    expect(refs.map((r) => r.written)).toEqual(['src/widget/embed.js']);
  });
});

describe('alertText', () => {
  const facts = { service: 'ledger', labels: { consumergroup: 'ledger-projector', severity: 'critical', environment: 'production', instance: '10.0.0.3:9100' }, annotations: { runbook_url: 'https://runbooks/x', culprit: 'app.billing.proration in prorate' } };

  it('remembers where the alert said each word; the service’s own name and how-it-fired labels are left out', () => {
    const said = alertText({ ...facts, statements: [{ source: 'name', text: 'KafkaConsumerGroupLagHigh' }, { source: 'description', text: 'projector is 118k behind' }] });
    const words = Object.fromEntries(said.words.map((w) => [w.key, [w.where, w.factor]]));
    expect(words['projector']).toEqual(['label consumergroup', 1]);
    expect(words['kafka']).toEqual(['name', 1]);
    expect(words['ledg']).toBeUndefined();
    expect(words['critical']).toBeUndefined();
    expect(said.files.map((f) => f.written)).toEqual(['app.billing.proration']);
  });

  it('notices when the alert says a dependency failed', () => {
    expect(alertText({ ...facts, statements: [{ source: 'description', text: 'Stripe returned 503 for 12% of charges' }] }).external).toEqual([{ kind: 'provider', said: 'returned 503' }]);
    expect(alertText({ ...facts, statements: [{ source: 'description', text: 'token endpoint: 503 Service Unavailable' }] }).external).toEqual([{ kind: 'provider', said: '503 Service Unavailable' }]);
    expect(alertText({ ...facts, statements: [{ source: 'description', text: '503 requests failed with 400 Bad Request' }] }).external).toEqual([]);
  });
});
