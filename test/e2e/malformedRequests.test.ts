/**
 * Requests no HTTP client would send, written byte by byte on a raw socket to the started server:
 * whatever Node's parser refuses, and what it lets through but cannot be routed, is answered with
 * the contract's JSON `{ error, hint }` (issue 16, item 14), and the server keeps serving.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';

let running: Sandboxed;
let port: number;

beforeAll(async () => {
  running = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'fatal' });
  port = Number(new URL(running.server.url).port);
}, 60_000);

afterAll(async () => {
  await running?.close();
});

/** Writes `raw` and reads until the server closes the connection (or a second passes). */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), 1_000);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', ...rest] = answer.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const text = rest.join('\r\n\r\n');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

const cases: { name: string; raw: string; status: number; error: RegExp }[] = [
  { name: 'a Content-Length that is not a number', raw: 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', status: 400, error: /malformed HTTP request: .*Content-Length/i },
  { name: 'a request line that is not HTTP', raw: 'HELLO\r\n\r\n', status: 400, error: /malformed HTTP request/ },
  { name: 'a control character in a header name', raw: 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: y\r\n\r\n', status: 400, error: /malformed HTTP request/ },
  { name: 'Content-Length together with chunked encoding (request smuggling)', raw: 'POST /alerts/generic HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', status: 400, error: /malformed HTTP request/ },
  { name: 'an unknown HTTP version', raw: 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n', status: 400, error: /malformed HTTP request/ },
  { name: 'a bad chunk size in an alert body', raw: 'POST /alerts/generic HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sandbox-alerts\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', status: 400, error: /malformed HTTP request/ },
  { name: '20 KiB of headers', raw: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, error: /headers are too large/ },
  { name: 'a request target that is no URL', raw: 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', status: 400, error: /malformed request URL/ },
];

describe('malformed HTTP requests', () => {
  for (const testCase of cases) {
    it(`answers ${testCase.name} with ${testCase.status} and the JSON error shape`, async () => {
      const answer = parse(await exchange(testCase.raw));
      expect(answer.status).toBe(testCase.status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.body).toMatchObject({ error: expect.stringMatching(testCase.error), hint: expect.any(String) });
    });
  }

  it('keeps serving afterwards, and files nothing', async () => {
    const response = await fetch(`${running.server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(running.sandbox.stats().contentCreating).toBe(0);
  });
});
