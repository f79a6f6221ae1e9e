import { pageHeadline, pageText, type PageMessage } from '../../domain/paging/pageMessage.ts';
import { parseJson, sendWithRetries, shortError, transient, type ChannelAdapter, type HttpDeps } from './channel.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';

export interface TwilioSettings {
  accountSid: string;
  /** The Auth Token, or the secret of an API key (then `apiKeySid` is the user name). */
  authToken: string;
  apiKeySid?: string;
  /** Sender: a Twilio phone number (+E.164) or a Messaging Service SID (`MG…`, SMS only). */
  from: string;
  /** Default https://api.twilio.com */
  apiUrl: string;
}

function auth(settings: TwilioSettings): string {
  return `Basic ${Buffer.from(`${settings.apiKeySid ?? settings.accountSid}:${settings.authToken}`).toString('base64')}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const UNITS: Record<string, [string, string]> = { d: ['day', 'days'], h: ['hour', 'hours'], m: ['minute', 'minutes'], s: ['second', 'seconds'] };

/** `1h 05m` (see `formatDuration`) as a voice reads it: `1 hour 5 minutes`. */
function spokenDuration(duration: string): string {
  return duration
    .split(' ')
    .map((part) => {
      const unit = UNITS[part.slice(-1)];
      const count = Number(part.slice(0, -1));
      return unit && part.length > 1 && Number.isInteger(count) ? `${count} ${count === 1 ? unit[0] : unit[1]}` : part;
    })
    .join(' ');
}

/** What the call says, as TwiML: the page read out twice (people wake up during the first). */
function voiceTwiml(message: PageMessage): string {
  const severity = message.severity.replace('P', 'P ');
  const text = `firewatch page. Severity ${severity} incident on ${message.service}: ${message.title}. Open for ${spokenDuration(message.openFor)}. Acknowledge it with the link in your text message, or with slash ack in the GitHub issue.`;
  return `<Response><Say loop="2">${escapeXml(text)}</Say></Response>`;
}

function judge(status: number, body: string) {
  const json = parseJson(body) as { sid?: string; code?: number; message?: string } | undefined;
  if (status === 201 || status === 200) return { ok: true as const, ...(json?.sid ? { id: json.sid } : {}) };
  // Twilio's error body: {"code": 21614, "message": "...", "more_info": "...", "status": 400}.
  const reason = json?.code ? `${json.code}${json.message ? ` (${json.message})` : ''}` : `HTTP ${status}`;
  return { ok: false as const, retryable: transient(status), error: shortError(reason) };
}

function post(settings: TwilioSettings, resource: 'Messages' | 'Calls', form: Record<string, string>) {
  return () => ({
    url: `${trimEndChars(settings.apiUrl, '/')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/${resource}.json`,
    init: {
      method: 'POST',
      headers: { authorization: auth(settings), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': 'firewatch' },
      body: new URLSearchParams(form).toString(),
    },
  });
}

function sender(settings: TwilioSettings): Record<string, string> {
  return settings.from.startsWith('MG') ? { MessagingServiceSid: settings.from } : { From: settings.from };
}

/** SMS through Twilio's Messages resource (form-encoded, HTTP basic auth). */
export function twilioSmsChannel(settings: TwilioSettings, deps: HttpDeps = {}): ChannelAdapter {
  return {
    channel: 'sms',
    send: (message, phone) => sendWithRetries(post(settings, 'Messages', { To: phone, ...sender(settings), Body: pageText(message).slice(0, 1600) }), judge, deps),
  };
}

/** A phone call through Twilio's Calls resource, speaking the page with inline TwiML. */
export function twilioVoiceChannel(settings: TwilioSettings, deps: HttpDeps = {}): ChannelAdapter {
  return {
    channel: 'voice',
    send: (message, phone) => {
      if (settings.from.startsWith('MG')) return Promise.resolve({ ok: false as const, attempts: 0, error: `calls need a Twilio phone number as FIREWATCH_TWILIO_FROM, not a Messaging Service (${pageHeadline(message)})` });
      return sendWithRetries(post(settings, 'Calls', { To: phone, From: settings.from, Twiml: voiceTwiml(message) }), judge, deps);
    },
  };
}
