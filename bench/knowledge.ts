// Knowledge retrieval benchmark (npm run bench:knowledge). Two parts:
//  1. Recall: 66 customer questions (33 Portuguese, 33 English) over Padaria Aurora's documents
//     (bench/knowledge/), each with the section that answers it. recall@1 and recall@3 for BM25
//     alone, vectors alone and their fusion (RRF, k = 60). The vectors come from the scripted
//     embeddings endpoint (test/fixtures/scripted-llm-server.ts: a hashed bag of words through the
//     real `ollama` client): that only proves the plumbing, it says nothing about a real model.
//  2. Scale: 10,000 synthetic passages (full-text only): indexing speed (passages/s) and query
//     latency p50/p99 over 300 questions. Absolute times describe this machine only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openKnowledgeBase, type KnowledgeBase } from '../src-main/adapters/knowledge/knowledge-base';
import { createEmbedder } from '../src-main/adapters/knowledge/embedders';
import { startScriptedLlmServer } from '../test/fixtures/scripted-llm-server';
import { EN_DOCUMENTS } from './knowledge/corpus-en';
import { PT_DOCUMENTS } from './knowledge/corpus-pt';
import { EN_QUESTIONS, PT_QUESTIONS, type BenchQuestion } from './knowledge/questions';

const BOT = 'bench';
const encode = (text: string) => new TextEncoder().encode(text);

async function recall(): Promise<void> {
  const server = await startScriptedLlmServer();
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-bench-kb-'));
  try {
    const embedder = createEmbedder({ provider: 'ollama', url: server.url, model: 'scripted-hashed-words' });
    const setup = openKnowledgeBase({ dataDir: dir, embedder });
    for (const [name, text] of Object.entries(PT_DOCUMENTS)) await setup.addFile(BOT, { collection: 'loja', name, language: 'pt-BR', bytes: encode(text) });
    for (const [name, text] of Object.entries(EN_DOCUMENTS)) await setup.addFile(BOT, { collection: 'shop', name, language: 'en', bytes: encode(text) });
    const passages = setup.list(BOT).flatMap((c) => c.files).reduce((n, f) => n + f.passages, 0);
    setup.close();
    const questions = [...PT_QUESTIONS.map((q) => ({ ...q, collection: 'loja' })), ...EN_QUESTIONS.map((q) => ({ ...q, collection: 'shop' }))];
    console.log(`Recall: ${questions.length} questions over ${passages} passages (${Object.keys(PT_DOCUMENTS).length + Object.keys(EN_DOCUMENTS).length} documents, pt-BR and en)`);
    console.log('mode            recall@1  recall@3');
    const modes = { 'BM25 alone': ['text'], 'vectors alone': ['vector'], 'fusion (RRF)': ['text', 'vector'] } as const;
    for (const [label, rankings] of Object.entries(modes)) {
      const kb = openKnowledgeBase({ dataDir: dir, embedder, rankings, minSimilarity: 0 });
      const { at1, at3, misses } = await score(kb, questions);
      kb.close();
      console.log(`${label.padEnd(15)} ${pct(at1, questions.length).padStart(8)}  ${pct(at3, questions.length).padStart(8)}`);
      if (process.env.BENCH_DEBUG) for (const miss of misses) console.log(`   miss: ${miss}`);
    }
    console.log('(vectors: the scripted endpoint\'s hashed bag of words; they prove the plumbing, not a model\'s quality)');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function score(kb: KnowledgeBase, questions: (BenchQuestion & { collection: string })[]) {
  let at1 = 0;
  let at3 = 0;
  const misses: string[] = [];
  for (const question of questions) {
    const hits = await kb.search(BOT, { collections: [question.collection], query: question.q, limit: 3 });
    const rank = hits.findIndex((h) => h.source === question.source && h.heading.endsWith(question.section));
    if (rank === 0) at1++;
    if (rank >= 0 && rank < 3) at3++;
    if (rank !== 0) misses.push(`${question.q} -> ${hits.map((h) => `${h.source}#${h.heading}`).join(', ') || '(nothing)'}`);
  }
  return { at1, at3, misses };
}

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

/** Deterministic synthetic documents: sections of a catalogue, words drawn from a fixed vocabulary. */
function syntheticFile(index: number, passages: number, random: () => number): string {
  const vocabulary = 'pão bolo torta café leite queijo presunto frango carne chocolate morango laranja limão coco fubá milho mandioca trigo centeio aveia mel açúcar sal manteiga ovo fermento forno entrega horário pedido cliente loja bairro preço desconto promoção cartão dinheiro pix sábado domingo feriado manhã tarde noite quente gelado fresco integral vegano glúten lactose'.split(' ');
  const sections: string[] = [];
  for (let s = 0; s < passages; s++) {
    const words = Array.from({ length: 60 + Math.floor(random() * 60) }, () => vocabulary[Math.floor(random() * vocabulary.length)]);
    sections.push(`## Seção ${index}-${s} item${index * 1000 + s}\n${words.join(' ')}.`);
  }
  return `# Catálogo ${index}\n${sections.join('\n')}`;
}

async function scale(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-bench-kb10k-'));
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const kb = openKnowledgeBase({ dataDir: dir });
  try {
    const files = 100;
    const perFile = 100;
    const texts = Array.from({ length: files }, (_, i) => syntheticFile(i, perFile, random));
    const start = performance.now();
    let indexed = 0;
    for (const [i, text] of texts.entries()) {
      const result = await kb.addFile(BOT, { collection: 'catalogo', name: `catalogo-${i}.md`, language: 'pt-BR', bytes: encode(text) });
      if (result.status === 'indexed') indexed += result.passages;
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`\nScale: ${indexed} passages indexed in ${seconds.toFixed(2)} s: ${Math.round(indexed / seconds)} passages/s (parse, split, stem, FTS5 insert; no embeddings)`);
    const queries = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `item${Math.floor(random() * 100_000)}` : `tem bolo de ${['chocolate', 'morango', 'fubá', 'coco'][i % 4]} sem glúten no sábado?`));
    for (const q of queries.slice(0, 20)) await kb.search(BOT, { collections: ['catalogo'], query: q }); // warm-up
    const times: number[] = [];
    for (const query of queries) {
      const t = performance.now();
      await kb.search(BOT, { collections: ['catalogo'], query, limit: 4 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);
    console.log(`Query latency over ${indexed} passages (BM25, top 4): p50 ${at(50)} ms, p99 ${at(99)} ms (${queries.length} queries)`);
  } finally {
    kb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await recall();
await scale();
