import { describe, expect, it } from 'vitest';
import { classifyPath, sameEnvironment } from '../../../src/domain/correlation/classifyPath.ts';
import {
  commitHint,
  componentHint,
  config,
  dependencyBump,
  developmentOnly,
  flagOwner,
  formatDuration,
  globsForRepo,
  halfRolled,
  inertChange,
  infrastructure,
  migration,
  otherEnvironment,
  packageFrame,
  recencyWeight,
  revert,
  riskyLabel,
  servicePaths,
  size,
  telemetryOnly,
  timing,
  unshipped,
  evaluateFeatures,
  WEIGHTS,
} from '../../../src/domain/correlation/features.ts';
import { context, deployed, pull } from './support.ts';

describe('timing', () => {
  it('a deploy to the alerting environment just before the alert weighs most, and decays with time', () => {
    const at = (minutes: number) => timing(pull(1, { deployments: [deployed(minutes)] }), context())?.weight ?? NaN;
    expect(at(12)).toBeGreaterThan(at(60));
    expect(at(60)).toBeGreaterThan(at(240));
    expect(at(240)).toBeGreaterThan(at(720));
    expect(at(12)).toBeCloseTo(Math.log(1440 / 60) - 2 * Math.log(1 + 12 / 60), 6);
    expect(at(720)).toBeLessThan(0);
    expect(timing(pull(1, { deployments: [deployed(12)] }), context())?.reason).toBe('deployed to production 12 min before the first alert');
  });

  it('recency is the log ratio of a heavy-tailed delay against an even spread over the window', () => {
    expect(recencyWeight(0, 60, 1440)).toBeCloseTo(Math.log(24), 6);
    expect(recencyWeight(60, 60, 1440)).toBeCloseTo(Math.log(24) - 2 * Math.log(2), 6);
    expect(recencyWeight(-5, 60, 1440)).toBeCloseTo(Math.log(24) - 5 * WEIGHTS.afterAlertPerMinute, 6);
  });

  it('a deploy after the first alert is said so and loses weight per minute', () => {
    const evidence = timing(pull(1, { deployments: [deployed(-6)] }), context());
    expect(evidence?.reason).toBe('deployed to production 6 min after the first alert');
    expect(evidence?.weight).toBeLessThan(timing(pull(1, { deployments: [deployed(6)] }), context())?.weight ?? 0);
  });

  it('a merge not deployed to the alerting environment of a repo that deploys there weighs against', () => {
    const onlyStaging = timing(pull(1, { deployments: [deployed(10, { environment: 'staging' })] }), context());
    expect(onlyStaging).toEqual({ feature: 'timing', weight: WEIGHTS.notDeployed, reason: 'deployed to staging only, not to production' });
    const notAtAll = timing(pull(1, { mergedAt: new Date(Date.parse('2025-06-12T11:20:00Z')).toISOString(), deployments: [] }), context());
    expect(notAtAll?.reason).toBe('merged 40 min before the first alert, not deployed to production');
  });

  it('the merge time stands in for the deploy when the repo records no deployments', () => {
    const evidence = timing(pull(1, { mergedAt: '2025-06-12T11:35:00.000Z', deployments: [] }), context({}, false));
    expect(evidence?.weight).toBeCloseTo(Math.log(1440 / 90) - 2 * Math.log(1 + 25 / 90), 6);
    expect(evidence?.reason).toBe('merged 25 min before the first alert (no deployments to production recorded, so taken as live)');
  });

  it('a staging alert looks at staging deploys; environment names are compared by meaning', () => {
    const evidence = timing(pull(1, { deployments: [deployed(20, { environment: 'stage' }), deployed(600)] }), context({ environment: 'staging' }));
    expect(evidence?.reason).toBe('deployed to stage 20 min before the first alert');
    expect(sameEnvironment('production-canary', 'prod')).toBe(true);
    expect(sameEnvironment('staging', 'production')).toBe(false);
  });

  it('a failed deployment did not ship: as good as not deployed, whatever its time', () => {
    const failed = timing(pull(1, { deployments: [deployed(15, { state: 'failure', description: 'Image build failed: pip could not resolve pandas' })] }), context());
    expect(failed).toEqual({
      feature: 'timing',
      weight: WEIGHTS.failedDeployment,
      reason: 'deployment to production failed 15 min before the first alert (“Image build failed: pip could not resolve pandas”): it did not ship',
    });
    expect(timing(pull(1, { deployments: [deployed(15, { state: 'error' })] }), context())?.weight).toBe(WEIGHTS.failedDeployment);
  });

  it('a rollout that failed part-way counts half: part of the fleet runs it', () => {
    const partial = timing(pull(1, { deployments: [deployed(15, { state: 'failure', description: 'Rollout failed: progress deadline exceeded, 4 of 12 pods updated' })] }), context());
    const ok = timing(pull(1, { deployments: [deployed(15)] }), context());
    expect(partial?.weight).toBeCloseTo((ok?.weight ?? 0) * WEIGHTS.failedDeploymentFactor, 6);
    expect(partial?.reason).toBe('rollout to production failed part-way 15 min before the first alert (“Rollout failed: progress deadline exceeded, 4 of 12 pods updated”), so part of it may run');
  });

  it('tells a half-rolled deployment from one that never started by what the deploy tool said', () => {
    expect(halfRolled({ description: 'Rollout failed: progress deadline exceeded, 4 of 12 pods updated' })).toBe(true);
    expect(halfRolled({ description: 'canary at 10% failed health checks' })).toBe(true);
    expect(halfRolled({ description: 'Partially deployed: 2/5 instances' })).toBe(true);
    expect(halfRolled({ description: 'Image build failed: 3 of 40 tests failed' })).toBe(false);
    expect(halfRolled({ description: 'Deployment failure' })).toBe(false);
    expect(halfRolled({})).toBe(false);
    // A canary taken back whole: what ran for a while runs no more.
    expect(halfRolled({ description: 'Canary aborted: analysis failed (error rate 2.1% > 1%); traffic back on stable' })).toBe(false);
    expect(halfRolled({ description: 'canary failed at 25%; rollback completed' })).toBe(false);
  });
});

