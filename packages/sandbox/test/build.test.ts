/**
 * The published package works without TypeScript tooling: built (`npm run build`) into a
 * node_modules of its own beside its dependencies, as npm would install it, it is imported by
 * plain `node`, its `github-sandbox` bin starts and stops, and a TypeScript consumer type-checks
 * against its declarations.
 */
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
// Only the plain Node environment: no tsx loader inherited from the test runner.
const plainEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' };

let consumer: string;
let built: string;

/** Where Node finds `name` from this package (the workspace's hoisted node_modules). */
function installed(name: string): string {
  for (let dir = packageRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

beforeAll(async () => {
  consumer = mkdtempSync(join(tmpdir(), 'github-sandbox-consumer-'));
  built = join(consumer, 'node_modules', manifest.name);
  await run(process.execPath, [join(packageRoot, 'scripts/build.mjs'), built], { env: plainEnv });
  for (const name of [...Object.keys(manifest.dependencies), '@types/node', 'undici-types']) {
    mkdirSync(dirname(join(consumer, 'node_modules', name)), { recursive: true });
    symlinkSync(installed(name), join(consumer, 'node_modules', name));
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 180_000);
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the built package', () => {
  it('has JavaScript, declarations, README and docs, and a manifest pointing at them', () => {
    const files = filesUnder(built);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'docs/rate-limits.md', 'src/public.js', 'src/public.d.ts', 'src/bin.js', 'src/index.js', 'src/web/issuePage.js']));
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.includes('test'))).toEqual([]);
    const published = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(published).toEqual({
      name: manifest.name,
      version: manifest.version,
      description: expect.any(String),
      license: 'MIT',
      type: 'module',
      engines: { node: '>=20.19' },
      exports: { '.': { types: './src/public.d.ts', default: './src/public.js' }, './package.json': './package.json' },
      bin: { 'github-sandbox': 'src/bin.js' },
      dependencies: manifest.dependencies,
    });
  });

  it('runs under plain node: REST, GraphQL, the web UI and webhook signatures', async () => {
    writeFileSync(
      join(consumer, 'use.mjs'),
      `import { Sandbox, signPayload } from '${manifest.name}';
const sandbox = await Sandbox.start({ port: 0, webhookSecret: 's' });
const auth = { authorization: 'token sandbox-alice' };
const repo = await fetch(sandbox.apiUrl + '/repos/acme/shop', { headers: auth });
const graphql = await fetch(sandbox.graphqlUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
const page = await fetch(sandbox.url + '/acme/shop/issues');
console.log(JSON.stringify({ repo: [repo.status, (await repo.json()).full_name], graphql: (await graphql.json()).data, page: [page.status, (await page.text()).includes('acme/shop')], signature: signPayload('s', '{}') }));
await sandbox.close();
`,
    );
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: consumer, env: plainEnv });
    expect(JSON.parse(stdout)).toEqual({
      repo: [200, 'acme/shop'],
      graphql: { viewer: { login: 'alice' } },
      page: [200, true],
      signature: `sha256=${createHmac('sha256', 's').update('{}').digest('hex')}`,
    });
  });

  it('starts github-sandbox from its bin and stops it on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(built, 'src/bin.js'), '--port', '0'], { cwd: consumer, env: plainEnv });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "github-sandbox ready" within 30 s:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          if (output.includes('github-sandbox ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      expect(output).toContain(`github-sandbox ${manifest.version}\n`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('type-checks a TypeScript consumer against its declarations', async () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['use.ts', 'misuse.ts'] }),
    );
    writeFileSync(
      join(consumer, 'use.ts'),
      `import { Sandbox, type FixtureInput, type SandboxStats, type WebhookDelivery } from '${manifest.name}';
const fixture: FixtureInput = { repos: [{ owner: 'octo', name: 'widgets', files: { 'README.md': '# widgets' } }] };
const sandbox: Sandbox = await Sandbox.start({ port: 0, webhookSecret: 's', fixture, limits: { preset: 'github' } });
const stats: SandboxStats = sandbox.stats();
const deliveries: WebhookDelivery[] = sandbox.deliveries();
export const summary: string = \`\${sandbox.apiUrl} \${stats.total} \${deliveries.length} \${sandbox.repo('octo', 'widgets')?.default_branch}\`;
`,
    );
    writeFileSync(join(consumer, 'misuse.ts'), `import { Sandbox } from '${manifest.name}';\nawait Sandbox.start({ port: 0 });\nexport {};\n`);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer, env: plainEnv }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    // The one error is the misuse (webhookSecret is required): the declarations resolve and are typed.
    expect(result.code).not.toBe(0);
    expect(result.stdout.trim()).toMatch(/^misuse\.ts\(2,21\): error TS2345: [^\n]*\n {2}Property 'webhookSecret' is missing[^\n]*$/);
  }, 180_000);
});
