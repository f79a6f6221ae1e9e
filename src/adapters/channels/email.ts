import nodemailer from 'nodemailer';
import { pageHeadline, pageText, type PageMessage } from '../../domain/paging/pageMessage.ts';
import { shortError, type ChannelAdapter, type SendResult } from './channel.ts';

export interface EmailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  smtpUrl: string;
  /** `firewatch <pages@example.com>` */
  from: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The e-mail of a page: text and HTML parts with the acknowledge link, threaded per incident. */
/** The domain of the sender address (`Firewatch <pages@example.com>` → `example.com`), for Message-IDs. */
function fromDomain(from: string): string {
  const at = from.lastIndexOf('@');
  if (at === -1) return 'firewatch.invalid';
  let end = at + 1;
  while (end < from.length && !/[>\s]/.test(from[end] ?? '')) end++;
  return end > at + 1 ? from.slice(at + 1, end) : 'firewatch.invalid';
}

function pageMail(message: PageMessage, to: string, from: string, domain: string) {
  const subject = `[${message.severity}] ${message.service}: ${message.title} (${message.issueRef})${message.round > 1 ? ` — page ${message.round}` : ''}`;
  const ack = message.ackUrl
    ? `<p><a href="${escapeHtml(message.ackUrl)}" style="display:inline-block;padding:10px 18px;background:#cf222e;color:#fff;text-decoration:none;border-radius:6px">Acknowledge</a></p>`
    : `<p>Acknowledge with <code>/ack</code> on the issue.</p>`;
  const html = [
    `<p><strong>${escapeHtml(pageHeadline(message))}</strong></p>`,
    `<p>Open ${escapeHtml(message.openFor)}${message.round > 1 ? `, page ${message.round}: still not acknowledged` : ''}.</p>`,
    ack,
    `<p><a href="${escapeHtml(message.issueUrl)}">${escapeHtml(message.issueRef)}</a></p>`,
  ].join('\n');
  const thread = `<${message.incident}@${domain}>`;
  return {
    from,
    to,
    subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 250),
    text: pageText(message),
    html,
    messageId: `<${message.incident}.${message.pageId}@${domain}>`,
    // Re-pages land in the same conversation as the first page.
    ...(message.round > 1 ? { inReplyTo: thread, references: [thread] } : {}),
    headers: { 'X-Firewatch-Incident': message.incident, 'X-Firewatch-Page': message.pageId, 'Auto-Submitted': 'auto-generated', 'X-Priority': message.severity === 'P1' ? '1' : '3' },
  };
}

/** E-mail over SMTP with nodemailer. Addresses stay in the contacts; the timeline names only the channel. */
export function emailChannel(settings: EmailSettings, options: { timeoutMs?: number } = {}): ChannelAdapter {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport(settings.smtpUrl, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  const domain = fromDomain(settings.from);
  return {
    channel: 'email',
    async send(message, address): Promise<SendResult> {
      try {
        const info = await transport.sendMail(pageMail(message, address, settings.from, domain));
        if (info.rejected.length > 0) return { ok: false, attempts: 1, error: `the mail server refused the recipient (${shortError(String(info.response ?? ''))})` };
        return { ok: true, attempts: 1, id: info.messageId };
      } catch (error) {
        const smtp = error as { responseCode?: number; response?: string; code?: string; message?: string };
        return { ok: false, attempts: 1, error: shortError(smtp.responseCode ? `SMTP ${smtp.responseCode}: ${smtp.response ?? ''}` : `${smtp.code ? `${smtp.code}: ` : ''}${smtp.message ?? String(error)}`) };
      }
    },
  };
}
