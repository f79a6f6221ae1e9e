import { escapeInline } from '../text/markdown.ts';

export interface IndexRow {
  date: string;
  title: string;
  severity: string;
  duration: string;
  status: string;
  /** Path of the file, relative to the README; the row's identity. */
  path: string;
}

const START = '<!-- firewatch:postmortem-index:start -->';
const END = '<!-- firewatch:postmortem-index:end -->';
const HEADER = ['| Date | Title | Severity | Duration | Status |', '| --- | --- | --- | --- | --- |'];

/**
 * `| date | [title](path) | severity | duration | status |` read by splitting on `|` (a title
 * escapes its own bars, and the link cell is whatever lies between the date and the last three
 * cells): a pattern of lazy cells could backtrack polynomially on a long hand-written row.
 */
function readRow(line: string): IndexRow | undefined {
  const text = line.trim();
  if (text.length < 2 || !text.startsWith('|') || !text.endsWith('|')) return undefined;
  const cells = text.slice(1, -1).split('|');
  if (cells.length < 5) return undefined;
  const [severity = '', duration = '', status = ''] = cells.slice(-3).map((cell) => cell.trim());
  const link = cells.slice(1, -3).join('|').trim();
  const open = link.lastIndexOf('](');
  if (!link.startsWith('[') || !link.endsWith(')') || open < 1) return undefined;
  let path = link.slice(open + 2, -1);
  if (path.startsWith('<') && path.endsWith('>')) path = path.slice(1, -1);
  if (!path || path.includes(')') || path.includes('>')) return undefined;
  return { date: (cells[0] ?? '').trim(), title: link.slice(1, open), path: decodeURIComponent(path), severity, duration, status };
}

function renderRow(row: IndexRow): string {
  // encodeURIComponent leaves `(` and `)` alone, and they would end the link target.
  const path = row.path.replace(/[()<>|\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `| ${row.date} | [${row.title}](${path}) | ${row.severity} | ${row.duration} | ${row.status} |`;
}

/** Rows of an index table as `indexRow` wrote them; rows written by hand in another shape are kept verbatim. */
function readRows(block: string): { rows: IndexRow[]; foreign: string[] } {
  const rows: IndexRow[] = [];
  const foreign: string[] = [];
  for (const line of block.split('\n')) {
    if (!line.trim() || HEADER.includes(line.trim())) continue;
    const row = readRow(line);
    if (row) rows.push(row);
    else foreign.push(line);
  }
  return { rows, foreign };
}

/** A row with its title escaped for a table cell. */
export function indexRow(row: IndexRow): IndexRow {
  return { ...row, title: escapeInline(row.title) };
}

/**
 * README.md with `row` in its index table (newest first; the same path replaces its old row). The
 * table lives between markers; text around it is the humans'. A README without the markers gets
 * a `## Index` section at the end. Pure.
 */
export function mergeIndex(readme: string, row: IndexRow): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  const hasTable = start !== -1 && end > start;
  const { rows, foreign } = hasTable ? readRows(readme.slice(start + START.length, end)) : { rows: [], foreign: [] };
  const merged = [...rows.filter((existing) => existing.path !== row.path), row].sort((a, b) => b.date.localeCompare(a.date) || a.path.localeCompare(b.path));
  const table = [START, ...HEADER, ...merged.map(renderRow), ...foreign, END].join('\n');
  if (hasTable) return `${readme.slice(0, start)}${table}${readme.slice(end + END.length)}`;
  return `${readme.trimEnd()}\n\n## Index\n\n${table}\n`;
}
