/**
 * Deploy correlation reads the alert, end to end against the sandbox: one production deployment
 * ships three PRs of the refunds service; the alert's description carries a Python traceback whose
 * failing frame is `app/refunds/ledger.py`, line 88. The "Suspected changes" comment must name the
 * PR that changed those lines first (not split the deployment evenly and abstain), and say why in
 * plain words, quoting what matched. A `/deploys` recompute, which has no fresh alert, still reads
 * the description (kept in the comment's hidden block). The sandbox's stats count the requests.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { fixtureSchema, type SandboxStats } from '@firewatch/sandbox';
import { CORRELATION_ROUTES } from '../correlation/runSandboxScenario.ts';
import { eventually } from '../support/processes.ts';

const NOW = '2025-09-12T09:00:00Z';
const shop = { owner: 'acme', repo: 'shop' };

/** `app/refunds/ledger.py`: 100 lines, `post_refund` at lines 80–95. */
function ledger(balanceLine: string): string {
  const lines = ['from decimal import Decimal', ''];
  for (let i = 0; lines.length < 78; i++) lines.push(`def entry_${i}(book):`, `    return book.entries[${i}]`, '');
  lines.length = 79;
  lines.push(
    'def post_refund(book, refund):', // 80
    '    entry = book.find(refund.payment_id)', // 81
    '    if entry is None:', // 82
    '        raise LookupError(refund.payment_id)', // 83
    '    amount = Decimal(refund.amount)', // 84
    '    if amount <= 0:', // 85
    '        raise ValueError("refund must be positive")', // 86
    '    fee = book.fee_for(entry)', // 87
    balanceLine, // 88
    '    book.append(entry.reverse(amount, fee))', // 89
    '    return entry', // 90
  );
  while (lines.length < 100) lines.push('');
  return `${lines.join('\n')}\n`;
}

const fixture = fixtureSchema.parse({
  now: NOW,
  repos: [
    {
      owner: 'acme',
      name: 'shop',
      files: {
        '.github/firewatch.yml': 'routing:\n  services:\n    - name: refunds\n      match: { service: refunds }\n      repos: [acme/shop]\n',
        'app/refunds/ledger.py': ledger('    entry.balance -= amount + fee'),
        'app/refunds/api.py': 'def create_refund(request):\n    return enqueue(request.json)\n',
        'app/refunds/emails.py': 'SUBJECT = "Your refund"\n',
      },
      pulls: [
        {
          number: 11,
          title: 'Refunds: charge the fee on partial refunds',
          user: 'bob',
          merged_at: '-70m',
          body: 'Finance wants the processing fee kept on partial refunds.',
          files: [{ path: 'app/refunds/ledger.py', content: ledger('    entry.balance -= amount + fee * entry.partial_ratio') }],
        },
        { number: 12, title: 'Refunds API: accept an idempotency key', user: 'carol', merged_at: '-65m', files: [{ path: 'app/refunds/api.py', content: 'def create_refund(request):\n    return enqueue(request.json, key=request.headers.get("Idempotency-Key"))\n' }] },
        { number: 13, title: 'Refund emails: friendlier subject', user: 'alice', merged_at: '-60m', files: [{ path: 'app/refunds/emails.py', content: 'SUBJECT = "Your refund is on its way"\n' }] },
      ],
      deployments: [{ environment: 'production', pull: 13, created_at: '-40m', statuses: [{ state: 'in_progress', created_at: '-40m' }, { state: 'success', created_at: '-36m' }] }],
    },
  ],
});

const traceback = [
  'Traceback (most recent call last):',
  '  File "/srv/app/app/refunds/worker.py", line 31, in run',
  '    post_refund(book, refund)',
  '  File "/srv/app/app/refunds/ledger.py", line 88, in post_refund',
  '    entry.balance -= amount + fee * entry.partial_ratio',
  "AttributeError: 'LedgerEntry' object has no attribute 'partial_ratio'",
].join('\n');

let firewatch: Sandboxed;
let bob: Octokit;
let incident: number;
let stats: SandboxStats;

