/**
 * A P4 pages by e-mail only, once: the message goes over SMTP (nodemailer) to a real mail server
 * on loopback (Debian's Exim) and is read back from its mailbox, acknowledge link and all.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePagingEnv } from '../../src/runtimes/server/pagingEnv.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { eventually } from '../support/processes.ts';
import { startMailServer, type MailServer } from '../support/smtpServer.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

const repo = { owner: 'acme', repo: 'shop' };
const CONFIG = `
oncall:
  layers:
    - name: primary
      participants: [alice]
      handoff: { weekday: monday, time: '09:00' }
      start: '2026-03-02'
paging:
  policies:
    P1: { channels: [ntfy], repeatMinutes: 5 }
    P4: { channels: [email] }
`;

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('a P4 pages by e-mail', () => {
  let mail: MailServer;
  let running: Sandboxed;
  // Awaited by each test, so a missing mail server fails every test with its install hint (none is skipped).
  let ready: Promise<void>;

  beforeAll(async () => {
    ready = start();
    await ready.catch(() => {});
  }, 60_000);

  async function start(): Promise<void> {
    mail = await startMailServer();
    running = await startSandboxed({
      port: 0,
      sandboxPort: 0,
      logLevel: 'fatal',
      now: new Date('2026-03-03T10:00:00Z'),
      paging: parsePagingEnv({
        FIREWATCH_SMTP_URL: `smtp://${mail.host}:${mail.port}`,
        FIREWATCH_MAIL_FROM: 'firewatch <pages@firewatch.test>',
        FIREWATCH_CONTACTS: 'people:\n  alice:\n    channels:\n      - email: alice@example.com\n      - sms: "+15550100100"\n',
      }),
    });
    const alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice' });
    await writeRepoConfig(alice, repo, CONFIG, 'paging');
    await running.sandbox.idle();
  }

  afterAll(async () => {
    await running?.close();
    await mail?.stop();
  });

  it('sends one e-mail that arrives in the mailbox, with the incident and a working acknowledge link', async () => {
    await ready;
    const response = await fetch(`${running.server.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'SlowReportExport', severity: 'P4', service: 'reports' }),
    });
    expect(response.status).toBe(202);
    const [message] = await eventually(async () => (mail.messages().length ? mail.messages() : undefined), 'the page e-mail in the mailbox');
    expect(message).toMatch(/^Envelope-to: alice@example\.com$/m);
    expect(message).toMatch(/^From: firewatch <pages@firewatch\.test>$/m);
    expect(message).toMatch(/^Subject: \[P4\] reports: SlowReportExport \(acme\/shop#\d+\)$/m);
    expect(message).toMatch(/^X-Firewatch-Page: alice-1$/m);
    expect(message).toContain('Received: from');
    // As a mail client reads it: the text part, quoted-printable decoded.
    expect(message).toContain('Content-Transfer-Encoding: quoted-printable');
    const text = decodeQuotedPrintable(/Content-Type: text\/plain; charset=utf-8\r?\nContent-Transfer-Encoding: quoted-printable\r?\n\r?\n([^]*?)\r?\n--/.exec(message ?? '')?.[1] ?? '');
    expect(text).toMatch(/^P4 reports: SlowReportExport\. Open \d+s\. acme\/shop#\d+ http:\/\/127\.0\.0\.1:\d+\/acme\/shop\/issues\/\d+$/m);
    const link = /^Acknowledge: (http:\/\/127\.0\.0\.1:\d+\/ack\/[A-Za-z0-9_.-]+)$/m.exec(text)?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acknowledge as @alice');
  });

  it('does not page again: P4 has no re-page', async () => {
    await ready;
    await running.sandbox.setNow(new Date('2026-03-03T10:30:00Z'));
    await running.sandbox.setNow(new Date('2026-03-03T12:00:00Z'));
    await running.sandbox.idle();
    // Each clock move ran its sweep (paging included) before returning: no second page was claimed on the incident.
    const alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice' });
    const [issue] = await alice.paginate(alice.rest.issues.listForRepo, { ...repo, state: 'all' });
    const comments = await alice.paginate(alice.rest.issues.listComments, { ...repo, issue_number: issue?.number ?? 0 });
    expect(comments.filter((comment) => comment.body?.includes('📟 Paging'))).toHaveLength(1);
    expect(mail.messages()).toHaveLength(1);
  });
});
