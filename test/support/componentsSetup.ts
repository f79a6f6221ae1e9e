/**
 * vitest global setup: one line per missing component that some test file needs (`needs('redis', …)`),
 * before the run starts; under CI=true the run stops there (see components.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPONENTS, isCi, missingComponent, type ComponentName } from './components.ts';

const testDir = fileURLToPath(new URL('..', import.meta.url));

/** Components named by a `needs(...)` call in some test file. */
export function neededComponents(dir = testDir): ComponentName[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.ts'));
  const text = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
  return (Object.keys(COMPONENTS) as ComponentName[]).filter((name) => text.includes(`needs('${name}'`));
}

export default function setup(): void {
  const missing = neededComponents()
    .map((name) => missingComponent(name))
    .filter((line) => line !== undefined);
  for (const line of missing) process.stderr.write(`${line}\n`);
  if (missing.length > 0 && isCi()) throw new Error(`CI=true and ${missing.length} test component(s) missing; install them (see above)`);
}
