import type { Logger, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alert.ts';
import { DEFAULT_CONFIG, type FirewatchConfig } from '../../src/domain/config.ts';
import { NoIncidentRepoError, createAlertProcessor, type AlertProcessorDeps } from '../../src/runtime/alertProcessor.ts';
import type { RepoRef } from '../../src/runtime/env.ts';

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

function withIncidents(incidents: Partial<FirewatchConfig['incidents']>): FirewatchConfig {
  return { ...DEFAULT_CONFIG, incidents: { ...DEFAULT_CONFIG.incidents, ...incidents } };
}

function fakes(configs: Record<string, FirewatchConfig>, ingestDelayMs = 0) {
  const calls = { octokitFor: [] as string[], ingested: [] as { repo: string; severity: string }[] };
  let issues = 0;
  const open = new Map<string, number>();
  const deps: AlertProcessorDeps = {
    clock: () => new Date('2026-01-01T00:00:00Z'),
    defaultRepo: { owner: 'acme', repo: 'shop' },
    octokitFor: async (repo: RepoRef) => {
      calls.octokitFor.push(`${repo.owner}/${repo.repo}`);
      return { repo } as unknown as ProbotOctokit;
    },
    loadConfig: async (_octokit, repo) => ({ config: configs[`${repo.owner}/${repo.repo}`] ?? DEFAULT_CONFIG, problems: [] }),
    ingestAlert: async ({ alert: given, repo }) => {
      const known = open.get(given.fingerprint);
      await new Promise((resolve) => setTimeout(resolve, ingestDelayMs));
      calls.ingested.push({ repo: `${repo.owner}/${repo.repo}`, severity: given.severity });
      if (known) return { outcome: 'updated', issue: { number: known, html_url: `u/${known}` } };
      issues += 1;
      open.set(given.fingerprint, issues);
      return { outcome: 'created', issue: { number: issues, html_url: `u/${issues}` } };
    },
  };
  return { deps, calls };
}

describe('createAlertProcessor', () => {
  it('files into the default repository', async () => {
    const { deps, calls } = fakes({});
    const result = await createAlertProcessor(deps)(alert, log);
    expect(result).toEqual({ repo: { owner: 'acme', repo: 'shop' }, outcome: 'created', issue: { number: 1, html_url: 'u/1' } });
    expect(calls.ingested).toEqual([{ repo: 'acme/shop', severity: 'P3' }]);
  });

  it('follows incidents.repo of the default repository and uses that repository\'s config', async () => {
    const { deps, calls } = fakes({ 'acme/shop': withIncidents({ repo: 'acme/incidents' }), 'acme/incidents': withIncidents({ defaultSeverity: 'P1' }) });
    const result = await createAlertProcessor(deps)({ ...alert, severityDefaulted: true }, log);
    expect(result.repo).toEqual({ owner: 'acme', repo: 'incidents' });
    expect(calls.octokitFor).toEqual(['acme/shop', 'acme/incidents']);
    expect(calls.ingested).toEqual([{ repo: 'acme/incidents', severity: 'P1' }]);
  });

  it('applies incidents.defaultSeverity only to alerts without a severity of their own', async () => {
    const { deps, calls } = fakes({ 'acme/shop': withIncidents({ defaultSeverity: 'P2' }) });
    const process = createAlertProcessor(deps);
    await process({ ...alert, fingerprint: 'a', severityDefaulted: true }, log);
    await process({ ...alert, fingerprint: 'b', severity: 'P5' }, log);
    expect(calls.ingested.map((call) => call.severity)).toEqual(['P2', 'P5']);
  });

  it('handles deliveries of one fingerprint one at a time, so they share one incident', async () => {
    const { deps } = fakes({}, 20);
    const process = createAlertProcessor(deps);
    const [first, second, other] = await Promise.all([process(alert, log), process(alert, log), process({ ...alert, fingerprint: 'other' }, log)]);
    expect([first?.outcome, second?.outcome]).toEqual(['created', 'updated']);
    expect(second?.issue.number).toBe(first?.issue.number);
    expect(other).toMatchObject({ outcome: 'created' });
    expect(other?.issue.number).not.toBe(first?.issue.number);
  });

  it('refuses when no repository is configured', async () => {
    const { deps } = fakes({});
    delete deps.defaultRepo;
    await expect(createAlertProcessor(deps)(alert, log)).rejects.toBeInstanceOf(NoIncidentRepoError);
  });
});
