import { pageHeadline, type PageMessage } from '../../domain/paging/pageMessage.ts';
import { parseJson, sendWithRetries, transient, type ChannelAdapter, type HttpDeps, type SendResult } from './channel.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';

export interface SlackSettings {
  /** A bot token (`xoxb-…`) with `chat:write` and `im:write`. */
  token: string;
  /** Default https://slack.com/api */
  apiUrl: string;
}

/** Slack's mrkdwn: `&`, `<` and `>` are control characters; everything else is text. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackMessage(message: PageMessage, channel: string): Record<string, unknown> {
  const headline = escapeSlack(pageHeadline(message));
  const again = message.round > 1 ? ` (page ${message.round}, still not acknowledged)` : '';
  const text = `:rotating_light: *${headline}* — open ${message.openFor}${again}. <${message.issueUrl}|${escapeSlack(message.issueRef)}>`;
  const buttons = [
    ...(message.ackUrl ? [{ type: 'button', style: 'danger', text: { type: 'plain_text', text: 'Acknowledge' }, url: message.ackUrl, action_id: 'firewatch-ack' }] : []),
    { type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: message.issueUrl, action_id: 'firewatch-open' },
  ];
  return { channel, text, unfurl_links: false, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, { type: 'actions', elements: buttons }] };
}

/**
 * A direct message from the Slack app: `conversations.open` with the person's user ID gives the
 * DM channel, `chat.postMessage` posts there. Slack answers HTTP 200 with `ok: false` for most
 * refusals, so the body decides.
 */
export function slackChannel(settings: SlackSettings, deps: HttpDeps = {}): ChannelAdapter {
  const base = trimEndChars(settings.apiUrl, '/');
  const call = (method: string, body: Record<string, unknown>) => () => ({
    url: `${base}/${method}`,
    init: { method: 'POST', headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json; charset=utf-8', 'user-agent': 'firewatch' }, body: JSON.stringify(body) },
  });
  const judgeInto = (found: { channel: string }) => (status: number, body: string) => {
    const json = parseJson(body) as { ok?: boolean; error?: string; ts?: string; channel?: string | { id?: string } } | undefined;
    if (status === 200 && json?.ok) {
      if (typeof json.channel === 'object' && json.channel?.id) found.channel = json.channel.id;
      return { ok: true as const, ...(json.ts ? { id: json.ts } : {}) };
    }
    return { ok: false as const, retryable: transient(status) || json?.error === 'ratelimited', error: json?.error ?? `HTTP ${status}` };
  };
  return {
    channel: 'slack',
    async send(message, user): Promise<SendResult> {
      const found = { channel: '' };
      const opened = await sendWithRetries(call('conversations.open', { users: user }), judgeInto(found), deps);
      if (!opened.ok) return opened;
      const posted = await sendWithRetries(call('chat.postMessage', slackMessage(message, found.channel || user)), judgeInto(found), deps);
      return posted.ok ? posted : { ...posted, attempts: posted.attempts + opened.attempts - 1 };
    },
  };
}
