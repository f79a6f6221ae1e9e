/**
 * The layer rules of `.dependency-cruiser.cjs` (run by `npm run lint` in CI) against small
 * fixture trees: a domain file importing `node:fs` fails them, a clean tree passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-depcruise-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const result = spawnSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', join(root, '.dependency-cruiser.cjs')], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const entry = "import { ok } from './domain/alerts/rule.ts';\nimport { run } from './runtimes/server/start.ts';\nexport const answer = ok() && run();\n";
const runtime = "import { ok } from '../../domain/alerts/rule.ts';\nexport function run(): boolean {\n  return ok();\n}\n";

describe('the layer rules', () => {
  it('pass a tree that keeps them', () => {
    const result = cruise({ 'src/server.ts': entry, 'src/runtimes/server/start.ts': runtime, 'src/domain/alerts/rule.ts': 'export function ok(): boolean {\n  return true;\n}\n' });
    expect(result.output).toContain('no dependency violations found');
    expect(result.status).toBe(0);
  });

  it('fail a domain file that imports node:fs', () => {
    const result = cruise({
      'src/server.ts': entry,
      'src/runtimes/server/start.ts': runtime,
      'src/domain/alerts/rule.ts': "import { existsSync } from 'node:fs';\nexport function ok(): boolean {\n  return existsSync('/');\n}\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('error domain-no-node: src/domain/alerts/rule.ts → fs');
  });

  it('fail a feature that imports a runtime, and a cycle', () => {
    const result = cruise({
      'src/server.ts': entry,
      'src/runtimes/server/start.ts': runtime,
      'src/domain/alerts/rule.ts': "import { other } from './other.ts';\nexport function ok(): boolean {\n  return other();\n}\n",
      'src/domain/alerts/other.ts': "import { ok } from './rule.ts';\nexport function other(): boolean {\n  return typeof ok === 'function';\n}\n",
      'src/features/use.ts': "import { run } from '../runtimes/server/start.ts';\nexport const used = run();\n",
      'src/app.ts': "import { used } from './features/use.ts';\nexport const app = used;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('error only-entry-points-import-runtimes: src/features/use.ts → src/runtimes/server/start.ts');
    expect(result.output).toMatch(/error no-circular: src\/domain\/alerts\/(rule|other)\.ts/);
  });
});
