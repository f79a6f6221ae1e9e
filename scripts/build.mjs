// Bundles the GitHub Action into dist/index.js (committed; CI fails when it is stale).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/action.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile: 'dist/index.js',
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __firewatchCreateRequire } from 'node:module'; const require = __firewatchCreateRequire(import.meta.url);" },
});
