import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'probot';

/** What Node's HTTP parser refused, answered in the contract's shape; everything else is a 400. */
const ANSWERS: Record<string, { status: number; error: string; hint: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: 'request headers are too large', hint: 'send at most 16 KiB of headers' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, error: 'chunk extensions are too large', hint: 'send the body without chunk extensions' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: 'the request was not received in time', hint: 'send the whole request at once; slow senders are cut off' },
};

/** Node keeps the response being written on the socket; once its headers are out, nothing else may be written. */
function responseStarted(socket: Duplex): boolean {
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return current?.headersSent === true;
}

/**
 * The server's `clientError` handler: a request Node's parser refuses (bad framing, invalid header
 * characters, oversized headers) gets the same JSON `{ error, hint }` as every other refusal
 * instead of Node's bare `400 Bad Request`, then the connection is closed (the parser cannot go
 * on). Mirrors Node's own handler otherwise: a reset or already answered socket is just destroyed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, log?: Logger): void {
  if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
    socket.destroy();
    return;
  }
  const reason = error.message.replace(/^Parse Error:\s*/, '');
  const answer = ANSWERS[error.code ?? ''] ?? { status: 400, error: `malformed HTTP request: ${reason}`, hint: 'send a valid HTTP/1.1 request (any HTTP client or curl does)' };
  log?.debug({ code: error.code ?? null, status: answer.status, remoteAddress: (socket as Duplex & { remoteAddress?: string }).remoteAddress ?? null }, `refused a malformed HTTP request: ${reason}`);
  const body = `${JSON.stringify({ error: answer.error, hint: answer.hint })}\n`;
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Bad Request'}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
}
