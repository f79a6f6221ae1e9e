/**
 * validate-config speaks plain words: whatever wrong value is put at whatever key of the schema,
 * no problem is reported in the validator's own wording ("Too small: expected number to be >=1",
 * "Invalid input").
 */
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../scripts/write-schema.ts';
import { validateConfig } from '../../src/domain/config/config.ts';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** Every key path of the schema, with list items as `[]`: `oncall.layers[].participants`. */
function paths(schema: JsonSchema, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const here = [...prefix, key];
    out.push(here);
    out.push(...paths(child, here));
    const item = child.items ?? child.anyOf?.find((option) => option.items)?.items;
    if (item?.properties) out.push(...paths(item, [...here, '[]']));
  }
  return out;
}

function configWith(path: string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  if (key === '[]') return [configWith(rest, value)];
  return { [key]: configWith(rest, value) };
}

const WRONG: unknown[] = [-5, 0, 1e9, 2.5, '', 'x', 'x'.repeat(3000), [], [1, 2], Array.from({ length: 200 }, () => 'a'), { a: 1 }, true, null];
const ZOD_WORDING = /\b(?:Too (?:small|big)|Invalid (?:input|option|string|type|element|key|value))\b|expected \w+ to (?:be|have)/;

describe('validate-config messages', () => {
  const schema = JSON.parse(configJsonSchema()) as JsonSchema;
  const all = paths(schema);

  it('walks the whole schema', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('are plain words for every wrong value at every key', () => {
    const raw: string[] = [];
    for (const path of all) {
      for (const value of WRONG) {
        for (const problem of validateConfig(configWith(path, value)).problems) {
          if (ZOD_WORDING.test(problem.message)) raw.push(`${problem.path}: ${problem.message}`);
        }
      }
    }
    expect([...new Set(raw)]).toEqual([]);
  });

  it('say what a union takes, and the bounds of numbers and lists', () => {
    const messages = (input: unknown) => validateConfig(input).problems.map((problem) => `${problem.path} | ${problem.message}`);
    expect(messages({ routing: { services: [{ name: 'checkout', match: { service: 3 } }] } })).toEqual(['routing.services[0].match.service | must be a string or a mapping']);
    expect(messages({ sweeps: { intervalMinutes: -3 } })).toEqual(['sweeps.intervalMinutes | must be 1 or more']);
  });
});
