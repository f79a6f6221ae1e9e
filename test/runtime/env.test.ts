import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv, parseQueueEnv } from '../../src/runtimes/env.ts';
import { EnvError } from '../../src/domain/errors/errors.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function problems(env: Record<string, string>, options = {}): Record<string, string> {
  try {
    parseEnv(env as NodeJS.ProcessEnv, options);
  } catch (error) {
    if (error instanceof EnvError) return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    throw error;
  }
  throw new Error('expected EnvError');
}

describe('parseEnv', () => {
  it('runs against the sandbox on loopback with the well-known alert token when nothing is set', () => {
    expect(parseEnv({})).toEqual({
      mode: 'sandbox',
      modeReason: expect.stringContaining('no GitHub App credentials'),
      notices: [],
      port: 3000,
      host: '127.0.0.1',
      sandboxPort: 3001,
      alertToken: 'sandbox-alerts',
      logLevel: 'info',
      logFormat: 'pretty',
      pagerdutyKeys: [{ name: 'sandbox', key: 'sandbox-pagerduty' }],
      opsgenieKeys: [{ name: 'sandbox', key: 'sandbox-opsgenie' }],
    });
  });

  it('treats blank variables as unset', () => {
    expect(parseEnv({ APP_ID: '', PRIVATE_KEY: ' ', PORT: '' })).toMatchObject({ mode: 'sandbox', port: 3000 });
  });

  it('uses GitHub App credentials, listening on all interfaces, and closes intake without a token', () => {
    const env = parseEnv({ APP_ID: '123', PRIVATE_KEY: pem, WEBHOOK_SECRET: 'whsec', FIREWATCH_REPO: 'acme/ops' });
    expect(env).toMatchObject({ mode: 'github', host: '0.0.0.0', repo: { owner: 'acme', repo: 'ops' } });
    expect(env.github).toEqual({ kind: 'app', appId: 123, privateKey: pem.trim() + '\n', webhookSecret: 'whsec' });
    expect(env.alertToken).toBeUndefined();
  });

  it('accepts a private key with escaped newlines, in base64, or from PRIVATE_KEY_PATH', () => {
    const base = { APP_ID: '1', WEBHOOK_SECRET: 'w' };
    const expected = pem.trim() + '\n';
    const app = (env: NodeJS.ProcessEnv, options = {}) => {
      const github = parseEnv({ ...base, ...env }, options).github;
      return github?.kind === 'app' ? github.privateKey : undefined;
    };
    expect(app({ PRIVATE_KEY: pem.replace(/\n/g, '\\n') })).toBe(expected);
    expect(app({ PRIVATE_KEY: Buffer.from(pem).toString('base64') })).toBe(expected);
    expect(app({ PRIVATE_KEY_PATH: '/keys/app.pem' }, { readFile: (path: string) => (path === '/keys/app.pem' ? pem : '') })).toBe(expected);
  });

  it('derives the GitHub Enterprise API URL from GHE_HOST and GHE_PROTOCOL', () => {
    const env = parseEnv({ FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x', WEBHOOK_SECRET: 'w', GHE_HOST: 'github.example.com:8443', GHE_PROTOCOL: 'http' });
    expect(env.github).toEqual({ kind: 'token', token: 'ghp_x', webhookSecret: 'w', baseUrl: 'http://github.example.com:8443/api/v3' });
  });

  it('ignores a GITHUB_TOKEN alone, with a notice naming it: the sandbox demo still works', () => {
    const env = parseEnv({ GITHUB_TOKEN: 'gho_from_gh_cli' });
    expect(env).toMatchObject({ mode: 'sandbox', alertToken: 'sandbox-alerts', host: '127.0.0.1' });
    expect(env.github).toBeUndefined();
    expect(env.notices).toEqual([expect.stringMatching(/^notice: GITHUB_TOKEN is set but ignored: .*FIREWATCH_MODE=github.*--github/)]);
  });

  it('serves GitHub with a token only when asked to (FIREWATCH_MODE=github or --github)', () => {
    const token = { GITHUB_TOKEN: 'ghp_x', WEBHOOK_SECRET: 'w' };
    expect(parseEnv({ ...token, FIREWATCH_MODE: 'github' })).toMatchObject({ mode: 'github', modeReason: 'FIREWATCH_MODE=github', notices: [], github: { kind: 'token', token: 'ghp_x' } });
    expect(parseEnv(token, { forceGitHub: true })).toMatchObject({ mode: 'github', modeReason: '--github was given' });
    expect(parseEnv({ ...token, FIREWATCH_MODE: 'sandbox', APP_ID: '1' })).toMatchObject({ mode: 'sandbox' });
    expect(problems({ FIREWATCH_MODE: 'prod' })).toEqual({ FIREWATCH_MODE: 'must be sandbox or github' });
    expect(problems({}, { forceGitHub: true, forceSandbox: true })).toEqual({ '--github': 'cannot be combined with --sandbox' });
  });

  it('refuses GitHub mode that has no credentials, or a token mode that would refuse everything', () => {
    expect(problems({ FIREWATCH_MODE: 'github' })).toEqual({ FIREWATCH_MODE: expect.stringContaining('GitHub mode needs credentials: APP_ID, PRIVATE_KEY') });
    expect(problems({}, { forceGitHub: true })).toEqual({ '--github': expect.stringContaining('or GITHUB_TOKEN') });
    expect(problems({ FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x' })).toEqual({ GITHUB_TOKEN: expect.stringContaining('would refuse every webhook and every alert: set WEBHOOK_SECRET') });
    // An alert token without a repository to file into still refuses everything.
    expect(problems({ FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x', FIREWATCH_ALERT_TOKEN: 'a' })).toHaveProperty('GITHUB_TOKEN');
    expect(parseEnv({ FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x', FIREWATCH_ALERT_TOKEN: 'a', FIREWATCH_REPO: 'acme/ops' })).toMatchObject({ mode: 'github', repo: { owner: 'acme', repo: 'ops' } });
  });

  it('lists every bad variable at once', () => {
    expect(
      problems({ PORT: 'eighty', SANDBOX_PORT: '70000', LOG_LEVEL: 'loud', FIREWATCH_REPO: 'shop', GHE_HOST: 'https://github.example.com', APP_ID: 'abc' }),
    ).toEqual({
      PORT: 'must be a port number',
      SANDBOX_PORT: 'must be 0–65535',
      LOG_LEVEL: expect.stringContaining('trace, debug, info'),
      FIREWATCH_REPO: 'must be owner/repo, like acme/shop',
      GHE_HOST: expect.stringContaining('host name only'),
      APP_ID: expect.stringContaining('numeric App ID'),
      PRIVATE_KEY: expect.stringContaining('required with APP_ID'),
      WEBHOOK_SECRET: expect.stringContaining('required'),
    });
  });

  it('refuses incomplete GitHub App credentials instead of falling back to the sandbox', () => {
    expect(problems({ APP_ID: '1' })).toEqual({
      PRIVATE_KEY: expect.stringContaining('required with APP_ID'),
      WEBHOOK_SECRET: expect.stringContaining('required'),
    });
    expect(problems({ APP_ID: '1', PRIVATE_KEY: 'not a key', WEBHOOK_SECRET: 'w' })).toEqual({ PRIVATE_KEY: expect.stringContaining('not a PEM') });
    expect(problems({ APP_ID: '1', PRIVATE_KEY_PATH: '/nope.pem', WEBHOOK_SECRET: 'w' }, { readFile: () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); } })).toEqual({
      PRIVATE_KEY_PATH: 'cannot read /nope.pem: no such file',
    });
    expect(problems({ GITHUB_TOKEN: 't', APP_ID: '1', PRIVATE_KEY: pem, WEBHOOK_SECRET: 'w' })).toEqual({ GITHUB_TOKEN: expect.stringContaining('not both') });
  });

  it('ignores credentials when the sandbox is forced, and refuses equal ports there', () => {
    expect(parseEnv({ GITHUB_TOKEN: 'ghp_x' }, { forceSandbox: true })).toMatchObject({ mode: 'sandbox', modeReason: '--sandbox was given' });
    expect(problems({ PORT: '4000', SANDBOX_PORT: '4000' })).toEqual({ SANDBOX_PORT: 'must differ from PORT (both are 4000)' });
  });

  it('keeps an explicit alert token and secret in sandbox mode', () => {
    expect(parseEnv({ FIREWATCH_ALERT_TOKEN: 'mine', FIREWATCH_ALERT_SECRET: 'hmac' })).toMatchObject({ alertToken: 'mine', alertSecret: 'hmac' });
  });

  it('reads the Grafana and Sentry signing secrets, treating blank ones as unset', () => {
    expect(parseEnv({ FIREWATCH_GRAFANA_SECRET: 'g-secret', FIREWATCH_SENTRY_SECRET: 's-secret' })).toMatchObject({ grafanaSecret: 'g-secret', sentrySecret: 's-secret' });
    const blank = parseEnv({ FIREWATCH_GRAFANA_SECRET: ' ', FIREWATCH_SENTRY_SECRET: '' });
    expect(blank).not.toHaveProperty('grafanaSecret');
    expect(blank).not.toHaveProperty('sentrySecret');
  });
});

describe('vendor keys', () => {
  const keys = '- { name: checkout-prod, key: 0123456789abcdef0123, service: checkout }\n- { name: payments, key: fedcba9876543210fedc, route: payments }\n';

  it('reads PagerDuty and Opsgenie keys inline or from the file a variable names', () => {
    const env = parseEnv({ APP_ID: '1', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's', FIREWATCH_PAGERDUTY_KEYS: keys, FIREWATCH_OPSGENIE_KEYS_FILE: '/run/secrets/og' }, { readFile: (path) => (path === '/run/secrets/og' ? '[{"name":"og","key":"og-key-0000000000000001"}]' : '') });
    expect(env.pagerdutyKeys).toEqual([
      { name: 'checkout-prod', key: '0123456789abcdef0123', service: 'checkout' },
      { name: 'payments', key: 'fedcba9876543210fedc', route: 'payments' },
    ]);
    expect(env.opsgenieKeys).toEqual([{ name: 'og', key: 'og-key-0000000000000001' }]);
  });

  it('accepts the sandbox keys only in sandbox mode on loopback', () => {
    expect(parseEnv({ APP_ID: '1', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's' }).pagerdutyKeys).toEqual([]);
    expect(parseEnv({ HOST: '0.0.0.0', FIREWATCH_ALERT_TOKEN: 'own-token' }).opsgenieKeys).toEqual([]);
  });

  it('lists bad keys by variable and entry, never quoting a key', () => {
    const found = problems({ FIREWATCH_PAGERDUTY_KEYS: '- { name: a, key: short }\n- { name: a, key: 0123456789abcdef0123 }', FIREWATCH_OPSGENIE_KEYS: 'x', FIREWATCH_OPSGENIE_KEYS_FILE: '/x' });
    expect(found['FIREWATCH_PAGERDUTY_KEYS']).toMatch(/^\[1\]\.name: "a" is used twice$|^\[0\]\.key: must be at least 16 characters/);
    expect(JSON.stringify(found)).not.toContain('short');
    expect(found['FIREWATCH_OPSGENIE_KEYS_FILE']).toBe('set either FIREWATCH_OPSGENIE_KEYS or FIREWATCH_OPSGENIE_KEYS_FILE, not both');
  });
});

describe('parseEnv reporting', () => {
  it('reports a bad value once, next to the problems of other variables', () => {
    expect(problems({ APP_ID: 'abc', PRIVATE_KEY: pem, PORT: 'x' })).toEqual({
      APP_ID: expect.stringContaining('numeric App ID'),
      PORT: 'must be a port number',
      WEBHOOK_SECRET: expect.stringContaining('required'),
    });
  });
});

describe('where the sandbox app may listen', () => {
  it('refuses HOST beyond loopback in sandbox mode while the alert token is the well-known one', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.2']) {
      expect(problems({ HOST: host })).toEqual({ HOST: expect.stringContaining('well-known token "sandbox-alerts"') });
      expect(problems({ HOST: host, FIREWATCH_ALERT_TOKEN: 'sandbox-alerts' })).toEqual({ HOST: expect.stringContaining('set FIREWATCH_ALERT_TOKEN to a secret of your own') });
      // A secret alone leaves the well-known token valid too.
      expect(problems({ HOST: host, FIREWATCH_ALERT_SECRET: 'hmac' })).toHaveProperty('HOST');
    }
  });

  it('allows it with an alert token of its own, and loopback addresses always', () => {
    expect(parseEnv({ HOST: '0.0.0.0', FIREWATCH_ALERT_TOKEN: 'own-token' })).toMatchObject({ mode: 'sandbox', host: '0.0.0.0', alertToken: 'own-token' });
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(parseEnv({ HOST: host })).toMatchObject({ host });
  });

  it('leaves GitHub mode alone: there the alert token is never well known', () => {
    // A GITHUB_TOKEN alone serves the sandbox: token mode is asked for by name.
    const env = parseEnv({ FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x', WEBHOOK_SECRET: 'w-secret', HOST: '0.0.0.0' });
    expect(env).toMatchObject({ mode: 'github', host: '0.0.0.0' });
    expect(env).not.toHaveProperty('alertToken');
  });
});

describe('parseQueueEnv', () => {
  const queueProblems = (env: Record<string, string>): Record<string, string> => {
    try {
      parseQueueEnv(env as NodeJS.ProcessEnv);
    } catch (error) {
      if (error instanceof EnvError) return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
      throw error;
    }
    throw new Error('expected EnvError');
  };

  it('reads the queue settings, and 0 workers as an intake-only replica of a Redis queue', () => {
    expect(parseQueueEnv({ REDIS_URL: 'redis://127.0.0.1:6379', FIREWATCH_QUEUE_CONCURRENCY: '8', FIREWATCH_QUEUE_LIMIT: '500' })).toEqual({ redisUrl: 'redis://127.0.0.1:6379', concurrency: 8, limit: 500 });
    expect(parseQueueEnv({ REDIS_URL: 'redis://127.0.0.1:6379', FIREWATCH_QUEUE_CONCURRENCY: '0' })).toEqual({ redisUrl: 'redis://127.0.0.1:6379', concurrency: 0 });
  });

  it('refuses an in-memory queue nobody files from, and counts that are no counts', () => {
    expect(queueProblems({ FIREWATCH_QUEUE_CONCURRENCY: '0' })).toEqual({ FIREWATCH_QUEUE_CONCURRENCY: '0 (intake only: accept alerts, file none) needs REDIS_URL, where other replicas file them' });
    expect(queueProblems({ FIREWATCH_QUEUE_CONCURRENCY: '-1', FIREWATCH_QUEUE_LIMIT: '0' })).toEqual({ FIREWATCH_QUEUE_CONCURRENCY: 'must be at least 0', FIREWATCH_QUEUE_LIMIT: 'must be at least 1' });
  });
});
