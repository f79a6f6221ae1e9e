/**
 * docs/services.md's examples are real configuration, and they mean what the page says: the
 * paths decide which changes are the service's, another service's, shared or inert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/domain/config/config.ts';
import { incidentFacts } from '../src/domain/correlation/incidentFacts.ts';
import { servicePaths, inertChange, WEIGHTS, type FeatureContext } from '../src/domain/correlation/features.ts';
import { serviceScope } from '../src/domain/correlation/serviceScope.ts';
import { alertText } from '../src/domain/correlation/alertText.ts';
import { buildCorpus } from '../src/domain/correlation/alertMatch.ts';
import { pull } from './domain/correlation/support.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs', 'services.md'), 'utf8');
const examples = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

function contextFor(example: string, service: string, incidentRepo: string): FeatureContext {
  const { config, problems } = parseConfigText(example);
  expect(problems).toEqual([]);
  const scope = serviceScope(config.routing, service, incidentRepo);
  const facts = incidentFacts([{ source: 'generic', fingerprint: 'f', status: 'firing', title: 'Errors', severity: 'P2', service, labels: {}, annotations: {}, startsAt: '2025-06-12T12:00:00Z', links: { other: [] } }], scope);
  const alert = alertText(facts);
  return { facts, firstAlertMs: Date.parse(facts.firstAlertAt), windowBeforeMinutes: 1440, alertingEnvironment: 'production', deploysToAlertingEnvironment: () => false, alert, corpus: buildCorpus([], alert) };
}

describe('docs/services.md', () => {
  it('has a monorepo and a multi-repo example, both valid configuration', () => {
    expect(examples).toHaveLength(2);
    for (const example of examples) expect(parseConfigText(example).problems).toEqual([]);
  });

  it('monorepo: checkout paths are its own, search is another service, libs/common shared, another package’s bump not shared, tooling inert', () => {
    const context = contextFor(examples[0] ?? '', 'checkout', 'acme/shop');
    const weight = (paths: string[], title = 'Change') => servicePaths(pull(1, { paths, title }), context)?.weight;
    expect(weight(['services/checkout/cart.ts'])).toBe(WEIGHTS.servicePaths);
    expect(weight(['libs/payments-client/index.ts'])).toBe(WEIGHTS.servicePaths);
    expect(weight(['services/search/index.ts'])).toBe(WEIGHTS.otherServicePaths);
    expect(weight(['libs/common/retry.ts'])).toBe(WEIGHTS.sharedPaths);
    expect(weight(['services/billing-portal/package.json', 'pnpm-lock.yaml'], 'Bump axios from 1.6.8 to 1.7.4 in /services/billing-portal')).toBe(WEIGHTS.otherServicePaths);
    expect(inertChange(pull(2, { paths: ['.eslintrc.cjs', '.prettierrc'] }), context)?.weight).toBe(WEIGHTS.inertOnly);
  });

  it('multi-repo: the code repository is wholly payments’, the shared repositories only where the globs say', () => {
    const context = contextFor(examples[1] ?? '', 'payments', 'acme/payments');
    const weight = (repo: string, path: string) => servicePaths(pull(1, { repo, paths: [path] }), context)?.weight;
    expect(weight('acme/payments', 'src/charge.ts')).toBe(WEIGHTS.servicePaths);
    expect(weight('acme/helm-charts', 'charts/payments/values.yaml')).toBe(WEIGHTS.servicePaths);
    expect(weight('acme/helm-charts', 'charts/search/values.yaml')).toBe(WEIGHTS.otherServicePaths);
    expect(weight('acme/infra', 'modules/rds/main.tf')).toBe(WEIGHTS.servicePaths);
    expect(weight('acme/infra', 'envs/production/search/opensearch.tf')).toBe(WEIGHTS.otherServicePaths);
    expect(weight('acme/platform-libs', 'packages/money/round.ts')).toBe(WEIGHTS.servicePaths);
    expect(weight('acme/platform-libs', 'packages/pdf/render.ts')).toBe(WEIGHTS.otherServicePaths);
  });
});
