/**
 * `/notifications`: what firewatch's notification targets sent to the sandbox's inbox
 * (`POST /_sandbox/notifications`), newest first, as a chat channel or pager bridge would get it.
 */
import type { InboxNotification } from '../types.ts';
import { timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { WebSandbox } from './webSandbox.ts';

interface NotificationView {
  event: string;
  text: string;
  url?: string;
  severity?: string;
  status?: string;
}

/** The fields of firewatch's webhook payload (`{"event","text","incident":{...}}`) or a Slack one (`{"text"}`). */
function viewOf(body: unknown): NotificationView {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const incident = typeof record['incident'] === 'object' && record['incident'] !== null ? (record['incident'] as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const url = text(incident['url']);
  const severity = text(incident['severity']);
  const status = text(incident['status']);
  return {
    event: text(record['event']) ?? 'message',
    text: text(record['text']) ?? JSON.stringify(body),
    ...(url ? { url } : {}),
    ...(severity ? { severity } : {}),
    ...(status ? { status } : {}),
  };
}

/** Only links into this sandbox (the incident's issue page), never to whatever a sender claims. */
function localPath(sandbox: WebSandbox, url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.origin === new URL(sandbox.url).origin ? parsed.pathname : undefined;
}

function row(sandbox: WebSandbox, notification: InboxNotification): SafeHtml {
  const view = viewOf(notification.body);
  const path = localPath(sandbox, view.url);
  return html`<li>
<span class="row-title"><code>${view.event}</code> ${view.text}</span>
<div class="row-meta">${timeAgo(notification.at, sandbox.now())}${view.severity && html` · ${view.severity}`}${view.status && html` · ${view.status}`}${notification.signature ? html` · signed` : html` · unsigned`}${path && html` · <a href="${path}">incident</a>`}</div>
</li>`;
}

export function renderInboxPage(sandbox: WebSandbox): SafeHtml {
  const notifications = sandbox.notifications().reverse();
  return layout({
    title: 'Notifications',
    breadcrumbs: [{ href: '/notifications', text: 'notifications' }],
    body: html`<h1>Notification inbox</h1>
<section class="box" aria-labelledby="inbox-heading">
<h2 id="inbox-heading">${notifications.length} notification${notifications.length === 1 ? '' : 's'} received</h2>
<div class="box-body"><p>A <code>webhook</code> notification target pointed at <code>${sandbox.url}/_sandbox/notifications</code> lands here (acme/shop's <code>.github/firewatch.yml</code> does). <code>GET /_sandbox/notifications</code> returns the same as JSON.</p></div>
${notifications.length === 0 ? html`<p class="empty">Nothing yet: open an incident and firewatch announces it here.</p>` : html`<ul class="rows">${notifications.map((n) => row(sandbox, n))}</ul>`}
</section>`,
  });
}
