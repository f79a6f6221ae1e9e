import { describe, expect, it } from 'vitest';
import { connectionFailure, externalSignals } from '../../../src/domain/correlation/externalCause.ts';
import { externalCause } from '../../../src/domain/correlation/features.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { context, deployed, facts, pull } from './support.ts';

const kinds = (text: string, labels: Record<string, string> = {}) => externalSignals(text, labels).map((s) => `${s.kind}: ${s.said}`);

describe('externalSignals: what an alert says about a cause outside the changes', () => {
  it('a provider that answers 5xx or says it is overloaded', () => {
    expect(kinds('Stripe returned 503 for 12% of charges')).toEqual(['provider: returned 503']);
    expect(kinds('upstream answered 529 overloaded_error')).toEqual(['provider: answered 529']);
    expect(kinds('503 requests failed with 400 Bad Request')).toEqual([]);
  });

  it('the platform failing: nodes, brokers, failovers, DNS', () => {
    expect(kinds('broker node rabbitmq-2 is down and its queues are failing over')).toEqual(['platform: failing over']);
    expect(kinds('getaddrinfo EAI_AGAIN payments.internal')).toEqual(['dns: EAI_AGAIN']);
    expect(kinds('could not resolve host: ledger.internal (NXDOMAIN)')).toEqual(['platform: could not resolve host']);
  });

  it("a data store unhealthy in its own terms: cluster red or yellow, unassigned shards, replication stopped, watermarks, slots, a full disk", () => {
    expect(kinds('Broker kafka-2 log directory /var/lib/kafka is offline; 42 under-replicated partitions')).toEqual(['datastore: under-replicated']);
    expect(kinds('Flood-stage disk watermark exceeded on logs-prod')).toEqual(['datastore: Flood-stage disk watermark']);
    // Alert names are read with their identifiers split.
    expect(kinds('ElasticsearchClusterYellow')).toEqual(['datastore: Cluster Yellow']);
    expect(kinds('MySQLReplicationStopped')).toEqual(['datastore: Replication Stopped']);
    expect(kinds('Cluster catalog-prod is yellow')).toEqual(['datastore: Cluster catalog-prod is yellow']);
    expect(kinds('Redis Cluster cluster_state:fail; 4096 of 16384 slots not covered')).toEqual(['datastore: cluster_state:fail']);
    expect(kinds('Slave_SQL_Running: No (Last_SQL_Errno 1594: relay log read failure)')).toEqual(['datastore: Slave_SQL_Running: No']);
    expect(kinds('Postgres disk full on orders-db')).toEqual(['datastore: Postgres disk full']);
    // Healthy, or not the store's own disk, or a setting merely named.
    expect(kinds('cluster health is green')).toEqual([]);
    expect(kinds('CI runner disk full')).toEqual([]);
    expect(kinds('The replica count is 3 and 2 shards')).toEqual([]);
  });

  it('long tasks or errors that real-user monitoring attributes to a third-party script: a dependency failing', () => {
    expect(kinds('78% of long tasks attributed to cdn.reviewsvendor.net/widget.js.')).toEqual(['dependency: attributed to cdn.reviewsvendor.net/widget.js']);
  });

  it('a failure confined to one zone or region', () => {
    expect(kinds('94% of the 5xx come from pods in us-east-1c; us-east-1a and us-east-1b are clean.')).toEqual(['zone: us-east-1c']);
    expect(kinds('p99 of Adyen /authorise at 5.0 s from eu-west-1 only.')).toEqual(['zone: eu-west-1']);
    expect(kinds('errors across all regions')).toEqual([]);
  });

  it('a traffic surge', () => {
    expect(kinds('Requests per second at 3.1x the usual peak (flash sale started 10:50).')).toEqual(['demand: Requests per second at 3.1x']);
    expect(kinds('origin renders at 8x baseline')).toEqual([]);
  });

  it('calls to a named dependency timing out, only when the alert names the dependency', () => {
    expect(kinds('27% of route requests timed out after 3s', { peer: 'maps-vendor' })).toEqual(['dependency: timed out']);
    expect(kinds('31% of calls to api.wise.com exceeded the client deadline')).toEqual(['dependency: client deadline']);
    // Database timeouts name no dependency outside: the service's own queries are the usual cause.
    expect(kinds('SQL command timeouts on OrdersDb')).toEqual([]);
    expect(kinds('Statement timeouts on catalog database')).toEqual([]);
  });
});

