import { describe, expect, it } from 'vitest';
import { valueEvidence, buildCorpus } from '../../../src/domain/correlation/alertMatch.ts';
import { alertText } from '../../../src/domain/correlation/alertText.ts';
import { alertValues, settingWritten } from '../../../src/domain/correlation/alertValues.ts';
import { facts, pull } from './support.ts';

const texts = (text: string, service = '') => alertValues(text, service).map((v) => `${v.kind}: ${v.text}`);

describe('alertValues: the literal values an alert quotes', () => {
  it('reads numbers, codes, URL paths, networks and quoted messages', () => {
    expect(texts('max.poll.records 5000 exceeds max.poll.interval.ms')).toEqual(['code: max.poll.records', 'code: max.poll.interval.ms', 'number: 5000']);
    expect(texts('Unknown jurisdiction CH-ZH; pt-BR falls back to en')).toEqual(['code: CH-ZH', 'code: pt-BR']);
    expect(texts('REDIS_CLUSTER_NODES is required; flag paypal_vault_v2 on')).toEqual(['code: REDIS_CLUSTER_NODES', 'code: paypal_vault_v2']);
    expect(texts('readiness probe GET /health/ready returns 404; CacheHitRate for /images/* fell')).toEqual(['path: /health/ready', 'path: /images/*']);
    expect(texts('no route from 10.4.32.0/20 to the cache')).toEqual(['code: 10.4.32.0/20']);
    expect(texts(`ValueError: "currency code not supported" (KeyError: 'vat_rate')`)).toEqual(['quoted: currency code not supported', 'quoted: vat_rate']);
  });

  it('leaves out what says nothing specific: statuses, years, times, percentages, English compounds, links, source files, the service', () => {
    expect(texts('HTTP 503 since 12:09 on 2026-11-30, 64% of calls; read-only mode; see https://status.example.com/incidents/8812')).toEqual([]);
    expect(texts('Traceback in app/refunds/ledger.py line 88')).toEqual([]);
    expect(texts('mobile-bff answers 500 for /v2/orders', 'mobile-bff')).toEqual(['path: /v2/orders']);
  });
});

describe('valueEvidence: a change that carries the very value the alert quotes', () => {
  const incident = facts({ statements: [{ source: 'description', text: 'Consumer group ledger-writer rebalances every 40 s: max.poll.records 5000 takes longer than max.poll.interval.ms' }] });
  const culprit = pull(1, { title: 'Writer: poll 5000 records at a time', paths: ['services/checkout/application.yml'] });
  const bystander = pull(2, { title: 'Refunds listener: dead-letter after 3 attempts', paths: ['services/checkout/refunds.ts'], patches: { 'services/checkout/refunds.ts': '@@ -1,1 +1,1 @@\n-const attempts = 5;\n+const attempts = 3;\n' } });

  it('quotes the value and where the change says it, and weighs it by how many changes carry it', () => {
    const alert = alertText(incident);
    const corpus = buildCorpus([culprit, bystander], alert);
    expect(valueEvidence(culprit, alert, corpus)).toEqual({ weight: 1.2, parts: ['the alert says ', { code: '5000' }, '; this PR has it in its title'] });
    expect(valueEvidence(bystander, alert, corpus)).toBeUndefined();
    const twin = pull(3, { title: 'Batch job: flush every 5000 rows', paths: ['services/checkout/batch.ts'] });
    expect(valueEvidence(culprit, alert, buildCorpus([culprit, bystander, twin], alert))?.weight).toBeCloseTo(0.6, 5);
  });

  it('finds a value in the lines a patch changes, as a whole token only', () => {
    const alert = alertText(facts({ statements: [{ source: 'description', text: "KeyError: 'vat_rate' in invoice 88123" }] }));
    const writer = pull(4, { title: 'Read tax rates from the v2 API', paths: ['services/checkout/tax.ts'], patches: { 'services/checkout/tax.ts': '@@ -3,1 +3,1 @@\n-  vat_rate: row.rate,\n+  vatRate: row.rate,\n' } });
    const near = pull(5, { title: 'Tax: vat_rates table cleanup', paths: ['services/checkout/tax_tables.ts'] });
    const corpus = buildCorpus([writer, near], alert);
    expect(valueEvidence(writer, alert, corpus)).toEqual({ weight: 1.8, parts: ['the alert says ', { code: 'vat_rate' }, '; this PR has it in a changed line in services/checkout/tax.ts'] });
    expect(valueEvidence(near, alert, corpus)).toBeUndefined();
  });
});

