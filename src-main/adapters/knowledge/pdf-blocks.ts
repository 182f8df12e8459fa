// PDF text through pdfjs-dist (Mozilla's PDF.js, legacy build for Node): page by page, the
// text items grouped into lines by their baseline and ordered left to right. A line whose
// items stand apart by wide gaps is read as a table row of cells; consecutive such lines form a
// table whose first line names the columns. That is as much table structure as a PDF's text
// layer tells; scanned pages (images, no text layer) give no text.
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { tableBlock, clean, type DocBlock } from '../../core/knowledge/blocks';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A gap wider than this many times the font height between two items of a line separates cells. */
const CELL_GAP = 1.5;

export async function pdfBlocks(bytes: Uint8Array, opts: { signal?: AbortSignal; onPage?: (done: number, total: number) => void } = {}): Promise<DocBlock[]> {
  // A plain Uint8Array copy: pdf.js refuses a Node Buffer (readFileSync's), and detaches what it is given.
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw error;
  }
  try {
    const blocks: DocBlock[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      opts.signal?.throwIfAborted();
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!('str' in raw) || !raw.str.trim()) continue;
        items.push({ str: raw.str, x: raw.transform[4] as number, y: raw.transform[5] as number, width: raw.width, height: Math.abs(raw.height) || Math.abs(raw.transform[3] as number) || 10 });
      }
      blocks.push({ kind: 'page', page: number }, ...linesToBlocks(groupLines(items)));
      page.cleanup();
      opts.onPage?.(number, pdf.numPages);
    }
    return blocks;
  } finally {
    await pdf.destroy();
  }
}

/** Items on (about) the same baseline, top to bottom, each line's cells left to right. */
function groupLines(items: Item[]): string[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Item[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(line[0]!.y - item.y) <= Math.max(2, item.height * 0.4)) line.push(item);
    else lines.push([item]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    const cells: string[] = [];
    let end = -Infinity;
    for (const item of line) {
      const gap = item.x - end;
      if (cells.length === 0 || gap > item.height * CELL_GAP) cells.push(item.str);
      else cells[cells.length - 1] += (gap > item.height * 0.15 ? ' ' : '') + item.str;
      end = item.x + item.width;
    }
    return cells.map(clean).filter(Boolean);
  });
}

/** Lines of one cell are text (joined into paragraphs); runs of lines with several cells are tables. */
function linesToBlocks(lines: string[][]): DocBlock[] {
  const blocks: DocBlock[] = [];
  let paragraph: string[] = [];
  let table: string[][] = [];
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ kind: 'text', text: clean(paragraph.join(' ')) });
    paragraph = [];
  };
  const flushTable = () => {
    if (table.length === 1) paragraph.push(table[0]!.join(' '));
    else if (table.length > 1) {
      const block = tableBlock(table);
      if (block) blocks.push(block);
    }
    table = [];
  };
  for (const cells of lines) {
    if (cells.length >= 2) {
      flushParagraph();
      table.push(cells);
    } else {
      flushTable();
      paragraph.push(cells[0] ?? '');
    }
  }
  flushTable();
  flushParagraph();
  return blocks;
}
