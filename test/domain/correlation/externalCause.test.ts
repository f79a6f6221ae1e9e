import { describe, expect, it } from 'vitest';
import { externalSignals } from '../../../src/domain/correlation/externalCause.ts';
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

  it('the platform failing: nodes, brokers, shards, failovers, DNS', () => {
    expect(kinds('Broker kafka-2 log directory /var/lib/kafka is offline; 42 under-replicated partitions')).toEqual(['platform: under-replicated']);
    expect(kinds('broker node rabbitmq-2 is down and its queues are failing over')).toEqual(['platform: failing over']);
    expect(kinds('getaddrinfo EAI_AGAIN payments.internal')).toEqual(['platform: EAI_AGAIN']);
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

  it('turns a deploy twenty minutes before a one-zone outage into "no likely suspect"', () => {
    const zonal = facts({ servicePaths: [], statements: [{ source: 'description', text: '94% of the 5xx come from pods in us-east-1c; us-east-1a and us-east-1b are clean.' }] });
    const ranking = rankSuspects(zonal, [pull(1, { title: 'Validate nickname length', paths: ['profile/validate.py'], deployments: [deployed(20)] })]);
    expect(ranking.verdict).toBe('no_likely_suspect');
    expect(ranking.suspects[0]?.evidence.map((e) => e.feature)).toContain('external_cause');
  });
});
