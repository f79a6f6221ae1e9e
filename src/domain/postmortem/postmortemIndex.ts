import { escapeInline } from '../markdown.ts';

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
const ROW = /^\|\s*(.*?)\s*\|\s*\[(.*)\]\(<?([^)>]+)>?\)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$/;

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
    const match = ROW.exec(line);
    if (match) rows.push({ date: match[1] ?? '', title: match[2] ?? '', path: decodeURIComponent(match[3] ?? ''), severity: match[4] ?? '', duration: match[5] ?? '', status: match[6] ?? '' });
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
  return `${readme.replace(/\s*$/, '')}\n\n## Index\n\n${table}\n`;
}
