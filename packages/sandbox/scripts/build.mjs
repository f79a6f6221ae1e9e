// Builds the publishable package: JavaScript and declarations from src/ (tsc), a package.json whose
// exports point at them, the README and docs. `node scripts/build.mjs [DIR]` (default dist/);
// publish with `npm publish packages/sandbox/dist`. In this repository the package is used from
// its TypeScript sources; the build is for everyone else (Node cannot load .ts from node_modules).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(out, 'src')], { stdio: 'inherit' });

/** `./src/public.ts` → its compiled module and declarations. */
function compiled(source) {
  if (!source.endsWith('.ts')) return source;
  const base = source.slice(0, -'.ts'.length);
  return { types: `${base}.d.ts`, default: `${base}.js` };
}

const published = {
  name: manifest.name,
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  type: manifest.type,
  engines: manifest.engines,
  exports: Object.fromEntries(Object.entries(manifest.exports).map(([subpath, source]) => [subpath, compiled(source)])),
  // A checkout runs bin/github-sandbox.js (through tsx); the built package runs the compiled entry.
  bin: { 'github-sandbox': 'src/bin.js' },
  dependencies: manifest.dependencies,
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
cpSync(join(root, 'README.md'), join(out, 'README.md'));
// The seed's data files, read next to the compiled seed.
cpSync(join(root, 'src/demo'), join(out, 'src/demo'), { recursive: true });
cpSync(join(root, 'docs'), join(out, 'docs'), { recursive: true });
console.log(`built ${manifest.name} ${manifest.version} into ${out}`);
