import { pageHeadline, pageText, type PageMessage } from '../../domain/paging/pageMessage.ts';
import { parseJson, sendWithRetries, shortError, transient, type ChannelAdapter, type HttpDeps } from './channel.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';

export interface PushoverSettings {
  /** The application's API token. */
  token: string;
  /** Default https://api.pushover.net */
  apiUrl: string;
}

/**
 * Pushover's messages.json form: P1 is an emergency (priority 2), which Pushover itself repeats
 * every `retry` seconds until the person acknowledges it in the app or `expire` passes; P2 is high
 * priority (bypasses the phone's quiet hours), P3 normal, P4 and P5 quiet.
 */
function pushoverForm(message: PageMessage, user: string, token: string, repeatMinutes: number | undefined): Record<string, string> {
  const priority = ({ P1: 2, P2: 1, P3: 0, P4: -1, P5: -1 } as const)[message.severity];
  return {
    token,
    user,
    title: pageHeadline(message).slice(0, 250),
    message: pageText(message).slice(0, 1024),
    priority: String(priority),
    ...(priority === 2 ? { retry: '60', expire: String(Math.min(10_800, Math.max(60, (repeatMinutes ?? 30) * 60))) } : {}),
    url: message.ackUrl ?? message.issueUrl,
    url_title: message.ackUrl ? 'Acknowledge' : 'Open incident',
  };
}

export function pushoverChannel(settings: PushoverSettings, deps: HttpDeps & { repeatMinutes?: (message: PageMessage) => number | undefined } = {}): ChannelAdapter {
  return {
    channel: 'pushover',
    send: (message, user) =>
      sendWithRetries(
        () => ({
          url: `${trimEndChars(settings.apiUrl, '/')}/1/messages.json`,
          init: {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'firewatch' },
            body: new URLSearchParams(pushoverForm(message, user, settings.token, deps.repeatMinutes?.(message))).toString(),
          },
        }),
        (status, body) => {
          const json = parseJson(body) as { status?: number; request?: string; receipt?: string; errors?: string[] } | undefined;
          if (status === 200 && json?.status === 1) return { ok: true, ...(json.receipt ?? json.request ? { id: json.receipt ?? json.request ?? '' } : {}) };
          return { ok: false, retryable: transient(status), error: shortError(json?.errors?.length ? json.errors.join('; ') : `HTTP ${status}`) };
        },
        deps,
      ),
  };
}
