// The knowledge tables of <dataDir>/flowbot.db (their own, like the approvals' tables): per bot,
// collections (with the language their words are stemmed in), files (hash, status, error) and
// passages, a full-text index (SQLite FTS5, BM25) over the passages' stemmed terms, and an
// optional embedding per passage (Float32 little-endian blob, with the model that made it).
// Deleting a file deletes its passages, and a trigger their index rows.
import type { SqliteDatabase } from '../store/sqlite-driver';
import { openDatabaseWith } from '../store/sqlite-store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS knowledge_collections (
  bot TEXT NOT NULL,
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (bot, name)
);
CREATE TABLE IF NOT EXISTS knowledge_files (
  id INTEGER PRIMARY KEY,
  bot TEXT NOT NULL,
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('indexing', 'indexed', 'failed')),
  error TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (bot, collection, name),
  FOREIGN KEY (bot, collection) REFERENCES knowledge_collections(bot, name) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS knowledge_passages (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES knowledge_files(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  heading TEXT NOT NULL,
  page INTEGER,
  text TEXT NOT NULL,
  embedding BLOB,
  embed_model TEXT
);
CREATE INDEX IF NOT EXISTS knowledge_passages_by_file ON knowledge_passages(file_id, ordinal);
-- The stemmed terms of each passage (rowid = the passage's id); accents folded by the tokenizer.
CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS knowledge_passages_unindex AFTER DELETE ON knowledge_passages BEGIN
  DELETE FROM knowledge_fts WHERE rowid = old.id;
END;
`;

export interface FileRow {
  id: number;
  collection: string;
  name: string;
  hash: string;
  status: 'indexing' | 'indexed' | 'failed';
  error: string | null;
  updated_at: number;
  passages: number;
  embedded: number;
}

export interface PassageRow {
  id: number;
  collection: string;
  source: string;
  heading: string;
  page: number | null;
  text: string;
}

export interface NewPassage {
  heading: string;
  page?: number;
  text: string;
  terms: string;
  embedding?: Float32Array;
}

export type KnowledgeStore = ReturnType<typeof openKnowledgeStore>;

export function openKnowledgeStore(dataDir: string) {
  const db: SqliteDatabase = openDatabaseWith(dataDir, SCHEMA);
  db.pragma('foreign_keys = ON');
  const filesSelect = `SELECT f.id, f.collection, f.name, f.hash, f.status, f.error, f.updated_at,
      (SELECT COUNT(*) FROM knowledge_passages p WHERE p.file_id = f.id) AS passages,
      (SELECT COUNT(*) FROM knowledge_passages p WHERE p.file_id = f.id AND p.embed_model IS NOT NULL) AS embedded
    FROM knowledge_files f`;
  const stmt = {
    collections: db.prepare<[string], { name: string; language: string }>('SELECT name, language FROM knowledge_collections WHERE bot = ? ORDER BY name'),
    collection: db.prepare<[string, string], { name: string; language: string }>('SELECT name, language FROM knowledge_collections WHERE bot = ? AND name = ?'),
    addCollection: db.prepare('INSERT OR IGNORE INTO knowledge_collections (bot, name, language, created_at) VALUES (?, ?, ?, ?)'),
    removeCollection: db.prepare('DELETE FROM knowledge_collections WHERE bot = ? AND name = ?'),
    files: db.prepare<[string, string], FileRow>(`${filesSelect} WHERE f.bot = ? AND f.collection = ? ORDER BY f.name`),
    file: db.prepare<[string, string, string], FileRow>(`${filesSelect} WHERE f.bot = ? AND f.collection = ? AND f.name = ?`),
    upsertFile: db.prepare<[string, string, string, string, string, string | null, number], { id: number }>(
      `INSERT INTO knowledge_files (bot, collection, name, hash, status, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bot, collection, name) DO UPDATE SET hash = excluded.hash, status = excluded.status, error = excluded.error, updated_at = excluded.updated_at
       RETURNING id`,
    ),
    failFile: db.prepare('UPDATE knowledge_files SET status = ?, error = ?, updated_at = ? WHERE id = ?'),
    removeFile: db.prepare('DELETE FROM knowledge_files WHERE bot = ? AND collection = ? AND name = ?'),
    clearPassages: db.prepare('DELETE FROM knowledge_passages WHERE file_id = ?'),
    insertPassage: db.prepare<[number, number, string, number | null, string, Uint8Array | null, string | null]>(
      'INSERT INTO knowledge_passages (file_id, ordinal, heading, page, text, embedding, embed_model) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertTerms: db.prepare('INSERT INTO knowledge_fts (rowid, terms) VALUES (?, ?)'),
    // bm25() is lower-is-better; the collections are a JSON array.
    match: db.prepare<[string, string, string, number], PassageRow & { rank: number }>(
      `SELECT p.id, f.collection, f.name AS source, p.heading, p.page, p.text, bm25(knowledge_fts) AS rank
       FROM knowledge_fts JOIN knowledge_passages p ON p.id = knowledge_fts.rowid JOIN knowledge_files f ON f.id = p.file_id
       WHERE knowledge_fts MATCH ? AND f.bot = ? AND f.collection IN (SELECT value FROM json_each(?))
       ORDER BY rank LIMIT ?`,
    ),
    vectors: db.prepare<[string, string, string], { id: number; embedding: Uint8Array }>(
      `SELECT p.id, p.embedding FROM knowledge_passages p JOIN knowledge_files f ON f.id = p.file_id
       WHERE f.bot = ? AND f.collection IN (SELECT value FROM json_each(?)) AND p.embed_model = ?`,
    ),
    passage: db.prepare<[number], PassageRow>(
      `SELECT p.id, f.collection, f.name AS source, p.heading, p.page, p.text FROM knowledge_passages p JOIN knowledge_files f ON f.id = p.file_id WHERE p.id = ?`,
    ),
  };

  /** Replaces a file's passages (and index rows) in one transaction: a reader sees the old set or the new one. */
  const replace = db.transaction((bot: string, collection: string, name: string, hash: string, passages: NewPassage[], model: string | null, at: number) => {
    const row = stmt.upsertFile.get(bot, collection, name, hash, 'indexed', null, at)!;
    stmt.clearPassages.run(row.id);
    passages.forEach((p, ordinal) => {
      const blob = p.embedding ? new Uint8Array(p.embedding.buffer, p.embedding.byteOffset, p.embedding.byteLength) : null;
      const result = stmt.insertPassage.run(row.id, ordinal, p.heading, p.page ?? null, p.text, blob, blob ? model : null);
      stmt.insertTerms.run(result.lastInsertRowid, p.terms);
    });
  });

  return {
    collections: (bot: string) => stmt.collections.all(bot),
    collection: (bot: string, name: string) => stmt.collection.get(bot, name),
    /** Creates the collection if new; an existing one keeps its language. */
    ensureCollection: (bot: string, name: string, language: string, at: number) => void stmt.addCollection.run(bot, name, language, at),
    removeCollection: (bot: string, name: string) => stmt.removeCollection.run(bot, name).changes > 0,
    files: (bot: string, collection: string) => stmt.files.all(bot, collection),
    file: (bot: string, collection: string, name: string) => stmt.file.get(bot, collection, name),
    /** Records a failed attempt: a new file as failed; a known one keeps its passages and says why the new version was not indexed. */
    recordFailure(bot: string, collection: string, name: string, hash: string, error: string, at: number) {
      const known = stmt.file.get(bot, collection, name);
      if (known) stmt.failFile.run('failed', error, at, known.id);
      else stmt.upsertFile.get(bot, collection, name, hash, 'failed', error, at);
    },
    replacePassages: (bot: string, collection: string, name: string, hash: string, passages: NewPassage[], model: string | null, at: number) =>
      replace.immediate(bot, collection, name, hash, passages, model, at),
    removeFile: (bot: string, collection: string, name: string) => stmt.removeFile.run(bot, collection, name).changes > 0,
    match: (bot: string, collections: string[], expression: string, limit: number) => stmt.match.all(expression, bot, JSON.stringify(collections), limit),
    vectors: (bot: string, collections: string[], model: string) =>
      stmt.vectors.all(bot, JSON.stringify(collections), model).map((r) => ({ id: r.id, vector: toFloat32(r.embedding) })),
    passage: (id: number) => stmt.passage.get(id),
    close: () => db.close(),
  };
}

const toFloat32 = (blob: Uint8Array): Float32Array => {
  const copy = new Uint8Array(blob); // aligned, and not a view into the driver's buffer
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
};
