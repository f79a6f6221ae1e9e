/**
 * Tables as a reader sees them. markdown-it (a GFM parser, tables on) finds each table in the
 * Markdown; each row's cells are then counted the way GitHub's parser (cmark-gfm: a backslash
 * escapes the next punctuation character, so `\\|` is a backslash and a cell break) and markdown-it
 * (a pipe right after a backslash is escaped) split a row. Both parsers pad or drop cells silently,
 * so a broken row still renders as a table: the count on the source line is what shows the damage.
 */
import MarkdownIt from 'markdown-it';

// HTML on, as on GitHub: a hidden `<!-- firewatch:end … -->` marker after a table is an HTML block that ends the table.
const markdown = new MarkdownIt({ html: true });

interface RenderedTable {
  /** 1-based line of the header row. */
  line: number;
  header: string[];
  /** Cell texts of each body row, as markdown-it parsed them. */
  rows: string[][];
}

export interface TableCheck {
  tables: RenderedTable[];
  /** One line per row whose cell count differs from its header's, or a row-shaped line left outside its table. */
  problems: string[];
}

function trimOuter(cells: string[]): string[] {
  const copy = [...cells];
  if (copy[0]?.trim() === '') copy.shift();
  if (copy.length && copy[copy.length - 1]?.trim() === '') copy.pop();
  return copy;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Cells of a row as cmark-gfm splits it. */
export function cmarkCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? '';
    if (char === '\\' && PUNCTUATION.test(line[i + 1] ?? '')) {
      current += char + (line[i + 1] ?? '');
      i++;
    } else if (char === '|') {
      cells.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current);
  return trimOuter(cells);
}

/** Cells of a row as markdown-it splits it. */
export function markdownItCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? '';
    if (char === '|' && line[i - 1] !== '\\') {
      cells.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current);
  return trimOuter(cells);
}

/** Every table of `text` and what is wrong with its rows (nothing, for valid GFM). */
export function checkTables(text: string): TableCheck {
  const lines = text.split('\n');
  const tokens = markdown.parse(text, {});
  const tables: RenderedTable[] = [];
  const problems: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open?.type !== 'table_open' || !open.map) continue;
    const [start, end] = open.map;
    const table: RenderedTable = { line: start + 1, header: [], rows: [] };
    let row: string[] | null = null;
    let inHead = false;
    for (i++; i < tokens.length && tokens[i]?.type !== 'table_close'; i++) {
      const token = tokens[i];
      if (!token) continue;
      if (token.type === 'thead_open') inHead = true;
      if (token.type === 'thead_close') inHead = false;
      if (token.type === 'tr_open') row = [];
      if (token.type === 'inline' && row) row.push(token.content);
      if (token.type === 'tr_close' && row) {
        if (inHead) table.header = row;
        else table.rows.push(row);
        row = null;
      }
    }
    const width = table.header.length;
    for (let line = start; line < end; line++) {
      if (line === start + 1) continue; // the delimiter row
      const source = lines[line] ?? '';
      for (const [parser, cells] of [
        ['GitHub (cmark-gfm)', cmarkCells(source)],
        ['markdown-it', markdownItCells(source)],
      ] as const) {
        if (cells.length !== width) problems.push(`line ${line + 1}: ${cells.length} cells for ${parser}, header has ${width}: ${source}`);
      }
    }
    // A row broken off its table (a line break inside a cell) continues as a paragraph after it.
    const next = lines[end] ?? '';
    if (/^\s*\|.*\|\s*$/.test(next)) problems.push(`line ${end + 1}: a row outside its table: ${next}`);
    tables.push(table);
  }
  return { tables, problems };
}