describe('a change that never ran', () => {
  const alert = { statements: [{ source: 'description' as const, text: 'Deadlocks on table warehouse_stock: UPDATE warehouse_stock SET quantity' }], labels: { table: 'warehouse_stock' } };
  const matching = (deployments: ReturnType<typeof deployed>[]) =>
    pull(1, { title: 'Warehouse stock: batch updates by SKU', paths: ['services/checkout/warehouse_stock.js'], deployments, patches: { 'services/checkout/warehouse_stock.js': '@@ -1 +1 @@\n-x\n+UPDATE warehouse_stock SET quantity = ?\n' } });
  const total = (evidence: { weight: number }[]) => evidence.reduce((sum, e) => sum + e.weight, 0);

  it('a failed deployment outweighs how well the change matches the alert: what it changes counts for little', () => {
    const failed = matching([deployed(15, { state: 'failure', description: 'Image push failed: denied' })]);
    const ctx = context(alert, true, [failed]);
    const evidence = evaluateFeatures(failed, ctx);
    const held = evidence.find((e) => e.feature === 'not_shipped');
    expect(held?.reason).toBe('it does not run in production (its deployment failed before it ran), so what it changes counts for little');
    // Its time says it did not ship; of everything else it says for itself, at most +1.0 is left.
    expect(total(evidence)).toBeCloseTo(WEIGHTS.failedDeployment + WEIGHTS.unshippedContentMax + total(evidence.filter((e) => e.weight < 0 && e.feature !== 'timing' && e.feature !== 'not_shipped')), 6);
  });

  it('so does a merge never deployed to the alerting environment of a repository that deploys there', () => {
    const staged = matching([deployed(15, { environment: 'staging' })]);
    const evidence = evaluateFeatures(staged, context(alert, true, [staged]));
    expect(evidence.find((e) => e.feature === 'not_shipped')?.reason).toBe('it does not run in production (it was never deployed there), so what it changes counts for little');
    expect(total(evidence)).toBeLessThanOrEqual(WEIGHTS.notDeployed + WEIGHTS.unshippedContentMax);
  });

  it('holds nothing back from a change that runs: deployed, half-rolled, or in a repository that records no deployments', () => {
    for (const [deployments, deploys] of [
      [[deployed(15)], true],
      [[deployed(15, { state: 'failure', description: 'Rollout failed: progress deadline exceeded, 4 of 12 pods updated' })], true],
      [[], false],
    ] as const) {
      const change = matching([...deployments]);
      const ctx = context(alert, deploys, [change]);
      expect(unshipped(change, ctx, evaluateFeatures(change, ctx)), JSON.stringify(deployments)).toBeUndefined();
    }
  });

  it('a failed change the alert names by commit may have run after all: not held back', () => {
    const failed = matching([deployed(15, { state: 'failure' })]);
    const ctx = context({ ...alert, labels: { ...alert.labels, image_tag: failed.sha.slice(0, 7) } }, true, [failed]);
    expect(evaluateFeatures(failed, ctx).map((e) => e.feature)).not.toContain('not_shipped');
  });
});

