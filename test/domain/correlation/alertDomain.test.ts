import { describe, expect, it } from 'vitest';
import { alertDomains, domainTouched } from '../../../src/domain/correlation/alertDomain.ts';
import { classifyPath } from '../../../src/domain/correlation/classifyPath.ts';
import { alertDomain, alertMismatch, presentationOnly, WEIGHTS } from '../../../src/domain/correlation/features.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { context, deployed, facts, pull } from './support.ts';

describe('alertDomains: what an alert is about', () => {
  it('reads the database, memory and queues in words and identifiers', () => {
    expect(alertDomains('SqlCommandTimeouts: SQL command timeouts on OrdersDb')).toEqual([{ domain: 'database', said: 'Sql' }]);
    expect(alertDomains('PostgresCPUHigh')).toEqual([{ domain: 'database', said: 'Postgres' }]);
    expect(alertDomains('KubeContainerOOMKilled')).toEqual([{ domain: 'memory', said: 'OOM' }]);
    expect(alertDomains('Celery queue emails has 212k pending tasks').map((c) => c.domain)).toEqual(['queue']);
    expect(alertDomains('Checkout 5xx at 6%')).toEqual([]);
  });

  it('finds the change that touches that area: a repository class, an ORM construct, a cache', () => {
    const database = alertDomains('SQL command timeouts');
    expect(domainTouched(pull(1, { paths: ['src/Orders.Api/Data/OrderRepository.cs'] }), database)?.what).toBe('src/Orders.Api/Data/OrderRepository.cs');
    expect(domainTouched(pull(2, { paths: ['src/Orders.Api/Controllers/OrdersController.cs'], title: 'Swagger: document 409' }), database)).toBeUndefined();
    expect(domainTouched(pull(3, { paths: ['src/orders.ts'], patches: { 'src/orders.ts': '@@ -1 +1 @@\n-db.orders.find(id)\n+db.orders.Include(o => o.Lines).find(id)\n' } }), database)?.what).toBe('.Include(');
    expect(domainTouched(pull(4, { title: 'Memoise image metadata per id', paths: ['src/metadata/read.ts'] }), alertDomains('OOMKilled'))?.what).toBe('Memoise');
  });
});

describe('alertDomain and presentationOnly: breaking a tie inside one deployment', () => {
  const sqlTimeouts = { labels: { database: 'OrdersDb' }, statements: [{ source: 'name' as const, text: 'SqlCommandTimeouts' }] };

  it('weighs for the change that touches what the alert is about, and no "nothing matches" against it', () => {
    const repository = pull(1, { title: 'Load order lines in one query', paths: ['src/Orders.Api/Data/OrderRepository.cs'] });
    expect(alertDomain(repository, context(sqlTimeouts))).toMatchObject({ weight: WEIGHTS.alertDomain, reason: 'the alert is about the database (`Sql`); this PR touches queries or the data layer (`src/Orders.Api/Data/OrderRepository.cs`)' });
    expect(alertMismatch(repository, context({ ...sqlTimeouts, statements: [...sqlTimeouts.statements, { source: 'summary', text: 'SQL command timeouts on OrdersDb primary' }] }))).toBeUndefined();
  });

  it('holds it against a change of a vague database alert that touches neither the data layer nor anything the alert names', () => {
    const slow = { statements: [{ source: 'name' as const, text: 'PostgresSlowQueries' }, { source: 'description' as const, text: 'p95 query time 4 s on the primary' }] };
    const styles = pull(3, { title: 'Tweak button colours', paths: ['services/checkout/styles/button.css'] });
    const repository = pull(4, { title: 'Orders: index lookup', paths: ['services/checkout/db/orders_repository.js'] });
    const ctx = context(slow, true, [styles, repository]);
    expect(alertMismatch(styles, ctx)).toMatchObject({ weight: -0.5, reason: 'it touches nothing of what the alert is about (the database: `Postgres`)' });
    expect(alertMismatch(repository, ctx)).toBeUndefined();
  });

  it('holds styles, translations and images against a change, unless the alert names them or is about a page', () => {
    expect(['locales/es.json', 'app/assets/stylesheets/tokens.css', 'lang/de/checkout.php', 'public/logo.svg', 'messages/pt-BR.json'].map(classifyPath)).toEqual(['presentation', 'presentation', 'presentation', 'presentation', 'presentation']);
    expect(classifyPath('src/i18n/request.ts')).toBe('code');
    const strings = pull(2, { title: 'Spanish error messages', paths: ['locales/es.json'] });
    expect(presentationOnly(strings, context({ statements: [{ source: 'name', text: 'KubeContainerOOMKilled' }] }))?.weight).toBe(WEIGHTS.presentationOnly);
    expect(presentationOnly(strings, context({ statements: [{ source: 'name', text: 'CheckoutLCPDegraded' }] }))).toBeUndefined();
    expect(presentationOnly(strings, context({ statements: [{ source: 'description', text: 'MISSING_MESSAGE: could not resolve `Checkout.title` for locale `es`' }] }, true, [strings]))).toBeUndefined();
  });

  it('names the data-access change of a two-PR deployment instead of splitting it evenly', () => {
    const data = pull(1, { title: 'Load order lines, products and shipments in one query', paths: ['src/Orders.Api/Data/OrderRepository.cs'], deployments: [deployed(25)] });
    const docs = pull(2, { title: 'Swagger: document 409 on duplicate orders', paths: ['src/Orders.Api/Controllers/OrdersController.cs'], deployments: [deployed(25)] });
    const ranking = rankSuspects(facts({ servicePaths: [], ...sqlTimeouts }), [data, docs]);
    expect(ranking.suspects.map((s) => s.candidate)).toMatchObject([{ number: 1 }, { number: 2 }]);
    expect(ranking.suspects[0]?.score).toBeGreaterThan((ranking.suspects[1]?.score ?? 1) + 0.1);
  });
});
