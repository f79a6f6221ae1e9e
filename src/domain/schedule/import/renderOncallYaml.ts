import yaml from 'js-yaml';
import type { ImportResult } from './importResult.ts';
import { printable } from './selfCheck.ts';

/**
 * The `oncall:` section as YAML for `.github/firewatch.yml`, headed by comments saying where it
 * came from and what did not come along (so the file itself tells a reviewer what to check).
 */
export function renderOncallYaml(result: ImportResult, generatedAt: Date): string {
  const comment = (text: string) => `# ${printable(text)}`;
  const header = [
    comment(`Imported from ${result.vendor} by \`firewatch import\` on ${generatedAt.toISOString()}.`),
    ...(result.notExpressible.length > 0 ? [comment('Not expressible in firewatch:'), ...result.notExpressible.map((text) => comment(`  - ${text}`))] : []),
    ...(result.unmapped.length > 0 ? [comment(`Unmapped people ("no-one" in rotations and overrides, left out of escalation steps): ${result.unmapped.map((person) => person.email).join(', ')}`)] : []),
  ];
  const body = yaml.dump({ oncall: result.oncall }, { lineWidth: -1, noRefs: true, quotingType: "'" });
  return `${header.join('\n')}\n${body}`;
}