describe('service paths', () => {
  it('a change to the service globs incriminates, naming the glob', () => {
    expect(servicePaths(pull(1), context())).toEqual({ feature: 'service_paths', weight: WEIGHTS.servicePaths, reason: 'changes services/checkout/**, the alerting service checkout' });
  });

  it('a change confined to other services exonerates; shared code is mildly incriminating', () => {
    expect(servicePaths(pull(1, { paths: ['services/payments/client.js'] }), context())).toEqual({
      feature: 'service_paths',
      weight: WEIGHTS.otherServicePaths,
      reason: "changes only services/payments/**, outside checkout's paths",
    });
    expect(servicePaths(pull(1, { paths: ['lib/http/client.js'] }), context())?.weight).toBe(WEIGHTS.sharedPaths);
  });

  it('a repository no glob applies to belongs wholly to the service: its changes change the service', () => {
    expect(servicePaths(pull(1, { repo: 'acme/checkout-config', paths: ['production/flags.yaml'] }), context({ servicePaths: ['acme/shop:services/checkout/**'] }))).toEqual({
      feature: 'service_paths',
      weight: WEIGHTS.servicePaths,
      reason: 'changes acme/checkout-config, which belongs wholly to checkout',
    });
    expect(globsForRepo(['a/**', 'acme/shop:b/**', 'acme/web:c/**'], 'acme/shop')).toEqual(['a/**', 'b/**']);
  });

  it('without any globs every change is the service\'s alike: no path evidence', () => {
    expect(servicePaths(pull(1, { repo: 'acme/checkout' }), context({ servicePaths: [] }))).toBeUndefined();
  });

  it("another package's dependency update in a monorepo is that package's, root lockfile and all", () => {
    const bump = pull(1, { title: 'Bump axios from 1.6.8 to 1.7.4 in /packages/billing-portal', paths: ['packages/billing-portal/package.json', 'pnpm-lock.yaml'] });
    expect(servicePaths(bump, context())).toEqual({
      feature: 'service_paths',
      weight: WEIGHTS.otherServicePaths,
      reason: "updates dependencies of packages/billing-portal only (the root lockfile follows them), outside checkout's paths",
    });
    // Dependabot's directory in the title is enough when only the root lockfile changed.
    expect(servicePaths(pull(2, { title: 'Bump lodash from 4.17.20 to 4.17.21 in /apps/admin', paths: ['yarn.lock'] }), context())?.weight).toBe(WEIGHTS.otherServicePaths);
    // The service's own manifest, or the root lockfile alone, stay what they were.
    expect(servicePaths(pull(3, { paths: ['services/checkout/package.json', 'pnpm-lock.yaml'] }), context())?.weight).toBe(WEIGHTS.servicePaths);
    expect(servicePaths(pull(4, { title: 'Bump pg from 8.11 to 8.12', paths: ['package.json', 'package-lock.json'] }), context())?.weight).toBe(WEIGHTS.sharedPaths);
  });

  it('build tooling only (turbo.json, nx.json, a Makefile) never runs in production, whatever words it shares with the alert', () => {
    expect(inertChange(pull(1, { paths: ['.github/workflows/ci.yml', 'turbo.json'] }), context())).toEqual({
      feature: 'inert_change',
      weight: WEIGHTS.inertOnly,
      reason: 'changes only CI workflows and build tooling, nothing that runs in production',
    });
    expect(inertChange(pull(2, { paths: ['Makefile'] }), context())?.reason).toBe('changes only build tooling, nothing that runs in production');
    // Not config, not shared code: nothing it changes runs.
    const turbo = pull(3, { paths: ['turbo.json'] });
    expect(config(turbo, context())).toBeUndefined();
    expect(servicePaths(turbo, context())).toBeUndefined();
  });

  it('docs, tests and CI only never run in production', () => {
    expect(inertChange(pull(1, { paths: ['docs/a.md', 'services/checkout/a.test.js'] }), context())).toEqual({
      feature: 'inert_change',
      weight: WEIGHTS.inertOnly,
      reason: 'changes only documentation and tests, nothing that runs in production',
    });
    expect(inertChange(pull(1, { paths: ['docs/a.md', 'services/checkout/a.js'] }), context())).toBeUndefined();
    expect(servicePaths(pull(1, { paths: ['services/checkout/README.md'] }), context())).toBeUndefined();
  });
});

