// HTML (a saved web page, or what mammoth makes of a DOCX) as blocks: h1-h6 headings,
// paragraphs and list items, tables as rows naming their columns. Scripts, styles, navigation,
// headers, footers and forms are dropped: they are not what the page says.
import { parse, type HTMLElement, type Node } from 'node-html-parser';
import { clean, tableBlock, type DocBlock } from '../../core/knowledge/blocks';

const DROPPED = new Set(['script', 'style', 'noscript', 'nav', 'header', 'footer', 'form', 'template', 'svg', 'iframe', 'button', 'select', 'aside']);
const BLOCKS = new Set(['p', 'li', 'dd', 'dt', 'blockquote', 'pre', 'address', 'figcaption', 'caption', 'summary']);
const ELEMENT = 1;

export function htmlBlocks(html: string): DocBlock[] {
  const root = parse(html, { lowerCaseTagName: true, comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const body = root.querySelector('body') ?? root;
  const blocks: DocBlock[] = [];
  let loose: string[] = [];
  const flushLoose = () => {
    const text = clean(loose.join(' '));
    if (text) blocks.push({ kind: 'text', text });
    loose = [];
  };
  const walk = (node: Node): void => {
    if (node.nodeType !== ELEMENT) {
      loose.push(node.text);
      return;
    }
    const element = node as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? '';
    if (DROPPED.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      flushLoose();
      const text = clean(element.text);
      if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
      return;
    }
    if (tag === 'table') {
      flushLoose();
      const rows = element.querySelectorAll('tr').map((tr) => tr.childNodes.filter(isCell).map((cell) => (cell as HTMLElement).text));
      const table = tableBlock(rows);
      if (table) blocks.push(table);
      return;
    }
    if (BLOCKS.has(tag) && !element.querySelector('p, li, table, h1, h2, h3, h4, h5, h6')) {
      flushLoose();
      const text = clean(element.text);
      if (text) blocks.push({ kind: 'text', text });
      return;
    }
    if (tag === 'br') loose.push(' ');
    for (const child of element.childNodes) walk(child);
    if (tag === 'div' || tag === 'section' || tag === 'article' || tag === 'main') flushLoose();
  };
  walk(body);
  flushLoose();
  return blocks;
}

const isCell = (node: Node): boolean => node.nodeType === ELEMENT && ['td', 'th'].includes((node as HTMLElement).rawTagName?.toLowerCase() ?? '');
