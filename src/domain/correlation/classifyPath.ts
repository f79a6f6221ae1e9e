/**
 * What a changed file is, judged from its path alone (the only thing a bulk query of merged PRs
 * returns cheaply). The kinds follow what postmortems blame: schema migrations, configuration,
 * infrastructure and dependency bumps fail differently from code, and docs, tests, CI
 * definitions and build orchestration do not ship to production at all.
 */

export type PathKind = 'docs' | 'test' | 'ci' | 'build' | 'tooling' | 'migration' | 'infrastructure' | 'dependency' | 'config' | 'presentation' | 'code';

/** Files that do not run in the deployed service. */
export const INERT_KINDS: ReadonlySet<PathKind> = new Set(['docs', 'test', 'ci', 'build', 'tooling']);

/** CI pipelines: `.github/workflows/`, `.circleci/`, `Jenkinsfile`, `.gitlab-ci.yml`, Azure, Bitbucket, Drone, CodeBuild. */
const CI_DIRS = new Set(['.circleci', '.buildkite', '.woodpecker', '.semaphore', '.teamcity', '.tekton']);
const CI_FILES = /^(jenkinsfile|\.gitlab-ci\.ya?ml|\.travis\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|appveyor\.ya?ml|\.appveyor\.ya?ml|buildspec\.ya?ml|cloudbuild\.ya?ml|codefresh\.ya?ml|\.cirrus\.ya?ml|wercker\.ya?ml)$/;
/**
 * Build orchestration: the task graph, caching and release packaging of a repository (`turbo.json`,
 * `nx.json`, `lerna.json`, `rush.json`, a Makefile, a justfile, a Taskfile, `.goreleaser.yml`).
 * They decide which tasks run on a developer's machine or in CI, not what the service does once
 * deployed (images are built by their Dockerfile; a compiler or bundler config, which shapes the
 * shipped output, is not among them).
 */
const BUILD_FILES = /^(turbo\.jsonc?|nx\.json|lerna\.json|rush\.json|makefile|gnumakefile|justfile|\.justfile|taskfile\.ya?ml|taskfile\.dist\.ya?ml|earthfile|\.goreleaser\.ya?ml|goreleaser\.ya?ml|magefile\.go)$/;

/**
 * Linters, formatters, editors, git hooks, test runners and bots: configuration of the developers'
 * tools, which never reaches production (`.eslintrc.cjs`, `.prettierrc`, `.vscode/settings.json`).
 */