describe('alert hints', () => {
  it('a container label naming a path segment counts when no glob matched', () => {
    const evidence = componentHint(pull(1, { paths: ['services/payments-worker/consumer.js'] }), context({ service: 'shop', servicePaths: [], labels: { container: 'payments-worker' } }));
    expect(evidence).toEqual({ feature: 'component_hint', weight: WEIGHTS.componentHint, reason: 'changes services/payments-worker/, named by the alert (container=payments-worker)' });
    expect(componentHint(pull(1), context({ labels: { container: 'checkout' } }))).toBeUndefined();
    expect(componentHint(pull(1, { paths: ['services/catalog/a.js'] }), context({ service: 'shop', servicePaths: [], labels: { container: 'api' } }))).toBeUndefined();
  });

  it("a directory named after the service says nothing in the service's own repository", () => {
    // Every change of acme/profile-api is under profile/: the service's name tells none apart.
    expect(componentHint(pull(1, { repo: 'acme/profile-api', paths: ['profile/validate.py'] }), context({ service: 'profile-api', servicePaths: [], serviceRepos: ['acme/profile-api'] }))).toBeUndefined();
    // In a repository of several services it does point at the service's part.
    expect(componentHint(pull(1, { repo: 'acme/shop', paths: ['services/checkout/cart.js'] }), context({ service: 'checkout', servicePaths: [], serviceRepos: ['acme/shop'] }))?.weight).toBe(WEIGHTS.componentHint);
    // A container label still points inside it.
    expect(componentHint(pull(1, { repo: 'acme/shop', paths: ['workers/payments/consume.py'] }), context({ service: 'shop', servicePaths: [], labels: { container: 'payments' } }))?.weight).toBe(WEIGHTS.componentHint);
  });

  it('an alert naming the commit of the change or of the build that shipped it', () => {
    const change = pull(1, { sha: '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d', deployments: [deployed(20, { sha: 'ffee0011ffee0011ffee0011ffee0011ffee0011' })] });
    expect(commitHint(change, context({ labels: { image: 'ghcr.io/acme/checkout:1a2b3c4' } }))).toEqual({
      feature: 'commit_hint',
      weight: WEIGHTS.commitHint,
      reason: 'the alert names commit 1a2b3c4 (image), which shipped this change',
    });
    expect(commitHint(change, context({ annotations: { revision: 'sha-ffee001' } }))?.weight).toBe(WEIGHTS.commitHint);
    expect(commitHint(change, context({ labels: { image: 'ghcr.io/acme/checkout:9999999' } }))).toBeUndefined();
  });

  it('an alert naming a release tag', () => {
    const release = { ...pull(1), kind: 'release' as const, tag: 'v3.15.0', publishedAt: pull(1).mergedAt };
    expect(commitHint(release, context({ labels: { version: '3.15.0' } }))?.reason).toBe('the alert names release v3.15.0 (version)');
  });
});

