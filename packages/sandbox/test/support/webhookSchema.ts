/**
 * Validates emitted webhook payloads against `@octokit/webhooks-schemas`, whose definitions are
 * keyed `event$action` (`pull_request$opened`) or `event$event` for events without actions (`push$event`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { WebhookDelivery } from '../../src/types.ts';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
ajv.addSchema(schema, 'webhooks');
const validators = new Map<string, ValidateFunction>();

/** Problems of `payload` against the schema's definition for `event$action` (empty when it matches). */
export function webhookProblems(event: string, action: string | undefined, payload: unknown): string[] {
  const key = `${event}$${action ?? 'event'}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `webhooks#/definitions/${key.replace(/\$/g, '%24')}` });
    validators.set(key, validate);
  }
  if (validate(payload)) return [];
  return (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function expectValidWebhook(delivery: WebhookDelivery): void {
  const problems = webhookProblems(delivery.event, delivery.action, delivery.payload);
  if (problems.length) {
    throw new Error(`${delivery.event}$${delivery.action ?? 'event'} payload does not match @octokit/webhooks-schemas:\n  ${problems.join('\n  ')}`);
  }
}
