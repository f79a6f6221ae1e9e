/**
 * The load generator of the storm benchmarks: notifications POSTed to a generic alert route over
 * one keep-alive connection per sender, like Alertmanager's HTTP client (no connection set-up per
 * notification), with plain `http` rather than fetch so it spends as little of the shared CPU as it
 * can; and a bare Node HTTP server that answers 202, to warm the generator and to measure what
 * the machine and the generator alone cost.
 */
import { Agent, createServer, request, type Server } from 'node:http';

export interface Target {
  base: string;
  agent: Agent;
}

export function target(base: string, concurrency: number): Target {
  return { base, agent: new Agent({ keepAlive: true, maxSockets: concurrency }) };
}

function postAlert(to: Target, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${to.base}/alerts/generic`,
      { method: 'POST', agent: to.agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Sends every body with `concurrency` senders; the accept latencies, sorted. Any answer but 202 fails the benchmark. */
export async function send(to: Target, token: string, bodies: string[], concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const started = performance.now();
      const status = await postAlert(to, token, body);
      latencies.push(performance.now() - started);
      if (status !== 202) throw new Error(`alert refused: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

/** A bare Node HTTP server in this process that reads each request and answers 202, as the alert route does. */
async function bareServer(): Promise<{ base: string; close(): void }> {
  const stub: Server = createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      outgoing.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      outgoing.end('{"outcome":"accepted","alerts":1}\n');
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(stub.address() as { port: number }).port}`, close: () => stub.close() };
}

/**
 * The load generator is a Node process too, and its own HTTP client runs slowly until V8 has
 * optimized it: measured, its first requests took up to 30 ms before they even reached the server.
 * So it first sends the same kind of requests to a bare server in its own process.
 */
export async function warmLoadGenerator(bodies: string[], concurrency: number): Promise<number> {
  const stub = await bareServer();
  const to = target(stub.base, concurrency);
  const started = performance.now();
  try {
    await send(to, 'warm', bodies, concurrency);
  } finally {
    to.agent.destroy();
    stub.close();
  }
  return performance.now() - started;
}
