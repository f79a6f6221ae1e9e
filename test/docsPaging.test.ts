/** docs/paging.md is true to the code: its configuration and contacts examples are valid as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/domain/config/config.ts';
import { parseContacts } from '../src/domain/paging/contacts.ts';

const doc = readFileSync(new URL('../docs/paging.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('docs/paging.md', () => {
  it('shows a valid paging policy', () => {
    const block = yamlBlocks.find((text) => text.startsWith('paging:')) ?? '';
    const { config, problems } = parseConfigText(block);
    expect(problems).toEqual([]);
    expect(config.paging.policies.P1).toMatchObject({ channels: ['ntfy', 'sms'], repeatMinutes: 5, escalateAfterMinutes: 10 });
  });

  it('shows a valid contacts file with every channel', () => {
    const block = yamlBlocks.find((text) => text.startsWith('people:')) ?? '';
    const { contacts, problems } = parseContacts(block);
    expect(problems).toEqual([]);
    expect(contacts.people['alice']?.channels.map((method) => Object.keys(method)[0])).toEqual(['ntfy', 'sms', 'voice', 'email', 'pushover', 'slack']);
  });
});
