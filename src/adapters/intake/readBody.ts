import type { IncomingMessage } from 'node:http';

/** The contract's limit for alert bodies (ARCHITECTURE "HTTP (server)"). */
export const MAX_ALERT_BODY_BYTES = 1024 * 1024;

export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large'; limit: number };

export interface ReadBodyOptions {
  /** Sees every chunk as it arrives (e.g. to hash the body while it is read, not after). */
  onChunk?: (chunk: Buffer) => void;
  /** How much more is read and thrown away after the limit before the connection is cut. Default 8 × `limit`. */
  discardBytes?: number;
}

/** Whether the request says it is larger than `limit` (Content-Length), before a byte of it is read. */
export function declaresMoreThan(request: IncomingMessage, limit: number): boolean {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads a request body into memory, up to `limit` bytes. Resolves `too_large` as soon as the
 * declared or received size crosses the limit; the rest is then drained and discarded (never
 * buffered) so the client can read the 413, and the connection is cut if it keeps sending.
 */
export function readBody(request: IncomingMessage, limit = MAX_ALERT_BODY_BYTES, options: ReadBodyOptions = {}): Promise<ReadBodyResult> {
  const discardBytes = options.discardBytes ?? limit * 8;
  return new Promise((resolve, reject) => {
    if (declaresMoreThan(request, limit)) {
      discardBody(request, discardBytes);
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
        discardBody(request, discardBytes);
        resolve({ ok: false, reason: 'too_large', limit });
        return;
      }
      options.onChunk?.(chunk);
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

/**
 * For a request answered without reading its body: lets a well-behaved client finish sending (so
 * it sees our answer rather than a reset connection), but not forever: after `allowance` bytes the
 * connection is cut. Nothing is kept.
 */
export function discardBody(request: IncomingMessage, allowance: number): void {
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > allowance) request.destroy();
  });
  request.on('error', () => {});
  request.resume();
}
