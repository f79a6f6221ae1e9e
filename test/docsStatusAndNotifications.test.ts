/**
 * The status page and notification sections of docs/configuration.md are true to the code: their configuration
 * is valid as written, and the signature check it shows accepts what firewatch signs and nothing
 * else.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/domain/config/config.ts';
import { signBody } from '../src/features/notifications/deliverNotification.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'firewatch-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced blocks of `lang` in the docs/configuration.md section under `heading`. */
function blocks(heading: string, lang: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = readme.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /));
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1] ?? '');
}

describe('docs/configuration.md', () => {
  it('shows valid status page and notification configuration', () => {
    const [statusPage] = blocks('## Status page', 'yaml');
    const status = parseConfigText(statusPage ?? '');
    expect(status.problems).toEqual([]);
    expect(status.config.statusPage).toMatchObject({ publish: true, repo: 'acme/status', branch: 'gh-pages', services: ['checkout', 'search'] });

    const [notifications] = blocks('## Notifications', 'yaml');
    const notify = parseConfigText(notifications ?? '');
    expect(notify.problems).toEqual([]);
    expect(notify.config.notifications.targets.map((target) => `${target.type} ${target.minSeverity} ${target.events.join(',')}`)).toEqual([
      'slack P2 opened,severity,status-update,resolved,slo-breached',
      'webhook P5 opened,resolved',
    ]);
  });

  it('verifies firewatch signatures with the snippet it shows', async () => {
    const [snippet] = blocks('## Notifications', 'js');
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, `${snippet}\nexport { fromFirewatch };\n`);
    const { fromFirewatch } = (await import(pathToFileURL(file).href)) as { fromFirewatch: (raw: Buffer, header: string | undefined, secret: string) => boolean };
    const body = '{"version":1,"event":"opened","text":"P1 incident opened: Checkout down"}';
    expect(fromFirewatch(Buffer.from(body), signBody(body, 's3cret'), 's3cret')).toBe(true);
    expect(fromFirewatch(Buffer.from(body), signBody(body, 'other'), 's3cret')).toBe(false);
    expect(fromFirewatch(Buffer.from(`${body} `), signBody(body, 's3cret'), 's3cret')).toBe(false);
    expect(fromFirewatch(Buffer.from(body), undefined, 's3cret')).toBe(false);
  });
});
