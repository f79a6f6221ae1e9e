/**
 * Writes schema/firewatch.schema.json (for editors: `# yaml-language-server: $schema=...`) from
 * the zod schema the app validates with, so the two cannot disagree. `npm run schema`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { firewatchConfigSchema } from '../src/domain/config/config.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/firewatch.schema.json', import.meta.url));

/** The JSON Schema of what users write: the input side, where every defaulted field is optional. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(firewatchConfigSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'firewatch configuration' }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, configJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
