import type { IdentitySource } from '../../services/identity.ts';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createChannels, type ChannelSettings } from '../../adapters/channels/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { confirmValue } from '../../domain/paging/ackToken.ts';
import { parseContacts, type Contacts } from '../../domain/paging/contacts.ts';
import type { ConfigProblem } from '../../domain/config/config.ts';
import type { AckLinks, PagingLock, PagingServices } from '../../features/paging/pagingServices.ts';
import type { Log } from '../../services/log.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';
import { isLoopbackHost } from '../env.ts';

/**
 * Paging's settings from the environment: never from the repository, because they are secrets
 * (provider tokens, the acknowledge-link key) or private (the contacts' phone numbers and
 * addresses). Every variable is optional; a channel without its variables is not set up.
 */
export interface PagingEnv {
  channels: ChannelSettings;
  /** `FIREWATCH_CONTACTS_FILE` (a path, re-read when it changes) or `FIREWATCH_CONTACTS` (the YAML or JSON itself). */
  contacts: { file: string } | { text: string } | null;
  ackLinks: AckLinks | null;
  /** `FIREWATCH_ACK_KEY`, also when links are off for want of `FIREWATCH_PUBLIC_URL` (the sandbox links to itself). */
  ackKey?: string;
  /** Why ack links are off, for the start-up log. */
  ackLinksOff?: string;
}

const text = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

export function parsePagingEnv(env: NodeJS.ProcessEnv, defaults: { publicUrl?: string; ackKey?: string } = {}): PagingEnv {
  const channels: ChannelSettings = {};
  const ntfy = text(env, 'FIREWATCH_NTFY_URL');
  if (ntfy) channels.ntfy = { url: ntfy, ...(text(env, 'FIREWATCH_NTFY_TOKEN') ? { token: text(env, 'FIREWATCH_NTFY_TOKEN') as string } : {}) };
  const smtp = text(env, 'FIREWATCH_SMTP_URL');
  const from = text(env, 'FIREWATCH_MAIL_FROM');
  if (smtp && from) channels.email = { smtpUrl: smtp, from };
  const sid = text(env, 'FIREWATCH_TWILIO_ACCOUNT_SID');
  const token = text(env, 'FIREWATCH_TWILIO_AUTH_TOKEN');
  const twilioFrom = text(env, 'FIREWATCH_TWILIO_FROM');
  if (sid && token && twilioFrom) {
    const keySid = text(env, 'FIREWATCH_TWILIO_API_KEY_SID');
    channels.twilio = { accountSid: sid, authToken: token, from: twilioFrom, apiUrl: text(env, 'FIREWATCH_TWILIO_API_URL') ?? 'https://api.twilio.com', ...(keySid ? { apiKeySid: keySid } : {}) };
  }
  const pushover = text(env, 'FIREWATCH_PUSHOVER_TOKEN');
  if (pushover) channels.pushover = { token: pushover, apiUrl: text(env, 'FIREWATCH_PUSHOVER_API_URL') ?? 'https://api.pushover.net' };
  const slack = text(env, 'FIREWATCH_SLACK_TOKEN');
  if (slack) channels.slack = { token: slack, apiUrl: text(env, 'FIREWATCH_SLACK_API_URL') ?? 'https://slack.com/api' };

  const file = text(env, 'FIREWATCH_CONTACTS_FILE');
  const inline = text(env, 'FIREWATCH_CONTACTS');
  const contacts = file ? { file } : inline ? { text: inline } : null;

  const publicUrl = text(env, 'FIREWATCH_PUBLIC_URL') ?? defaults.publicUrl;
  const key = text(env, 'FIREWATCH_ACK_KEY') ?? defaults.ackKey;
  const ackLinks = publicUrl && key ? { baseUrl: publicUrl, key } : null;
  const ackLinksOff = ackLinks ? undefined : !publicUrl ? 'FIREWATCH_PUBLIC_URL is not set' : 'FIREWATCH_ACK_KEY is not set';
  return { channels, contacts, ackLinks, ...(key ? { ackKey: key } : {}), ...(ackLinksOff ? { ackLinksOff } : {}) };
}

/**
 * The contacts, read again whenever the file changes (a mounted secret is replaced in place).
 * Problems are logged by path only: the values are phone numbers and addresses.
 */
function contactsSource(source: PagingEnv['contacts'], log: Log): () => Contacts | null {
  if (!source) return () => null;
  const report = (problems: ConfigProblem[], where: string) => {
    for (const problem of problems) log.warn({ path: problem.path }, `contacts (${where}): ${problem.path || '(root)'}: ${problem.message}; that entry is left out`);
  };
  if ('text' in source) {
    const parsed = parseContacts(source.text);
    report(parsed.problems, 'FIREWATCH_CONTACTS');
    return () => parsed.contacts;
  }
  let seen = '';
  let current: Contacts | null = null;
  return () => {
    try {
      const stat = statSync(source.file);
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      if (stamp !== seen) {
        const parsed = parseContacts(readFileSync(source.file, 'utf8'));
        report(parsed.problems, source.file);
        current = parsed.contacts;
        seen = stamp;
      }
    } catch (error) {
      if (seen !== 'missing') log.error({ err: error, file: source.file }, 'contacts file cannot be read; pages go to GitHub only until it can');
      seen = 'missing';
      current = null;
    }
    return current;
  };
}

/** The paging services of a runtime, from its environment. */
export function pagingServices(pagingEnv: PagingEnv, deps: { clock: Clock; lock: PagingLock; stateSeal: StateSeal; log: Log; fetch?: typeof fetch; identity: IdentitySource }): PagingServices {
  const services: PagingServices = { channels: {}, contacts: contactsSource(pagingEnv.contacts, deps.log), ackLinks: pagingEnv.ackLinks, stateSeal: deps.stateSeal, clock: deps.clock, lock: deps.lock, identity: deps.identity };
  // Read when a page is sent: the sandbox learns its links' address only once it listens.
  const confirmFor = (url: string) => (services.ackLinks ? confirmValue(url.slice(url.lastIndexOf('/') + 1), services.ackLinks.key) : '');
  services.channels = createChannels(pagingEnv.channels, { ...(deps.fetch ? { fetch: deps.fetch } : {}), confirmFor });
  return services;
}

/** The sandbox's key on loopback: fixed, so links survive a restart, and public (see `sandboxAckKey`). */
const SANDBOX_ACK_KEY = createHash('sha256').update('firewatch sandbox ack links (not secret)').digest('hex');

/**
 * The key of the sandbox's acknowledge links: `FIREWATCH_ACK_KEY` when given; on loopback the
 * fixed, public {@link SANDBOX_ACK_KEY} (only this machine can reach the links, and they keep
 * working across restarts); beyond loopback (HOST with an alert token of one's own, see
 * `sandboxHostProblem`) a key of this start's own, since anyone could sign links with a public one.
 */
export function sandboxAckKey(host: string, given: string | undefined): string {
  if (given) return given;
  return isLoopbackHost(host) ? SANDBOX_ACK_KEY : randomBytes(32).toString('hex');
}
