// Word documents and spreadsheets as blocks. DOCX: mammoth turns it into HTML (headings keep
// their level from the Word styles), read by htmlBlocks. XLSX: exceljs, one heading per sheet,
// the first non-empty row names the columns. CSV: papaparse, the first row names the columns.
import mammoth from 'mammoth';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { tableBlock, type DocBlock } from '../../core/knowledge/blocks';
import { htmlBlocks } from './html-blocks';

export async function docxBlocks(bytes: Uint8Array): Promise<DocBlock[]> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return htmlBlocks(value);
}

export async function xlsxBlocks(bytes: Uint8Array): Promise<DocBlock[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const blocks: DocBlock[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let col = 1; col <= sheet.columnCount; col++) cells.push(cellText(row.getCell(col)));
      rows.push(cells);
    });
    const table = tableBlock(rows);
    if (!table) return;
    blocks.push({ kind: 'heading', level: 1, text: sheet.name }, table);
  });
  return blocks;
}

export function csvBlocks(text: string): DocBlock[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new Error(`${fatal.message} (row ${(fatal.row ?? 0) + 1})`);
  const table = tableBlock(parsed.data.map((row) => row.map(String)));
  return table ? [table] : [];
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
    if ('error' in value) return '';
  }
  return cell.text ?? String(value);
}
