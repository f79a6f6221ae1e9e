/**
 * The Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api), served by firewatch so that
 * Alertmanager's `opsgenie_configs`, Grafana's Opsgenie contact point and scripts keep working
 * with one URL changed. An Opsgenie alert is one group of firewatch alerts (its `alias` is the
 * dedup key); its id is derived from the integration and the alias, so every identifier type
 * finds the same incident: `alias`, `id` (as `GET …/requests/{id}` reports it) and `tiny` (the
 * incident's issue number).
 */
import { hash } from 'node:crypto';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import { isSeverity, SEVERITIES, type Severity } from '../../domain/incident/severity.ts';
import type { AlertAction, VendorRequest } from '../../domain/alerts/vendorEvent.ts';
import { alertmanagerExternalUrl, isAlertmanagerText, parseAlertmanagerText } from './alertmanagerText.ts';
import { clip, firstLabel, MAX_LABELS, SERVICE_LABELS, stableFingerprint, UNKNOWN_SERVICE, webLink } from './sourceFields.ts';
import { actionAlert, alertsFromText, vendorContext } from './vendorAlert.ts';
import type { VendorIntegration } from './vendorKeys.ts';

/** Opsgenie's documented limits. Display fields beyond them are cut, as Opsgenie does; an alias beyond its limit is refused. */
const OPSGENIE_LIMITS = { message: 130, alias: 512, description: 15_000, tags: 20, tag: 50, details: 8_000, entity: 512, source: 100, user: 100, note: 25_000 } as const;
const IDENTIFIER_TYPES = ['id', 'alias', 'tiny'] as const;

/** The acts on an alert firewatch serves, by the last segment of `v2/alerts/{identifier}/…`, with their HTTP method and Opsgenie's action name. */
export const OPSGENIE_ACTIONS = {
  close: { method: 'POST', name: 'Close' },
  acknowledge: { method: 'POST', name: 'Acknowledge' },
  notes: { method: 'POST', name: 'AddNote' },
  message: { method: 'PUT', name: 'UpdateMessage' },
  description: { method: 'PUT', name: 'UpdateDescription' },
  priority: { method: 'PUT', name: 'UpdatePriority' },
} as const;
export type OpsgenieActionName = keyof typeof OPSGENIE_ACTIONS;

export function isOpsgenieAction(name: string): name is OpsgenieActionName {
  return Object.hasOwn(OPSGENIE_ACTIONS, name);
}

/** Field → message, as Opsgenie's `errors` object (`{"message": "Message can not be empty."}`). */
export type OpsgenieErrors = Record<string, string>;

export type OpsgenieResult = { ok: true; alerts: NormalizedAlert[]; request: VendorRequest } | { ok: false; errors: OpsgenieErrors };

export interface OpsgenieContext {
  integration: VendorIntegration;
  receivedAt: Date;
  requestId: string;
  /** An alias for an alert created without one (Opsgenie then assigns a unique one). */
  newAlias: () => string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id firewatch gives the Opsgenie alert `alias` of an integration: UUID-shaped, stable, unguessable without both. */
export function opsgenieAlertId(integration: string, alias: string): string {
  const hex = hash('sha256', `opsgenie\u0000${integration}\u0000${alias}`, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function textField(body: Json, key: string, errors: OpsgenieErrors): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  errors[key] = `${key[0]?.toUpperCase()}${key.slice(1)} should be a string.`;
  return undefined;
}

function priorityField(body: Json, errors: OpsgenieErrors, required: boolean): Severity | undefined {
  const value = body['priority'];
  if (value === undefined || value === null) {
    if (required) errors['priority'] = 'Priority can not be empty.';
    return undefined;
  }
  if (typeof value === 'string' && isSeverity(value)) return value;
  errors['priority'] = `Priority should be one of [${SEVERITIES.join(', ')}].`;
  return undefined;
}

/** Who did it, in words, for the timeline: the integration, and the `user` the request names. */
function actor(integration: VendorIntegration, user: string | undefined): string {
  const named = user?.trim() ? ` (user "${clip(user.trim(), OPSGENIE_LIMITS.user)}")` : '';
  return `the Opsgenie integration "${integration.name}"${named}`;
}

/**
 * `responders` as the sender named them (`team:ops`, `user:jane@example.com`): shown as a label
 * and matched by routing, and paged when paging finds them among its contacts (by e-mail address).
 */
function respondersOf(value: unknown, errors: OpsgenieErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    errors['responders'] = 'Responders should be a list of objects with type and id, name or username.';
    return [];
  }
  const named = value.flatMap((responder) => {
    const type = typeof responder['type'] === 'string' ? clip(responder['type'].trim(), 40) : 'responder';
    const who = [responder['username'], responder['name'], responder['id']].find((part): part is string => typeof part === 'string' && part.trim() !== '');
    return who ? [`${type}:${clip(who.trim(), 150)}`] : [];
  });
  return [...new Set(named)].slice(0, MAX_RESPONDERS);
}

const MAX_RESPONDERS = 20;

/** `details` (string → string; numbers and booleans are taken as text) as labels, within Opsgenie's 8,000 characters. */
function detailsLabels(value: unknown, errors: OpsgenieErrors): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors['details'] = 'Details should be a map of key-value pairs.';
    return {};
  }
  const labels: Record<string, string> = {};
  let size = 0;
  for (const [key, raw] of Object.entries(value)) {
    const name = key.trim().slice(0, 256);
    if (!name || raw === null || raw === undefined || typeof raw === 'object') continue;
    const text = clip(String(raw), 4_096);
    size += name.length + text.length;
    if (size > OPSGENIE_LIMITS.details || Object.keys(labels).length === MAX_LABELS) break;
    labels[name] = text;
  }
  return labels;
}

