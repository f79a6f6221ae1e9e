/**
 * A large, valid alert group through the sandbox over HTTP (issue 16, item 7): one Alertmanager
 * notification for 120 crash-looping pods (~114 kB), then one for 1,000. The incident body stays
 * under GitHub's 65,536 characters by summing up the alerts it has no row for ("… and N more"),
 * and the hidden state block is never cut: `/ack` still works afterwards, and the notification
 * counts of the alerts with a row go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRACKED_ALERTS } from '../../src/domain/alerts/recordAlert.ts';
import { GITHUB_BODY_LIMIT } from '../../src/domain/text/markdown.ts';
import { eventually } from '../support/processes.ts';
import { checkTables } from '../support/gfmTables.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
beforeAll(async () => {
  chat = await startChatops();
}, 60_000);
afterAll(async () => {
  await chat?.close();
});

/** One notification of the `PodCrashLooping` group with `pods` alerts, as Alertmanager sends it. */
function crashLoops(pods: number, status: 'firing' | 'resolved' = 'firing') {
  const alerts = Array.from({ length: pods }, (_, i) => ({
    status,
    labels: { alertname: 'PodCrashLooping', namespace: 'checkout', pod: `checkout-api-7f9c${String(i).padStart(4, '0')}-x2k9q`, container: 'api', service: 'checkout', severity: 'critical', team: 'payments', cluster: 'prod-eu-1' },
    annotations: {
      summary: `Pod checkout/checkout-api-7f9c${String(i).padStart(4, '0')}-x2k9q is crash looping`,
      description: `Container api of pod checkout-api-7f9c${String(i).padStart(4, '0')}-x2k9q restarted 5 times in the last 10 minutes. Last state: OOMKilled (exit code 137). ${'Check the memory limit and the last deploy. '.repeat(4)}`,
      runbook_url: 'https://runbooks.example/kubernetes/pod-crash-looping',
    },
    startsAt: '2026-01-14T08:55:00.000Z',
    endsAt: status === 'resolved' ? '2026-01-14T09:20:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.internal:9090/graph?g0.expr=increase%28kube_pod_container_status_restarts_total%7Bpod%3D%22checkout-api-${i}%22%7D%5B10m%5D%29+%3E+3&g0.tab=1`,
    fingerprint: `c0ffee${String(i).padStart(10, '0')}`,
  }));
  return {
    receiver: 'firewatch',
    status,
    alerts,
    groupLabels: { alertname: 'PodCrashLooping' },
    commonLabels: { alertname: 'PodCrashLooping', namespace: 'checkout', service: 'checkout', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.internal:9093',
    version: '4',
    groupKey: '{}:{alertname="PodCrashLooping"}',
    truncatedAlerts: 0,
  };
}

async function notify(payload: unknown): Promise<number> {
  const text = JSON.stringify(payload);
  const response = await fetch(`${chat.running.server.url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: text });
  expect(response.status, await response.text()).toBeLessThan(300);
  await chat.running.server.alertQueue.idle();
  await chat.settle();
  return text.length;
}

async function incidentNumber(): Promise<number> {
  return eventually(async () => {
    const { data } = await chat.as('alice').rest.issues.listForRepo({ ...chat.repo, labels: 'incident', state: 'all' });
    return data.find((issue) => issue.title.includes('PodCrashLooping'))?.number;
  }, 'the PodCrashLooping incident');
}

function rowCounts(body: string): number[] {
  const table = checkTables(body).tables.find((t) => t.header[0] === 'Alert');
  return (table?.rows ?? []).map((row) => Number(row[6]));
}

describe('a large alert group', () => {
  let number = 0;

  it('of 120 pods (114 kB) opens one incident whose body fits, with its state whole and the rest summed up', async () => {
    const size = await notify(crashLoops(120));
    expect(size).toBeGreaterThan(110_000);
    number = await incidentNumber();
    const { body, incident } = await chat.view(number);
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    // Rows for as many alerts as fit, the rest counted: every pod is accounted for.
    const tracked = incident?.alerts.length ?? 0;
    expect(tracked).toBeGreaterThanOrEqual(10);
    expect(tracked).toBeLessThanOrEqual(MAX_TRACKED_ALERTS);
    expect(incident?.untrackedAlerts).toEqual({ firing: 120 - tracked, resolved: 0 });
    expect(body).toMatch(/<!-- firewatch:state \{.*\} -->\n$/s);
    const rows = rowCounts(body).length;
    expect(body).toContain(`… and ${120 - rows} more alerts not shown (${120 - rows} firing).`);
    expect(checkTables(body).problems).toEqual([]);
    // The first pod's description, shown once for the incident.
    expect(body).toContain('> Container api of pod checkout-api-7f9c0000-x2k9q restarted 5 times');
  }, 60_000);

  it('of 1,000 pods keeps the body under the limit and the state readable; /ack works after it and the counts go on', async () => {
    const size = await notify(crashLoops(1_000));
    expect(size).toBeGreaterThan(900_000);
    let view = await chat.view(number);
    expect(view.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(view.incident).not.toBeNull();
    const tracked = view.incident?.alerts.length ?? 0;
    expect(tracked).toBeGreaterThanOrEqual(10);
    expect(view.incident?.untrackedAlerts).toEqual({ firing: 1_000 - tracked, resolved: 0 });
    const rows = rowCounts(view.body).length;
    expect(view.body).toContain(`… and ${1_000 - rows} more alerts not shown (${1_000 - rows} firing).`);
    // The alerts tracked since the first notification kept their rows: two notifications each.
    expect(rowCounts(view.body).every((count) => count === 2)).toBe(true);

    const { reply, reactions } = await chat.say('bob', number, '/ack');
    expect(reactions).toContain('rocket');
    expect(reply).toContain('✅ Acknowledged by `@bob`');
    view = await chat.view(number);
    expect(view.labels).toContain('status:acknowledged');
    expect(view.incident?.acknowledgedBy).toBe('bob');
    expect(view.body).toMatch(/^- \[x\] \*\*Acknowledge\*\*/m);

    await notify(crashLoops(1_000));
    view = await chat.view(number);
    expect(view.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(view.incident?.status).toBe('acknowledged');
    expect(rowCounts(view.body).every((count) => count === 3)).toBe(true);
    expect(view.incident?.alerts.every((alert) => alert.count === 3)).toBe(true);
    const { data: all } = await chat.as('alice').rest.issues.listForRepo({ ...chat.repo, labels: 'incident', state: 'all' });
    expect(all.filter((issue) => issue.title.includes('PodCrashLooping'))).toHaveLength(1);
  }, 120_000);
});
