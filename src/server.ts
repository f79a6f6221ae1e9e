/**
 * Entry point for running firewatch's server from code (tests, benchmarks, embedding): the server
 * against GitHub, or with the embedded sandbox. The runtime lives in src/runtimes/server/.
 */
export { startServer, WEBHOOKS_PATH, type RunningServer, type ServerOptions } from './runtimes/server/startServer.ts';
export { startSandboxed, type Sandboxed, type SandboxedOptions } from './runtimes/sandbox/startSandboxed.ts';
