import type { ScheduleConfig } from '../schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../schedule/whoIsOnCall.ts';
import { methodOf, type Contacts } from './contacts.ts';

const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;

/** A responder an alert named, as the sender wrote it: `user:jane@example.com`, `schedule:primary`, `team:ops`, or a GitHub login. */
export type ResponderResolution = { ref: string; logins: string[] } | { ref: string; logins: []; unresolved: string };

/**
 * Who an alert's responder is among the people firewatch can page. Opsgenie names users by their
 * e-mail address (`username`), which is matched against the private contacts (an `email:` channel
 * of the person, case-insensitive), never against anything in the repository; `user:@login` (or a
 * bare login) is that GitHub login. `schedule:NAME` is whoever is on call now
 * in the `oncall` layer of that name. Teams, escalation policies and Opsgenie's ids name nobody
 * firewatch knows: they are left to the people on call, who are paged anyway.
 */
export function resolveResponder(ref: string, contacts: Contacts, oncall: ScheduleConfig, at: Date): ResponderResolution {
  const colon = ref.indexOf(':');
  const type = colon === -1 ? 'user' : ref.slice(0, colon).trim().toLowerCase();
  const who = (colon === -1 ? ref : ref.slice(colon + 1)).trim();
  if (!who) return { ref, logins: [], unresolved: 'names nobody' };
  if (type === 'user') {
    if (who.includes('@') && !who.startsWith('@')) {
      const address = who.toLowerCase();
      const login = Object.entries(contacts.people).find(([, person]) => person.channels.some((method) => methodOf(method).channel === 'email' && methodOf(method).address.toLowerCase() === address))?.[0];
      return login ? { ref, logins: [login] } : { ref, logins: [], unresolved: 'no contact has this e-mail address' };
    }
    // A GitHub login (`@login`, or a bare ref) is paged like `/escalate @login`: on GitHub at least,
    // by their contacts if any. `user:` without `@` is Opsgenie's id, which names nobody here.
    const login = colon === -1 || who.startsWith('@') ? who.replace(/^@/, '') : '';
    if (LOGIN.test(login)) return { ref, logins: [login] };
    return { ref, logins: [], unresolved: 'neither an e-mail address nor a GitHub @login' };
  }
  if (type === 'schedule') {
    const layer = oncall.layers.find((candidate) => candidate.name.toLowerCase() === who.toLowerCase());
    if (!layer) return { ref, logins: [], unresolved: 'no on-call layer of this name' };
    let logins: string[];
    try {
      logins = whoIsOnCall(oncall, at).layers.flatMap((entry) => (entry.layer === layer.name && entry.login ? [entry.login] : []));
    } catch {
      logins = [];
    }
    return logins.length ? { ref, logins } : { ref, logins: [], unresolved: 'nobody is on call in this layer' };
  }
  return { ref, logins: [], unresolved: `a ${type} is not a person: the people on call are paged` };
}
