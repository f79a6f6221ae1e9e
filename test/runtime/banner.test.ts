import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBanner } from '../../src/runtimes/cli/banner.ts';
import { Sandbox } from '@firewatch/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'w' });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('renderBanner', () => {
  it('lists the URLs and every seeded user with role and token', () => {
    const text = renderBanner({ appUrl: 'http://127.0.0.1:3999', alertToken: 'sandbox-alerts', sandbox, repo: { owner: 'acme', repo: 'shop' } });
    expect(text).toContain('firewatch app      http://127.0.0.1:3999');
    expect(text).toContain(`sandbox web UI     ${sandbox.url}/`);
    expect(text).toContain(`sandbox REST API   ${sandbox.apiUrl}`);
    for (const [user, role] of [['alice', 'admin'], ['bob', 'write'], ['carol', 'triage'], ['eve', 'read']]) {
      expect(text).toMatch(new RegExp(`^\\s+${user}\\s+${role}\\s+sandbox-${user}$`, 'm'));
    }
  });

  it('gives copy-paste curl lines for an alert and for /help as bob on the issue the alert will open', () => {
    const next = sandbox.repo('acme', 'shop')?.nextNumber;
    const text = renderBanner({ appUrl: 'http://127.0.0.1:3999', alertToken: 'sandbox-alerts', sandbox, repo: { owner: 'acme', repo: 'shop' } });
    expect(text).toContain(
      `curl -sS -X POST http://127.0.0.1:3999/alerts/generic -H 'Authorization: Bearer sandbox-alerts' -H 'Content-Type: application/json' -d '{"title":"HighErrorRate","severity":"P2","service":"checkout"}'`,
    );
    expect(text).toContain(
      `curl -sS -X POST ${sandbox.apiUrl}/repos/acme/shop/issues/${next}/comments -H 'Authorization: token sandbox-bob' -H 'Content-Type: application/json' -d '{"body":"/help"}'`,
    );
  });

  it('points at the guided tour, with the addresses it needs', () => {
    const text = renderBanner({ appUrl: 'http://127.0.0.1:3999', alertToken: 'sandbox-alerts', sandbox, repo: { owner: 'acme', repo: 'shop' } });
    expect(text).toContain(`  Take the guided tour, a whole incident played in this sandbox (in another terminal):\n    npx firewatch demo --app-url http://127.0.0.1:3999 --sandbox-url ${sandbox.url}\n`);
    expect(renderBanner({ sandbox, repo: { owner: 'acme', repo: 'shop' } })).not.toContain('firewatch demo');
  });

  it('without an app, shows the sandbox alone and no alert line', () => {
    const text = renderBanner({ sandbox, repo: { owner: 'acme', repo: 'shop' } });
    expect(text).not.toContain('/alerts/generic');
    expect(text).toContain(`curl -sS ${sandbox.apiUrl}/repos/acme/shop/issues -H 'Authorization: token sandbox-alice'`);
  });
});
