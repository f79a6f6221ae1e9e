import type { Logger, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { DEFAULT_CONFIG, validateConfig, type FirewatchConfig } from '../../src/domain/config/config.ts';
import type { IngestAlertOptions } from '../../src/features/alerts/ingestAlert.ts';
import { createMetrics } from '../../src/adapters/telemetry/metrics.ts';
import { createAlertProcessor, isRetryableAlertError, type AlertProcessorDeps } from '../../src/features/alerts/alertProcessor.ts';
import type { RepoRef } from '../../src/runtimes/env.ts';
import { NoIncidentRepoError, NotInstalledError } from '../../src/domain/errors/errors.ts';
import { createConfigSource } from '../../src/services/configSource.ts';
import { createServices } from '../../src/services/services.ts';

const log = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {}, child: () => log } as unknown as Logger;

const alert: NormalizedAlert = {
  source: 'generic',
  fingerprint: 'fp-1',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P3',
  service: 'checkout',
  labels: {},
  annotations: {},
  startsAt: '2026-01-01T00:00:00.000Z',
  links: { other: [] },
};

function config(input: unknown): FirewatchConfig {
  const { config: parsed, problems } = validateConfig(input);
  expect(problems).toEqual([]);
  return parsed;
}

function fakes(configs: Record<string, FirewatchConfig>, ingestDelayMs = 0) {
  const calls = { octokitFor: [] as string[], ingested: [] as IngestAlertOptions[], loads: 0 };
  let issues = 0;
  const open = new Map<string, number>();
  const metrics = createMetrics();
  const services = createServices({
    clock: () => new Date('2026-01-01T00:00:00Z'),
    telemetry: { metrics },
    config: createConfigSource({
      load: async (_octokit, repo) => {
        calls.loads += 1;
        return { config: configs[`${repo.owner}/${repo.repo}`] ?? DEFAULT_CONFIG, problems: [] };
      },
    }),
  });
  const deps: AlertProcessorDeps = {
    services,
    defaultRepo: { owner: 'acme', repo: 'shop' },
    octokitFor: async (repo: RepoRef) => {
      calls.octokitFor.push(`${repo.owner}/${repo.repo}`);
      return { repo } as unknown as ProbotOctokit;
    },
    ingestAlert: async (options) => {
      const fingerprint = options.alerts[0]?.fingerprint ?? '';
      const known = open.get(fingerprint);
      await new Promise((resolve) => setTimeout(resolve, ingestDelayMs));
      calls.ingested.push(options);
      if (known) return { outcome: 'updated', issue: { number: known, html_url: `u/${known}` }, comments: 0 };
      issues += 1;
      open.set(fingerprint, issues);
      return { outcome: 'created', issue: { number: issues, html_url: `u/${issues}` }, comments: 0 };
    },
  };
  return { deps, calls, metrics, services };
}

