import { describe, expect, it } from 'vitest';
import { indexRow, mergeIndex } from '../../../src/domain/postmortem/postmortemIndex.ts';

const row = (date: string, path: string, status = 'draft') => indexRow({ date, title: `Outage | ${path}`, severity: 'P2', duration: '1h 12m', status, path });

describe('mergeIndex', () => {
  it('adds an index section to a README without one, keeping its text', () => {
    const readme = mergeIndex('# post_mortems\n\nOur postmortems.\n', row('2026-01-14', 'postmortems/2026/a.md'));
    expect(readme.startsWith('# post_mortems\n\nOur postmortems.\n\n## Index\n')).toBe(true);
    expect(readme).toContain('| Date | Title | Severity | Duration | Status |');
    expect(readme).toContain('| 2026-01-14 | [Outage \\| postmortems/2026/a.md](postmortems/2026/a.md) | P2 | 1h 12m | draft |');
  });

  it('replaces the row of the same file, sorts newest first and keeps hand-written text around the table', () => {
    let readme = mergeIndex('# PMs\n', row('2026-01-14', 'a.md'));
    readme = mergeIndex(readme, row('2026-02-01', 'b.md'));
    readme = `${readme}\nWritten by hand after the table.\n`;
    readme = mergeIndex(readme, row('2026-01-14', 'a.md', 'reviewed'));
    const lines = readme.split('\n').filter((line) => line.startsWith('| 2026'));
    expect(lines).toEqual(['| 2026-02-01 | [Outage \\| b.md](b.md) | P2 | 1h 12m | draft |', '| 2026-01-14 | [Outage \\| a.md](a.md) | P2 | 1h 12m | reviewed |']);
    expect(readme).toContain('Written by hand after the table.');
    expect(readme.match(/## Index/g)).toHaveLength(1);
  });

  it('is idempotent', () => {
    const once = mergeIndex('# PMs\n', row('2026-01-14', 'a.md'));
    expect(mergeIndex(once, row('2026-01-14', 'a.md'))).toBe(once);
  });
});
