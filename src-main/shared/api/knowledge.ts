// The active bot's knowledge collections in the API (the Knowledge screen): list them with their
// files, add a file (its bytes: a browser has no path) or a pasted text, remove, cancel an
// indexing, and try a question. Progress of an indexing comes as `knowledge.progress` events.
import { z } from 'zod';
import { CollectionNameSchema, KnowledgeCollectionSchema, KnowledgeHitSchema, KnowledgeProgressSchema } from '../knowledge';
import { LanguageTagSchema } from '../workspace-config';
import { method } from './method';

/** 20 MB of file as base64 (4/3 of it): a price list or a menu is far below. */
export const KNOWLEDGE_FILE_MAX_BYTES = 20_000_000;
const BASE64_MAX = Math.ceil(KNOWLEDGE_FILE_MAX_BYTES / 3) * 4;

const FileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !/[/\\\0]/.test(name), 'a file name without folders (no / or \\)');

const fileRef = { collection: CollectionNameSchema, name: FileNameSchema };

export const knowledgeMethods = {
  /** The active bot's collections with their files (status, passages, the reason a file failed). */
  'knowledge.list': method(z.object({}).strict(), z.object({ bot: z.string(), collections: z.array(KnowledgeCollectionSchema) })),
  /**
   * Adds (or re-indexes) a file: `base64` holds its bytes, or `text` a pasted text. Resolves when
   * it is indexed; `failed` names the reason (the passages of an earlier version are kept);
   * `cancelled` when knowledge.cancel stopped it (nothing changed).
   */
  'knowledge.add': method(
    z
      .object({
        ...fileRef,
        base64: z.string().max(BASE64_MAX).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 text').optional(),
        text: z.string().max(KNOWLEDGE_FILE_MAX_BYTES).optional(),
        /** The collection's language when it is new (BCP 47). */
        language: LanguageTagSchema.optional(),
      })
      .strict()
      .refine((input) => (input.base64 === undefined) !== (input.text === undefined), { message: 'give the file as base64 or a pasted text, one of them', path: ['base64'] }),
    z.object({
      status: z.enum(['indexed', 'unchanged', 'failed', 'cancelled']),
      passages: z.number().int().optional(),
      error: z.string().optional(),
    }),
  ),
  /** Stops the indexing of that file, if one runs. */
  'knowledge.cancel': method(z.object(fileRef).strict(), z.object({ cancelled: z.boolean() })),
  /** Removes a file and its passages, or (no `name`) the whole collection. NOT_FOUND when there is none. */
  'knowledge.remove': method(z.object({ collection: CollectionNameSchema, name: FileNameSchema.optional() }).strict(), z.object({ removed: z.literal(true) })),
  /** Tries a question: the passages an AI step naming these collections (default: all) would be given. */
  'knowledge.search': method(
    z.object({ query: z.string().trim().min(1).max(2000), collections: z.array(CollectionNameSchema).min(1).optional(), limit: z.number().int().min(1).max(50).optional() }).strict(),
    z.object({ hits: z.array(KnowledgeHitSchema) }),
  ),
} as const;

export const knowledgeEvents = {
  /** How far the indexing of a file got (parsing pages, embedding and writing passages). */
  'knowledge.progress': KnowledgeProgressSchema.extend({ bot: z.string(), collection: z.string(), name: z.string() }),
  /** A collection or file was added, re-indexed or removed. */
  'knowledge.changed': z.object({ bot: z.string() }),
} as const;
