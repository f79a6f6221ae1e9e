import { describe, expect, it } from 'vitest';
import type { FirewatchError} from '../../../src/domain/errors/errors.ts';
import { ActionSweepError, ChangesResponseError, DemoStepError, DumpError, HiddenBlockTooLargeError, LockTimeoutError, NoAlertsError, TemplatesNotFoundError, VendorApiError } from '../../../src/domain/errors/errors.ts';

describe('typed errors', () => {
  it('each carries its kind and its own name (what a log line or a stack trace shows)', () => {
    const errors: [FirewatchError, string, string][] = [
      [new DumpError('window.json is missing'), 'input', 'DumpError'],
      [new HiddenBlockTooLargeError(70_000, 65_536), 'input', 'HiddenBlockTooLargeError'],
      [new TemplatesNotFoundError(['/nowhere']), 'setup', 'TemplatesNotFoundError'],
      [new ActionSweepError('no token'), 'setup', 'ActionSweepError'],
      [new VendorApiError('PagerDuty answered 401', 401), 'upstream', 'VendorApiError'],
      [new ChangesResponseError('acme/shop', 'no repository'), 'upstream', 'ChangesResponseError'],
      [new DemoStepError('waited 30 s'), 'upstream', 'DemoStepError'],
      [new LockTimeoutError('sweep:acme/shop', 0), 'busy', 'LockTimeoutError'],
      [new NoAlertsError(), 'invariant', 'NoAlertsError'],
    ];
    for (const [error, kind, name] of errors) {
      expect(error).toBeInstanceOf(Error);
      expect({ kind: error.kind, name: error.name }).toEqual({ kind, name });
    }
  });

  it('say what is wrong and what to do in the message', () => {
    expect(new TemplatesNotFoundError(['/a', '/b']).message).toBe('firewatch templates not found (looked for incident.md.hbs in: /a, /b); set FIREWATCH_TEMPLATES_DIR to the templates directory');
    expect(new HiddenBlockTooLargeError(70_000, 65_536).message).toBe("the hidden firewatch block is 70,000 characters, over GitHub's 65,536-character limit for a body");
    expect(new VendorApiError('x', 404).status).toBe(404);
    expect(new LockTimeoutError('k', 5).key).toBe('k');
  });
});
