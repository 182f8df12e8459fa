// One entry point for every format a collection takes, chosen by the file's extension. A file
// that cannot be read fails with a KnowledgeFileError naming it and saying why, in words an
// owner can act on; nothing else is affected.
import { extname } from 'node:path';
import type { DocBlock } from '../../core/knowledge/blocks';
import { markdownBlocks, plainTextBlocks } from '../../core/knowledge/markdown-blocks';

export const KNOWLEDGE_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.csv', '.xlsx', '.html', '.htm'] as const;

export class KnowledgeFileError extends Error {
  override readonly name = 'KnowledgeFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ParseOptions {
  signal?: AbortSignal;
  /** Pages parsed so far (PDF). */
  onPage?: (done: number, total: number) => void;
}

export async function parseDocument(name: string, bytes: Uint8Array, opts: ParseOptions = {}): Promise<DocBlock[]> {
  const ext = extname(name).toLowerCase();
  if (!(KNOWLEDGE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new KnowledgeFileError(name, `files of type "${ext || '(none)'}" cannot be added; use ${KNOWLEDGE_EXTENSIONS.join(', ')}`);
  }
  let blocks: DocBlock[];
  try {
    blocks = await parseByExtension(ext, bytes, opts);
  } catch (error) {
    if (error instanceof KnowledgeFileError) throw error;
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw new KnowledgeFileError(name, unreadable(ext, error));
  }
  if (!blocks.some((b) => b.kind === 'text' || b.kind === 'table')) {
    throw new KnowledgeFileError(name, ext === '.pdf' ? 'it has no text to read (a scanned PDF needs text recognition first)' : 'it has no text');
  }
  return blocks;
}

// The parsers are loaded when a file of their kind comes: opening a workspace loads none of
// them (pdf.js alone brings a native canvas addon and megabytes of code).
async function parseByExtension(ext: string, bytes: Uint8Array, opts: ParseOptions): Promise<DocBlock[]> {
  switch (ext) {
    case '.pdf':
      return (await import('./pdf-blocks')).pdfBlocks(bytes, opts);
    case '.docx':
      return (await import('./office-blocks')).docxBlocks(bytes);
    case '.xlsx':
      return (await import('./office-blocks')).xlsxBlocks(bytes);
    case '.csv':
      return (await import('./office-blocks')).csvBlocks(text(bytes));
    case '.md':
    case '.markdown':
      return markdownBlocks(text(bytes));
    case '.txt':
      return plainTextBlocks(text(bytes));
    case '.html':
    case '.htm':
      return (await import('./html-blocks')).htmlBlocks(text(bytes));
    default:
      throw new Error(`unknown type ${ext}`);
  }
}

/** UTF-8 text; bytes that are not UTF-8 (or a binary file) are refused rather than indexed as garbage. */
function text(bytes: Uint8Array): string {
  const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (decoded.includes('\u0000')) throw new Error('it is a binary file, not text');
  return decoded;
}

function unreadable(ext: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /encoded data was not valid/i.test(detail)) return 'it is not UTF-8 text';
  const kind: Record<string, string> = { '.pdf': 'a PDF', '.docx': 'a Word document (.docx)', '.xlsx': 'an Excel workbook (.xlsx)', '.csv': 'a CSV file' };
  return `it cannot be read as ${kind[ext] ?? 'text'} (${detail.split('\n')[0]})`;
}