function tagsText(value: unknown, errors: OpsgenieErrors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
    errors['tags'] = 'Tags should be a list of strings.';
    return undefined;
  }
  const tags = value.map((tag) => clip(tag.trim(), OPSGENIE_LIMITS.tag)).filter(Boolean).slice(0, OPSGENIE_LIMITS.tags);
  return tags.length ? tags.join(',') : undefined;
}

/**
 * `POST v2/alerts`. Alertmanager's description (`Alerts Firing:` with each alert's labels and
 * annotations as text) becomes one alert per alert of its group, as the webhook source gives them;
 * any other create is one alert: `message` the title, `description` the summary, `details`, `tags`,
 * `entity` and `responders` labels, `source` an annotation, `priority` the severity. `note` is
 * posted on the incident, `user` names who did it.
 */
export function normalizeOpsgenieCreate(body: unknown, context: OpsgenieContext): OpsgenieResult {
  if (!isObject(body)) return { ok: false, errors: { body: 'Request body should be a JSON object.' } };
  const errors: OpsgenieErrors = {};
  const message = textField(body, 'message', errors)?.replace(/\s+/g, ' ').trim();
  if (!message && !errors['message']) errors['message'] = 'Message can not be empty.';
  const givenAlias = textField(body, 'alias', errors)?.trim();
  if (givenAlias && givenAlias.length > OPSGENIE_LIMITS.alias) errors['alias'] = `Alias can not be longer than ${OPSGENIE_LIMITS.alias} characters.`;
  const description = textField(body, 'description', errors);
  const entity = textField(body, 'entity', errors)?.trim();
  const source = textField(body, 'source', errors)?.trim();
  const user = textField(body, 'user', errors);
  const note = textField(body, 'note', errors);
  const priority = priorityField(body, errors, false);
  const responders = respondersOf(body['responders'], errors);
  const details = detailsLabels(body['details'], errors);
  const tags = tagsText(body['tags'], errors);
  if (Object.keys(errors).length || !message) return { ok: false, errors };

  const alias = givenAlias || context.newAlias();
  const alertId = opsgenieAlertId(context.integration.name, alias);
  const request: VendorRequest = { id: context.requestId, action: 'Create', integration: context.integration.name, alertId, alias };
  const fingerprint = stableFingerprint('opsgenie', context.integration.name, alertId);
  const by = actor(context.integration, user);
  const alerts: NormalizedAlert[] = [];

  const fromAlertmanager = isAlertmanagerText(description) ? parseAlertmanagerText(description, 'firing') : [];
  if (fromAlertmanager.length) {
    alerts.push(...alertsFromText('opsgenie', fromAlertmanager, { integration: context.integration, groupKey: alertId, receivedAt: context.receivedAt, ...(source ? { alertmanagerLink: source } : {}), context: { request } }));
    // A priority the receiver sets (`priority:` in opsgenie_configs) rates the whole group, and
    // its `responders:` are asked for every alert of it.
    for (const alert of alerts) {
      if (priority) {
        alert.severity = priority;
        delete alert.severityDefaulted;
      }
      if (responders.length) alert.responders = responders;
    }
  } else {
    const labels: Record<string, string> = { ...details };
    if (tags) labels['tags'] = tags;
    if (entity) labels['entity'] = clip(entity, OPSGENIE_LIMITS.entity);
    // Shown in the alerts table and matched by routing (`match: { responders: { regex: '.*team:payments.*' } }`).
    if (responders.length) labels['responders'] = clip(responders.join(', '), 4_096);
    const annotations: Record<string, string> = {};
    if (source) annotations['source'] = clip(source, OPSGENIE_LIMITS.source);
    const summary = description?.trim() ? clip(description.trim(), 1_024) : undefined;
    const alert: NormalizedAlert = {
      source: 'opsgenie',
      fingerprint,
      groupKey: `${context.integration.name}/${alertId}`,
      status: 'firing',
      title: clip(message, OPSGENIE_LIMITS.message),
      ...(priority ? { severity: priority } : { severity: 'P3', severityDefaulted: true as const }),
      service: context.integration.service ?? firstLabel(labels, SERVICE_LABELS) ?? UNKNOWN_SERVICE,
      labels,
      annotations,
      startsAt: context.receivedAt.toISOString(),
      links: { other: [] },
      vendor: vendorContext(context.integration, { request }),
      ...(summary ? { summary } : {}),
      ...(description?.trim() ? { description: clip(description.trim(), OPSGENIE_LIMITS.description) } : {}),
      ...(responders.length ? { responders } : {}),
    };
    const generator = webLink(source);
    if (generator && !alertmanagerExternalUrl(generator)) alert.links.generator = generator;
    alerts.push(alert);
  }
  if (note?.trim()) {
    alerts.push(actionAlert('opsgenie', { type: 'note', by, text: note }, { integration: context.integration, groupKey: alertId, fingerprint, receivedAt: context.receivedAt, labels: alerts[0]?.labels ?? {}, context: { request } }));
  }
  return { ok: true, alerts, request };
}

