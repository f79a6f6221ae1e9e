import yaml from 'js-yaml';
import { z } from 'zod';
import { formatPath, type ConfigProblem } from '../config/config.ts';
import { localTimeSchema, timezoneSchema } from '../schedule/wallClock.ts';
import { SEVERITIES, type Severity } from '../incident/severity.ts';
import type { PageChannel } from './pagingConfig.ts';

const loginPattern = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in E.164 form, e.g. +15551234567');

/** One way to reach a person, written `- sms: '+15551234567'`: one key per entry, in the order they want them. */
const contactMethodSchema = z.union(
  [
    z.strictObject({ ntfy: z.string().regex(/^[\w-]{1,64}$/, 'must be an ntfy topic (letters, digits, _ and -)') }),
    z.strictObject({ email: z.email('must be an e-mail address') }),
    z.strictObject({ sms: phone }),
    z.strictObject({ voice: phone }),
    z.strictObject({ pushover: z.string().regex(/^[A-Za-z0-9]{30}$/, 'must be a Pushover user or group key (30 letters and digits)') }),
    z.strictObject({ slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U024BE7LH (profile → ⋮ → Copy member ID)') }),
  ],
  { error: 'must be one of `ntfy: TOPIC`, `email: ADDRESS`, `sms: +E164`, `voice: +E164`, `pushover: USER_KEY`, `slack: USER_ID`' },
);

const quietHoursSchema = z
  .strictObject({
    from: localTimeSchema.describe('Start (HH:mm) on the person’s wall clock.'),
    to: localTimeSchema.describe('End (HH:mm); before `from` means the window crosses midnight.'),
    severities: z
      .array(z.enum(SEVERITIES.filter((severity) => severity !== 'P1') as [Severity, ...Severity[]], { error: 'must be P2, P3, P4 or P5: a P1 page is never held back' }))
      .default(['P2', 'P3', 'P4', 'P5'])
      .describe('Severities held back until the window ends. P1 is never held back.'),
  })
  .refine((window) => window.from !== window.to, { message: 'from and to must differ', path: ['to'] });

const personSchema = z.strictObject({
  channels: z.array(contactMethodSchema).min(1, 'list at least one way to reach them').describe('How to reach them, in the order they want to be tried.'),
  timezone: timezoneSchema.default('UTC').describe('Their time zone, for quiet hours.'),
  quietHours: quietHoursSchema.optional(),
});

const contactsSchema = z.strictObject({
  people: z.record(z.string().regex(loginPattern, 'must be a GitHub login such as octocat (without @)'), personSchema).default({}),
});

export type Contacts = z.output<typeof contactsSchema>;
export type Person = Contacts['people'][string];
export type ContactMethod = z.output<typeof contactMethodSchema>;

/** The channel a contact method is for, and its address there. */
export function methodOf(method: ContactMethod): { channel: PageChannel; address: string } {
  const [channel, address] = Object.entries(method)[0] as [PageChannel, string];
  return { channel, address };
}

/** A person's entry whatever the case of their login (GitHub logins are case-insensitive). */
export function personOf(contacts: Contacts, login: string): Person | undefined {
  const lower = login.toLowerCase();
  const key = Object.keys(contacts.people).find((name) => name.toLowerCase() === lower);
  return key === undefined ? undefined : contacts.people[key];
}

export const NO_CONTACTS: Contacts = { people: {} };

/**
 * Reads a contacts file (YAML or JSON). Problems name the path but never the value: the file
 * holds phone numbers and addresses that must not end up in logs.
 */
export function parseContacts(text: string): { contacts: Contacts; problems: ConfigProblem[] } {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const line = error instanceof yaml.YAMLException && error.mark ? error.mark.line + 1 : undefined;
    return { contacts: NO_CONTACTS, problems: [{ path: '', message: `not valid YAML or JSON${line ? ` (line ${line})` : ''}`, ...(line ? { line } : {}) }] };
  }
  if (parsed === undefined || parsed === null) return { contacts: NO_CONTACTS, problems: [] };
  const result = contactsSchema.safeParse(parsed);
  if (result.success) return { contacts: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.code === 'unrecognized_keys' ? `unknown key(s): ${issue.keys.join(', ')}` : issue.message }));
  // A person whose entry is wrong is left out; everybody else can still be paged.
  const people: Contacts['people'] = {};
  const raw = typeof parsed === 'object' && parsed !== null && 'people' in parsed ? (parsed as { people: unknown }).people : undefined;
  if (raw && typeof raw === 'object') {
    for (const [login, entry] of Object.entries(raw as Record<string, unknown>)) {
      const person = personSchema.safeParse(entry);
      if (person.success && loginPattern.test(login)) people[login] = person.data;
    }
  }
  return { contacts: { people }, problems };
}
