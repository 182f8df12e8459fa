// A bot's knowledge collections: add a file (parse, split, embed, index; progress and
// cancellation), list, remove, and search (BM25 over stemmed terms, cosine over embeddings
// when the provider offers them, fused by reciprocal rank). The KnowledgePort of the runtime.
import { createHash } from 'node:crypto';
import type { KnowledgeCollection, KnowledgeHit, KnowledgeProgress, KnowledgeSearch } from '../../shared/knowledge';
import { DEFAULT_KNOWLEDGE_LIMIT } from '../../shared/knowledge';
import { splitPassages, type PassageDraft } from '../../core/knowledge/passages';
import { matchExpression, searchTerms } from '../../core/knowledge/search-terms';
import { cosine, reciprocalRankFusion } from '../../core/knowledge/fusion';
import type { CallOptions, KnowledgePort } from '../../runtime/ports';
import type { Embedder } from './embedders';
import { KnowledgeFileError, parseDocument } from './parse-document';
import { openKnowledgeStore, type PassageRow } from './knowledge-store';
import { stemmerFor } from './stemmers';

export interface KnowledgeBaseOptions {
  dataDir: string;
  /** Absent: full-text search only. */
  embedder?: Embedder;
  clock?: { now(): number };
  /** Vectors below this cosine similarity do not count as found (default 0.5). */
  minSimilarity?: number;
  /** Texts per embeddings request (default 32). */
  embedBatch?: number;
  /** Which rankings a search fuses (default both; the bench measures each alone). */
  rankings?: readonly ('text' | 'vector')[];
}

export interface AddFileInput {
  collection: string;
  /** The file name shown as the passages' source (its extension picks the parser). */
  name: string;
  bytes: Uint8Array;
  /** The collection's language when it is new (BCP 47; default "en"). */
  language?: string;
}

export interface AddOptions {
  signal?: AbortSignal;
  onProgress?: (progress: KnowledgeProgress) => void;
}

export type AddResult =
  | { status: 'indexed'; passages: number; embedded: number }
  | { status: 'unchanged'; passages: number }
  | { status: 'failed'; error: string };

export interface KnowledgeBase extends KnowledgePort {
  addFile(bot: string, input: AddFileInput, opts?: AddOptions): Promise<AddResult>;
  /** A pasted text, indexed as a plain-text file of that name. */
  addText(bot: string, input: Omit<AddFileInput, 'bytes'> & { text: string }, opts?: AddOptions): Promise<AddResult>;
  list(bot: string): KnowledgeCollection[];
  removeFile(bot: string, collection: string, name: string): boolean;
  removeCollection(bot: string, collection: string): boolean;
  close(): void;
}

