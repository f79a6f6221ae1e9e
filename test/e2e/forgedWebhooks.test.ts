/**
 * Attacks on `POST /api/github/webhooks` as they were made (issue 16, item 4), against a started
 * `firewatch serve` over real HTTP: a stranger posting 100 MiB with a wrong signature must be
 * refused before the body is read, the server's memory must stay flat and `/healthz` must keep
 * answering, for one such request and for four at once.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startFirewatch, type RunningFirewatch } from '../support/processes.ts';

const MiB = 1024 * 1024;
let firewatch: RunningFirewatch;

beforeAll(async () => {
  firewatch = await startFirewatch({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
}, 60_000);

afterAll(async () => {
  await firewatch?.stop();
});

/** Resident memory of the firewatch process, in bytes (Linux /proc). */
function rss(): number {
  const status = readFileSync(`/proc/${firewatch.pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kib * 1024;
}

/**
 * Samples the server's memory and the latency of `/healthz` while `work` runs: the peak growth of
 * resident memory over what it was before, and the slowest health check.
 */
async function watch<T>(work: () => Promise<T>): Promise<{ result: T; rssGrowth: number; slowestHealthMs: number; healthChecks: number }> {
  const before = rss();
  let peak = before;
  let slowestHealthMs = 0;
  let healthChecks = 0;
  let running = true;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
  const health = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${firewatch.appUrl}/healthz`);
      expect(response.status).toBe(200);
      await response.json();
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
      healthChecks += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work();
    // A little longer, so work the server does after answering (reading the rest, parsing) is seen too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { result, rssGrowth: peak - before, slowestHealthMs, healthChecks };
  } finally {
    running = false;
    clearInterval(sampler);
    await health;
  }
}

interface Answer {
  status: number;
  body: string;
  ms: number;
  /** Bytes of the body the client had written when the answer came. */
  sentBeforeAnswer: number;
}

/** Streams `bytes` of JSON whitespace to the webhook route (never holding them in memory), as an attacker would. */
function postWebhook(options: { bytes: number; declareLength: boolean; headers: Record<string, string> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    let answered = false;
    const outgoing = request(
      `${firewatch.appUrl}/api/github/webhooks`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers, ...(options.declareLength ? { 'content-length': String(options.bytes) } : {}) } },
      (response) => {
        const sentBeforeAnswer = sent;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        response.on('error', () => {});
        response.on('end', () => {
          answered = true;
          outgoing.destroy();
          resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started, sentBeforeAnswer });
        });
      },
    );
    // Once answered, the server may cut the connection while we are still sending: expected.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = (): void => {
      while (!answered && sent < options.bytes) {
        const size = Math.min(chunk.length, options.bytes - sent);
        sent += size;
        if (!outgoing.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          outgoing.once('drain', pump);
          return;
        }
      }
      if (!answered) outgoing.end();
    };
    pump();
  });
}

function forgedHeaders(delivery: string): Record<string, string> {
  return {
    'x-github-event': 'issue_comment',
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-secret').update('anything').digest('hex')}`,
  };
}

function logLines(delivery: string): string[] {
  return firewatch
    .output()
    .split('\n')
    .filter((line) => line.includes(delivery));
}

describe('POST /api/github/webhooks under attack', () => {
  it('refuses a forged 100 MiB delivery with 413 before reading it; memory stays flat and /healthz answers', async () => {
    const watched = await watch(() => postWebhook({ bytes: 100 * MiB, declareLength: true, headers: forgedHeaders('forged-huge') }));
    const answer = watched.result;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining('25 MB'), hint: expect.any(String) });
    // Answered from the headers alone, while the client was still sending.
    expect(answer.sentBeforeAnswer).toBeLessThan(100 * MiB);
    expect(watched.rssGrowth).toBeLessThan(100 * MiB);
    expect(watched.healthChecks).toBeGreaterThan(0);
    expect(watched.slowestHealthMs).toBeLessThan(3_000);
  }, 60_000);

  it('cuts off a forged body without Content-Length at 25 MB', async () => {
    const watched = await watch(() => postWebhook({ bytes: 100 * MiB, declareLength: false, headers: forgedHeaders('forged-chunked') }));
    expect(watched.result.status).toBe(413);
    expect(JSON.parse(watched.result.body)).toMatchObject({ error: expect.stringContaining('25 MB'), hint: expect.any(String) });
    expect(watched.result.sentBeforeAnswer).toBeLessThan(100 * MiB);
    expect(watched.rssGrowth).toBeLessThan(100 * MiB);
    expect(watched.slowestHealthMs).toBeLessThan(3_000);
  }, 60_000);

  it('four forged 100 MiB deliveries at once: all refused, memory flat, /healthz answers', async () => {
    const watched = await watch(() => Promise.all([1, 2, 3, 4].map((n) => postWebhook({ bytes: 100 * MiB, declareLength: n % 2 === 0, headers: forgedHeaders(`forged-four-${n}`) }))));
    expect(watched.result.map((answer) => answer.status)).toEqual([413, 413, 413, 413]);
    expect(watched.rssGrowth).toBeLessThan(100 * MiB);
    expect(watched.slowestHealthMs).toBeLessThan(3_000);
  }, 60_000);

  it('refuses a delivery without a signature with 401 before reading its body', async () => {
    const headers = forgedHeaders('unsigned-1');
    delete headers['x-hub-signature-256'];
    const answer = await postWebhook({ bytes: 20 * MiB, declareLength: true, headers });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining('X-Hub-Signature-256'), hint: expect.stringContaining('WEBHOOK_SECRET') });
    expect(answer.sentBeforeAnswer).toBeLessThan(20 * MiB);
  }, 30_000);

  it('refuses a wrongly signed delivery with 401 in JSON, and logs one line without a stack trace', async () => {
    const answer = await postWebhook({ bytes: 2 * MiB, declareLength: true, headers: forgedHeaders('forged-small') });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining('signature does not match'), hint: expect.stringContaining('WEBHOOK_SECRET') });
    const lines = await eventually(async () => (logLines('forged-small').length > 0 ? logLines('forged-small') : undefined), 'the log line of the forged delivery');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logLines('forged-small')).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ deliveryId: 'forged-small', event: 'issue_comment', msg: expect.stringContaining('signature does not match') });
    expect(line['err']).toBeUndefined();
    expect(firewatch.output()).not.toMatch(/\n\s+at .*verify/);
  }, 30_000);
});
