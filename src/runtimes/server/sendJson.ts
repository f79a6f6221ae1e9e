import type { ServerResponse } from 'node:http';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The contract's error shape: what went wrong, and what to do about it. */
export function sendError(response: ServerResponse, status: number, error: string, hint: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error, hint }, headers);
}
