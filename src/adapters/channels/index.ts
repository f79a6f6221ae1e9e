import type { PageChannel } from '../../domain/paging/pagingConfig.ts';
import type { PageMessage } from '../../domain/paging/pageMessage.ts';
import type { ChannelAdapter, HttpDeps } from './channel.ts';
import { emailChannel, type EmailSettings } from './email.ts';
import { ntfyChannel, type NtfySettings } from './ntfy.ts';
import { pushoverChannel, type PushoverSettings } from './pushover.ts';
import { slackChannel, type SlackSettings } from './slack.ts';
import { twilioSmsChannel, twilioVoiceChannel, type TwilioSettings } from './twilio.ts';

;

/** The providers this firewatch can page through; a channel without settings is not set up. */
export interface ChannelSettings {
  ntfy?: NtfySettings;
  email?: EmailSettings;
  twilio?: TwilioSettings;
  pushover?: PushoverSettings;
  slack?: SlackSettings;
}

export type Channels = Partial<Record<PageChannel, ChannelAdapter>>;

export interface ChannelDeps extends HttpDeps {
  /** The confirm-form value for an acknowledge link (ntfy's Acknowledge button posts it). */
  confirmFor?: (ackUrl: string) => string;
  repeatMinutes?: (message: PageMessage) => number | undefined;
}

export function createChannels(settings: ChannelSettings, deps: ChannelDeps = {}): Channels {
  return {
    ...(settings.ntfy ? { ntfy: ntfyChannel(settings.ntfy, deps) } : {}),
    ...(settings.email ? { email: emailChannel(settings.email) } : {}),
    ...(settings.twilio ? { sms: twilioSmsChannel(settings.twilio, deps), voice: twilioVoiceChannel(settings.twilio, deps) } : {}),
    ...(settings.pushover ? { pushover: pushoverChannel(settings.pushover, deps) } : {}),
    ...(settings.slack ? { slack: slackChannel(settings.slack, deps) } : {}),
  };
}

/** Which environment variables set a channel up, for "not set up" failures and the docs. */
export const CHANNEL_ENV: Record<PageChannel, string> = {
  ntfy: 'FIREWATCH_NTFY_URL',
  email: 'FIREWATCH_SMTP_URL and FIREWATCH_MAIL_FROM',
  sms: 'FIREWATCH_TWILIO_ACCOUNT_SID, FIREWATCH_TWILIO_AUTH_TOKEN and FIREWATCH_TWILIO_FROM',
  voice: 'FIREWATCH_TWILIO_ACCOUNT_SID, FIREWATCH_TWILIO_AUTH_TOKEN and FIREWATCH_TWILIO_FROM',
  pushover: 'FIREWATCH_PUSHOVER_TOKEN',
  slack: 'FIREWATCH_SLACK_TOKEN',
};
