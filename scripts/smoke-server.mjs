#!/usr/bin/env node
// Server smoke test under a chosen Node binary: starts `firewatch serve` in sandbox mode, fires an
// alert, waits for its incident issue, comments `/ack` as bob and checks that firewatch labelled it
// acknowledged and reacted. Plain JavaScript, so it runs on any Node that firewatch supports.
//
//   node scripts/smoke-server.mjs [--node /path/to/node]     (default: the Node running this script)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// Node's own fetch (the lint environment does not list it).
const { fetch } = globalThis;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeFlag = process.argv.indexOf('--node');
const node = nodeFlag === -1 ? process.execPath : process.argv[nodeFlag + 1];
if (!node) {
  console.error('usage: node scripts/smoke-server.mjs [--node /path/to/node]');
  process.exit(2);
}
const READY_MS = 120_000;
const STEP_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(200);
  }
}

const [port, sandboxPort] = [await freePort(), await freePort()];
const env = { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), LOG_LEVEL: 'warn' };
// Sandbox mode: no GitHub credentials of the caller's may leak in.
for (const name of ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'GITHUB_TOKEN', 'GH_TOKEN', 'WEBHOOK_SECRET', 'GHE_HOST']) delete env[name];
const started = Date.now();
const child = spawn(node, [join(root, 'bin/firewatch.js'), 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

const app = `http://127.0.0.1:${port}`;
const api = `http://127.0.0.1:${sandboxPort}/api/v3`;
const as = (user) => ({ authorization: `Bearer sandbox-${user}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' });
async function json(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

let status = 0;
try {
  const version = await new Promise((resolve, reject) => {
    const probe = spawn(node, ['--version']);
    let text = '';
    probe.stdout.on('data', (chunk) => (text += chunk));
    probe.once('error', reject);
    probe.once('exit', () => resolve(text.trim()));
  });
  await until('"firewatch ready"', READY_MS, async () => output.includes('firewatch ready') || (child.exitCode !== null && Promise.reject(new Error(`firewatch exited with ${child.exitCode}`))));
  const title = `Smoke test ${version} ${Date.now()}`;
  const alert = await fetch(`${app}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: JSON.stringify({ title, severity: 'P2', service: 'checkout' }) });
  if (alert.status >= 300) throw new Error(`the alert was refused with ${alert.status}: ${await alert.text()}`);
  const issue = await until('the incident issue', STEP_MS, async () => (await json(`${api}/repos/acme/shop/issues?labels=incident&state=all&per_page=100`, { headers: as('alice') })).find((i) => i.title.includes(title)));
  const labels = (i) => i.labels.map((l) => l.name);
  if (!labels(issue).includes('status:triggered')) throw new Error(`#${issue.number} opened without status:triggered: ${labels(issue).join(', ')}`);
  const comment = await json(`${api}/repos/acme/shop/issues/${issue.number}/comments`, { method: 'POST', headers: as('bob'), body: JSON.stringify({ body: '/ack' }) });
  const acked = await until('status:acknowledged', STEP_MS, async () => {
    const current = await json(`${api}/repos/acme/shop/issues/${issue.number}`, { headers: as('alice') });
    return labels(current).includes('status:acknowledged') && current;
  });
  const reactions = await until("firewatch's 🚀 on the /ack", STEP_MS, async () => {
    const list = await json(`${api}/repos/acme/shop/issues/comments/${comment.id}/reactions`, { headers: as('alice') });
    return list.some((r) => r.content === 'rocket') && list.map((r) => r.content).sort();
  });
  console.log(`smoke (node ${version}): alert → #${issue.number} → /ack by bob → ${labels(acked).filter((l) => l.startsWith('status:')).join(', ')}, reactions ${reactions.join(' ')}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  status = 1;
  console.error(`smoke (${node}) failed: ${error instanceof Error ? error.message : String(error)}\n--- firewatch output ---\n${output}`);
} finally {
  child.kill('SIGTERM');
  const how = await Promise.race([exited, sleep(10_000).then(() => 'timeout')]);
  if (how === 'timeout') child.kill('SIGKILL');
}
process.exit(status);