const TOOLING_DIRS = new Set(['.vscode', '.idea', '.husky', '.devcontainer', '.fleet', '.zed', '.changeset']);
const TOOLING_FILES =
  /^(\.eslintrc(\..+)?|\.eslintignore|eslint\.config\.[cm]?[jt]s|\.prettierrc(\..+)?|\.prettierignore|prettier\.config\.[cm]?[jt]s|\.stylelintrc(\..+)?|stylelint\.config\.[cm]?js|\.markdownlint(rc|\.json|\.ya?ml|-cli2\.[a-z]+)?|\.editorconfig|\.pre-commit-config\.ya?ml|\.pre-commit-hooks\.ya?ml|\.golangci\.ya?ml|\.golangci\.toml|\.rubocop(_todo)?\.yml|\.flake8|\.pylintrc|pylintrc|mypy\.ini|\.mypy\.ini|ruff\.toml|\.ruff\.toml|\.isort\.cfg|\.yamllint(\.ya?ml)?|\.hadolint\.ya?ml|\.commitlintrc(\..+)?|commitlint\.config\.[cm]?[jt]s|\.lintstagedrc(\..+)?|lint-staged\.config\.[cm]?js|\.czrc|\.releaserc(\..+)?|release\.config\.[cm]?js|renovate\.json5?|\.renovaterc(\.json)?|\.mergify\.yml|\.coderabbit\.ya?ml|codecov\.ya?ml|\.codecov\.ya?ml|sonar-project\.properties|jest\.config\.[cm]?[jt]s|vitest\.config\.[cm]?[jt]s|vitest\.workspace\.[cm]?[jt]s|karma\.conf\.[cm]?js|playwright\.config\.[cm]?[jt]s|cypress\.config\.[cm]?[jt]s|\.mocharc(\..+)?|\.nycrc(\.json)?|\.c8rc(\.json)?|\.swiftlint\.yml|\.clang-format|\.clang-tidy|rustfmt\.toml|\.rustfmt\.toml|clippy\.toml|\.gitattributes|\.gitmodules|\.mailmap|\.git-blame-ignore-revs|dependabot\.ya?ml|\.typos\.toml|\.cspell\.json|cspell\.json|biome\.jsonc?|\.biome\.jsonc?|\.oxlintrc\.json|tox\.ini|noxfile\.py|\.coveragerc|phpcs\.xml(\.dist)?|phpstan\.neon(\.dist)?|\.php-cs-fixer(\.dist)?\.php|detekt\.ya?ml|\.scalafmt\.conf|\.credo\.exs|\.formatter\.exs)$/;

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
const DOC_FILES = new Set(['license', 'licence', 'codeowners', 'notice', 'authors', 'changelog', '.gitignore']);
/** Styles, translations and static images: they ship, but rarely break a service. */
const STYLE_EXTENSIONS = new Set(['css', 'scss', 'sass', 'less', 'styl', 'pcss']);
const ASSET_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'woff', 'woff2', 'ttf', 'otf', 'eot']);
const TRANSLATION_DIRS = new Set(['locale', 'locales', 'i18n', 'l10n', 'lang', 'langs', 'translations', 'translation']);
const TRANSLATION_EXTENSIONS = new Set(['json', 'yml', 'yaml', 'po', 'pot', 'mo', 'properties', 'xlf', 'xliff', 'arb', 'ftl', 'php', 'strings', 'resx']);
const MIGRATION_DIRS = new Set(['migrations', 'migration', 'migrate', 'db-migrations', 'flyway', 'liquibase']);

/** Directories of code that several services share, so a change there may break any of them. */
const SHARED_DIRS = new Set(['lib', 'libs', 'shared', 'common', 'core', 'pkg', 'internal', 'util', 'utils', 'platform', 'vendor']);

function parts(path: string): { dirs: string[]; file: string; extension: string } {
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const file = segments.pop() ?? '';
  const dot = file.lastIndexOf('.');
  return { dirs: segments, file, extension: dot > 0 ? file.slice(dot + 1) : '' };
}

function isDependencyFile(file: string): boolean {
  return DEPENDENCY_FILES.has(file) || /^(requirements[-_.][a-z0-9_-]*|[a-z]+[-_]requirements)\.(txt|in)$/.test(file);
}

