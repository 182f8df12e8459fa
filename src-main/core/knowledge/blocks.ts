// A parsed document as the splitter sees it: what every parser (adapters/knowledge) produces.
// Headings carry their level; a table's rows are already lines that name their columns
// ("Item: Pão de queijo · Price: R$ 6,00"), so a row read alone still says what it means.

export type DocBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'table'; rows: string[] }
  /** Everything after it, until the next page block, is on this page (PDF). */
  | { kind: 'page'; page: number };

/** One table row as a line that names its columns; empty cells are left out. */
export function rowLine(headers: readonly string[], cells: readonly string[]): string {
  const parts: string[] = [];
  cells.forEach((raw, i) => {
    const cell = clean(raw);
    if (!cell) return;
    const header = clean(headers[i] ?? '');
    parts.push(header && header !== cell ? `${header}: ${cell}` : cell);
  });
  return parts.join(' · ');
}

/** Rows of cells (the first one the headers) as table rows; rows without any value are dropped. */
export function tableBlock(rows: readonly (readonly string[])[]): DocBlock | undefined {
  const nonEmpty = rows.filter((row) => row.some((cell) => clean(cell)));
  if (nonEmpty.length === 0) return undefined;
  const [headers, ...body] = nonEmpty;
  if (body.length === 0) return { kind: 'text', text: headers!.map(clean).filter(Boolean).join(' · ') };
  const lines = body.map((row) => rowLine(headers!, row)).filter(Boolean);
  return { kind: 'table', rows: lines };
}

export const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();