describe('externalCause: the evidence', () => {
  const timeouts = { labels: { provider: 'adyen' }, statements: [{ source: 'summary' as const, text: 'Adyen /authorise timing out for 9% of attempts' }] };

  it('weighs against a change that does not touch the dependency, and spares one that does', () => {
    const unrelated = pull(1, { title: 'Shipping: address autocomplete', paths: ['services/checkout/address.js'] });
    const related = pull(2, { title: 'Adyen client: 800 ms authorise timeout', paths: ['services/checkout/adyen/client.js'] });
    const ctx = context(timeouts, true, [unrelated, related]);
    expect(externalCause(unrelated, ctx)).toMatchObject({ weight: -1.2, reason: 'the alert says calls to a dependency fail (`timing out`) and this change does not touch it' });
    expect(externalCause(related, ctx)).toBeUndefined();
  });

  it('holds a provider outage against every change, even one to its client', () => {
    const outage = { labels: { provider: 'stripe' }, statements: [{ source: 'description' as const, text: 'Stripe returned 503 for 12% of charge requests' }] };
    const related = pull(2, { title: 'Stripe: idempotency keys for refunds', paths: ['services/checkout/stripe/refunds.js'] });
    expect(externalCause(related, context(outage, true, [related]))?.weight).toBe(-0.8);
  });

  it("holds the data store's own ill health against the service's changes, and spares a change to the store's shards and replicas", () => {
    const yellow = { statements: [{ source: 'name' as const, text: 'ElasticsearchClusterYellow' }, { source: 'description' as const, text: '12 unassigned replica shards on index catalog' }] };
    const replicas = pull(5, {
      title: 'Catalog index: two replicas',
      paths: ['services/checkout/search/index-settings.json'],
      patches: { 'services/checkout/search/index-settings.json': '@@ -1 +1 @@\n-  "number_of_replicas": 1\n+  "number_of_replicas": 2\n' },
    });
    const ranking = pull(6, { title: 'Search ranking: boost fresh items', paths: ['services/checkout/search/rank.js'] });
    const migration = pull(7, { title: 'Orders: add column', paths: ['services/checkout/db/migrations/20250612_add_column.sql'] });
    const ctx = context(yellow, true, [replicas, ranking, migration]);
    expect(externalCause(ranking, ctx)).toMatchObject({ weight: -2.0, reason: 'the alert says the data store itself is unhealthy (`unassigned replica shards`), which a deploy of the service rarely causes' });
    expect(externalCause(replicas, ctx)).toBeUndefined();
    expect(externalCause(migration, ctx)).toBeUndefined();
  });

  it('turns a deploy twenty minutes before a one-zone outage into "no likely suspect"', () => {
    const zonal = facts({ servicePaths: [], statements: [{ source: 'description', text: '94% of the 5xx come from pods in us-east-1c; us-east-1a and us-east-1b are clean.' }] });
    const ranking = rankSuspects(zonal, [pull(1, { title: 'Validate nickname length', paths: ['profile/validate.py'], deployments: [deployed(20)] })]);
    expect(ranking.verdict).toBe('no_likely_suspect');
    expect(ranking.suspects[0]?.evidence.map((e) => e.feature)).toContain('external_cause');
  });
});

describe('round 4: causes that run on a calendar or a trend', () => {
  it('reads a certificate past its date, a used-up quota, steady growth and traffic against its baseline', () => {
    expect(kinds('the bank answers our handshake with alert 45 (certificate expired)')).toContain('expiry: certificate expired');
    expect(kinds('x509: certificate has expired or is not yet valid')).toContain('expiry: certificate has expired');
    expect(kinds("Geocoding API answers 429 'Monthly request limit reached' to every request")).toContain('quota: Monthly request limit reached');
    expect(kinds('googleapi: Error 429: Quota exceeded for quota metric')).toContain('quota: Quota exceeded');
    expect(kinds('Used space has grown about 1.5% a day for 30 days')).toContain('growth: grown about 1.5% a day for 30 days');
    expect(kinds('Requests at 38k/s against a 3k/s baseline since 10:00')).toEqual(['demand: 38k/s against a 3k/s baseline']);
    // A token's expiry or a limit a change set is not one of these.
    expect(kinds('session expired, please log in')).toEqual([]);
    expect(kinds('payload exceeds the 1 MB limit')).toEqual([]);
  });

  it('holds an expired certificate against a matching client change, and spares a change to the certificates', () => {
    const expired = { labels: { upstream: 'api.bank.example' }, statements: [{ source: 'description' as const, text: 'Every call to api.bank.example fails: certificate expired (notAfter yesterday)' }] };
    const client = pull(1, { title: 'Bank API client: retry on 503', paths: ['payouts/bank_client.py'], deployments: [deployed(120)] });
    const rotation = pull(2, { title: 'Rotate the bank mTLS client certificate', paths: ['deploy/certs/bank-client.pem'] });
    const ctx = context(expired, true, [client, rotation]);
    expect(externalCause(client, ctx)).toMatchObject({ weight: -3.0 });
    expect(externalCause(rotation, ctx)).toBeUndefined();
    const ranking = rankSuspects(facts({ servicePaths: [], labels: expired.labels, statements: expired.statements }), [client]);
    expect(ranking.verdict).toBe('no_likely_suspect');
  });
});

