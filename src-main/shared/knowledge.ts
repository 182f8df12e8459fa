// Knowledge collections (README "Answers from your documents"): what the store reports about
// collections and files, and what a search finds. Shared by the runtime, the CLI and the API.
import { z } from 'zod';

/** A collection's name: what flows name in an AI step's `knowledge.collections`. */
export const CollectionNameSchema = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u, 'a collection name starts with a letter or digit and uses letters, digits, spaces, _ . and - (64 at most)');

export const KnowledgeFileStatusSchema = z.enum(['indexing', 'indexed', 'failed']);

export const KnowledgeFileSchema = z.object({
  collection: z.string(),
  name: z.string(),
  /** sha256 of the file's bytes: an unchanged file is not indexed again. */
  hash: z.string(),
  status: KnowledgeFileStatusSchema,
  passages: z.number().int(),
  /** Why the last attempt failed (the passages of the version before, if any, are kept). */
  error: z.string().optional(),
  /** Passages with an embedding of the current model (0 without one). */
  embedded: z.number().int(),
  updatedAt: z.number(),
});
export type KnowledgeFile = z.infer<typeof KnowledgeFileSchema>;

export const KnowledgeCollectionSchema = z.object({
  name: z.string(),
  /** BCP 47: the words are stemmed for this language. */
  language: z.string(),
  files: z.array(KnowledgeFileSchema),
});
export type KnowledgeCollection = z.infer<typeof KnowledgeCollectionSchema>;

export const KnowledgeHitSchema = z.object({
  id: z.number().int(),
  collection: z.string(),
  /** The file it came from. */
  source: z.string(),
  /** The heading path above it ("Menu › Breads"); empty when none. */
  heading: z.string(),
  page: z.number().int().optional(),
  text: z.string(),
  /** The fused rank score (reciprocal rank fusion); higher is better. */
  score: z.number(),
  /** BM25 of SQLite FTS5 (higher is better here: the sign is flipped); absent when full-text search did not find it. */
  bm25: z.number().optional(),
  /** Cosine similarity to the question; absent without embeddings or below the threshold. */
  similarity: z.number().optional(),
});
export type KnowledgeHit = z.infer<typeof KnowledgeHitSchema>;

export const KnowledgeSearchSchema = z.object({
  collections: z.array(z.string()).min(1),
  query: z.string(),
  /** For collections that have none of their own (BCP 47). */
  language: z.string().optional(),
  limit: z.number().int().min(1).max(50).optional(),
});
export type KnowledgeSearch = z.infer<typeof KnowledgeSearchSchema>;

/** Progress of adding a file: parsing (pages), embedding (passages), writing. */
export const KnowledgeProgressSchema = z.object({
  phase: z.enum(['parsing', 'embedding', 'writing', 'done']),
  done: z.number().int(),
  total: z.number().int(),
});
export type KnowledgeProgress = z.infer<typeof KnowledgeProgressSchema>;

export const DEFAULT_KNOWLEDGE_LIMIT = 4;
