import type { IncidentState, TimelineEntry } from '../incident/incidentState.ts';
import { resolveResponder } from './responders.ts';
import { nextEscalationStep } from '../schedule/escalation.ts';
import type { ScheduleConfig } from '../schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../schedule/whoIsOnCall.ts';
import { methodOf, personOf, type Contacts } from './contacts.ts';
import { pageId, pagesOf, type PageRecord } from './pageRecord.ts';
import type { PageChannel, PagingConfig, PagingPolicy } from './pagingConfig.ts';
import { quietUntil } from './quietHours.ts';

const MINUTE = 60_000;

interface PageTarget {
  login: string;
  /** Why they are paged, in words. */
  reason: string;
}

/** A contact method to try, by its position in the person's list (addresses never leave the contacts). */
export interface PlannedMethod {
  channel: PageChannel;
  index: number;
}

export interface PlannedPage {
  id: string;
  login: string;
  round: number;
  reason: string;
  /** Sent together, in the person's order. */
  methods: PlannedMethod[];
  /** Tried in order when one of `methods` fails. */
  fallbacks: PlannedMethod[];
  /** Policy channels the person has no contact for (said in the page comment). */
  missing: PageChannel[];
  /** The person has no entry in the contacts at all: GitHub only. */
  noContacts: boolean;
  /** The one real mention the GitHub channel writes per person and incident. */
  mention: boolean;
  /** Not assigned yet: GitHub assignment reaches GitHub Mobile. */
  assign: boolean;
}

interface PlannedHold {
  id: string;
  login: string;
  until: Date;
}

interface PlannedEscalation {
  index: number;
  count: number;
  users: string[];
  teams: string[];
  /** Minutes nobody acknowledged since the last level was paged. */
  afterMinutes: number;
}

export type PagePlan =
  | { kind: 'idle'; reason: 'no-policy' | 'acknowledged' | 'closed'; message: string }
  | {
      kind: 'page';
      policy: PagingPolicy;
      escalation: PlannedEscalation | null;
      pages: PlannedPage[];
      holds: PlannedHold[];
      /** When the next page (or escalation) falls due if nobody acknowledges; null when none will. */
      next: Date | null;
    };

export interface PagingFacts {
  state: IncidentState;
  open: boolean;
  assignees: readonly string[];
  paging: PagingConfig;
  oncall: ScheduleConfig;
  contacts: Contacts;
  record: PageRecord;
  /** Escalation steps brought in so far (by paging runs, the ack-SLO sweep or `/escalate`) and when, if known. */
  steps: ReadonlyMap<number, Date | null>;
  /** Logins firewatch already mentioned for real on this incident. */
  mentioned: ReadonlySet<string>;
  now: Date;
}

/**
 * The logins of an `escalated` timeline entry that `/escalate @user` (no step) wrote:
 * `Escalated to bob: reason`, or `Escalated to @a, @b (on call)` for `/escalate` without a policy.
 * Teams (`org/team`) are left out: a team is notified by its mention only.
 */
export function escalatedLogins(entry: TimelineEntry): string[] {
  const prefix = 'Escalated to ';
  if (entry.type !== 'escalated' || entry.step !== undefined || !entry.text.startsWith(prefix)) return [];
  // Up to the reason (logins and ` (on call)` have no colon), without the ` (on call)` note.
  const rest = entry.text.slice(prefix.length);
  const colon = rest.indexOf(':');
  const names = colon === -1 ? rest : rest.slice(0, colon);
  const head = names.endsWith(' (on call)') ? names.slice(0, -' (on call)'.length) : names;
  return head
    .split(/,\s*/)
    .map((name) => name.replace(/^@/, ''))
    .filter((name) => /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/.test(name));
}

function onCallAt(oncall: ScheduleConfig, at: Date): string[] {
  try {
    return whoIsOnCall(oncall, at).layers.flatMap((entry) => (entry.login ? [entry.login] : []));
  } catch {
    return [];
  }
}

function stepUsers(oncall: ScheduleConfig, index: number): { users: string[]; teams: string[] } {
  const mentions = (oncall.escalation.steps[index]?.mention ?? []).map((mention) => mention.slice(1));
  return { users: mentions.filter((name) => !name.includes('/')), teams: mentions.filter((name) => name.includes('/')) };
}

/**
 * Everyone the incident pages, first reason wins: the people on call when it triggered, the
 * alert's responders, escalation steps brought in, people `/escalate @user` named, the incident
 * commander, and anyone paged before (so a config change never silently stops their re-pages).
 */
function pageTargets(facts: Pick<PagingFacts, 'state' | 'oncall' | 'record' | 'steps' | 'contacts'>, extraSteps: readonly number[] = []): PageTarget[] {
  const { state, oncall } = facts;
  const targets: PageTarget[] = [];
  const seen = new Set<string>();
  const add = (login: string, reason: string) => {
    if (seen.has(login.toLowerCase())) return;
    seen.add(login.toLowerCase());
    targets.push({ login, reason });
  };
  for (const login of onCallAt(oncall, new Date(state.triggeredAt))) add(login, 'on call');
  // Responders as the alert named them (Opsgenie: `user:jane@example.com`), found in the contacts.
  const triggeredAt = new Date(state.triggeredAt);
  for (const alert of state.alerts) for (const ref of alert.responders ?? []) for (const login of resolveResponder(ref, facts.contacts, oncall, triggeredAt).logins) add(login, 'alert responder');
  const steps = [...new Set([...facts.steps.keys(), ...extraSteps])].sort((a, b) => a - b);
  for (const index of steps) for (const login of stepUsers(oncall, index).users) add(login, `escalation step ${index + 1}`);
  for (const entry of state.timeline) for (const login of escalatedLogins(entry)) add(login, 'escalated');
  if (state.roles.commander) add(state.roles.commander, 'incident commander');
  for (const page of [...facts.record.pages.values()].sort((a, b) => a.at.getTime() - b.at.getTime())) add(page.claim.login, page.claim.reason);
  return targets;
}

