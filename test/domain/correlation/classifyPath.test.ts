import { describe, expect, it } from 'vitest';
import { canonicalEnvironment, classifyPath, flagFileOwner, isDevelopmentManifest, isRootDependencyFile, isSharedPath, sameEnvironment } from '../../../src/domain/correlation/classifyPath.ts';

describe('classifyPath', () => {
  it('knows developer tooling config never reaches production', () => {
    for (const path of ['.eslintrc.cjs', '.prettierrc', '.editorconfig', '.vscode/settings.json', 'packages/web/.eslintrc.json', '.husky/pre-commit', '.pre-commit-config.yaml', '.golangci.yml', '.rubocop.yml', 'jest.config.ts', 'renovate.json', 'eslint.config.js']) {
      expect(classifyPath(path), path).toBe('tooling');
    }
    expect(classifyPath('tsconfig.json')).toBe('config');
    expect(classifyPath('config/production.json')).toBe('config');
  });

  it('knows CI pipelines and build orchestration never run in production: workflows, Jenkinsfile, turbo.json, nx.json, lerna.json, Makefiles', () => {
    for (const path of ['.github/workflows/ci.yml', '.buildkite/pipeline.yml', 'Jenkinsfile', 'ci/Jenkinsfile', '.gitlab-ci.yml', 'azure-pipelines.yml', 'bitbucket-pipelines.yml', '.drone.yml', 'buildspec.yml', 'cloudbuild.yaml']) {
      expect(classifyPath(path), path).toBe('ci');
    }
    for (const path of ['turbo.json', 'nx.json', 'lerna.json', 'rush.json', 'Makefile', 'services/api/Makefile', 'GNUmakefile', 'build/common.mk', 'justfile', 'Taskfile.yml', '.goreleaser.yaml', 'Earthfile']) {
      expect(classifyPath(path), path).toBe('build');
    }
    // What shapes the shipped output is not build orchestration: the image, the bundler, the compiler.
    expect(classifyPath('Dockerfile')).toBe('infrastructure');
    expect(classifyPath('webpack.config.js')).toBe('code');
    expect(classifyPath('apps/web/next.config.mjs')).toBe('code');
  });

  it('tells manifests of one package from shared ones, and development requirement files', () => {
    expect(isRootDependencyFile('pnpm-lock.yaml')).toBe(true);
    expect(isRootDependencyFile('apps/admin/package.json')).toBe(false);
    expect(isSharedPath('apps/admin/package.json')).toBe(false);
    expect(isSharedPath('libs/shared/package.json')).toBe(true);
    expect(isSharedPath('yarn.lock')).toBe(true);
    expect(['requirements-dev.txt', 'dev-requirements.txt', 'requirements/test.txt'].every(isDevelopmentManifest)).toBe(true);
    expect(isDevelopmentManifest('requirements.txt')).toBe(false);
    expect(['requirements-dev.txt', 'requirements/base.txt', 'requirements/test.txt'].map(classifyPath)).toEqual(['dependency', 'dependency', 'dependency']);
  });

  it('reads whose flags a feature-flag file holds', () => {
    expect(flagFileOwner('flags/search.yaml')).toEqual(['search']);
    expect(flagFileOwner('config/feature-flags/checkout/express.json')).toEqual(['checkout', 'express']);
    expect(flagFileOwner('production/flags.yaml')).toEqual(['flags']);
    expect(flagFileOwner('services/checkout/handler.ts')).toBeUndefined();
  });
});

describe('environment names', () => {
  it('normalises prod, production, prd and region- or cluster-worded names', () => {
    expect(['prod', 'Production', 'prd', 'production-eu', 'eu-prod', 'k8s-prd-us-east-1', 'live'].map(canonicalEnvironment)).toEqual(Array(7).fill('production'));
    expect(['stg', 'eu-staging', 'preprod'].map(canonicalEnvironment)).toEqual(['staging', 'staging', 'staging']);
    expect(canonicalEnvironment('e2e-test')).toBe('e2e-test');
    expect(sameEnvironment('eu-prod', 'production')).toBe(true);
    expect(sameEnvironment('eu-staging', 'production')).toBe(false);
  });
});