describe('round 6: values written another way, and the key above a changed value', () => {
  it('reads durations and sizes with their units, and numbers with thousands separators', () => {
    expect(alertValues('read timed out after 500ms; limit 512Mi; 12,400 errors; Tr=30001 ms; took 2.5 s; in the last 5 min').map((v) => `${v.kind}: ${v.text} ${v.canonical ?? ''}`.trim())).toEqual([
      'quantity: 500ms time:500',
      'quantity: 512Mi bytes:512M',
      'quantity: 30001 ms time:30001',
      'quantity: 2.5 s time:2500',
      'number: 12,400 12400',
    ]);
    // How long the alert watched is no setting: `within 60 s`, `for 30 s`, `over the last 10 s`.
    expect(alertValues('rate jumped within 60 s of 18:00; p99 above 2 s for 30 s; 5xx over the last 10 s').map((v) => v.text)).toEqual(['2 s']);
  });

  it('matches a quantity in any spelling of it, and a number with or without separators', () => {
    const alert = alertText(facts({ statements: [{ source: 'description', text: 'pricing calls time out after 0.5 s; 12,400 rows rejected; container killed at 1GiB' }] }));
    const timeout = pull(1, { title: 'Pricing client: read timeout 500 ms', paths: ['services/checkout/pricing.ts'] });
    const rows = pull(2, { title: 'Importer: reject batches above 12_400 rows', paths: ['services/checkout/importer.ts'] });
    const memory = pull(3, { title: 'Worker memory', paths: ['deploy/worker.yaml'], patches: { 'deploy/worker.yaml': '@@ -4,1 +4,1 @@\n-  memory: 2Gi\n+  memory: 1Gi\n' } });
    const corpus = buildCorpus([timeout, rows, memory], alert);
    expect(valueEvidence(timeout, alert, corpus)?.parts).toEqual(['the alert says ', { code: '0.5 s' }, '; this PR has it in its title']);
    expect(valueEvidence(rows, alert, corpus)?.parts).toEqual(['the alert says ', { code: '12,400' }, '; this PR has it in its title']);
    expect(valueEvidence(memory, alert, corpus)?.parts).toEqual(['the alert says ', { code: '1GiB' }, '; this PR has it in a changed line in deploy/worker.yaml']);
  });

  it("reads the key above a changed value in a config file, weighed less; not the code above a change", () => {
    const alert = alertText(facts({ statements: [{ source: 'description', text: "OOM command not allowed when used memory > 'maxmemory'" }] }));
    const patch = '@@ -10,4 +10,4 @@\n parameter {\n   name  = "maxmemory-policy"\n-  value = "allkeys-lru"\n+  value = "noeviction"\n }\n';
    const config = pull(1, { title: 'cache: never evict', paths: ['envs/prod/cache.tf'], patches: { 'envs/prod/cache.tf': patch } });
    const code = pull(2, { title: 'cache client: rename', paths: ['src/cache/client.py'], patches: { 'src/cache/client.py': patch } });
    const corpus = buildCorpus([config, code], alert);
    expect(valueEvidence(config, alert, corpus)).toEqual({ weight: 1.8 * 0.75, parts: ['the alert says ', { code: 'maxmemory' }, '; this PR has it in the line above a change in envs/prod/cache.tf'] });
    expect(valueEvidence(code, alert, corpus)).toBeUndefined();
  });
});

describe('round 7: names in capitals', () => {
  it('reads a binding or constant in capitals as a value, not the words logs and protocols shout', () => {
    expect(texts('KV binding SESSIONS is not configured')).toEqual(['code: SESSIONS']);
    expect(texts('FATAL ERROR: POST failed with TIMEOUT (CRITICAL)')).toEqual([]);
  });

  it('reads three-digit numbers that are no common HTTP status, and header names', () => {
    expect(texts('tile memory 256 exceeded; 404 and 503 answers; header X-Tenant-Id missing')).toEqual(['code: X-Tenant-Id', 'number: 256']);
  });
});

describe('round 8: a gauge at its cap, dotted settings keys', () => {
  it('reads a status-like number given as a full gauge as a limit', () => {
    expect(texts('pool clients 400 of 400, waiting 24')).toEqual(['number: 400']);
    expect(texts('upstream answered 400 for 12% of calls')).toEqual([]);
  });

  it('reads dotted keys of three parts or more, not hosts or files', () => {
    expect(texts('consumer left the group: max.poll.interval.ms exceeded')).toEqual(['code: max.poll.interval.ms']);
    expect(texts('cannot reach db.payments.internal from app.main.py')).toEqual([]);
  });

  it('reads camelCase keys of three words or more, not shorter names', () => {
    expect(texts('pending requests over http1MaxPendingRequests; maxReplicaCount reached; userId missing')).toEqual(['code: http1MaxPendingRequests', 'code: maxReplicaCount']);
  });
});

describe('round 8: a change that writes the setting the alert names at the value it quotes', () => {
  const values = alertValues('FATAL: no more connections allowed (max_client_conn); clients 400 of 400');
  const patch = (lines: string) => ({ 'pgbouncer/shipments.ini': lines });

  it('finds the added line with the key and then the value', () => {
    const writer = pull(1, { paths: ['pgbouncer/shipments.ini'], patches: patch('@@ -9,1 +9,1 @@\n-max_client_conn = 2000\n+max_client_conn = 400\n') });
    expect(settingWritten(writer, values)).toEqual({ line: 'max_client_conn = 400', path: 'pgbouncer/shipments.ini' });
  });

  it('not a line it removes, nor a key without the value, nor a change next to it', () => {
    const remover = pull(2, { paths: ['pgbouncer/shipments.ini'], patches: patch('@@ -9,1 +9,1 @@\n-max_client_conn = 400\n+max_client_conn = 800\n') });
    const neighbour = pull(3, { paths: ['pgbouncer/shipments.ini'], patches: patch('@@ -9,2 +9,2 @@\n max_client_conn = 400\n-server_idle_timeout = 600\n+server_idle_timeout = 120\n') });
    expect(settingWritten(remover, values)).toBeUndefined();
    expect(settingWritten(neighbour, values)).toBeUndefined();
  });

  it('adds to the value evidence and quotes the line', () => {
    const writer = pull(1, { paths: ['pgbouncer/shipments.ini'], patches: patch('@@ -9,1 +9,1 @@\n-max_client_conn = 2000\n+max_client_conn = 400\n') });
    const alert = alertText(facts({ statements: [{ source: 'description', text: 'FATAL: no more connections allowed (max_client_conn); clients 400 of 400' }] }));
    const evidence = valueEvidence(writer, alert, buildCorpus([writer], alert));
    // Two values (1.2, then half of 1.2) and the setting written.
    expect(evidence?.weight).toBeCloseTo(1.2 + 0.6 + 1.5, 5);
    expect(evidence?.parts).toContainEqual({ code: 'max_client_conn = 400' });
  });
});
