/**
 * Validates sandbox responses against GitHub's published OpenAPI description
 * (`@octokit/openapi`, api.github.com), so the sandbox cannot drift from the real API.
 *
 *   expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/issues', 201, body)
 *
 * `route` is the OpenAPI path template (the same key the sandbox router and /_sandbox/stats use).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
  components: { responses: Record<string, Json> };
}

let document: OpenApiDocument | undefined;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { document: OpenApiDocument; ajv: Ajv } {
  if (!document || !ajv) {
    const raw = readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');
    document = normalizeNullable(JSON.parse(raw)) as OpenApiDocument;
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, discriminator: false });
    const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
    addFormats(ajv);
    ajv.addSchema(document as unknown as Json, 'openapi');
  }
  return { document, ajv };
}

/**
 * OpenAPI 3.0's `nullable` is only understood by Ajv next to `type`; GitHub's description also
 * puts it beside `allOf`/`anyOf`. Rewrite those into JSON Schema's `anyOf [..., null]`.
 */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = normalizeNullable(v);
  // Ajv's `nullable` does not extend `enum`; GitHub sends null for nullable enums (`state_reason`).
  if (out['nullable'] === true && Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  if (out['nullable'] === true && out['type'] === undefined) {
    delete out['nullable'];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function pointerEscape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Returns the list of problems (empty when the body matches). */
export function openApiProblems(method: string, route: string, status: number, body: unknown): string[] {
  const { document: doc, ajv: validatorAjv } = load();
  const key = `${method.toUpperCase()} ${route} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const operation = doc.paths[route]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${route} is not in GitHub's OpenAPI description`];
    let response = operation.responses[String(status)];
    if (!response) return [`${method} ${route} has no documented ${status} response (documented: ${Object.keys(operation.responses).join(', ')})`];
    let responsePointer = `#/paths/${pointerEscape(route)}/${method.toLowerCase()}/responses/${status}`;
    const ref = response['$ref'];
    if (typeof ref === 'string') {
      responsePointer = ref;
      response = doc.components.responses[ref.split('/').pop() ?? ''] ?? {};
    }
    const content = response['content'] as Record<string, unknown> | undefined;
    if (!content) {
      // A documented response without a body (204 and friends).
      return body === undefined || body === null || body === '' ? [] : [`${key} documents no body, got one`];
    }
    const mediaType = Object.keys(content).find((t) => t.includes('json'));
    if (!mediaType) return [`${key} has no JSON body in the description`];
    validate = validatorAjv.compile({ $ref: `openapi${responsePointer}/content/${pointerEscape(mediaType)}/schema` });
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function expectMatchesOpenApi(method: string, route: string, status: number, body: unknown): void {
  const problems = openApiProblems(method, route, status, body);
  if (problems.length) {
    throw new Error(`${method} ${route} → ${status} does not match GitHub's OpenAPI description:\n  ${problems.join('\n  ')}`);
  }
}

/** Problems of `body` against one of the description's component schemas (`basic-error`), for answers any route may give (a rate limit refusal). */
export function schemaProblems(component: string, body: unknown): string[] {
  const { document: doc, ajv: validatorAjv } = load();
  const key = `#/components/schemas/${component}`;
  let validate = validators.get(key);
  if (!validate) {
    if (!(doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas[component]) return [`${component} is not a schema in GitHub's OpenAPI description`];
    validate = validatorAjv.compile({ $ref: `openapi${key}` });
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