export function classifyPath(path: string): PathKind {
  const { dirs, file, extension } = parts(path);
  const inDir = (set: ReadonlySet<string>): boolean => dirs.some((dir) => set.has(dir));
  if (dirs[0] === '.github' && (dirs[1] === 'workflows' || dirs[1] === 'actions')) return 'ci';
  if (CI_DIRS.has(dirs[0] ?? '') || CI_FILES.test(file)) return 'ci';
  if (BUILD_FILES.test(file) || extension === 'mk') return 'build';
  if (dirs[0] === '.github') return 'docs';
  if (dirs.some((dir) => TOOLING_DIRS.has(dir)) || TOOLING_FILES.test(file)) return 'tooling';
  if (inDir(TEST_DIRS) || /[._-](test|spec)\.[a-z0-9]+$/.test(file) || /_test\.go$/.test(file) || /^test_.*\.py$/.test(file)) return 'test';
  if (dirs[dirs.length - 1] === 'requirements' && /\.(txt|in)$/.test(file)) return 'dependency';
  if (inDir(DOC_DIRS) || DOC_EXTENSIONS.has(extension) || DOC_FILES.has(file)) {
    // requirements.txt is a dependency manifest, not prose.
    if (!isDependencyFile(file)) return 'docs';
  }
  if (STYLE_EXTENSIONS.has(extension) || ASSET_EXTENSIONS.has(extension) || ['po', 'pot', 'xlf', 'xliff', 'ftl', 'arb'].includes(extension)) return 'presentation';
  if (inDir(TRANSLATION_DIRS) && TRANSLATION_EXTENSIONS.has(extension)) return 'presentation';
  if (dirs[dirs.length - 1] === 'messages' && ['json', 'po'].includes(extension) && /^[a-z]{2}([-_][a-z]{2,4})?\.[a-z]+$/.test(file)) return 'presentation';
  if (inDir(MIGRATION_DIRS) || extension === 'sql' || file === 'schema.prisma' || (dirs.includes('alembic') && dirs.includes('versions')) || (dirs[0] === 'db' && file.startsWith('schema.'))) return 'migration';
  if (inDir(INFRA_DIRS) || extension === 'tf' || extension === 'tfvars' || file === 'dockerfile' || file.startsWith('dockerfile.') || file.startsWith('docker-compose') || file === 'procfile') return 'infrastructure';
  if (isDependencyFile(file)) return 'dependency';
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
  if (kind === 'migration') return true;
  // A manifest in a package's own directory (`apps/admin/package.json`) is that package's.
  if (kind === 'dependency') return SHARED_DIRS.has(dirs[0] ?? '') || dirs[0] === 'requirements';
  if ((kind === 'infrastructure' || kind === 'config') && dirs.length === 1) return true;
  return SHARED_DIRS.has(dirs[0] ?? '') || (dirs[0] === 'packages' && SHARED_DIRS.has(dirs[1] ?? ''));
}

/** A lockfile or manifest at the repository root, shared by every package of a workspace. */
export function isRootDependencyFile(path: string): boolean {
  return classifyPath(path) === 'dependency' && parts(path).dirs.length === 0;
}

/** Python requirement files of development tools only (`requirements-dev.txt`, `requirements/test.txt`). */
export function isDevelopmentManifest(path: string): boolean {
  const { dirs, file } = parts(path);
  return /^(requirements[-_.](dev|devel|development|test|tests|testing|lint|ci|docs|typing)|(dev|test)[-_]requirements)\.(txt|in)$/.test(file) || (dirs[dirs.length - 1] === 'requirements' && /^(dev|test|tests|lint|ci|docs|typing)\.(txt|in)$/.test(file));
}

const FLAG_DIRS = new Set(['flags', 'feature-flags', 'featureflags', 'feature_flags', 'toggles', 'feature-toggles', 'features']);

/** Feature-flag files (`flags/search.yaml`, `config/feature-flags/checkout.json`): the words after the flags directory name whose flags they are. */
export function flagFileOwner(path: string): string[] | undefined {
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const file = segments[segments.length - 1] ?? '';
  const index = segments.findIndex((segment) => FLAG_DIRS.has(segment));
  const flagNamed = /(^|[-_.])(flags?|toggles?|feature-?flags?)([-_.]|$)/.test(file);
  if (index < 0 && !flagNamed) return undefined;
  if (classifyPath(path) !== 'config' && classifyPath(path) !== 'code') return undefined;
  const owned = index >= 0 ? segments.slice(index + 1) : [file];
  return owned.map((segment) => segment.replace(/\.[a-z0-9]+$/, '')).filter(Boolean);
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

/**
 * `prod`, `Production`, `production-eu`, `eu-prod` and `k8s-prd-us-east-1` all name production:
 * the first word that is an environment's name decides, whatever region or cluster words surround it.
 */
export function canonicalEnvironment(name: string): string {
  const lower = name.trim().toLowerCase();
  if (ENVIRONMENT_ALIASES[lower]) return ENVIRONMENT_ALIASES[lower];
  const words = lower.split(/[-_./ ]+/).filter(Boolean);
  const head = words[0] ?? lower;
  if (ENVIRONMENT_ALIASES[head]) return ENVIRONMENT_ALIASES[head];
  // `test` names a test environment only as the whole name or its first word (`e2e-test` runs tests, it is not one).
  const named = words.find((word) => word !== 'test' && ENVIRONMENT_ALIASES[word]);
  return named ? (ENVIRONMENT_ALIASES[named] ?? lower) : lower;
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
