import { PassThrough } from 'node:stream';
import { main } from '../../src/runtimes/cli/main.ts';

/** Runs the `firewatch` CLI in-process, as a user would from a shell, and collects what it printed. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(args, { stdout, stderr, env, untilStopped: () => new Promise(() => {}) });
  return { code, out, err };
}
