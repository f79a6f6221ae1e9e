/**
 * Re-captures test/fixtures/alerts/alertmanager/*.json from the real Alertmanager:
 *
 *   npx tsx test/support/captureAlertmanagerFixtures.ts
 *
 * Everything runs on loopback and is stopped at the end. Bodies are saved pretty-printed (same
 * JSON, readable diffs) next to `<name>.headers.json` with the request headers as received.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type PostableAlert, startAlertmanager } from './alertmanager.ts';
import { type CapturedRequest, startCaptureServer } from './captureServer.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/alerts/alertmanager/', import.meta.url));
export const FIXTURE_BEARER_TOKEN = 'fixture-alert-token';

const prometheus = 'http://prometheus.internal:9090';
const highErrorRate = (pod: string, value: string): PostableAlert => ({
  labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', namespace: 'shop', pod, job: 'checkout-api', team: 'payments' },
  annotations: {
    summary: `Checkout error rate is ${value} on ${pod}`,
    description: 'More than 5% of checkout requests failed over the last 5 minutes.',
    runbook_url: 'https://runbooks.example.com/checkout/high-error-rate',
    dashboard_url: 'https://grafana.example.com/d/checkout/checkout-overview',
    value,
  },
  generatorURL: `${prometheus}/graph?g0.expr=${encodeURIComponent('job:request_errors:rate5m{job="checkout-api"} > 0.05')}&g0.tab=1`,
});
const diskSpaceLow: PostableAlert = {
  labels: { alertname: 'DiskSpaceLow', severity: 'warning', job: 'node-exporter', instance: 'db-1:9100', mountpoint: '/var/lib/postgresql' },
  annotations: {
    summary: 'Disk space below 10% on db-1',
    runbook: 'https://runbooks.example.com/disk',
    dashboard: 'https://grafana.example.com/d/node/node-exporter?var-instance=db-1',
  },
  generatorURL: `${prometheus}/graph?g0.expr=${encodeURIComponent('node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1')}&g0.tab=1`,
};

type Body = { status?: string; groupLabels?: Record<string, string>; alerts?: { status?: string }[] };
const body = (request: CapturedRequest): Body => (request.json ?? {}) as Body;
const group = (name: string) => (request: CapturedRequest) => body(request).groupLabels?.['alertname'] === name;

async function save(name: string, request: CapturedRequest): Promise<void> {
  await writeFile(`${FIXTURE_DIR}${name}.json`, `${JSON.stringify(request.json, null, 2)}\n`);
  const headers = Object.fromEntries(Object.entries(request.headers).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(`${FIXTURE_DIR}${name}.headers.json`, `${JSON.stringify({ method: request.method, path: request.path, headers }, null, 2)}\n`);
  console.log(`saved ${name}.json (${body(request).status}, ${body(request).alerts?.length} alerts)`);
}

async function main(): Promise<void> {
  await mkdir(FIXTURE_DIR, { recursive: true });
  const capture = await startCaptureServer();
  const webhookUrl = `${capture.url}/alerts/alertmanager`;
  const am = await startAlertmanager({ webhookUrl, bearerToken: FIXTURE_BEARER_TOKEN });
  const truncating = await startAlertmanager({ webhookUrl, bearerToken: FIXTURE_BEARER_TOKEN, maxAlerts: 2 });
  try {
    const podA = highErrorRate('checkout-7d9f8-abcde', '7.3%');
    const podB = highErrorRate('checkout-7d9f8-fghij', '6.1%');

    let since = capture.requests.length;
    await am.postAlerts([podA, podB, diskSpaceLow]);
    await save('firing-group', await capture.waitFor((r) => group('HighErrorRate')(r) && body(r).alerts?.length === 2, { sinceCount: since }));
    await save('firing-single', await capture.waitFor(group('DiskSpaceLow'), { sinceCount: since }));

    since = capture.requests.length;
    await am.resolveAlerts([podA]);
    await save(
      'partially-resolved',
      await capture.waitFor((r) => group('HighErrorRate')(r) && body(r).status === 'firing' && Boolean(body(r).alerts?.some((a) => a.status === 'resolved')), { sinceCount: since }),
    );

    since = capture.requests.length;
    await am.resolveAlerts([podB]);
    await save('resolved', await capture.waitFor((r) => group('HighErrorRate')(r) && body(r).status === 'resolved', { sinceCount: since }));

    since = capture.requests.length;
    await truncating.postAlerts([highErrorRate('checkout-1', '9.0%'), highErrorRate('checkout-2', '8.0%'), highErrorRate('checkout-3', '7.0%')]);
    await save('truncated', await capture.waitFor((r) => group('HighErrorRate')(r) && (r.json as { truncatedAlerts?: number }).truncatedAlerts === 1, { sinceCount: since }));
  } finally {
    await am.stop();
    await truncating.stop();
    await capture.close();
  }
}

await main();
