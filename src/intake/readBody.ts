import type { IncomingMessage } from 'node:http';

/** The contract's limit for alert bodies (ARCHITECTURE "HTTP (server)"). */
export const MAX_ALERT_BODY_BYTES = 1024 * 1024;

export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large'; limit: number };

/**
 * Reads a request body into memory, up to `limit` bytes. Resolves `too_large` as soon as the
 * declared or received size crosses the limit; the rest is then drained and discarded (never
 * buffered) so the client can read the 413, and the connection is cut if it keeps sending.
 */
export function readBody(request: IncomingMessage, limit = MAX_ALERT_BODY_BYTES): Promise<ReadBodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      discardRest(request, limit);
      resolve({ ok: false, reason: 'too_large', limit });
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        discardRest(request, limit);
        resolve({ ok: false, reason: 'too_large', limit });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ ok: true, body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => onError(new Error('request aborted by the client'));
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

/** Lets a well-behaved client finish sending (so it sees our answer), but not forever. */
function discardRest(request: IncomingMessage, limit: number): void {
  const allowance = limit * 8;
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > allowance) request.destroy();
  });
  request.on('error', () => {});
  request.resume();
}
