import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { validateConfig, type ConfigResult } from '../../../src/domain/config/config.ts';
import type { SweepOctokit } from '../../../src/features/sweeps/sweep.ts';
import { quietLog } from '../fakeGitHub.ts';
import { createSweepRunner } from '../../../src/runtimes/server/scheduler.ts';
import { FIREWATCH_SOURCE } from '../../support/identity.ts';
import { LockTimeoutError } from '../../../src/domain/errors/errors.ts';

/** A repository with no incidents: every sweep is two list requests. */
function emptyGitHub() {
  const requests: string[] = [];
  const octokit = {
    rest: {
      issues: {
        listForRepo: async (p: { state?: string }) => (requests.push(`list ${p.state}`), { data: [] }),
        get: async () => {
          throw Object.assign(new Error('Not Found'), { status: 404 });
        },
        listComments: async () => ({ data: [] }),
        createComment: async () => ({ data: { id: 1, html_url: '' } }),
        addLabels: async () => ({}),
        create: async () => ({ data: { number: 1, html_url: '', title: '', state: 'open', labels: [] } }),
      },
    },
  } satisfies SweepOctokit;
  return { octokit, requests };
}

const config: ConfigResult = validateConfig({ sweeps: { intervalMinutes: 5, review: { enabled: false } } });
const repo = { owner: 'acme', repo: 'shop' };

describe('sweep runner', () => {
  it('sweeps a repository once per configured interval of the injected clock, and reads config once per TTL', async () => {
    const github = emptyGitHub();
    let now = new Date('2026-03-02T10:00:00Z');
    let realMs = 0;
    let configReads = 0;
    const runner = createSweepRunner({ identity: FIREWATCH_SOURCE, repos: [repo], octokitFor: async () => github.octokit, loadConfig: async () => (configReads++, config), clock: () => now, log: quietLog, monotonicNow: () => realMs, configTtlMs: 60_000 });
    const swept: string[] = [];
    for (const minute of [0, 1, 4, 5, 9, 10]) {
      now = new Date(Date.parse('2026-03-02T10:00:00Z') + minute * 60_000);
      if ((await runner.run()).length) swept.push(`10:${String(minute).padStart(2, '0')}`);
    }
    expect(swept).toEqual(['10:00', '10:05', '10:10']);
    expect(configReads).toBe(1);
    realMs = 61_000;
    await runner.run({ force: true });
    expect(configReads).toBe(2);
    expect(github.requests).toHaveLength(4 * 2);
  });

  it('skips the round when another replica holds the lease, and counts it', async () => {
    const github = emptyGitHub();
    const registry = new Registry();
    const runner = createSweepRunner({ identity: FIREWATCH_SOURCE,
      repos: [repo],
      octokitFor: async () => github.octokit,
      loadConfig: async () => config,
      clock: () => new Date('2026-03-02T10:00:00Z'),
      log: quietLog,
      registry,
      lock: async (key) => {
        throw new LockTimeoutError(key, 0);
      },
    });
    expect(await runner.run()).toEqual([]);
    expect(github.requests).toEqual([]);
    expect(await registry.getSingleMetricAsString('firewatch_sweeps_total')).toContain('firewatch_sweeps_total{outcome="skipped"} 1');
  });

  it('logs a failed sweep and carries on (the next one retries)', async () => {
    const errors: string[] = [];
    const runner = createSweepRunner({ identity: FIREWATCH_SOURCE,
      repos: [repo],
      octokitFor: async () => {
        throw new Error('GitHub unreachable');
      },
      loadConfig: async () => config,
      clock: () => new Date(),
      log: { ...quietLog, error: (_details: object, message: string) => void errors.push(message) },
    });
    await expect(runner.run()).resolves.toEqual([]);
    expect(errors).toEqual(['sweep failed; the next one retries']);
  });
});
