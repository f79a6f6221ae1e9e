/**
 * Which part of a dependency manifest a diff changes: `devDependencies` of a package.json,
 * `[tool.poetry.group.dev.dependencies]` of a pyproject.toml, `[dev-dependencies]` of a
 * Cargo.toml, `require-dev` of a composer.json, `group :development, :test` of a Gemfile. A
 * patch shows three lines of context around each change, so a section header close to the
 * changed lines is in sight; when none is, the section stays unknown (and the change is not taken
 * for development-only). A section written on one line (`"devDependencies": { "husky": "9.1.6" }`)
 * is its own section. Also the package names of the changed lines, so a known development tool
 * (`storybook`, `mypy`) is recognised whoever opened the PR. Pure.
 */

export interface ManifestChange {
  /** The section the changed line is in, when the patch shows it: `devDependencies`, `tool.poetry.group.dev.dependencies`. */
  section?: string;
  /** The package the line names, when it names one: `@storybook/react`, `mypy`. */
  name?: string;
}

const JSON_SECTION = /^\s*"([\w-]+)"\s*:\s*\{\s*$/;
const JSON_SECTION_START = /^\s*"([\w-]+)"\s*:\s*\{/;
const TOML_ARRAY_KEY = /^\s*([\w-]+)\s*=\s*\[\s*$/;
const GEM_GROUP = /^\s*group\s+(:\w+(?:\s*,\s*:\w+)*)\s+do\b/;
const JSON_ENTRY = /^\s*"(@?[\w.-]+(?:\/[\w.-]+)?)"\s*:\s*"[^"]*"\s*(?:,\s*)?$/;
const TOML_ENTRY = /^\s*"?([\w.-]+)"?\s*=\s*(?:"|\{)/;
const QUOTED_REQUIREMENT = /^\s*"([\w.-]+)\s*(?:[<>=!~^]|\[|")/;
const GEM_ENTRY = /^\s*gem\s+["']([\w.-]+)["']/;

/** A TOML table header's name (`[tool.poetry.group.dev.dependencies]`, `[[bin]]`), read without a backtracking pattern. */
function tomlSection(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  const inner = text.slice(text.startsWith('[[') ? 2 : 1, text.endsWith(']]') ? -2 : -1);
  if (inner.includes(']')) return undefined;
  const name = inner.trim();
  return name || undefined;
}

/** `"devDependencies": { "husky": "9.1.6" },`: a JSON object opened and closed on one line, its key. */
function inlineJsonSection(line: string): string | undefined {
  const key = JSON_SECTION_START.exec(line)?.[1];
  if (!key) return undefined;
  const text = line.trim();
  return (text.endsWith(',') ? text.slice(0, -1).trimEnd() : text).endsWith('}') ? key : undefined;
}

/** The changed lines of one manifest's patch, each with its section and package when the patch shows them. */
export function manifestChanges(patch: string): ManifestChange[] {
  const changes: ManifestChange[] = [];
  let section: string | undefined;
  let arrayKey: string | undefined;
  for (const raw of patch.split('\n')) {
    if (raw.startsWith('@@')) {
      // Each hunk starts somewhere unknown.
      section = undefined;
      arrayKey = undefined;
      continue;
    }
    const marker = raw[0];
    if (marker !== ' ' && marker !== '+' && marker !== '-') continue;
    const line = raw.slice(1);
    const inline = inlineJsonSection(line);
    if (inline) {
      if (marker !== ' ') changes.push({ section: inline });
      continue;
    }
    const header = JSON_SECTION.exec(line)?.[1] ?? tomlSection(line) ?? GEM_GROUP.exec(line)?.[1]?.replace(/\s+/g, '');
    if (header) {
      section = header;
      arrayKey = undefined;
    }
    const key = TOML_ARRAY_KEY.exec(line)?.[1];
    if (key) arrayKey = key;
    if (/^\s*end\s*$/.test(line) && section?.startsWith(':')) section = undefined;
    if (marker === ' ' || header || key || line.trim() === '') continue;
    const name = JSON_ENTRY.exec(line)?.[1] ?? GEM_ENTRY.exec(line)?.[1] ?? QUOTED_REQUIREMENT.exec(line)?.[1] ?? TOML_ENTRY.exec(line)?.[1];
    const where = arrayKey && section ? `${section}.${arrayKey}` : section;
    changes.push({ ...(where ? { section: where } : {}), ...(name ? { name } : {}) });
  }
  return changes;
}

/**
 * Sections only developers' tools live in: development dependencies, and the keys of a
 * package.json that configure linters, formatters, git hooks and test runners (`lint-staged`,
 * `prettier`, `jest`), which nothing in production reads.
 */
const DEVELOPMENT_SECTION = /^(devDependencies|lint-staged|husky|simple-git-hooks|prettier|eslintConfig|stylelint|commitlint|jest|nyc|c8|ava|mocha|remarkConfig|markdownlint|require-dev|dev-dependencies|build-dependencies|tool\.poetry\.dev-dependencies|tool\.poetry\.group\.(dev|test|tests|lint|docs|typing|format)\.dependencies|dependency-groups\.(dev|test|tests|lint|docs|typing)|tool\.uv\.dev-dependencies|project\.optional-dependencies\.(dev|test|tests|lint|docs|typing)|target\..+\.dev-dependencies|(:development|:test)(,:(development|test))*)$/;

export function isDevelopmentSection(section: string): boolean {
  return DEVELOPMENT_SECTION.test(section);
}