describe('round 4: failures shared with other services, several signals together', () => {
  it('reads other services failing the same way and a cloud health notice', () => {
    expect(kinds('EC2 status checks fail for instances of other services in eu-central-1b as well')).toContain('shared: other services in eu-central-1b as well');
    expect(kinds('AWS Health reports increased connectivity issues')).toContain('provider: AWS Health');
    expect(kinds('we added two other services to the dashboard')).toEqual([]);
  });

  it('lets a one-zone failure seen by other services too outweigh a deploy eight minutes before it', () => {
    const statements = [{ source: 'description' as const, text: 'Only targets in eu-central-1b are unhealthy; instances of other services in eu-central-1b fail their status checks as well.' }];
    const ranking = rankSuspects(facts({ servicePaths: [], statements }), [pull(1, { title: 'Cache reverse-geocode results for 60 s', paths: ['src/geocode.ts'], deployments: [deployed(8)] })]);
    expect(ranking.suspects[0]?.evidence.find((e) => e.feature === 'external_cause')?.weight).toBeCloseTo(-4.3, 5);
    expect(ranking.verdict).toBe('no_likely_suspect');
  });
});

describe("round 5: notices, the service's own work unchanged, neighbours, clocks, identifier spaces", () => {
  it("reads a provider's or platform's own notice of an incident or maintenance", () => {
    expect(kinds('Their status page shows "Elevated error rates on the Charges API" since 09:14.')).toContain('notice: status page shows "Elevated error rates on the Charges API" since 09:14');
    expect(kinds('ElastiCache event: maintenance window sat:02:00-sat:03:00 in progress')).toContain('notice: maintenance window');
    expect(kinds('We are planning maintenance of the billing page next week')).toEqual([]);
  });

  it("reads the service's own work said to be unchanged, but not its traffic", () => {
    expect(kinds('Query count and per-request time unchanged; the pool waits on locks.')).toEqual(['unchanged: per-request time unchanged']);
    expect(kinds('invoice-api\'s own error rate is normal; only calls to the bank fail.')).toEqual(["unchanged: invoice-api's own error rate is normal"]);
    expect(kinds('Other outbound calls are healthy.')).toEqual(['unchanged: Other outbound calls are healthy']);
    expect(kinds('p99 tripled at 14:02 while traffic stayed unchanged.')).toEqual([]);
  });

  it('reads another workload named as the load, by its database role, user or application name', () => {
    expect(kinds('Top sessions by CPU: 18 from role nightly_etl running UPDATE ... on shared-pg-3')).toContain('neighbour: nightly_etl');
    expect(kinds('Lock waits caused by application_name=airflow-backfill')).toContain('neighbour: airflow-backfill');
  });

  it("spares a change that carries the workload's name: the service's own job may be the load", () => {
    const statements = [{ source: 'description' as const, text: 'Replica replay is held back by long SELECTs from role invoice_exporter.' }];
    const own = pull(1, { title: 'invoice_exporter: run every 5 minutes', paths: ['services/checkout/cron.yaml'] });
    const other = pull(2, { title: 'Checkout: new coupon banner', paths: ['services/checkout/banner.ts'] });
    expect(externalCause(own, context({ statements }))).toBeUndefined();
    expect(externalCause(other, context({ statements }))?.weight).toBe(-1.5);
  });

  it('reads clocks off and identifier spaces used up as causes no release brings about', () => {
    expect(kinds('node-7: NTP not synchronised, offset 41 s')).toEqual(['clock: NTP not synchronised']);
    expect(kinds('chronyd was stopped on 3 nodes; node_timex_offset_seconds 62')).toContain('clock: chronyd was stopped');
    expect(kinds('ERROR: integer out of range on INSERT INTO shipments')).toEqual(['exhausted: integer out of range']);
    expect(kinds("Duplicate entry '4294967295' for key 'PRIMARY'")).toEqual(['exhausted: 4294967295']);
  });

  it('reads signatures, licences and domains expired like certificates, and credits used up like quotas', () => {
    expect(kinds('resolvers answer SERVFAIL: RRSIG for shop.example expired at 06:00')).toEqual(expect.arrayContaining(['expiry: RRSIG for shop.example expired', 'dns: SERVFAIL']));
    expect(kinds('licence key has expired for the PDF renderer')).toContain('expiry: licence key has expired');
    expect(kinds('SMS provider: account credits exhausted at 07:40')).toContain('quota: credits exhausted');
    expect(kinds('the dependency fails for every caller: web 40%, mobile 38%')).toContain('shared: for every caller');
  });

  it('lets a provider notice and an unchanged service outweigh a matching deploy minutes before', () => {
    const statements = [
      { source: 'name' as const, text: 'Card capture errors above 5%' },
      { source: 'description' as const, text: 'All errors are 503 from the acquirer; our own latency unchanged. The acquirer status page reports "Degraded performance: capture" since 10:02.' },
    ];
    const ranking = rankSuspects(facts({ servicePaths: [], statements }), [pull(1, { title: 'Capture: tag the timer with the acquirer', paths: ['src/capture/acquirer.ts'], deployments: [deployed(12)] })]);
    expect(ranking.suspects[0]?.evidence.find((e) => e.feature === 'external_cause')?.reason).toMatch(/announces its own incident or maintenance/);
    expect(ranking.verdict).toBe('no_likely_suspect');
  });
});

