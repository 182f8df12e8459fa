// Parsing real files of each format a knowledge collection takes, made here, into passages
// that keep their headings and table rows: what an AI step is later given.
import { describe, expect, it } from 'vitest';
import { parseDocument, KnowledgeFileError } from '../../src-main/adapters/knowledge/parse-document';
import { splitPassages } from '../../src-main/core/knowledge/passages';
import { bakeryPdf, faqDocx, hoursXlsx, utf8 } from '../support/knowledge-files';

const passagesOf = async (name: string, bytes: Uint8Array) => splitPassages(await parseDocument(name, bytes));

describe('knowledge parsing', () => {
  it('reads a two-page PDF page by page and keeps its table rows whole, naming their columns', async () => {
    const pages: number[] = [];
    const blocks = await parseDocument('prices.pdf', await bakeryPdf(), { onPage: (done) => pages.push(done) });
    expect(pages).toEqual([1, 2]);
    const passages = splitPassages(blocks);
    expect(passages.map((p) => p.page)).toEqual([1, 2]);
    expect(passages[0]!.text).toContain('Our breads are baked every morning');
    expect(passages[0]!.text).toContain('Item: Cheese bread · Price: R$ 6,00 · Unit: 100 g');
    expect(passages[0]!.text).toContain('Item: Carrot cake · Price: R$ 38,00 · Unit: whole');
    expect(passages[1]!.text).toContain('The fee is R$ 7,00');
  });

  it('reads a PDF handed over as a Node Buffer (what readFileSync and base64 decoding give)', async () => {
    const passages = await passagesOf('prices.pdf', Buffer.from(await bakeryPdf()));
    expect(passages[0]!.text).toContain('Our breads are baked every morning');
  });

  it('keeps a DOCX heading path on each passage, and its tables as rows', async () => {
    const passages = await passagesOf('faq.docx', await faqDocx());
    const allergies = passages.find((p) => p.text.includes('gluten-free'))!;
    expect(allergies.headings).toEqual(['Frequently asked questions', 'Allergies']);
    expect(allergies.text).toContain('Product: Brownie · Contains: nuts, milk, eggs');
    expect(passages.find((p) => p.text.includes('48 hours'))!.headings).toEqual(['Frequently asked questions', 'Orders']);
  });

  it('turns each XLSX row into a line with its header names, under the sheet name', async () => {
    const [passage] = await passagesOf('hours.xlsx', await hoursXlsx());
    expect(passage!.headings).toEqual(['Opening hours']);
    expect(passage!.text.split('\n')).toEqual(['Day: Monday to Friday · Opens: 6:00 · Closes: 20:00', 'Day: Saturday · Opens: 7:00 · Closes: 18:00', 'Day: Sunday · Opens: 7:00 · Closes: 12:00']);
  });

  it('reads CSV rows (quoted commas included) with their header names', async () => {
    const [passage] = await passagesOf('menu.csv', utf8('\uFEFFitem,price,notes\n"Bolo de fubá",R$ 30,"serves 8, with coffee"\n'));
    expect(passage!.text).toBe('item: Bolo de fubá · price: R$ 30 · notes: serves 8, with coffee');
  });

  it('reads a saved HTML page without its scripts, styles and navigation', async () => {
    const html = `<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>
      <nav><a href="/">Home</a> <a href="/menu">Menu</a></nav>
      <h1>Encomendas</h1><p>Encomende bolos pelo WhatsApp com <b>dois dias</b> de antecedência.</p>
      <table><tr><th>Tamanho</th><th>Preço</th></tr><tr><td>Médio</td><td>R$ 80</td></tr></table>
      <footer>© Padaria</footer></body></html>`;
    const passages = await passagesOf('page.html', utf8(html));
    expect(passages).toEqual([{ headings: ['Encomendas'], text: 'Encomende bolos pelo WhatsApp com dois dias de antecedência.\nTamanho: Médio · Preço: R$ 80' }]);
  });

  it('reads Markdown headings and tables, in Greek and Japanese as well', async () => {
    const md = '# Μενού\n\nΤο ψωμί ψήνεται κάθε πρωί.\n\n## 配達\n\n配達は毎日午後8時まで行います。\n\n| 品物 | 値段 |\n|---|---|\n| メロンパン | 300円 |\n';
    const passages = await passagesOf('menu.md', utf8(md));
    expect(passages).toEqual([
      { headings: ['Μενού'], text: 'Το ψωμί ψήνεται κάθε πρωί.' },
      { headings: ['Μενού', '配達'], text: '配達は毎日午後8時まで行います。\n品物: メロンパン · 値段: 300円' },
    ]);
  });

  it('splits a long text into passages of a few hundred words at sentence ends', async () => {
    const sentence = 'The sourdough rests for a whole night before it is baked. ';
    const passages = await passagesOf('long.txt', utf8(`${sentence.repeat(80)}\n\nShort last paragraph.`));
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(p.text.split(/\s+/).length).toBeLessThanOrEqual(300);
    expect(passages.every((p) => p.text.trim().endsWith('.'))).toBe(true);
  });

  it('reports a broken file with its name and the reason', async () => {
    const broken = (await bakeryPdf()).slice(0, 300);
    await expect(parseDocument('prices.pdf', broken)).rejects.toMatchObject({ name: 'KnowledgeFileError', file: 'prices.pdf', reason: expect.stringMatching(/cannot be read as a PDF/) });
    await expect(parseDocument('faq.docx', utf8('not a zip'))).rejects.toThrow(/^faq\.docx: it cannot be read as a Word document/);
    await expect(parseDocument('notes.txt', new Uint8Array([0xff, 0xfe, 0x00, 0x41]))).rejects.toThrow(/^notes\.txt: .*not UTF-8/);
    await expect(parseDocument('photo.jpg', utf8('x'))).rejects.toThrow(/photo\.jpg: files of type "\.jpg" cannot be added/);
    await expect(parseDocument('empty.md', utf8('  \n'))).rejects.toBeInstanceOf(KnowledgeFileError);
  });
});