export function openKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const store = openKnowledgeStore(options.dataDir);
  const clock = options.clock ?? { now: () => Date.now() };
  const embedder = options.embedder;
  const minSimilarity = options.minSimilarity ?? 0.5;
  const batch = options.embedBatch ?? 32;
  const useText = !options.rankings || options.rankings.includes('text');
  const useVectors = !options.rankings || options.rankings.includes('vector');

  async function addFile(bot: string, input: AddFileInput, opts: AddOptions = {}): Promise<AddResult> {
    const { collection, name, bytes } = input;
    const progress = opts.onProgress ?? (() => undefined);
    const hash = createHash('sha256').update(bytes).digest('hex');
    store.ensureCollection(bot, collection, input.language ?? 'en', clock.now());
    const language = store.collection(bot, collection)!.language;
    const known = store.file(bot, collection, name);
    const wantVectors = embedder !== undefined;
    if (known && known.hash === hash && known.status === 'indexed' && (!wantVectors || known.embedded === known.passages)) {
      progress({ phase: 'done', done: known.passages, total: known.passages });
      return { status: 'unchanged', passages: known.passages };
    }
    let drafts: PassageDraft[];
    try {
      const blocks = await parseDocument(name, bytes, { ...(opts.signal ? { signal: opts.signal } : {}), onPage: (done, total) => progress({ phase: 'parsing', done, total }) });
      drafts = splitPassages(blocks);
    } catch (error) {
      if (!(error instanceof KnowledgeFileError)) throw error; // cancelled: nothing recorded
      store.recordFailure(bot, collection, name, hash, error.reason, clock.now());
      return { status: 'failed', error: error.message };
    }
    const stem = stemmerFor(language);
    const passages = drafts.map((d) => {
      const heading = d.headings.join(' › ');
      return { heading, text: d.text, ...(d.page !== undefined ? { page: d.page } : {}), terms: searchTerms(`${heading}\n${d.text}`, stem).join(' ') };
    });
    const vectors: Float32Array[] = [];
    if (embedder) {
      for (let i = 0; i < passages.length; i += batch) {
        opts.signal?.throwIfAborted();
        progress({ phase: 'embedding', done: i, total: passages.length });
        const slice = passages.slice(i, i + batch).map((p) => embeddingText(p.heading, p.text));
        try {
          vectors.push(...(await embedder.embed(slice, opts.signal ? { signal: opts.signal } : {})));
        } catch (error) {
          opts.signal?.throwIfAborted();
          const reason = `its passages could not be embedded by ${embedder.model} (${(error as Error).message})`;
          store.recordFailure(bot, collection, name, hash, reason, clock.now());
          return { status: 'failed', error: `${name}: ${reason}` };
        }
      }
    }
    opts.signal?.throwIfAborted();
    progress({ phase: 'writing', done: 0, total: passages.length });
    store.replacePassages(
      bot,
      collection,
      name,
      hash,
      passages.map((p, i) => ({ ...p, ...(vectors[i] ? { embedding: vectors[i] } : {}) })),
      embedder?.model ?? null,
      clock.now(),
    );
    progress({ phase: 'done', done: passages.length, total: passages.length });
    return { status: 'indexed', passages: passages.length, embedded: vectors.length };
  }

  async function search(bot: string, request: KnowledgeSearch, opts: CallOptions = {}): Promise<KnowledgeHit[]> {
    const limit = request.limit ?? DEFAULT_KNOWLEDGE_LIMIT;
    const pool = Math.max(limit * 5, 20);
    // One full-text query per language the collections are stemmed in.
    const byLanguage = new Map<string, string[]>();
    for (const name of request.collections) {
      const language = store.collection(bot, name)?.language;
      if (language === undefined) continue;
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), name]);
    }
    const rows = new Map<number, PassageRow>();
    const bm25 = new Map<number, number>();
    for (const [language, names] of useText ? byLanguage : new Map<string, string[]>()) {
      const expression = matchExpression(request.query, stemmerFor(language), language);
      if (!expression) continue;
      for (const row of store.match(bot, names, expression, pool)) {
        rows.set(row.id, row);
        bm25.set(row.id, -row.rank);
      }
    }
    const textRanking = [...bm25].sort((a, b) => b[1] - a[1]).map(([id]) => id);

    const similarity = new Map<number, number>();
    if (embedder && useVectors && request.query.trim() && byLanguage.size > 0) {
      const [question] = await embedder.embed([request.query], opts.signal ? { signal: opts.signal } : {});
      const names = [...byLanguage.values()].flat();
      for (const { id, vector } of store.vectors(bot, names, embedder.model)) {
        const s = cosine(question!, vector);
        if (s >= minSimilarity) similarity.set(id, s);
      }
    }
    const vectorRanking = [...similarity].sort((a, b) => b[1] - a[1]).slice(0, pool).map(([id]) => id);

    return reciprocalRankFusion([textRanking, vectorRanking])
      .slice(0, limit)
      .flatMap(({ id, score }) => {
        const row = rows.get(id) ?? store.passage(id);
        if (!row) return [];
        const hit: KnowledgeHit = {
          id,
          collection: row.collection,
          source: row.source,
          heading: row.heading,
          ...(row.page !== null ? { page: row.page } : {}),
          text: row.text,
          score,
          ...(bm25.has(id) ? { bm25: bm25.get(id)! } : {}),
          ...(similarity.has(id) ? { similarity: similarity.get(id)! } : {}),
        };
        return [hit];
      });
  }

  return {
    addFile,
    addText: (bot, input, opts) => {
      const { text, ...rest } = input;
      const name = /\.(txt|md|markdown)$/i.test(rest.name) ? rest.name : `${rest.name}.txt`;
      return addFile(bot, { ...rest, name, bytes: new TextEncoder().encode(text) }, opts);
    },
    list: (bot) =>
      store.collections(bot).map((c) => ({
        name: c.name,
        language: c.language,
        files: store.files(bot, c.name).map((f) => ({
          collection: f.collection,
          name: f.name,
          hash: f.hash,
          status: f.status,
          passages: f.passages,
          embedded: f.embedded,
          ...(f.error !== null ? { error: f.error } : {}),
          updatedAt: f.updated_at,
        })),
      })),
    removeFile: (bot, collection, name) => store.removeFile(bot, collection, name),
    removeCollection: (bot, collection) => store.removeCollection(bot, collection),
    search,
    close: () => store.close(),
  };
}

/** What is embedded: the heading path gives a passage its context ("Delivery › Fees"). */
const embeddingText = (heading: string, text: string): string => (heading ? `${heading}\n${text}` : text);

