/**
 * The sandbox package's own test helpers (a started sandbox, an Octokit per seeded user), for app
 * tests that need the same. The one place the app's tests reach into the package's test folder.
 */
export { octokitFor, startSandbox } from '../../packages/sandbox/test/support.ts';