describe('createAlertProcessor', () => {
  it('files into the default repository', async () => {
    const { deps, calls } = fakes({});
    const results = await createAlertProcessor(deps)('generic:fp:fp-1', [alert], log);
    expect(results).toEqual([{ repo: { owner: 'acme', repo: 'shop' }, outcome: 'created', alerts: 1, issue: { number: 1, html_url: 'u/1' } }]);
    expect(calls.ingested.map((call) => [call.repo, call.alerts.map((a) => a.severity)])).toEqual([[{ owner: 'acme', repo: 'shop' }, ['P3']]]);
  });

  it("follows incidents.repo of the default repository and uses that repository's config", async () => {
    const { deps, calls } = fakes({ 'acme/shop': config({ incidents: { repo: 'acme/incidents' } }), 'acme/incidents': config({ incidents: { defaultSeverity: 'P1' } }) });
    const [result] = await createAlertProcessor(deps)('k', [{ ...alert, severityDefaulted: true }], log);
    expect(result?.repo).toEqual({ owner: 'acme', repo: 'incidents' });
    expect(calls.octokitFor).toEqual(['acme/shop', 'acme/incidents']);
    expect(calls.ingested[0]?.alerts[0]?.severity).toBe('P1');
  });

  it('applies incidents.defaultSeverity only to alerts without a severity of their own', async () => {
    const { deps, calls } = fakes({ 'acme/shop': config({ incidents: { defaultSeverity: 'P2' } }) });
    const process = createAlertProcessor(deps);
    await process('a', [{ ...alert, fingerprint: 'a', severityDefaulted: true }], log);
    await process('b', [{ ...alert, fingerprint: 'b', severity: 'P5' }], log);
    expect(calls.ingested.map((call) => call.alerts[0]?.severity)).toEqual(['P2', 'P5']);
  });

  it('routes by label to the service repository with mapped severity and rendered labels', async () => {
    const { deps, calls } = fakes({
      'acme/shop': config({
        routing: {
          services: [{ name: 'payments', match: { team: 'payments' }, repo: 'acme/payments', severity: { warning: 'P2' } }],
          labels: ['team:{{labels.team}}'],
        },
      }),
    });
    const results = await createAlertProcessor(deps)('k', [{ ...alert, labels: { team: 'payments', severity: 'warning' } }], log);
    expect(results[0]?.repo).toEqual({ owner: 'acme', repo: 'payments' });
    expect(calls.ingested[0]).toMatchObject({ repo: { owner: 'acme', repo: 'payments' }, labels: ['team:payments'], alerts: [{ service: 'payments', severity: 'P2' }] });
  });

  it('drops alerts matched by an ignore rule, counts them in the metrics and files the rest', async () => {
    const { deps, calls, metrics } = fakes({ 'acme/shop': config({ routing: { ignore: [{ match: { env: 'staging' }, reason: 'staging pages nobody' }] } }) });
    const results = await createAlertProcessor(deps)('k', [{ ...alert, labels: { env: 'staging' } }, { ...alert, fingerprint: 'fp-2', labels: { env: 'production' } }], log);
    expect(results).toHaveLength(1);
    expect(calls.ingested[0]?.alerts.map((a) => a.fingerprint)).toEqual(['fp-2']);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_dropped_total')).toContain('firewatch_alerts_dropped_total{source="generic",reason="ignored"} 1');
  });

  it('reads the config once per interval, not once per batch', async () => {
    const { deps, calls } = fakes({});
    const process = createAlertProcessor(deps);
    for (let i = 0; i < 5; i++) await process('k', [alert], log);
    expect(calls.loads).toBe(1);
  });

  it('reads the config again once the config source is invalidated (a push changed it)', async () => {
    const configs: Record<string, FirewatchConfig> = { 'acme/shop': config({ incidents: { defaultSeverity: 'P2' } }) };
    const { deps, calls, services } = fakes(configs);
    const process = createAlertProcessor(deps);
    await process('a', [{ ...alert, fingerprint: 'a', severityDefaulted: true }], log);
    configs['acme/shop'] = config({ incidents: { defaultSeverity: 'P4' } });
    await process('b', [{ ...alert, fingerprint: 'b', severityDefaulted: true }], log);
    services.config.invalidate({ owner: 'acme', repo: 'shop' });
    await process('c', [{ ...alert, fingerprint: 'c', severityDefaulted: true }], log);
    expect(calls.loads).toBe(2);
    expect(calls.ingested.map((call) => call.alerts[0]?.severity)).toEqual(['P2', 'P2', 'P4']);
  });

  it('handles batches of one key one at a time, so they share one incident', async () => {
    const { deps } = fakes({}, 20);
    const process = createAlertProcessor(deps);
    const [first, second, other] = await Promise.all([process('k', [alert], log), process('k', [alert], log), process('o', [{ ...alert, fingerprint: 'other' }], log)]);
    expect([first?.[0]?.outcome, second?.[0]?.outcome]).toEqual(['created', 'updated']);
    expect(second?.[0]?.issue?.number).toBe(first?.[0]?.issue?.number);
    expect(other?.[0]).toMatchObject({ outcome: 'created' });
  });

  it('files repeats that arrive while a batch of their key is being filed as ONE more batch, not one each', async () => {
    const { deps, calls } = fakes({}, 20);
    const process = createAlertProcessor(deps);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => process('k', [{ ...alert, value: String(i) }], log)));
    expect(calls.ingested.map((options) => options.alerts.map((a) => a.value))).toEqual([['0'], ['1', '2', '3', '4', '5']]);
    expect(results.map((result) => result[0]?.outcome)).toEqual(['created', 'updated', 'updated', 'updated', 'updated', 'updated']);
    expect(new Set(results.map((result) => result[0]?.issue?.number))).toEqual(new Set([1]));
    // Once nothing is pending, the next notification is filed on its own at once.
    await process('k', [{ ...alert, value: '6' }], log);
    expect(calls.ingested.map((options) => options.alerts.length)).toEqual([1, 5, 1]);
  });

  it('tells the first caller of a joined batch that it opened the incident, and the others that they joined it', async () => {
    const { deps } = fakes({});
    let number = 0;
    // Every batch opens an incident here (as a batch would after its incident was canceled).
    deps.ingestAlert = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      number += 1;
      return { outcome: 'created', issue: { number, html_url: `u/${number}` }, comments: 0 };
    };
    const process = createAlertProcessor(deps);
    const results = await Promise.all([process('k', [alert], log), process('k', [alert], log), process('k', [alert], log)]);
    expect(results.map((result) => [result[0]?.outcome, result[0]?.issue?.number])).toEqual([
      ['created', 1],
      ['created', 2],
      ['updated', 2],
    ]);
  });

  it('refuses when no repository is configured', async () => {
    const { deps } = fakes({});
    delete deps.defaultRepo;
    await expect(createAlertProcessor(deps)('k', [alert], log)).rejects.toBeInstanceOf(NoIncidentRepoError);
  });

  it('retries what time can fix (GitHub down, rate limits) and drops what it cannot', () => {
    expect(isRetryableAlertError(Object.assign(new Error('fetch failed'), { status: 500 }))).toBe(true);
    expect(isRetryableAlertError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryableAlertError(Object.assign(new Error('secondary rate limit'), { status: 403 }))).toBe(true);
    expect(isRetryableAlertError(Object.assign(new Error('too many'), { status: 429 }))).toBe(true);
    expect(isRetryableAlertError(Object.assign(new Error('Validation Failed'), { status: 422 }))).toBe(false);
    expect(isRetryableAlertError(new NoIncidentRepoError())).toBe(false);
    expect(isRetryableAlertError(new NotInstalledError({ owner: 'acme', repo: 'ops' }))).toBe(false);
    expect(isRetryableAlertError(new TypeError('x is undefined'))).toBe(false);
  });
});
