import { NO_ONE, type ScheduleConfig } from '../schedule/scheduleConfig.ts';
import { personOf, type Contacts } from './contacts.ts';

export interface MissingContact {
  login: string;
  /** Where they appear: layer names, `escalation step N`, `override`. */
  where: string[];
}

/**
 * Everyone a page could be for (rotation and holiday participants, overrides, escalation-step
 * users) who has no way to be reached in the contacts. Teams are left out: they are notified by
 * their mention. Only meaningful when contacts were given at all.
 */
export function missingContacts(oncall: ScheduleConfig, contacts: Contacts): MissingContact[] {
  const found = new Map<string, MissingContact>();
  const note = (login: string, where: string) => {
    if (login === NO_ONE || personOf(contacts, login)) return;
    const key = login.toLowerCase();
    const entry = found.get(key) ?? { login, where: [] };
    if (!entry.where.includes(where)) entry.where.push(where);
    found.set(key, entry);
  };
  for (const layer of oncall.layers) for (const login of layer.participants) note(login, layer.name);
  for (const layer of oncall.holidays) for (const login of layer.participants) note(login, layer.name);
  for (const override of oncall.overrides) note(override.who, 'override');
  oncall.escalation.steps.forEach((step, index) => {
    for (const mention of step.mention) if (!mention.includes('/')) note(mention.slice(1), `escalation step ${index + 1}`);
  });
  return [...found.values()];
}

export function missingContactLines(missing: readonly MissingContact[]): string[] {
  return missing.map((entry) => `${entry.login} (${entry.where.join(', ')}) has no contact method: pages reach them on GitHub only`);
}
