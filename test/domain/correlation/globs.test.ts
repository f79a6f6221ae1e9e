import { describe, expect, it } from 'vitest';
import { firstMatchingGlob, matchesGlob } from '../../../src/domain/correlation/globs.ts';

describe('service path globs', () => {
  it('dir/** matches the directory and everything below it, nothing beside it', () => {
    expect(matchesGlob('services/checkout/orders.js', 'services/checkout/**')).toBe(true);
    expect(matchesGlob('services/checkout/deep/a/b.ts', 'services/checkout/**')).toBe(true);
    expect(matchesGlob('services/checkout', 'services/checkout/**')).toBe(true);
    expect(matchesGlob('services/checkout-worker/a.js', 'services/checkout/**')).toBe(false);
    expect(matchesGlob('other/services/checkout/a.js', 'services/checkout/**')).toBe(false);
  });

  it('* stays within one segment; **/ spans zero or more directories', () => {
    expect(matchesGlob('services/checkout/a.js', 'services/*/a.js')).toBe(true);
    expect(matchesGlob('services/checkout/x/a.js', 'services/*/a.js')).toBe(false);
    expect(matchesGlob('a.sql', '**/*.sql')).toBe(true);
    expect(matchesGlob('db/migrations/1.sql', '**/migrations/*.sql')).toBe(true);
  });

  it('a glob without a slash matches the file name anywhere', () => {
    expect(matchesGlob('checkout.yaml', 'checkout.yaml')).toBe(true);
    expect(matchesGlob('flags/checkout.yaml', 'checkout.yaml')).toBe(true);
    expect(matchesGlob('flags/search.yaml', 'checkout.yaml')).toBe(false);
  });

  it('supports ? and {a,b}, and treats regex characters literally', () => {
    expect(matchesGlob('config/production.json', 'config/{production,staging}.json')).toBe(true);
    expect(matchesGlob('config/dev.json', 'config/{production,staging}.json')).toBe(false);
    expect(matchesGlob('v1.js', 'v?.js')).toBe(true);
    expect(matchesGlob('vXjs', 'v?.js')).toBe(false);
    expect(matchesGlob('a+b/c.js', 'a+b/**')).toBe(true);
  });

  it('names the first glob that matches', () => {
    expect(firstMatchingGlob('k8s/checkout/deploy.yaml', ['services/checkout/**', 'k8s/checkout/**'])).toBe('k8s/checkout/**');
    expect(firstMatchingGlob('README.md', ['services/checkout/**'])).toBeUndefined();
  });
});
