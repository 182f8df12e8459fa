// The CLI's --database: `flowbot test` keeps its conversations and audit records in PostgreSQL,
// not in the data folder, and `flowbot audit verify|list|export` read the log there (the keyed
// chain verified with the keychain's key, as on SQLite). A URL that is not postgres:// is a usage
// error. Real PostgreSQL (a throwaway cluster), the real example CRM, the CLI as a child process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';
import { openSqlite } from '../../src-main/adapters/store/sqlite-driver';
import { crmServer } from '../support/crm-workspace';
import { startTestPostgres, type TestPostgres } from '../fixtures/test-postgres';

const CASES = resolve('flows', 'support-ticket.tests');
const TOOLS = { get_order_status: 'read', search_customers: 'read', create_ticket: 'write', update_address: 'write', book_appointment: 'write' } as const;

let cluster: TestPostgres;
let url: string;
let dir: string;
beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase('cli');
  dir = mkdtempSync(join(tmpdir(), 'flowbot-cli-pg-'));
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function count(table: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe('the CLI on PostgreSQL (--database)', () => {
  it('flowbot test runs its conversations in the database, and flowbot audit reads and verifies the log there', async () => {
    const config = join(dir, 'workspace.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { crm: crmServer(dir, { ...TOOLS }) } }));
    const dataDir = join(dir, 'data');
    const tested = await runCli(['test', CASES, '--config', config, '--data-dir', dataDir, '--database', url]);
    expect(tested.stderr).toBe('');
    expect(tested.events.at(-1)).toEqual({ type: 'text', text: '2 passed, 0 failed' });
    expect(tested.code).toBe(0);

    // The runtime's tables are in the database; the data folder's flowbot.db (the knowledge index's) holds none of them.
    expect(await count('conversations')).toBe(2);
    const records = await count('audit');
    expect(records).toBeGreaterThan(0);
    const local = openSqlite(join(dataDir, 'flowbot.db'), { timeoutMs: 5000 });
    try {
      const tables = local.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
      expect(tables.filter((t) => ['conversations', 'messages', 'confirmations', 'audit'].includes(t))).toEqual([]);
    } finally {
      local.close();
    }

    const verified = await runCli(['audit', 'verify', '--database', url]);
    expect(verified.stderr).toBe('');
    expect(verified.events[0]).toEqual({ type: 'text', text: `Audit log intact: ${records} records, hash chain verified. All records are keyed with this computer's audit key.` });
    expect(verified.code).toBe(0);

    const listed = await runCli(['audit', 'list', '--database', url, '--json', '--tool', 'create_ticket']);
    expect(listed.code).toBe(0);
    const { records: tickets } = listed.events[0] as unknown as { records: { status: string; tool: string }[] };
    expect(tickets.map((r) => r.status)).toEqual(['dry_run', 'declined']); // one case confirms (a dry run), the other says no
    const exported = await runCli(['audit', 'export', '--format', 'jsonl', '--database', url]);
    expect(exported.code).toBe(0);
    expect(exported.events.map((e) => (e as { seq?: number }).seq)).toEqual(Array.from({ length: records }, (_, i) => i + 1));

    // Someone with write access to the database changes a record: verify says which.
    const client = new pg.Client(url);
    await client.connect();
    await client.query(`UPDATE audit SET args_json = '{}' WHERE seq = 1`);
    await client.end();
    const broken = await runCli(['audit', 'verify', '--database', url]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Audit log BROKEN at record 1');
  });

  it('a database address that is not postgres:// is a usage error, naming the address without its password', async () => {
    const { code, stderr } = await runCli(['audit', 'verify', '--database', 'mysql://shop:s3cret@db/flowbot']);
    expect(code).toBe(2);
    expect(stderr).toContain('must start with postgres://');
    expect(stderr).not.toContain('s3cret');
  });
});