describe('kinds of change', () => {
  it('database migration', () => {
    expect(migration(pull(1, { paths: ['migrations/004_add_index.sql'] }), context())).toEqual({ feature: 'migration', weight: WEIGHTS.migration, reason: 'database migration (migrations/004_add_index.sql)' });
    expect(classifyPath('db/alembic/versions/1_x.py')).toBe('migration');
    expect(migration(pull(1), context())).toBeUndefined();
  });

  it('config change, heavier for the alerting environment, nothing for another environment', () => {
    expect(config(pull(1, { paths: ['config/production.json'] }), context())).toEqual({ feature: 'config', weight: WEIGHTS.configForAlertingEnvironment, reason: 'production config change (config/production.json)' });
    expect(config(pull(1, { paths: ['services/checkout/settings.yaml'] }), context())?.reason).toBe('config change (services/checkout/settings.yaml)');
    expect(config(pull(1, { paths: ['config/staging.json'] }), context())).toBeUndefined();
    expect(otherEnvironment(pull(1, { paths: ['config/staging.json'] }), context())).toEqual({
      feature: 'other_environment',
      weight: WEIGHTS.otherEnvironmentOnly,
      reason: 'changes only staging settings (config/staging.json), not production',
    });
  });

  it('config and infrastructure that ran for hours before an alert naming nothing they set weigh less: they break when loaded', () => {
    const vague = { statements: [{ source: 'description' as const, text: 'HTTP 500 on POST /orders at 3%' }] };
    const settledFor = (minutes: number, paths = ['config/production.yml'], title = 'Raise checkout rate limit') => pull(1, { title, paths, deployments: [deployed(minutes)] });
    const fresh = settledFor(10);
    expect(config(fresh, context(vague, true, [fresh]))).toEqual({ feature: 'config', weight: WEIGHTS.configForAlertingEnvironment, reason: 'production config change (config/production.yml)' });
    const old = settledFor(240);
    const held = config(old, context(vague, true, [old]));
    expect(held?.reason).toBe('production config change (config/production.yml); live 4 h before the alert, which names nothing it sets: such changes break when loaded');
    expect(held?.weight).toBeCloseTo(WEIGHTS.configForAlertingEnvironment - 0.81, 2);
    const infra = settledFor(240, ['terraform/checkout/db.tf'], 'Checkout DB: gp3 volume');
    expect(infrastructure(infra, context(vague, true, [infra]))?.weight).toBeCloseTo(WEIGHTS.infrastructure - 0.81, 2);
    // An alert naming what it sets: a pool that was too small only for the morning peak.
    const pool = { statements: [{ source: 'description' as const, text: 'QueuePool limit of size 5 overflow 0 reached, connection timed out' }] };
    const poolChange = pull(2, { title: 'Database pool: size 5, no overflow', paths: ['config/production.yml'], deployments: [deployed(300)], patches: { 'config/production.yml': '@@ -1,2 +1,2 @@\n-pool_size: 20\n+pool_size: 5\n' } });
    expect(config(poolChange, context(pool, true, [poolChange, fresh]))?.weight).toBe(WEIGHTS.configForAlertingEnvironment);
  });

  it('infrastructure change', () => {
    expect(infrastructure(pull(1, { paths: ['terraform/checkout/db.tf'] }), context())?.reason).toBe('infrastructure change (terraform/checkout/db.tf)');
    expect(infrastructure(pull(1, { paths: ['Dockerfile'] }), context())?.weight).toBe(WEIGHTS.infrastructure);
  });

  it('dependency bump, heavier for a major version', () => {
    expect(dependencyBump(pull(1, { title: 'Bump pg from 8.11.3 to 8.12.0', paths: ['package.json', 'package-lock.json'] }), context())).toEqual({
      feature: 'dependency_bump',
      weight: WEIGHTS.dependencyBump,
      reason: 'dependency bump (package.json and 1 more)',
    });
    expect(dependencyBump(pull(1, { title: 'Bump pg from 7.4.0 to 8.0.0', paths: ['package.json'] }), context())).toEqual({
      feature: 'dependency_bump',
      weight: WEIGHTS.majorDependencyBump,
      reason: 'major dependency bump (Bump pg from 7.4.0 to 8.0.0)',
    });
    expect(dependencyBump(pull(1, { title: 'Update dependency undici to v7', paths: ['package.json'] }), context())?.weight).toBe(WEIGHTS.majorDependencyBump);
    expect(dependencyBump(pull(1), context())).toBeUndefined();
  });

  it('labelled risky', () => {
    expect(riskyLabel(pull(1, { labels: ['enhancement', 'risky'] }), context())).toEqual({ feature: 'risky_label', weight: WEIGHTS.riskyLabel, reason: 'labelled risky' });
    expect(riskyLabel(pull(1, { labels: ['enhancement'] }), context())).toBeUndefined();
  });

  it('size grows sublinearly, capped, and says "large change" past 500 lines', () => {
    expect(size(pull(1, { additions: 1000, deletions: 240 }), context())).toEqual({ feature: 'size', weight: WEIGHTS.sizeMax, reason: 'large change (1,240 lines)' });
    expect(size(pull(1, { additions: 90, deletions: 30 }), context())?.weight).toBeCloseTo(0.25 * Math.log2(2.2), 6);
    expect(size(pull(1, { additions: 3, deletions: 1 }), context())).toBeUndefined();
  });

  it('a revert weighs against', () => {
    expect(revert(pull(1, { isRevert: true }), context())).toEqual({ feature: 'revert', weight: WEIGHTS.revert, reason: 'is itself a revert of an earlier change' });
    expect(revert(pull(1), context())).toBeUndefined();
  });
});

