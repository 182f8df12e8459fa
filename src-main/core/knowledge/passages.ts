// Splits a parsed document into passages of a few hundred words: the units that are indexed,
// found and shown to a model. A passage never spans two sections (it keeps its heading path),
// never cuts a table row, and long paragraphs are cut at sentence ends.
import type { DocBlock } from './blocks';

export interface PassageDraft {
  /** The heading path above it, outermost first ("Menu", "Breads"). */
  headings: string[];
  text: string;
  /** The PDF page it starts on. */
  page?: number;
}

export interface SplitOptions {
  /** A passage is closed once it reaches this many words (default 180). */
  targetWords?: number;
  /** A single paragraph longer than this is cut at sentence ends (default 300). */
  maxWords?: number;
}

const words = (text: string): number => (text.match(/\S+/g) ?? []).length;

export function splitPassages(blocks: readonly DocBlock[], options: SplitOptions = {}): PassageDraft[] {
  const target = options.targetWords ?? 180;
  const max = options.maxWords ?? 300;
  const out: PassageDraft[] = [];
  const headings: { level: number; text: string }[] = [];
  let lines: string[] = [];
  let count = 0;
  let page: number | undefined;
  let startPage: number | undefined;

  const flush = () => {
    if (lines.length > 0) {
      out.push({ headings: headings.map((h) => h.text), text: lines.join('\n'), ...(startPage !== undefined ? { page: startPage } : {}) });
    }
    lines = [];
    count = 0;
    startPage = undefined;
  };
  const add = (line: string) => {
    const n = words(line);
    if (count > 0 && count + n > target) flush();
    if (lines.length === 0) startPage = page;
    lines.push(line);
    count += n;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'page':
        flush();
        page = block.page;
        break;
      case 'heading':
        flush();
        while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) headings.pop();
        headings.push({ level: block.level, text: block.text });
        break;
      case 'text':
        for (const piece of words(block.text) > max ? sentenceChunks(block.text, max) : [block.text]) add(piece);
        break;
      case 'table':
        for (const row of block.rows) add(row);
        break;
    }
  }
  flush();
  return out;
}

/** Cuts a long paragraph at sentence ends into pieces of at most `max` words (a longer sentence is cut by words). */
function sentenceChunks(text: string, max: number): string[] {
  const sentences = text.match(/[^.!?。！？]+[.!?。！？]*\s*/gu) ?? [text];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && words(current) + words(sentence) > max) {
      pieces.push(current.trim());
      current = '';
    }
    current += sentence;
    while (words(current) > max) {
      const all = current.trim().split(/\s+/);
      pieces.push(all.slice(0, max).join(' '));
      current = all.slice(max).join(' ');
    }
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}
