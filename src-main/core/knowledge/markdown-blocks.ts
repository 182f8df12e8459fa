// Markdown and plain text as blocks: ATX headings (#), pipe tables, and paragraphs separated
// by blank lines. Enough structure to keep a passage under its heading and a table's rows whole;
// inline markup is left as written (it reads fine to a model and to full-text search).
import { clean, tableBlock, type DocBlock } from './blocks';

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

export function markdownBlocks(text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    const joined = clean(paragraph.join(' '));
    if (joined) blocks.push({ kind: 'text', text: joined });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: clean(heading[2]!) });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && TABLE_ROW.test(lines[i]!); i++) {
        if (!TABLE_RULE.test(lines[i]!)) rows.push(cellsOf(lines[i]!));
      }
      i--;
      const table = tableBlock(rows);
      if (table) blocks.push(table);
      continue;
    }
    if (!line.trim()) flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Plain text: paragraphs only. */
export function plainTextBlocks(text: string): DocBlock[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(clean)
    .filter(Boolean)
    .map((paragraph) => ({ kind: 'text', text: paragraph }));
}

const cellsOf = (row: string): string[] => row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(clean);
