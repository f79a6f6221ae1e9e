/**
 * What a changed file is, judged from its path alone (the only thing a bulk query of merged PRs
 * returns cheaply). The kinds follow what postmortems blame: schema migrations, configuration,
 * infrastructure and dependency bumps fail differently from code, and docs, tests and CI
 * definitions do not ship to production at all.
 */

export type PathKind = 'docs' | 'test' | 'ci' | 'migration' | 'infrastructure' | 'dependency' | 'config' | 'code';

/** Files that do not run in the deployed service. */
export const INERT_KINDS: ReadonlySet<PathKind> = new Set(['docs', 'test', 'ci']);

const DEPENDENCY_FILES = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'go.mod',
  'go.sum',
  'requirements.txt',
  'requirements.in',
  'poetry.lock',
  'pyproject.toml',
  'pipfile',
  'pipfile.lock',
  'uv.lock',
  'gemfile',
  'gemfile.lock',
  'cargo.toml',
  'cargo.lock',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'gradle.lockfile',
  'composer.json',
  'composer.lock',
  'mix.lock',
  'packages.lock.json',
]);

const INFRA_DIRS = new Set(['terraform', 'infra', 'infrastructure', 'k8s', 'kubernetes', 'helm', 'charts', 'deploy', 'deployment', 'manifests', 'kustomize', 'ansible', 'pulumi']);
const CONFIG_DIRS = new Set(['config', 'configs', 'conf', 'settings', 'flags', 'feature-flags', 'featureflags']);
const CONFIG_EXTENSIONS = new Set(['yaml', 'yml', 'json', 'toml', 'ini', 'properties', 'conf', 'cfg', 'env', 'hcl']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'fixtures', '__mocks__', 'testdata']);
const DOC_DIRS = new Set(['docs', 'doc', 'documentation', 'adr', 'adrs']);
const DOC_EXTENSIONS = new Set(['md', 'mdx', 'rst', 'adoc', 'txt']);
const DOC_FILES = new Set(['license', 'licence', 'codeowners', 'notice', 'authors', 'changelog', '.gitignore', '.editorconfig']);
const MIGRATION_DIRS = new Set(['migrations', 'migration', 'migrate', 'db-migrations', 'flyway', 'liquibase']);

/** Directories of code that several services share, so a change there may break any of them. */
const SHARED_DIRS = new Set(['lib', 'libs', 'shared', 'common', 'core', 'pkg', 'internal', 'util', 'utils', 'platform', 'vendor']);

function parts(path: string): { dirs: string[]; file: string; extension: string } {
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const file = segments.pop() ?? '';
  const dot = file.lastIndexOf('.');
  return { dirs: segments, file, extension: dot > 0 ? file.slice(dot + 1) : '' };
}

export function classifyPath(path: string): PathKind {
  const { dirs, file, extension } = parts(path);
  const inDir = (set: ReadonlySet<string>): boolean => dirs.some((dir) => set.has(dir));
  if (dirs[0] === '.github' && (dirs[1] === 'workflows' || dirs[1] === 'actions')) return 'ci';
  if (['.circleci', '.buildkite', '.gitlab-ci.yml', 'jenkinsfile', '.travis.yml'].some((name) => dirs[0] === name || file === name)) return 'ci';
  if (dirs[0] === '.github') return 'docs';
  if (inDir(TEST_DIRS) || /[._-](test|spec)\.[a-z0-9]+$/.test(file) || /_test\.go$/.test(file) || /^test_.*\.py$/.test(file)) return 'test';
  if (inDir(DOC_DIRS) || DOC_EXTENSIONS.has(extension) || DOC_FILES.has(file)) {
    // requirements.txt is a dependency manifest, not prose.
    if (!DEPENDENCY_FILES.has(file)) return 'docs';
  }
  if (inDir(MIGRATION_DIRS) || extension === 'sql' || file === 'schema.prisma' || (dirs.includes('alembic') && dirs.includes('versions')) || (dirs[0] === 'db' && file.startsWith('schema.'))) return 'migration';
  if (inDir(INFRA_DIRS) || extension === 'tf' || extension === 'tfvars' || file === 'dockerfile' || file.startsWith('dockerfile.') || file.startsWith('docker-compose') || file === 'procfile') return 'infrastructure';
  if (DEPENDENCY_FILES.has(file) || /^requirements[-_.][a-z0-9_-]*\.txt$/.test(file)) return 'dependency';
  if (inDir(CONFIG_DIRS) || file.startsWith('.env') || CONFIG_EXTENSIONS.has(extension)) return 'config';
  return 'code';
}

/**
 * Code outside any one service: root-level files and shared library directories. A change there
 * can break the alerting service even though it matches none of the service's globs.
 */
export function isSharedPath(path: string): boolean {
  const { dirs } = parts(path);
  if (dirs.length === 0) return true;
  const kind = classifyPath(path);
  if (kind === 'migration' || kind === 'dependency') return true;
  if ((kind === 'infrastructure' || kind === 'config') && dirs.length === 1) return true;
  return SHARED_DIRS.has(dirs[0] ?? '') || (dirs[0] === 'packages' && SHARED_DIRS.has(dirs[1] ?? ''));
}

/** The leading directories that name where a change lives, for reasons: `services/payments/**`. */
export function areaOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments.length <= 1) return path;
  const depth = ['services', 'apps', 'packages', 'cmd', 'src', 'modules', 'components'].includes(segments[0] ?? '') && segments.length > 2 ? 2 : 1;
  return `${segments.slice(0, depth).join('/')}/**`;
}

const ENVIRONMENT_ALIASES: Record<string, string> = {
  prod: 'production',
  production: 'production',
  prd: 'production',
  live: 'production',
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  preprod: 'staging',
  'pre-production': 'staging',
  dev: 'development',
  development: 'development',
  qa: 'qa',
  test: 'test',
  testing: 'test',
  sandbox: 'sandbox',
  canary: 'canary',
};

/** `prod`, `Production` and `production-eu` all name production. */
export function canonicalEnvironment(name: string): string {
  const lower = name.trim().toLowerCase();
  if (ENVIRONMENT_ALIASES[lower]) return ENVIRONMENT_ALIASES[lower];
  const head = lower.split(/[-_./ ]/)[0] ?? lower;
  return ENVIRONMENT_ALIASES[head] ?? lower;
}

export function sameEnvironment(a: string, b: string): boolean {
  return canonicalEnvironment(a) === canonicalEnvironment(b);
}

/** The environments a path is specific to (`config/production.json` → production), if any. */
export function environmentsNamedBy(path: string): string[] {
  const tokens = path.toLowerCase().split(/[/._-]/).filter(Boolean);
  const found = new Set<string>();
  for (const token of tokens) {
    const canonical = ENVIRONMENT_ALIASES[token];
    if (canonical && token !== 'test') found.add(canonical);
  }
  return [...found];
}