describe('durations in reasons', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(200 * 60_000)).toBe('3 h 20 min');
    expect(formatDuration(120 * 60_000)).toBe('2 h');
    expect(formatDuration(14 * 3_600_000)).toBe('14 h');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
  });
});

describe('what rarely breaks production', () => {
  it('a development-only dependency update does not run in production', () => {
    const cases = [
      pull(1, { title: 'chore(deps-dev): bump eslint-plugin-react from 7.33.0 to 7.34.1', paths: ['package.json', 'package-lock.json'] }),
      pull(2, { title: 'Bump @types/node from 20.11.0 to 20.14.2', paths: ['package.json'], body: 'updated-dependencies:\n- dependency-name: "@types/node"\n  dependency-type: direct:development' }),
      pull(3, { title: 'chore(deps): update dependency pytest to v8', paths: ['requirements-dev.txt'] }),
      pull(4, { title: 'Bump prettier from 3.2.0 to 3.3.1', paths: ['package.json', 'package-lock.json'] }),
    ];
    for (const candidate of cases) expect(dependencyBump(candidate, context())?.weight, candidate.title).toBe(WEIGHTS.inertOnly);
    expect(developmentOnly(cases[1] ?? pull(0))).toBe('a development dependency, per its description (dependency-type: direct:development)');
    // A production dependency, or code changed with it, stays a dependency bump.
    expect(dependencyBump(pull(5, { title: 'Bump pg from 8.11.3 to 8.12.0', paths: ['package.json', 'package-lock.json'], body: 'dependency-type: direct:production' }), context())?.weight).toBe(WEIGHTS.dependencyBump);
    expect(developmentOnly(pull(6, { title: 'Bump eslint from 8 to 9', paths: ['package.json', 'src/index.ts'] }))).toBeUndefined();
  });

  it('tooling config alone is as inert as docs', () => {
    expect(inertChange(pull(1, { paths: ['.eslintrc.cjs', '.prettierrc'] }), context())).toEqual({
      feature: 'inert_change',
      weight: WEIGHTS.inertOnly,
      reason: 'changes only developer tooling config, nothing that runs in production',
    });
  });

  it("another service's feature flags act on that service only; the alerting service's own are its config", () => {
    const wholly = { servicePaths: [] as string[], serviceRepos: ['acme/checkout', 'acme/flags'] };
    expect(flagOwner(pull(1, { repo: 'acme/flags', paths: ['flags/search.yaml'] }), context(wholly))).toEqual({
      feature: 'flag_owner',
      weight: WEIGHTS.otherServicePaths,
      reason: "changes only feature flags of other services (flags/search.yaml), not checkout's",
    });
    expect(flagOwner(pull(2, { repo: 'acme/flags', paths: ['flags/checkout.yaml'] }), context(wholly))?.weight).toBe(WEIGHTS.servicePaths);
    // Flags that name no one, or globs that decide already: nothing to say.
    expect(flagOwner(pull(3, { repo: 'acme/flags', paths: ['production/flags.yaml'] }), context(wholly))).toBeUndefined();
    expect(flagOwner(pull(4, { paths: ['flags/search.yaml'] }), context())).toBeUndefined();
  });
});

