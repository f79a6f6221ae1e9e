import type { TimelineEntry } from '../incident/incidentState.ts';
import { escapeInline, quietMention } from '../text/markdown.ts';
import { CHANNEL_NAMES } from './pagingConfig.ts';
import type { Delivery, PageClaim } from './pageRecord.ts';
import type { PagePlan, PlannedPage } from './planPages.ts';

type PagingPlan = Extract<PagePlan, { kind: 'page' }>;

function channelList(page: PlannedPage): string {
  const names = page.methods.map((method) => CHANNEL_NAMES[method.channel]);
  return names.length ? `${names.join(' + ')} and GitHub` : 'GitHub only';
}

export function claimOf(page: PlannedPage): PageClaim {
  return { id: page.id, login: page.login, round: page.round, channels: ['github', ...page.methods.map((method) => method.channel)], reason: page.reason };
}

/**
 * The paging run's comment before anything is sent: the claim. It carries the one real mention
 * a person gets per incident (the GitHub channel); re-pages name them quietly.
 */
export function claimText(plan: PagingPlan, zoneTime: (at: Date) => string): string {
  const lines: string[] = [];
  const mentioned = new Set<string>();
  const who = (login: string, mention: boolean) => {
    if (mention && !mentioned.has(login.toLowerCase())) {
      mentioned.add(login.toLowerCase());
      return `@${login}`;
    }
    return quietMention(login);
  };
  const mentionOf = (login: string) => plan.pages.find((page) => page.login.toLowerCase() === login.toLowerCase())?.mention ?? false;
  if (plan.escalation) {
    const { escalation } = plan;
    const names = [...escalation.users.map((login) => who(login, mentionOf(login))), ...escalation.teams.map((team) => `@${team}`)];
    lines.push(`🆘 Escalation step ${escalation.index + 1} of ${escalation.count}: nobody acknowledged ${escalation.afterMinutes} minutes after the last page, so ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} brought in.${escalation.teams.length ? ' Teams are notified by their mention only.' : ''}`);
  }
  for (const page of plan.pages) {
    const again = page.round > 1 ? `page ${page.round} of at most ${plan.policy.maxPages}, not acknowledged yet` : page.reason;
    const notes = [
      ...(page.noContacts ? [`no contacts for ${quietMention(page.login)}: GitHub only`] : []),
      ...(!page.noContacts && page.missing.length && page.methods.length && !page.methods.some((method) => plan.policy.channels.includes(method.channel))
        ? [`no ${page.missing.map((channel) => CHANNEL_NAMES[channel]).join(' or ')} contact: paging by ${CHANNEL_NAMES[page.methods[0]?.channel ?? 'email']} instead`]
        : []),
    ];
    lines.push(`📟 Paging ${who(page.login, page.mention)} (${again}) via ${channelList(page)}${page.assign ? ', assigned' : ''}.${notes.length ? ` ${notes.join('; ')}.` : ''}`);
  }
  for (const hold of plan.holds) lines.push(`🌙 Page to ${quietMention(hold.login)} held back until ${zoneTime(hold.until)} (their quiet hours).`);
  if (plan.pages.length) lines.push(plan.policy.repeatMinutes ? `_Paging again every ${plan.policy.repeatMinutes} minutes until someone acknowledges (\`/ack\` or the link in the page)._` : '_One page; acknowledge with `/ack` or the link in the page._');
  return lines.join('\n\n');
}

function deliveryWords(delivery: Delivery): string {
  const retried = delivery.attempts > 1 ? ` after ${delivery.attempts} attempts` : '';
  return delivery.ok ? `delivered${retried}` : `failed${retried}: ${delivery.error ?? 'unknown error'}`;
}

/** One timeline entry per delivery, in the words people use for it. */
export function deliveryEntries(claims: readonly PageClaim[], deliveries: readonly Delivery[], at: Date): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const claim of claims) {
    const own = deliveries.filter((delivery) => delivery.page === claim.id);
    for (const delivery of own) {
      const name = CHANNEL_NAMES[delivery.channel];
      const replacedBy = own.find((other) => other.fallbackFor === delivery.channel);
      let text: string;
      if (delivery.fallbackFor) {
        const failed = CHANNEL_NAMES[delivery.fallbackFor];
        text = delivery.ok ? `paged @${claim.login} by ${name} instead of ${failed}; delivered` : `paged @${claim.login} by ${name} instead of ${failed}; ${deliveryWords(delivery)}`;
      } else if (delivery.ok) {
        text = `paged @${claim.login} via ${name}${claim.round > 1 ? ` (page ${claim.round})` : ''}; ${deliveryWords(delivery)}`;
      } else {
        text = `${name} to @${claim.login} ${deliveryWords(delivery)}${replacedBy ? `; paged by ${CHANNEL_NAMES[replacedBy.channel]} instead` : ''}`;
      }
      entries.push({ at: at.toISOString(), type: delivery.ok ? 'paged' : 'page-failed', actor: 'firewatch', text });
    }
  }
  return entries;
}

/** The comment once the run has sent: the claim text, then what happened on each channel. */
export function outcomeText(claimBody: string, entries: readonly TimelineEntry[]): string {
  if (entries.length === 0) return claimBody;
  return `${claimBody}\n\n${entries.map((entry) => `- ${entry.type === 'paged' ? '✅' : '⚠️'} ${escapeInline(entry.text)}`).join('\n')}`;
}
