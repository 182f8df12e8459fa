// The SQLite driver seam (src-main/adapters/store/sqlite-driver.ts) against real files: the part
// of better-sqlite3's API the stores use behaves the same on both drivers. Vitest's Node (20)
// runs it on better-sqlite3; node22-runtime.test.ts runs this file again under Node 22, where
// it runs on the built-in node:sqlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, sqliteDriverName, sqliteErrorCode, type SqliteDatabase } from '../../src-main/adapters/store/sqlite-driver';
import { openDatabase } from '../../src-main/adapters/store/sqlite-store';
import { firstColumn } from '../support/sqlite';

let dir: string;
const opened: SqliteDatabase[] = [];
const open = (timeoutMs = 5000) => {
  const db = openSqlite(join(dir, 'test.db'), { timeoutMs });
  opened.push(db);
  return db;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-driver-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function people(db: SqliteDatabase): void {
  db.exec(`CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
           CREATE TABLE IF NOT EXISTS pets (name TEXT, owner INTEGER NOT NULL REFERENCES people(id))`);
}
const names = (db: SqliteDatabase) => db.prepare<[], { name: string }>('SELECT name FROM people ORDER BY id').all().map((r) => r.name);

describe(`SQLite driver (${sqliteDriverName()} on Node ${process.versions.node})`, () => {
  it('is the built-in node:sqlite from Node 22.13 on, better-sqlite3 before', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(sqliteDriverName()).toBe(major > 22 || (major === 22 && minor >= 13) ? 'node:sqlite' : 'better-sqlite3');
  });

  it('opens with the busy timeout asked for and foreign keys enforced; the store adds WAL', () => {
    const db = open(1234);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.name).toBe(join(dir, 'test.db'));
    const store = openDatabase(join(dir, 'data'));
    opened.push(store);
    expect(store.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version')).toEqual([{ user_version: 0 }]);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version', { simple: true })).toBe(7);
  });

  it('runs statements with positional and @named parameters', () => {
    const db = open();
    people(db);
    const insert = db.prepare<[string]>('INSERT INTO people (name) VALUES (?)');
    expect(insert.run('Ana')).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(Number(insert.run('Ben').lastInsertRowid)).toBe(2);
    const byName = db.prepare<[{ name: string }], { id: number; name: string }>('SELECT id, name FROM people WHERE name = @name');
    expect(byName.get({ name: 'Ben' })).toEqual({ id: 2, name: 'Ben' });
    expect(byName.get({ name: 'Nobody' })).toBeUndefined();
    expect(byName.all({ name: 'Nobody' })).toEqual([]);
    expect([...db.prepare<[], { name: string }>('SELECT name FROM people ORDER BY id').iterate()].map((r) => r.name)).toEqual(['Ana', 'Ben']);
    expect(db.prepare('UPDATE people SET name = upper(name)').run().changes).toBe(2);
    expect(firstColumn(db.prepare('SELECT name FROM people WHERE id = ?').get(1))).toBe('ANA');
    expect(db.prepare('INSERT INTO people (name) VALUES (?) RETURNING id').get('Cy')).toEqual({ id: 3 });
  });

  it('stops an iteration early without leaving the statement busy', () => {
    const db = open();
    people(db);
    for (const name of ['a', 'b', 'c']) db.prepare('INSERT INTO people (name) VALUES (?)').run(name);
    const all = db.prepare<[], { name: string }>('SELECT name FROM people ORDER BY id');
    for (const row of all.iterate()) if (row.name === 'a') break;
    db.transaction(() => db.prepare('DELETE FROM people WHERE name = ?').run('c'))();
    expect(all.all().map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('commits a transaction, rolls it back when the function throws, and nests as a savepoint', () => {
    const db = open();
    people(db);
    const add = db.prepare<[string]>('INSERT INTO people (name) VALUES (?)');
    expect(db.transaction((a: string, b: string) => (add.run(a), add.run(b), 'done'))('Ana', 'Ben')).toBe('done');
    expect(() => db.transaction(() => {
      add.run('Cy');
      throw new Error('changed my mind');
    })()).toThrow('changed my mind');
    expect(names(db)).toEqual(['Ana', 'Ben']);

    const outer = db.transaction(() => {
      add.run('Dan');
      expect(() => db.transaction(() => {
        add.run('Eve');
        throw new Error('inner fails');
      })()).toThrow('inner fails');
      db.transaction(() => add.run('Fay'))();
    });
    outer.immediate();
    expect(names(db)).toEqual(['Ana', 'Ben', 'Dan', 'Fay']);
    // The connection is usable afterwards: no transaction left open.
    db.transaction(() => add.run('Gus')).immediate();
    expect(names(db)).toHaveLength(5);
  });

  it('immediate takes the write lock first: a second writer gets SQLITE_BUSY', () => {
    const [first, second] = [open(), open(0)];
    people(first);
    first.transaction(() => {
      first.prepare('SELECT COUNT(*) FROM people').get();
      let error: unknown;
      try {
        second.transaction(() => second.prepare('SELECT 1').get()).immediate();
      } catch (err) {
        error = err;
      }
      expect(sqliteErrorCode(error)).toBe('SQLITE_BUSY');
    }).immediate();
    // Released with the first transaction.
    expect(second.transaction(() => 'ok').immediate()).toBe('ok');
  });

  it("names constraint errors in better-sqlite3's codes", () => {
    const db = open();
    people(db);
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return sqliteErrorCode(err);
      }
      return 'no error';
    };
    db.prepare('INSERT INTO people (id, name) VALUES (1, ?)').run('Ana');
    expect(codeOf(() => db.prepare('INSERT INTO people (id, name) VALUES (1, ?)').run('Ben'))).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(codeOf(() => db.prepare('INSERT INTO people (name) VALUES (?)').run('Ana'))).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(codeOf(() => db.prepare('INSERT INTO pets (name, owner) VALUES (?, ?)').run('Rex', 99))).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(codeOf(() => db.prepare('INSERT INTO people (name) VALUES (NULL)').run())).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(codeOf(() => db.exec('SELECT * FROM nowhere'))).toBe('SQLITE_ERROR');
    expect(sqliteErrorCode(new Error('not from SQLite'))).toBeUndefined();
    expect(sqliteErrorCode('text')).toBeUndefined();
  });

  it('closes once: `open` tells', () => {
    const db = open();
    expect(db.open).toBe(true);
    db.close();
    expect(db.open).toBe(false);
  });
});
