/* global module */
/**
 * The layer rules of ../shared/ARCHITECTURE.md and docs/architecture.md, checked in CI
 * (`npm run depcruise`, run by `npm run lint`). The test of this rule set is
 * test/depcruise.test.ts: a domain file importing `node:fs` fails it.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: split what both need into a third.',
      from: { path: '^(src|packages/sandbox)/' },
      to: { circular: true },
    },
    {
      name: 'domain-no-node',
      severity: 'error',
      comment: 'The domain decides; it does no I/O: no Node built-ins (node:fs, node:http, ...). Hashing (node:crypto) is computation, not I/O: allowed.',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'domain-no-outer-layers',
      severity: 'error',
      comment: 'The domain imports only the domain (and pure libraries): no adapters, features, services, runtimes or entry points.',
      from: { path: '^src/domain/' },
      to: { path: ['^src/(adapters|features|services|runtimes)/', '^src/(app|server|action|cli)\\.ts$'] },
    },
    {
      name: 'only-entry-points-import-runtimes',
      severity: 'error',
      comment: 'Runtimes are composition roots: only the entry points (and other runtimes) start them.',
      from: { path: '^src/', pathNot: ['^src/runtimes/', '^src/(server|action|cli)\\.ts$'] },
      to: { path: '^src/runtimes/' },
    },
    {
      name: 'sandbox-is-standalone',
      severity: 'error',
      comment: 'The sandbox is a package of its own (an in-memory GitHub for any app): it imports nothing of firewatch.',
      from: { path: '^packages/sandbox/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code, or an entry point to list here.',
      // actionManifest.ts is read by scripts/ (action.yml) and the tests, which are not cruised.
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^src/(server|action|cli|app)\\.ts$', '^src/runtimes/action/actionManifest\\.ts$', '^packages/sandbox/src/(bin|public|index)\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/', '^packages/sandbox/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