async function settle(): Promise<void> {
  await firewatch.server.alertQueue.idle();
  await firewatch.sandbox.idle();
}

async function suspectsComment(): Promise<{ id: number; body: string }> {
  const { data } = await bob.rest.issues.listComments({ ...shop, issue_number: incident, per_page: 100 });
  const found = data.filter((c) => parseSuspectsBlock(c.body) !== null);
  expect(found).toHaveLength(1);
  return { id: found[0]?.id ?? 0, body: found[0]?.body ?? '' };
}

beforeAll(async () => {
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', fixture });
  bob = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-bob', request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
  const response = await fetch(`${firewatch.server.url}/alerts/generic`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'RefundWorkerExceptions',
      severity: 'P2',
      service: 'refunds',
      started_at: new Date(Date.parse(NOW) - 25 * 60_000).toISOString(),
      labels: { environment: 'production' },
      summary: 'refund worker raised 212 exceptions in 5 minutes',
      description: traceback,
    }),
  });
  expect(response.status).toBeLessThan(300);
  await settle();
  stats = (await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as SandboxStats;
  const { data: issues } = await bob.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'open' });
  const found = issues.find((i) => i.title.includes('RefundWorkerExceptions'));
  if (!found) throw new Error('no incident issue was opened');
  incident = found.number;
}, 60_000);

afterAll(async () => {
  await firewatch?.close();
});

describe('deploy correlation reads the alert (sandbox)', () => {
  it('names the PR that changed the traceback’s file and line first among the three one deployment shipped', async () => {
    const { body } = await suspectsComment();
    const block = parseSuspectsBlock(body);
    expect(block?.verdict).toBe('suspects');
    expect(block?.suspects.map((s) => s.key).slice(0, 3)).toEqual(['acme/shop#11', expect.stringMatching(/^acme\/shop#1[23]$/), expect.stringMatching(/^acme\/shop#1[23]$/)]);
    expect(block?.suspects[0]?.score).toBeGreaterThan(0.5);
    expect(body).toMatch(/\*\*1\. \[#11 Refunds: charge the fee on partial refunds\]/);
  });

  it('says why in plain words, quoting what matched: the named file and line, and the lines the PR changed', async () => {
    const { body } = await suspectsComment();
    const first = body.slice(body.indexOf('**1. '), body.indexOf('**2. '));
    expect(first).toContain('the alert names `ledger.py:88`; this PR changes `app/refunds/ledger.py` lines 85–91');
    // The other two PRs of the deployment are named by nothing in the traceback.
    const second = body.slice(body.indexOf('**2. '));
    expect(second).toContain('nothing in it matches what the alert names (`ledger.py:88`)');
  });

  it('stays within 10 GitHub requests for the correlation, reading the patches of the strongest PRs', () => {
    const correlation = CORRELATION_ROUTES.reduce((n, route) => n + (stats.byRoute[route] ?? 0), 0);
    expect(stats.byRoute['GET /repos/{owner}/{repo}/pulls/{pull_number}/files']).toBe(3);
    expect(correlation).toBeLessThanOrEqual(10);
  });

  it('a /deploys recompute, with no fresh alert, still reads the description kept in the comment', async () => {
    const before = await suspectsComment();
    const { data: asked } = await bob.rest.issues.createComment({ ...shop, issue_number: incident, body: '/deploys' });
    const reply = await eventually(async () => {
      await settle();
      const { data } = await bob.rest.issues.listComments({ ...shop, issue_number: incident, per_page: 100 });
      return data.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes(`"replyTo":${asked.id}`));
    }, 'the reply to /deploys');
    expect(reply.body).toMatch(/most likely #11 \(\d+%\), roll back with `\/rollback #11`/);
    const after = await suspectsComment();
    expect(after.id).toBe(before.id);
    expect(parseSuspectsBlock(after.body)?.suspects[0]?.key).toBe('acme/shop#11');
    expect(after.body).toContain('the alert names `ledger.py:88`; this PR changes `app/refunds/ledger.py` lines 85–91');
  });
});