describe('round 5: telemetry-only changes and connection failures', () => {
  const said = (text: string) => ({ statements: [{ source: 'description' as const, text }] });

  it('a change that only adds logs, metrics or spans weighs a little against, unless the alert is about what telemetry can fill', () => {
    const logOnly = pull(1, { title: 'Refunds: log the PSP reference with each failure', paths: ['services/checkout/refunds.ts'] });
    expect(telemetryOnly(logOnly, context(said('Refund API answers 502 for 30% of calls')))).toEqual({
      feature: 'telemetry_only',
      weight: WEIGHTS.telemetryOnly,
      reason: 'only adds to what the service reports about itself (Refunds: log the PSP reference with each failure), which rarely breaks it',
    });
    // A title that also changes behaviour, or an alert about the disk or memory telemetry fills.
    expect(telemetryOnly(pull(2, { title: 'Metrics: drop the retry timeout to 2 s', paths: ['services/checkout/refunds.ts'] }), context(said('Refund API answers 502')))).toBeUndefined();
    expect(telemetryOnly(logOnly, context(said('/var/log volume 97% full on checkout-2')))).toBeUndefined();
    // A storage "disk" that is only a name (Laravel's, a bucket's) is no disk filling up.
    expect(telemetryOnly(logOnly, context(said('Disk [exports-gcs] does not have a configured driver')))?.feature).toBe('telemetry_only');
    expect(telemetryOnly(logOnly, context(said('disk space on checkout-2 below 5%')))).toBeUndefined();
    expect(telemetryOnly(pull(3, { title: 'Spans: tag with customer id', paths: ['services/checkout/tracing.ts'] }), context(said('checkout pods OOMKilled, memory 3.9 GiB of 4 GiB')))).toBeUndefined();
  });

  it('a stack frame of a failed connection counts half: the call failed wherever it was made', () => {
    const candidate = pull(1, { title: 'Ledger client: batch postings', paths: ['services/checkout/clients/ledger.ts'], deployments: [deployed(20)] });
    const frame = 'at postBatch (services/checkout/clients/ledger.ts:42)';
    const broken = evaluateFeatures(candidate, context(said(`TypeError: Cannot read properties of undefined (reading 'id')\n    ${frame}`), true, [candidate]));
    const refused = evaluateFeatures(candidate, context(said(`Error: connect ECONNREFUSED 10.2.0.7:5432\n    ${frame}`), true, [candidate]));
    const fileWeight = (evidence: typeof broken) => evidence.find((e) => e.feature === 'alert_file')?.weight ?? 0;
    expect(fileWeight(refused)).toBeCloseTo(fileWeight(broken) * WEIGHTS.connectionFrameFactor, 5);
    expect(refused.find((e) => e.feature === 'alert_file')?.reason).toContain('(the error is a failed connection, `ECONNREFUSED`, raised wherever the call was made)');
  });
});

describe('round 5: the package a stack runs into, the name an error quotes', () => {
  const said = (text: string) => ({ statements: [{ source: 'description' as const, text }] });

  it('a bump of the package whose own files the stack trace runs through', () => {
    const trace = 'Error: ERR_REQUIRE_ESM require() of /srv/node_modules/@acme/http-kit/lib/index.js from /srv/services/checkout/dist/pay.js';
    expect(packageFrame(pull(1, { title: 'Bump @acme/http-kit from 1.9.0 to 2.0.1' }), context(said(trace)))).toEqual({
      feature: 'package_frame',
      weight: WEIGHTS.packageNamed,
      reason: "the alert's stack runs into `node_modules/@acme/http-kit`; this PR bumps @acme/http-kit",
    });
    const python = 'File "/usr/local/lib/python3.12/site-packages/sqlalchemy/orm/session.py", line 2211';
    expect(packageFrame(pull(2, { title: 'chore(deps): update dependency SQLAlchemy to v2.0.36' }), context(said(python)))?.weight).toBe(WEIGHTS.packageNamed);
    // Another package, or a change that is not a bump.
    expect(packageFrame(pull(3, { title: 'Bump left-pad from 1.0.0 to 1.3.0' }), context(said(trace)))).toBeUndefined();
    expect(packageFrame(pull(4, { title: 'http-kit: retry twice' }), context(said(trace)))).toBeUndefined();
  });

  it("the file an error names counts less for a change whose diff lacks the name it quotes, when another change's diff has it", () => {
    const text = "KeyError: 'net_total'\n  File \"services/checkout/summary.py\", line 12, in render";
    const reader = pull(1, { title: 'Summary: show the Apple Pay badge', paths: ['services/checkout/summary.py'], patches: { 'services/checkout/summary.py': '@@ -30,1 +30,2 @@\n badge = None\n+badge = apple_pay_badge(order)\n' } });
    const writer = pull(2, { title: 'Orders: split the total', paths: ['services/checkout/serializers.py'], patches: { 'services/checkout/serializers.py': '@@ -5,1 +5,2 @@\n-    "net_total": o.net,\n+    "net": o.net,\n' } });
    const alone = evaluateFeatures(reader, context(said(text), true, [reader]));
    const together = evaluateFeatures(reader, context(said(text), true, [reader, writer]));
    const file = (evidence: typeof alone) => evidence.find((e) => e.feature === 'alert_file');
    expect(file(together)?.weight).toBeCloseTo((file(alone)?.weight ?? 0) * 0.7, 5);
    expect(file(together)?.reason).toContain('its diff does not have `net_total`, which the error quotes and another change does');
    expect(evaluateFeatures(writer, context(said(text), true, [reader, writer])).find((e) => e.feature === 'alert_value')?.reason).toBe(
      'the alert says `net_total`; this PR has it in a changed line in services/checkout/serializers.py',
    );
  });
});

