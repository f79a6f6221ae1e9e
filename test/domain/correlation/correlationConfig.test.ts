import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/domain/config/config.ts';
import { isReleaseBranch, windowMs } from '../../../src/domain/correlation/correlationConfig.ts';
import { serviceScope } from '../../../src/domain/correlation/serviceScope.ts';

describe('correlation config', () => {
  it('defaults to 24 h before and 10 min after the first alert, revert PRs, no auto-merge', () => {
    const { config, problems } = parseConfigText('');
    expect(problems).toEqual([]);
    expect(windowMs(config.correlation)).toEqual({ windowBeforeMs: 24 * 3_600_000, windowAfterMs: 10 * 60_000 });
    expect(config.correlation.rollback).toEqual({ method: 'revert-pr', autoMerge: false });
  });

  it('reads windows, release branches, the rollback method and the service’s repositories and paths', () => {
    const { config, problems } = parseConfigText(`
correlation:
  window: { before: 48h, after: 15m }
  releaseBranches: [release/*]
  rollback: { method: workflow, autoMerge: true, workflow: { id: deploy.yml } }
routing:
  services:
    - name: checkout
      match: { service: checkout }
      repos: [acme/shop, acme/checkout-config]
      paths: [services/checkout/**, 'acme/checkout-config:prod/**']
`);
    expect(problems).toEqual([]);
    expect(windowMs(config.correlation)).toEqual({ windowBeforeMs: 48 * 3_600_000, windowAfterMs: 15 * 60_000 });
    expect(config.correlation.rollback.workflow).toEqual({ id: 'deploy.yml', ref: 'main', inputs: { environment: '{{environment}}', ref: '{{ref}}' } });
    expect(serviceScope(config.routing, 'checkout', 'acme/incidents')).toEqual({ name: 'checkout', repos: ['acme/shop', 'acme/checkout-config'], paths: ['services/checkout/**', 'acme/checkout-config:prod/**'] });
    expect(isReleaseBranch('release/2.3', config.correlation.releaseBranches)).toBe(true);
    expect(isReleaseBranch('main-old', config.correlation.releaseBranches)).toBe(false);
  });

  it('reports a workflow method without a workflow, and windows that are too long, by path', () => {
    const { problems } = parseConfigText('correlation:\n  window: { before: 30d }\n  rollback: { method: workflow }\n');
    expect(problems.map((p) => p.path).sort()).toEqual(['correlation.rollback.workflow', 'correlation.window.before']);
  });

  it('takes a service the catalogue does not describe to live in the incident repository', () => {
    const { config } = parseConfigText('');
    expect(serviceScope(config.routing, 'search', 'acme/shop')).toEqual({ name: 'search', repos: ['acme/shop'], paths: [] });
  });
});
