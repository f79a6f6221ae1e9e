import { pageHeadline, pageText, pushPriority, type PageMessage } from '../../domain/paging/pageMessage.ts';
import { parseJson, sendWithRetries, shortError, transient, type ChannelAdapter, type HttpDeps } from './channel.ts';
import { confirmBody } from './confirmBody.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';

export interface NtfySettings {
  /** The ntfy server, default https://ntfy.sh (self-hosted servers work the same). */
  url: string;
  /** Access token (`Authorization: Bearer tk_...`) for protected topics. */
  token?: string;
}

/**
 * The JSON body of ntfy's "publish as JSON" (`POST` to the server root): priority from the
 * severity (P1 = 5, max), the issue as the click target, and two action buttons: `http` POSTs the
 * acknowledge form from the phone without opening a browser, `view` opens the incident.
 */
function ntfyPayload(message: PageMessage, topic: string, confirm: ((ackUrl: string) => string) | undefined): Record<string, unknown> {
  const actions: Record<string, unknown>[] = [];
  if (message.ackUrl && confirm) {
    actions.push({ action: 'http', label: 'Acknowledge', url: message.ackUrl, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: confirm(message.ackUrl), clear: true });
  }
  actions.push({ action: 'view', label: 'Open incident', url: message.issueUrl, clear: false });
  return {
    topic,
    title: pageHeadline(message),
    message: pageText(message),
    priority: pushPriority(message.severity),
    tags: message.severity === 'P1' ? ['rotating_light'] : ['warning'],
    click: message.issueUrl,
    actions,
  };
}

export function ntfyChannel(settings: NtfySettings, deps: HttpDeps & { confirmFor?: (ackUrl: string) => string } = {}): ChannelAdapter {
  const confirm = deps.confirmFor ? (ackUrl: string) => confirmBody(deps.confirmFor?.(ackUrl) ?? '') : undefined;
  return {
    channel: 'ntfy',
    send: (message, topic) =>
      sendWithRetries(
        () => ({
          url: trimEndChars(settings.url, '/') + '/',
          init: {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'firewatch', ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}) },
            body: JSON.stringify(ntfyPayload(message, topic, confirm)),
          },
        }),
        (status, body) => {
          const json = parseJson(body) as { id?: string; error?: string; code?: number } | undefined;
          if (status >= 200 && status < 300) return { ok: true, ...(json?.id ? { id: json.id } : {}) };
          return { ok: false, retryable: transient(status), error: shortError(`HTTP ${status}${json?.error ? `: ${json.error}` : ''}`) };
        },
        deps,
      ),
  };
}
