import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../adapters/intake/readBody.ts';
import { acknowledgeByLink, type AckLinkAnswer, type AckLinkDeps } from '../../features/paging/acknowledgeByLink.ts';
import { sendError } from './sendJson.ts';

/** `GET|POST /ack/<token>`: the one-tap acknowledge link of a page. */
export const ACK_PATH = /^\/ack\/([^/]+)\/?$/;

const FORM_LIMIT = 4096;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The whole page: no script, no external resource, not embeddable, never cached, never leaking the token as a referrer. */
function renderAckPage(answer: AckLinkAnswer, action: string): string {
  let title: string;
  let main: string;
  switch (answer.kind) {
    case 'confirm':
      title = 'Acknowledge this incident?';
      main = [
        `<p class="what"><strong>${escapeHtml(`${answer.incident.severity} ${answer.incident.service}: ${answer.incident.title}`)}</strong><br><a href="${escapeHtml(answer.incident.url)}">${escapeHtml(answer.incident.ref)}</a></p>`,
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="${escapeHtml(answer.confirm)}"><button type="submit">Acknowledge as @${escapeHtml(answer.login)}</button></form>`,
        '<p class="small">Acknowledging stops the pages for this incident and assigns it to you, as <code>/ack</code> in the issue would.</p>',
      ].join('\n');
      break;
    case 'acknowledged':
      title = 'Acknowledged';
      main = `<p>${escapeHtml(answer.message)}</p><p><a href="${escapeHtml(answer.incident.url)}">Open ${escapeHtml(answer.incident.ref)}</a></p>`;
      break;
    case 'refused':
      title = answer.reason === 'already' ? 'Already acknowledged' : answer.reason === 'expired' ? 'Link expired' : answer.reason === 'used' ? 'Link already used' : 'Nothing changed';
      main = `<p>${escapeHtml(answer.message)}</p>${answer.url ? `<p><a href="${escapeHtml(answer.url)}">Open the incident</a></p>` : ''}`;
      break;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} · firewatch</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2328}button{font-size:1.1rem;padding:.8rem 1.4rem;border:0;border-radius:.4rem;background:#cf222e;color:#fff}.small{color:#59636e;font-size:.9rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${main}
</body></html>
`;
}

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export interface AckRoute {
  handle(request: IncomingMessage, response: ServerResponse, token: string): Promise<void>;
  /** Acknowledgements being written now (a tap's GitHub reads and writes). */
  inFlight(): number;
  /** Resolves once none is, or with `false` after `timeoutMs` (graceful shutdown). */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createAckRoute(deps: AckLinkDeps): AckRoute {
  const running = new Set<Promise<void>>();

  async function answer(request: IncomingMessage, response: ServerResponse, token: string): Promise<void> {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return sendError(response, 405, `${method} is not allowed here`, 'open the link (GET), then confirm (POST)', { allow: 'GET, POST' });
    let confirm: string | undefined;
    if (method === 'POST') {
      const body = await readBody(request, FORM_LIMIT);
      if (!body.ok) return sendError(response, 413, 'form too large', 'post the acknowledge form as firewatch renders it');
      confirm = new URLSearchParams(body.body.toString('utf8')).get('confirm') ?? undefined;
    }
    const fetchSite = request.headers['sec-fetch-site'];
    const answer = await acknowledgeByLink({ token, method: method === 'POST' ? 'POST' : 'GET', ...(confirm !== undefined ? { confirm } : {}), ...(typeof fetchSite === 'string' ? { fetchSite } : {}) }, deps);
    const html = renderAckPage(answer, `/ack/${encodeURIComponent(token)}`);
    response.writeHead(answer.status, { ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(html) });
    response.end(method === 'HEAD' ? undefined : html);
  }

  return {
    handle(request, response, token) {
      const work = answer(request, response, token);
      const tracked = work.then(
        () => {},
        () => {},
      );
      running.add(tracked);
      void tracked.then(() => running.delete(tracked));
      return work;
    },
    inFlight: () => running.size,
    async idle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const drained = (async () => {
        while (running.size > 0) await Promise.all(running);
        return true as const;
      })();
      try {
        return await Promise.race([drained, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