/**
 * `POST v2/alerts/{identifier}/close|acknowledge|notes`, `PUT …/message|description|priority`:
 * one act on the incident the identifier names. Whether that alert exists is only known once the
 * request is processed (as in Opsgenie: the answer is 202, and the request's status tells).
 */
export function normalizeOpsgenieAction(
  name: OpsgenieActionName,
  identifier: string,
  identifierType: string | null,
  body: unknown,
  context: Omit<OpsgenieContext, 'newAlias'>,
): OpsgenieResult {
  const errors: OpsgenieErrors = {};
  const type = identifierType ?? 'id';
  if (!(IDENTIFIER_TYPES as readonly string[]).includes(type)) errors['identifierType'] = `Identifier type should be one of [${IDENTIFIER_TYPES.join(', ')}].`;
  const id = identifier.trim();
  if (!id) errors['identifier'] = 'Identifier can not be empty.';
  else if (id.length > OPSGENIE_LIMITS.alias) errors['identifier'] = `Identifier can not be longer than ${OPSGENIE_LIMITS.alias} characters.`;
  else if (type === 'tiny' && !/^\d{1,9}$/.test(id)) errors['identifier'] = 'A tiny id is the number of the incident issue.';
  const fields = body === undefined ? {} : body;
  if (!isObject(fields)) return { ok: false, errors: { ...errors, body: 'Request body should be a JSON object.' } };
  const user = textField(fields, 'user', errors);
  const note = textField(fields, 'note', errors);
  const by = actor(context.integration, user);

  let action: AlertAction | undefined;
  switch (name) {
    case 'close':
      action = { type: 'resolve', by, ...(note?.trim() ? { note } : {}) };
      break;
    case 'acknowledge':
      action = { type: 'acknowledge', by, ...(note?.trim() ? { note } : {}) };
      break;
    case 'notes':
      if (!note?.trim() && !errors['note']) errors['note'] = 'Note can not be empty.';
      if (note && note.length > OPSGENIE_LIMITS.note) errors['note'] = `Note can not be longer than ${OPSGENIE_LIMITS.note} characters.`;
      action = { type: 'note', by, text: note ?? '' };
      break;
    case 'message': {
      const message = textField(fields, 'message', errors)?.replace(/\s+/g, ' ').trim();
      if (!message && !errors['message']) errors['message'] = 'Message can not be empty.';
      action = { type: 'retitle', by, title: clip(message ?? '', OPSGENIE_LIMITS.message) };
      break;
    }
    case 'description': {
      const description = textField(fields, 'description', errors);
      if (description === undefined && !errors['description']) errors['description'] = 'Description can not be empty.';
      action = { type: 'describe', by, description: clip(description ?? '', OPSGENIE_LIMITS.description) };
      break;
    }
    case 'priority': {
      const priority = priorityField(fields, errors, true);
      action = priority ? { type: 'reprioritize', by, severity: priority } : undefined;
      break;
    }
  }
  if (Object.keys(errors).length || !action) return { ok: false, errors };

  const alias = type === 'alias' ? id : '';
  const alertId = type === 'alias' ? opsgenieAlertId(context.integration.name, id) : type === 'id' ? id : '';
  const request: VendorRequest = { id: context.requestId, action: OPSGENIE_ACTIONS[name].name, integration: context.integration.name, alertId, alias };
  const target =
    type === 'tiny'
      ? { fingerprint: `tiny:${id}`, context: { request, issue: Number(id) } }
      : { groupKey: alertId, fingerprint: stableFingerprint('opsgenie', context.integration.name, alertId), context: { request } };
  const alerts = [actionAlert('opsgenie', action, { integration: context.integration, receivedAt: context.receivedAt, ...target })];
  // A note given with another act is posted too (Opsgenie adds it to the alert's notes).
  if (note?.trim() && name !== 'notes' && name !== 'close' && name !== 'acknowledge') {
    alerts.push(actionAlert('opsgenie', { type: 'note', by, text: note }, { integration: context.integration, receivedAt: context.receivedAt, ...target }));
  }
  return { ok: true, alerts, request };
}
