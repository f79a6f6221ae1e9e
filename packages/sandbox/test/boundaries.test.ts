/**
 * The package stands alone: its code imports only its own files, Node's built-ins and the
 * dependencies its package.json declares (tests, scripts and configuration may also use the dev
 * dependencies). Nothing of an app that embeds it (firewatch), nothing by a path that leaves the
 * package, and src/ never reaches into test/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface SourceFile {
  /** Relative to the package root, with `/`. */
  path: string;
  text: string;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as Manifest;

function packageFiles(dir = ''): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(`${packageRoot}${dir}`, { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist' && !entry.name.startsWith('.')) files.push(...packageFiles(path));
    } else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) {
      files.push({ path, text: readFileSync(`${packageRoot}${path}`, 'utf8') });
    }
  }
  return files;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Every module specifier (static, dynamic, re-export) of `files` that breaks the rule, as `file: specifier (why)`. */
export function importProblems(files: readonly SourceFile[], pkg: Manifest): string[] {
  const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
  const development = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {})]);
  const problems: string[] = [];
  for (const file of files) {
    const inSrc = file.path.startsWith('src/');
    for (const { fileName: specifier } of ts.preProcessFile(file.text, true, true).importedFiles) {
      const problem = (why: string) => problems.push(`${file.path}: ${specifier} (${why})`);
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
        if (specifier.startsWith('/') || target.startsWith('../')) problem('leaves the package');
        else if (inSrc && !target.startsWith('src/')) problem('src/ imports outside src/');
        continue;
      }
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const name = packageName(specifier);
      if (name === pkg.name) {
        if (inSrc) problem('src/ imports its own files by relative path');
        continue;
      }
      if (!(inSrc ? runtime : development).has(name)) {
        problem(development.has(name) ? 'a dev dependency, not installed for users of the package' : 'not a dependency of the package');
      }
    }
  }
  return problems;
}

describe('the package imports nothing but itself, Node and its declared dependencies', () => {
  const files = packageFiles();

  it('holds for every file of the package', () => {
    expect(files.filter((file) => file.path.startsWith('src/')).length).toBeGreaterThan(50);
    expect(files.some((file) => file.path.startsWith('test/'))).toBe(true);
    expect(importProblems(files, manifest)).toEqual([]);
  });

  it('every declared dependency is used by src/', () => {
    const used = new Set(
      files
        .filter((file) => file.path.startsWith('src/'))
        .flatMap((file) => ts.preProcessFile(file.text, true, true).importedFiles.map(({ fileName }) => packageName(fileName))),
    );
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => !used.has(name))).toEqual([]);
  });

  it('reports an import of the app, an undeclared package and a dev dependency in src/', () => {
    const offending: SourceFile[] = [
      { path: 'src/routes/issues.ts', text: "import { parseCommands } from '../../../../src/domain/parseCommands.ts';" },
      { path: 'src/graphql.ts', text: "import { Probot } from 'probot';\nexport const later = () => import('firewatch');" },
      { path: 'src/web.ts', text: "export { octokitFor } from '../test/support.ts';" },
      { path: 'test/rest.test.ts', text: "import Handlebars from 'handlebars';\nimport { Sandbox } from '@firewatch/sandbox';\nimport fc from 'fast-check';" },
      { path: 'test/git/diff.test.ts', text: "import { diffLines } from '../../src/git/diff.ts';" },
    ];
    expect(importProblems(offending, manifest)).toEqual([
      'src/routes/issues.ts: ../../../../src/domain/parseCommands.ts (leaves the package)',
      'src/graphql.ts: probot (a dev dependency, not installed for users of the package)',
      'src/graphql.ts: firewatch (not a dependency of the package)',
      'src/web.ts: ../test/support.ts (src/ imports outside src/)',
      'test/rest.test.ts: handlebars (not a dependency of the package)',
    ]);
  });
});