describe('round 6: credentials, retired APIs, secrets rotated, neighbours by their connection names, disks filling', () => {
  it('reads client secrets, API keys and passwords past their date like certificates', () => {
    expect(kinds('invalid_client: the client secret for application 8f1e… has expired')).toContain('expiry: client secret for application 8f1e… has expired');
    expect(kinds('Auth failed: API key expired on 2026-11-30; create a new key in the console')).toContain('expiry: API key expired');
    // A session token said expired is the service's own business: a lifetime a change may have set.
    expect(kinds('users see "session token expired" after 5 minutes')).toEqual([]);
  });

  it("reads a provider retiring what the service calls: 410 Gone, a Sunset header, \"v1 was retired\"", () => {
    expect(kinds('POST /v1/rates returns 410 Gone for every call')).toContain('retired: 410 Gone');
    expect(kinds('The rates API v1 was retired on 1 December; use v2.')).toContain('retired: API v1 was retired');
    expect(kinds('this endpoint is no longer supported')).toContain('retired: is no longer supported');
    // Not what a change of the service's own says: a currency or option it does not support.
    expect(kinds('ValueError: currency code not supported')).toEqual([]);
  });

  it('reads a secret rotated by someone else, and the service\'s own build said unchanged', () => {
    expect(kinds('The signing key was rotated at 04:00 by the platform team; pods restarted with it.')).toContain('rotated: key was rotated');
    expect(kinds('ExternalSecret payments/stripe changed at 10:02; reloader restarted the pods')).toContain('rotated: ExternalSecret payments/stripe changed');
    expect(kinds('No new payments image since 08:10.')).toContain('rotated: No new payments image since');
  });

  it('spares a change to the secrets themselves from a rotation', () => {
    const statements = [{ source: 'description' as const, text: 'The webhook signing secret was rotated at 09:00; every delivery fails verification since.' }];
    const secrets = pull(1, { title: 'Read the webhook secret from Vault', paths: ['deploy/secrets.yaml'] });
    const other = pull(2, { title: 'Webhooks: log the topic of rejected deliveries', paths: ['src/webhooks/verify.ts'] });
    expect(externalCause(secrets, context({ statements }))).toBeUndefined();
    expect(externalCause(other, context({ statements }))?.reason).toMatch(/a secret changed outside the service's changes/);
  });

  it('reads another workload by its connection name, its user@host, or a backup holding a lock', () => {
    expect(kinds('SLOWLOG: SCAN 0 MATCH cart:* from client name=bi-extract, 900 ms per call')).toContain('neighbour: bi-extract');
    expect(kinds('LOCK TABLES issued by dumper@ops-2 at 03:00:01')).toContain('neighbour: dumper@ops-2');
    expect(kinds('180 writes waiting for global read lock since 01:30')).toContain('neighbour: global read lock');
  });

  it('reads a disk filling by the same amount every day for weeks, and a data store out of space', () => {
    expect(kinds('free space fell by about 20 GB per day for 35 days')).toContain('growth: fell by about 20 GB per day for 35 days');
    expect(kinds('INSERT failed: Code: 243. NOT_ENOUGH_SPACE on shard 2')).toContain('datastore: NOT_ENOUGH_SPACE');
    expect(kinds('No space left on device while writing the WAL')).toContain('datastore: No space left on device');
  });
});

describe('round 6: dates the code meets for the first time, the network, capacity, retry storms, old code', () => {
  it('reads a change of daylight saving time, a leap day, week 53 as causes that come with a date', () => {
    expect(kinds('Since the clocks went forward at 02:00 every booking for 02:30 fails')).toContain('calendar: clocks went forward');
    expect(kinds('ValueError: day is out of range for month (Feb 29, 2028 renewal dates)')).toContain('calendar: Feb 29');
    expect(kinds('payroll export: no row for ISO week 53')).toContain('calendar: ISO week 53');
  });

  it('spares a change to date and time handling from a date', () => {
    const statements = [{ source: 'description' as const, text: 'Since the clocks went back at 03:00 the reminder job sends every reminder twice.' }];
    const dates = pull(1, { title: 'Reminders: schedule in the user\'s time zone', paths: ['src/reminders/schedule.ts'] });
    const other = pull(2, { title: 'Reminders: new e-mail footer', paths: ['src/reminders/footer.html'] });
    expect(externalCause(dates, context({ statements }))).toBeUndefined();
    expect(externalCause(other, context({ statements }))?.weight).toBe(-2.0);
  });

  it('reads the network between, a cloud out of capacity, a retry storm and code said not to have changed for years', () => {
    expect(kinds('packet loss 12% between the two regions since 09:40')).toContain('platform: packet loss');
    expect(kinds('InsufficientInstanceCapacity for c7g.4xlarge; the node group cannot scale')).toContain('platform: InsufficientInstanceCapacity');
    expect(kinds('a retry storm from the Android app after its own timeout')).toContain('demand: retry storm');
    expect(kinds('the parser has not changed since 2022; the partner started sending a BOM')).toContain('unchanged: has not changed since 2022');
  });
});

describe('round 7: what an engineer reads as "not this change": others failing alike, an old release failing too, a condition dated back', () => {
  it('reads other services that shipped nothing failing the same way', () => {
    expect(kinds('billing and search, which had no deploys today, report the same timeouts since 15:04')).toContain('shared: had no deploys today, report the same timeouts');
    expect(kinds('Four other consumers, none deployed this week, fail alike.')).toContain('shared: none deployed this week, fail');
    // Others that shipped nothing and are fine say the opposite.
    expect(kinds('Other services, none deployed today, are healthy.')).toEqual([]);
  });

  it('reads the failure reproduced on an older release, or seen long before', () => {
    expect(kinds('Replayed on staging against the release from last week: same error.')).toContain('recurring: against the release from last week: same error');
    expect(kinds('The previous release fails the same way on a canary.')).toContain('recurring: previous release fails the same');
    expect(kinds('Two older incidents (2024) show the same exception for one file.')).toContain('recurring: older incidents (2024) show the same exception');
  });

  it('reads a condition dated days back, not one since a time of today', () => {
    expect(kinds('the Certificate has been Ready=False since 2026-11-02, retried every hour')).toContain('standing: Ready=False since 2026-11-02');
    expect(kinds('renewals failing since March 3')).toContain('standing: failing since March 3');
    expect(kinds('checkout failing since 2026-12-03 14:05 UTC')).toEqual([]);
  });

  it('reads the same build serving elsewhere and a service that worked for hours after its deploy', () => {
    expect(kinds('The other pods run the same image and answer normally.')).toContain('unchanged: same image and answer normally');
    expect(kinds('it published normally for five hours after its 08:55 deploy')).toContain('unchanged: published normally for five hours after its 08:55 deploy');
  });

  it('reads a rate several times its usual level, one client sending most of it, hardware and a trend since months', () => {
    expect(kinds('api at 3,900 requests/s (usually ~120 at this hour)')).toContain('demand: 3,900 requests/s (usually ~120');
    expect(kinds('rate went from 2k/s to 19k/s at 18:00')).toContain('demand: went from 2k/s to 19k/s');
    expect(kinds('api at 130 requests/s (usually ~100)')).toEqual([]);
    expect(kinds('97% of requests come from one API key, retried without backoff')).toContain('demand: 97% of requests come from one');
    expect(kinds('NVRM: Xid 79, GPU has fallen off the bus')).toContain('hardware: Xid 79');
    expect(kinds('age(datfrozenxid) growing by 8M a day in a straight line since May')).toContain('growth: growing by 8M a day in a straight line since May');
  });

  it('reads daylight saving time in zone names, a leap day in a label, a signing key expired', () => {
    expect(kinds('clocks went from 01:59 CET straight to 03:00 CEST')).toContain('calendar: CET straight to 03:00 CEST');
    expect(externalSignals('ValueError: day is out of range for month', { report_date: '2028-02-29' }).map((s) => s.kind)).toContain('calendar');
    expect(kinds('audit logs show the key expired at 09:14:03 UTC')).toContain('expiry: the key expired');
  });

  it('holds an expired certificate against a TLS-version change, and spares a change that replaces the certificate', () => {
    const statements = [{ source: 'description' as const, text: 'x509: certificate has expired for CN=*.shop.example' }];
    const version = pull(1, { title: 'Admin listener: TLS 1.2 minimum', paths: ['cmd/server/tls.go'] });
    const renewal = pull(2, { title: 'cert-manager: DNS-01 issuer for the wildcard certificate', paths: ['deploy/certificate.yaml'] });
    expect(externalCause(version, context({ statements }))?.weight).toBe(-3.0);
    expect(externalCause(renewal, context({ statements }))).toBeUndefined();
  });
});

describe("round 8: hardware, a part of the fleet, a retired version, the dependency's own alert", () => {
  const kindsOf = (text: string, labels: Record<string, string> = {}) => externalSignals(text, labels).map((s) => s.kind);

  it("reads a machine's or a link's own hardware failing", () => {
    expect(kinds('megacli: BBU learn cycle failed; the array cache is now write-through')).toContain('hardware: BBU');
    expect(kinds('swp12 uplink flapping since 04:40, CRC errors rising')).toContain('hardware: uplink flapping');
    expect(kinds('smartctl: SMART failure predicted on /dev/sdb, 412 reallocated sectors')).toContain('hardware: SMART failure');
    expect(kindsOf('p99 doubled after the 10:02 deploy')).not.toContain('hardware');
  });

  it('reads one rack or one tenant of many failing while the same release serves the rest', () => {
    expect(kinds('timeouts only from the hosts in rack C3; racks C1 and C2 are fine')).toContain('scoped: only from the hosts in rack C3');
    expect(kinds('login fails for 1 of 480 customers (acme-gmbh)')).toContain('scoped: 1 of 480 customers');
    expect(externalSignals('SAML response rejected', { 'sso.tenants_failing': '1 of 87' }).map((s) => s.said)).toContain('tenants_failing: 1 of 87');
    expect(kindsOf('3 of 9 pods crash-looping, all on the new ReplicaSet')).not.toContain('scoped');
  });

  it("reads a provider calling the version deprecated, the dependency's own alert firing, an account limit reached, one client sending most of it", () => {
    expect(kinds('(#12) You are calling a deprecated version of the Graph API')).toContain('retired: deprecated version');
    expect(kinds('API v3 reached end of life on 1 March')).toContain('retired: API v3 reached end of life');
    expect(kindsOf("ledger-api's own alert \"ledger writes failing\" has been firing since 06:10")).toContain('notice');
    expect(kindsOf("rates-feed' own monitor fired at 05:50")).toContain('notice');
    expect(kinds('ConcurrentExecutions at 500 of 500 (the account limit) since 14:05')).toContain('quota: 500 of 500 (the account limit');
    expect(kinds('build 5.2.0 of the Android app sends 91% of the requests')).toContain('demand: sends 91% of the requests');
    expect(kindsOf('checkout sends 40% of the requests')).not.toContain('demand');
  });

  it('reads a certificate the client could not verify as a failed connection', () => {
    expect(connectionFailure('Error: self-signed certificate in certificate chain\n    at TLSSocket.onConnectSecure')).toBe('self-signed certificate');
    expect(connectionFailure('x509: certificate signed by unknown authority')).toBe('x509: certificate signed by unknown authority');
    expect(connectionFailure('KeyError: tenant')).toBeUndefined();
  });
});
