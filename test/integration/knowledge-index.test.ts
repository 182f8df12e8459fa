// The knowledge index in a real flowbot.db: BM25 ranking over stemmed terms, re-indexing a
// changed file, removal, a broken file that loses nothing, cancellation, and embeddings through
// the scripted Ollama and OpenAI-compatible endpoints fused by reciprocal rank.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledgeBase, type KnowledgeBase } from '../../src-main/adapters/knowledge/knowledge-base';
import { createEmbedder } from '../../src-main/adapters/knowledge/embedders';
import { reciprocalRankFusion } from '../../src-main/core/knowledge/fusion';
import type { KnowledgeProgress } from '../../src-main/shared/knowledge';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { bakeryPdf, utf8 } from '../support/knowledge-files';

const MENU = `# Cardápio

## Pães
O pão francês sai do forno às 6h e às 16h. Pão de queijo quentinho o dia todo.

## Bolos
Bolo de cenoura com cobertura de chocolate, bolo de fubá e bolo de laranja.

# Entrega
Entregamos em até 5 km da loja, todos os dias até as 20h. A taxa é R$ 7,00.
`;

let dir: string;
let server: ScriptedLlmServer;
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'flowbot-kb-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  dir = freshDir();
  server = await startScriptedLlmServer();
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('knowledge index (BM25)', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = openKnowledgeBase({ dataDir: dir });
    await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', language: 'pt-BR', bytes: utf8(MENU) });
  });
  afterAll(() => kb.close());

  it('ranks the passage that answers first, with its heading path and source', async () => {
    const [top] = await kb.search('bakery', { collections: ['loja'], query: 'Até que horas vocês entregam?' });
    expect(top).toMatchObject({ source: 'cardapio.md', heading: 'Entrega', collection: 'loja' });
    expect(top!.bm25).toBeGreaterThan(0);
    const [cake] = await kb.search('bakery', { collections: ['loja'], query: 'tem bolo de cenoura?' });
    expect(cake!.heading).toBe('Cardápio › Bolos');
  });

  it('finds "pão" when asked about "pães", and without the accents', async () => {
    for (const query of ['vocês têm pães?', 'que horas sai o pao?', 'PAES']) {
      const [top] = await kb.search('bakery', { collections: ['loja'], query });
      expect(top?.heading, query).toBe('Cardápio › Pães');
    }
  });

  it('searches only the named collections of the named bot', async () => {
    await kb.addText('other-bot', { collection: 'loja', name: 'secret', text: 'Entrega secreta do outro bot.' });
    const hits = await kb.search('bakery', { collections: ['loja'], query: 'entrega secreta' });
    expect(hits.map((h) => h.source)).not.toContain('secret.txt');
    expect(await kb.search('bakery', { collections: ['nope'], query: 'entrega' })).toEqual([]);
  });

  it('re-indexes a file whose content changed, skips an unchanged one, and removes passages with the file', async () => {
    expect(await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', bytes: utf8(MENU) })).toEqual({ status: 'unchanged', passages: 3 });
    const changed = MENU.replace('bolo de laranja', 'torta de limão');
    expect(await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', bytes: utf8(changed) })).toMatchObject({ status: 'indexed', passages: 3 });
    expect(await kb.search('bakery', { collections: ['loja'], query: 'laranja' })).toEqual([]);
    expect((await kb.search('bakery', { collections: ['loja'], query: 'limão' }))[0]!.heading).toBe('Cardápio › Bolos');
    expect(kb.removeFile('bakery', 'loja', 'cardapio.md')).toBe(true);
    expect(await kb.search('bakery', { collections: ['loja'], query: 'limão' })).toEqual([]);
    expect(kb.list('bakery')[0]!.files).toEqual([]);
    await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', bytes: utf8(MENU) });
  });

  it('reports a broken file with its name and reason and keeps everything else', async () => {
    const result = await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', bytes: new Uint8Array([0xff, 0x00, 0xfe]) });
    expect(result).toEqual({ status: 'failed', error: expect.stringMatching(/^cardapio\.md: .*not UTF-8/) });
    const file = kb.list('bakery')[0]!.files.find((f) => f.name === 'cardapio.md')!;
    expect(file).toMatchObject({ status: 'failed', passages: 3, error: expect.stringMatching(/not UTF-8/) });
    expect((await kb.search('bakery', { collections: ['loja'], query: 'entrega' }))[0]!.source).toBe('cardapio.md');
    const fresh = await kb.addFile('bakery', { collection: 'loja', name: 'broken.pdf', bytes: utf8('%PDF-1.7 nothing else') });
    expect(fresh).toMatchObject({ status: 'failed', error: expect.stringMatching(/^broken\.pdf: it cannot be read as a PDF/) });
    expect(kb.list('bakery')[0]!.files.find((f) => f.name === 'broken.pdf')).toMatchObject({ status: 'failed', passages: 0 });
  });

  it('reports progress page by page and can be cancelled, leaving the collection as it was', async () => {
    const events: KnowledgeProgress[] = [];
    const pdf = await bakeryPdf();
    const controller = new AbortController();
    const adding = kb.addFile('bakery', { collection: 'loja', name: 'prices.pdf', bytes: pdf }, {
      signal: controller.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.phase === 'parsing' && p.done === 1) controller.abort(new Error('cancelled by the owner'));
      },
    });
    await expect(adding).rejects.toThrow('cancelled by the owner');
    expect(kb.list('bakery')[0]!.files.map((f) => f.name)).not.toContain('prices.pdf');
    const done: KnowledgeProgress[] = [];
    await kb.addFile('bakery', { collection: 'loja', name: 'prices.pdf', bytes: pdf }, { onProgress: (p) => done.push(p) });
    expect(done.filter((p) => p.phase === 'parsing')).toEqual([{ phase: 'parsing', done: 1, total: 2 }, { phase: 'parsing', done: 2, total: 2 }]);
    expect(done.at(-1)).toEqual({ phase: 'done', done: 2, total: 2 });
  });
});

describe('knowledge index with embeddings', () => {
  it.each(['ollama', 'openai'] as const)('embeds passages and questions through %s and fuses both rankings', async (provider) => {
    const embedder = createEmbedder({ provider, url: provider === 'ollama' ? server.url : server.openaiBaseUrl, model: 'nomic-embed-text' });
    const kb = openKnowledgeBase({ dataDir: freshDir(), embedder, minSimilarity: 0.3 });
    try {
      expect(await kb.addFile('bakery', { collection: 'loja', name: 'cardapio.md', language: 'pt-BR', bytes: utf8(MENU) })).toEqual({ status: 'indexed', passages: 3, embedded: 3 });
      const path = provider === 'ollama' ? '/api/embed' : '/v1/embeddings';
      const sent = server.requests.filter((r) => r.path === path).at(-1)!;
      expect(sent.body).toMatchObject({ model: 'nomic-embed-text', input: expect.arrayContaining([expect.stringContaining('Entrega\nEntregamos')]) });
      const [top] = await kb.search('bakery', { collections: ['loja'], query: 'Entregamos até as 20h?' });
      expect(top).toMatchObject({ heading: 'Entrega', bm25: expect.any(Number), similarity: expect.any(Number) });
      expect(kb.list('bakery')[0]!.files[0]).toMatchObject({ passages: 3, embedded: 3 });
    } finally {
      kb.close();
    }
  });

  it('fuses rankings by reciprocal rank (k = 60)', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62);
  });
});
