import { describe, expect, it } from 'vitest';
import { developmentOnly } from '../../../src/domain/correlation/features.ts';
import { isDevelopmentSection, manifestChanges } from '../../../src/domain/correlation/manifestSections.ts';
import { pull } from './support.ts';

const packageJson = '@@ -8,6 +8,6 @@\n     "react": "18.3.1"\n   },\n   "devDependencies": {\n-    "@storybook/react": "8.2.9",\n-    "storybook": "8.2.9"\n+    "@storybook/react": "8.3.5",\n+    "storybook": "8.3.5"\n   }\n }\n';
const poetry = '@@ -9,5 +9,5 @@\n \n [tool.poetry.group.dev.dependencies]\n-mypy = "^1.10.0"\n+mypy = "^1.11.2"\n pytest = "^8.2"\n';
const runtime = '@@ -3,4 +3,4 @@\n   "dependencies": {\n-    "date-fns": "3.6.0",\n+    "date-fns": "4.1.0",\n     "next": "14.2.14",\n';
const oneLineSections = '@@ -1,5 +1,6 @@\n {\n   "name": "web-platform",\n   "private": true,\n-  "devDependencies": { "turbo": "2.1.3" }\n+  "devDependencies": { "husky": "9.1.6", "lint-staged": "15.2.10", "turbo": "2.1.3" },\n+  "lint-staged": { "*.{ts,tsx}": "biome check --write" }\n }\n';
const farFromHeader = '@@ -30,7 +30,7 @@\n     "a": "1",\n     "b": "1",\n     "c": "1",\n-    "left-pad": "1.3.0",\n+    "left-pad": "1.3.1",\n     "d": "1",\n';

describe('manifestChanges: which section of a manifest a diff changes', () => {
  it('reads the section header when the patch shows it, and the package each changed line names', () => {
    expect(manifestChanges(packageJson)).toEqual([
      { section: 'devDependencies', name: '@storybook/react' },
      { section: 'devDependencies', name: 'storybook' },
      { section: 'devDependencies', name: '@storybook/react' },
      { section: 'devDependencies', name: 'storybook' },
    ]);
    expect(manifestChanges(poetry)).toEqual([
      { section: 'tool.poetry.group.dev.dependencies', name: 'mypy' },
      { section: 'tool.poetry.group.dev.dependencies', name: 'mypy' },
    ]);
    expect(manifestChanges(farFromHeader)).toEqual([{ name: 'left-pad' }, { name: 'left-pad' }]);
    expect(manifestChanges('@@ -1,3 +1,4 @@\n group :development, :test do\n+  gem "rspec-rails"\n end\n')).toEqual([{ section: ':development,:test', name: 'rspec-rails' }]);
  });

  it('reads a section written on one line as its own section', () => {
    expect(manifestChanges(oneLineSections)).toEqual([{ section: 'devDependencies' }, { section: 'devDependencies' }, { section: 'lint-staged' }]);
    // A one-line object inside a section is an entry of that section, not a section of its own.
    expect(manifestChanges('@@ -1,4 +1,4 @@\n   "dependencies": {\n-    "left-pad": "1.3.0",\n+    "left-pad": "1.3.1",\n     "x": "1"\n')).toEqual([
      { section: 'dependencies', name: 'left-pad' },
      { section: 'dependencies', name: 'left-pad' },
    ]);
  });

  it('knows the development sections of npm, Poetry, uv, Cargo, Composer and Bundler', () => {
    for (const section of ['devDependencies', 'require-dev', 'dev-dependencies', 'tool.poetry.group.dev.dependencies', 'dependency-groups.dev', 'tool.uv.dev-dependencies', ':development,:test']) expect(isDevelopmentSection(section), section).toBe(true);
    for (const section of ['dependencies', 'tool.poetry.dependencies', 'project', 'scripts', ':production', 'engines', 'browserslist']) expect(isDevelopmentSection(section), section).toBe(false);
  });

  it("knows the keys of a package.json that only developers' tools read", () => {
    for (const section of ['lint-staged', 'husky', 'prettier', 'eslintConfig', 'jest', 'commitlint']) expect(isDevelopmentSection(section), section).toBe(true);
  });
});

describe('developmentOnly reads the diff when it is known', () => {
  it('takes a human PR that only changes devDependencies for what it is, and no more', () => {
    const storybook = pull(1, { title: 'Upgrade our component workshop', paths: ['package.json', 'package-lock.json'], patches: { 'package.json': packageJson, 'package-lock.json': '@@ -1 +1 @@\n-x\n+y\n' } });
    expect(developmentOnly(storybook)).toBe('development dependencies only (devDependencies of package.json)');
    expect(developmentOnly({ ...storybook, patches: undefined })).toBeUndefined();
    expect(developmentOnly(pull(2, { title: 'Upgrade date handling', paths: ['package.json'], patches: { 'package.json': runtime } }))).toBeUndefined();
    expect(developmentOnly(pull(3, { title: 'Upgrade left-pad', paths: ['package.json'], patches: { 'package.json': farFromHeader } }))).toBeUndefined();
    expect(developmentOnly(pull(4, { title: 'Type-check harder', paths: ['pyproject.toml', 'poetry.lock'], patches: { 'poetry.lock': '@@ -1 +1 @@\n-a\n+b\n' } }))).toBeUndefined();
    const hooks = pull(8, { title: 'Husky + lint-staged on pre-commit', paths: ['.husky/pre-commit', 'package.json'], patches: { 'package.json': oneLineSections } });
    expect(developmentOnly(hooks)).toBe('development dependencies only (devDependencies, lint-staged of package.json)');
    expect(developmentOnly(pull(5, { title: 'Type-check harder', paths: ['pyproject.toml', 'poetry.lock'], patches: { 'pyproject.toml': poetry } }))).toBe('development dependencies only (tool.poetry.group.dev.dependencies of pyproject.toml)');
  });

  it('knows more development tools by name: Storybook, TypeScript, type stubs', () => {
    expect(developmentOnly(pull(6, { title: 'Upgrade Storybook to 8.3', paths: ['package.json', 'package-lock.json'] }))).toBe('a development tool (Storybook)');
    expect(developmentOnly(pull(7, { title: 'Bump typescript from 5.5.4 to 5.6.2', paths: ['package.json', 'package-lock.json'] }))).toBe('a development tool (typescript)');
  });
});
