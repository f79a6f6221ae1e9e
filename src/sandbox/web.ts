/**
 * Placeholder written by the core-sandbox helper so the server builds before the web UI lands;
 * the web UI helper replaces this file. Returning false lets the server answer 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxApi } from './types.ts';

export function registerWeb(_sandbox: SandboxApi): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async () => false;
}