function methodsFor(facts: PagingFacts, login: string, policy: PagingPolicy): Pick<PlannedPage, 'methods' | 'fallbacks' | 'missing' | 'noContacts'> {
  const person = personOf(facts.contacts, login);
  if (!person) return { methods: [], fallbacks: [], missing: [...policy.channels], noContacts: true };
  const all = person.channels.map((method, index) => ({ channel: methodOf(method).channel, index }));
  const wanted = all.filter((method) => policy.channels.includes(method.channel));
  const missing = policy.channels.filter((channel) => !all.some((method) => method.channel === channel));
  // Someone with none of the policy's channels is still woken, by the first way they gave.
  const methods = wanted.length ? wanted : all.slice(0, 1);
  return { methods, fallbacks: all.filter((method) => !methods.includes(method)), missing, noContacts: false };
}

/**
 * What paging does for one incident at `now`: nothing once it is acknowledged, resolved or
 * canceled; otherwise the pages that are due (first pages of people newly brought in, re-pages
 * every `repeatMinutes` after the last claim, up to `maxPages`), the next escalation step when
 * `escalateAfterMinutes` passed since the last level was first paged, and the pages quiet hours
 * hold back. Pure: everything it needs, the record of what was paged included, comes in.
 */
export function planPages(facts: PagingFacts): PagePlan {
  const { state, now } = facts;
  const policy = facts.paging.policies[state.severity];
  if (!policy) return { kind: 'idle', reason: 'no-policy', message: `no paging policy for ${state.severity}` };
  if (!facts.open || state.status === 'resolved' || state.status === 'canceled') return { kind: 'idle', reason: 'closed', message: `the incident is ${state.status}` };
  if (state.acknowledgedAt !== null || state.status !== 'triggered') {
    return { kind: 'idle', reason: 'acknowledged', message: `acknowledged${state.acknowledgedBy ? ` by ${state.acknowledgedBy}` : ''}` };
  }

  const claims = [...facts.record.pages.values()];
  const firstPage = claims.reduce<Date | null>((first, page) => (first === null || page.at < first ? page.at : first), null);
  let escalation: PlannedEscalation | null = null;
  let escalationDue: Date | null = null;
  if (policy.escalateAfterMinutes !== undefined && facts.oncall.escalation.steps.length > 0) {
    const decision = nextEscalationStep(facts.oncall.escalation, Number.POSITIVE_INFINITY, facts.steps.keys());
    if (decision.kind === 'due') {
      const known = [...facts.steps.values()].filter((at): at is Date => at !== null);
      const levelStart = known.length ? new Date(Math.max(...known.map((at) => at.getTime()))) : (firstPage ?? new Date(state.triggeredAt));
      escalationDue = new Date(levelStart.getTime() + policy.escalateAfterMinutes * MINUTE);
      if (now >= escalationDue) {
        escalation = { index: decision.index, count: facts.oncall.escalation.steps.length, ...stepUsers(facts.oncall, decision.index), afterMinutes: Math.floor((now.getTime() - levelStart.getTime()) / MINUTE) };
        escalationDue = null;
      }
    }
  }

  const assigned = new Set(facts.assignees.map((login) => login.toLowerCase()));
  const pages: PlannedPage[] = [];
  const holds: PlannedHold[] = [];
  let next: Date | null = escalationDue;
  const later = (at: Date) => {
    if (next === null || at < next) next = at;
  };
  for (const target of pageTargets(facts, escalation ? [escalation.index] : [])) {
    const previous = pagesOf(facts.record, target.login);
    const last = previous.at(-1);
    const round = (last?.claim.round ?? 0) + 1;
    if (round > policy.maxPages) continue;
    if (last) {
      if (policy.repeatMinutes === undefined) continue;
      const due = new Date(last.at.getTime() + policy.repeatMinutes * MINUTE);
      if (now < due) {
        if (round < policy.maxPages + 1) later(due);
        continue;
      }
    }
    const id = pageId(target.login, round);
    const held = quietUntil(personOf(facts.contacts, target.login), state.severity, now);
    if (held) {
      if (!facts.record.holds.has(id)) holds.push({ id, login: target.login, until: held });
      later(held);
      continue;
    }
    const lower = target.login.toLowerCase();
    pages.push({ id, login: target.login, round, reason: last?.claim.reason ?? target.reason, ...methodsFor(facts, target.login, policy), mention: !facts.mentioned.has(lower), assign: !assigned.has(lower) });
    if (policy.repeatMinutes !== undefined && round < policy.maxPages) later(new Date(now.getTime() + policy.repeatMinutes * MINUTE));
  }
  return { kind: 'page', policy, escalation, pages, holds, next };
}
