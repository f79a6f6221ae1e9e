/**
 * Writes the configuration reference table into docs/configuration.md from the same JSON Schema
 * editors use, so the docs cannot drift from the validator, and the sandbox's demo configuration
 * (acme/shop's `.github/firewatch.yml`) into README.md and docs/configuration.md as the example.
 * Part of `npm run schema`; CI fails when a generated section is stale.
 */
import { fileURLToPath } from 'node:url';
import { DEMO_CONFIG_TEXT } from '@firewatch/sandbox';
import { cell, writeSection } from './docsFile.ts';
import { configJsonSchema } from './write-schema.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'object' && !schema.properties) {
    const keys = schema.propertyNames?.enum ? ` (keys: ${schema.propertyNames.enum.map((k) => `\`${String(k)}\``).join(', ')})` : '';
    const values = typeof schema.additionalProperties === 'object' ? typeOf(schema.additionalProperties) : 'value';
    return `map → ${values}${keys}`;
  }
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
}

function rows(schema: JsonSchema, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.properties) {
      out.push(`| \`${path}\` | section | | ${cell(child.description ?? '')} |`);
      out.push(...rows(child, path));
      continue;
    }
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(child)} | ${fallback} | ${cell(child.description ?? '')} |`);
  }
  return out;
}

export function configReference(): string {
  const schema = JSON.parse(configJsonSchema()) as JsonSchema;
  return ['| key | type | default | meaning |', '| --- | --- | --- | --- |', ...rows(schema, '')].join('\n');
}

/** The demo configuration as a fenced YAML block. */
export function demoConfigBlock(): string {
  return ['```yaml', DEMO_CONFIG_TEXT.trimEnd(), '```'].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeSection('docs/configuration.md', 'config-reference', configReference());
  writeSection('docs/configuration.md', 'demo-config', demoConfigBlock());
  writeSection('README.md', 'demo-config', demoConfigBlock());
}