describe('round 8: a package family and a library an error names, a release that ran for hours', () => {
  const said = (text: string) => ({ statements: [{ source: 'description' as const, text }] });

  it("a bump brings its family's packages, not a version written after a dash", () => {
    const trace = 'Error: self-signed certificate in certificate chain\n    at /app/node_modules/pg-pool/index.js:45:11';
    expect(packageFrame(pull(1, { title: 'Upgrade pg to 8.12 for Node 20' }), context(said(trace)))?.reason).toBe("the alert's stack runs into `node_modules/pg-pool`; this PR bumps pg");
    const gem = "/usr/local/bundle/gems/pg-1.5.4/lib/pg/connection.rb:690:in `async_connect'";
    expect(packageFrame(pull(2, { title: 'Bump pg from 1.5.3 to 1.5.4' }), context(said(gem)))?.weight).toBe(WEIGHTS.packageNamed);
    expect(packageFrame(pull(3, { title: 'Bump pgx from 5.5.0 to 5.6.0' }), context(said(trace)))).toBeUndefined();
  });

  it('a bump of the library the error names, in its words or by its repository link', () => {
    const message = 'RangeError: Use `yyyy` instead of `YYYY`; see: https://github.com/date-fns/date-fns/blob/main/docs/unicodeTokens.md';
    expect(packageFrame(pull(1, { title: 'Upgrade date-fns to v3' }), context(said(message)))).toEqual({
      feature: 'package_frame',
      weight: WEIGHTS.packageNamed,
      reason: 'the alert names `date-fns`; this PR bumps date-fns',
    });
    expect(packageFrame(pull(2, { title: 'Bump jackson-databind from 2.17.1 to 2.17.2' }), context(said('InvalidDefinitionException thrown by jackson-databind while reading the body')))?.weight).toBe(WEIGHTS.packageNamed);
    expect(packageFrame(pull(3, { title: 'Bump luxon from 3.4.0 to 3.5.0' }), context(said(message)))).toBeUndefined();
  });

  it('a named release that had run for hours before the first error counts half', () => {
    const sha = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';
    const fresh = pull(1, { sha, deployments: [deployed(20, { sha })] });
    const running = pull(2, { sha, deployments: [deployed(12 * 60, { sha })] });
    const labels = { release: `checkout@${sha.slice(0, 7)}` };
    expect(commitHint(fresh, context({ labels }))?.weight).toBe(WEIGHTS.commitHint);
    expect(commitHint(running, context({ labels }))).toEqual({
      feature: 'commit_hint',
      weight: WEIGHTS.commitHint / 2,
      reason: 'the alert names commit 1a2b3c4 (release), which shipped this change; it ran 12 h before the first alert',
    });
    // Deployed to staging again an hour ago: it has still run in production for 12 hours.
    const redeployed = pull(3, { sha, deployments: [deployed(12 * 60, { sha }), deployed(60, { sha, environment: 'staging' })] });
    expect(commitHint(redeployed, context({ labels }))?.reason).toBe('the alert names commit 1a2b3c4 (release), which shipped this change; it ran 12 h before the first alert');
  });
});
