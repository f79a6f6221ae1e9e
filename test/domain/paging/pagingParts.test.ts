import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/domain/config/config.ts';
import { checkConfirmValue, confirmValue, readAckToken, signAckToken, verifyAckToken } from '../../../src/domain/paging/ackToken.ts';
import { missingContactLines, missingContacts } from '../../../src/domain/paging/contactWarnings.ts';
import { parseContacts } from '../../../src/domain/paging/contacts.ts';
import { realMentions } from '../../../src/domain/paging/pageRecord.ts';
import { quietUntil } from '../../../src/domain/paging/quietHours.ts';
import { escapeInline, quietMention } from '../../../src/domain/text/markdown.ts';

const grant = { repo: { owner: 'acme', repo: 'shop' }, issue: 12, incident: '20260303-api-1a2b', login: 'carol', page: 'carol-1', expiresAt: 1_772_600_000 };

describe('ack tokens', () => {
  it('round-trip: what was signed reads back and verifies for that incident only', () => {
    const token = signAckToken(grant, 'key');
    expect(token.length).toBeLessThan(100);
    expect(readAckToken(token)).toEqual({ ok: true, grant: { repo: grant.repo, issue: 12, login: 'carol', page: 'carol-1', expiresAt: grant.expiresAt } });
    expect(verifyAckToken(token, 'key', grant.incident)).toBe(true);
    expect(verifyAckToken(token, 'other key', grant.incident)).toBe(false);
    expect(verifyAckToken(token, 'key', '20260303-api-ffff')).toBe(false);
  });

  it('any change to the payload breaks the signature (another person, issue or expiry)', () => {
    const token = signAckToken(grant, 'key');
    const [, signature] = token.split('.');
    for (const changed of [{ login: 'bob' }, { issue: 13 }, { expiresAt: grant.expiresAt + 3600 }]) {
      const payload = signAckToken({ ...grant, ...changed }, 'key').split('.')[0];
      expect(verifyAckToken(`${payload}.${signature}`, 'key', grant.incident)).toBe(false);
    }
  });

  it('never throws on arbitrary text, and reads nothing from it that was not signed', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
      const read = readAckToken(text);
      if (read.ok) expect(verifyAckToken(text, 'key', grant.incident)).toBe(false);
    }));
  });

  it('the confirm value is bound to the token', () => {
    const token = signAckToken(grant, 'key');
    expect(checkConfirmValue(token, 'key', confirmValue(token, 'key'))).toBe(true);
    expect(checkConfirmValue(token, 'key', confirmValue(signAckToken({ ...grant, page: 'carol-2' }, 'key'), 'key'))).toBe(false);
    expect(checkConfirmValue(token, 'key', undefined)).toBe(false);
  });
});

describe('contacts', () => {
  it('reads people with their channels in order; a broken entry is left out and reported by path, never by value', () => {
    const { contacts, problems } = parseContacts(`
people:
  alice: { channels: [{ ntfy: alice-x }, { sms: '+4915112345678' }] }
  bob: { channels: [{ sms: '0151 123' }] }
`);
    expect(Object.keys(contacts.people)).toEqual(['alice']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('people.bob.channels[0].sms');
    expect(JSON.stringify(problems)).not.toContain('0151');
  });

  it('refuses quiet hours that would hold back a P1', () => {
    const { problems } = parseContacts(`people:\n  a: { channels: [{ email: a@example.com }], quietHours: { from: '22:00', to: '07:00', severities: [P1] } }\n`);
    expect(problems[0]?.message).toContain('a P1 page is never held back');
  });

  it('lists everyone on a schedule or escalation step who cannot be paged', () => {
    const { config } = parseConfigText(`
oncall:
  layers: [{ name: rot-a, participants: [alice, bob, no-one], handoff: { time: '09:00' }, start: '2026-01-05' }]
  overrides: [{ who: dave, from: '2026-02-01T09:00', to: '2026-02-02T09:00' }]
  escalation: { steps: [{ afterMinutes: 10, mention: ['@bob', '@acme/sre'] }] }
`);
    const { contacts } = parseContacts(`people:\n  alice: { channels: [{ email: a@example.com }] }\n`);
    expect(missingContactLines(missingContacts(config.oncall, contacts))).toEqual([
      'bob (rot-a, escalation step 1) has no contact method: pages reach them on GitHub only',
      'dave (override) has no contact method: pages reach them on GitHub only',
    ]);
  });
});

describe('quiet hours', () => {
  const { contacts } = parseContacts(`people:\n  carol: { channels: [{ email: c@example.com }], timezone: Europe/Berlin, quietHours: { from: '22:00', to: '07:00' } }\n`);
  const carol = contacts.people['carol'];
  it('hold a P2 on their wall clock across midnight, until the end; never a P1', () => {
    expect(quietUntil(carol, 'P2', new Date('2026-03-03T22:30:00Z'))).toEqual(new Date('2026-03-04T06:00:00Z'));
    expect(quietUntil(carol, 'P2', new Date('2026-03-04T05:30:00Z'))).toEqual(new Date('2026-03-04T06:00:00Z'));
    expect(quietUntil(carol, 'P2', new Date('2026-03-04T06:00:00Z'))).toBeNull();
    expect(quietUntil(carol, 'P1', new Date('2026-03-03T22:30:00Z'))).toBeNull();
  });
});

describe('realMentions', () => {
  it('finds the @mentions GitHub would notify, not quiet ones (inline code, or the zero-width space of earlier versions), code, teams or e-mail addresses', () => {
    const text = `Paging @alice and ${escapeInline('ask @bob')} and ${quietMention('carol')}, @\u200bgina, @acme/sre, dave@example.com\n\n\`\`\`\n@erin\n\`\`\`\n(@frank)`;
    expect([...realMentions(text)].sort()).toEqual(['alice', 'frank']);
  });
});

describe('alert responders', () => {
  it('are kept on the incident (new alerts add theirs), so a fresh process still pages them', async () => {
    const { openIncident } = await import('../../../src/domain/incident/openIncident.ts');
    const { recordAlert } = await import('../../../src/domain/alerts/recordAlert.ts');
    const { incidentStateSchema } = await import('../../../src/domain/incident/incidentState.ts');
    const alert = { source: 'generic' as const, fingerprint: 'f', status: 'firing' as const, title: 'Down', severity: 'P1' as const, service: 'api', labels: {}, annotations: {}, startsAt: '2026-03-03T03:00:00.000Z', links: { other: [] }, responders: ['erin'] };
    const now = new Date('2026-03-03T03:00:00Z');
    const state = recordAlert(openIncident(alert, now), { ...alert, responders: ['erin', 'frank'] }, now);
    const reread = incidentStateSchema.parse(JSON.parse(JSON.stringify(state)));
    expect(reread.alerts[0]?.responders).toEqual(['erin', 'frank']);
  });
});
