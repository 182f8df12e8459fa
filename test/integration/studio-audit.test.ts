// The audit screen's API through the dispatcher (as the web host and Electron call it), over
// records the runtime really wrote: conversations of the template flows against the real CRM
// server (test/support/audit-conversations.ts). Filters, paging, details, both export formats,
// and verify after someone edited the SQLite file behind the app's back.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src-main/app/studio';
import { createSettingsStore } from '../../src-main/adapters/settings/settings-store';
import { DB_FILE_NAME } from '../../src-main/adapters/store/sqlite-store';
import { AUDIT_CSV_COLUMNS } from '../../src-main/core/audit-export';
import { AuditRecordSchema, type AuditRecord } from '../../src-main/shared/conversation';
import { recordConversations, TRICKY_PROBLEM, type RecordedConversations } from '../support/audit-conversations';

const BOT = 'shop';
let pristine: string;
let conversations: RecordedConversations;
let dataDir: string;
let studio: Studio;

beforeAll(async () => {
  pristine = mkdtempSync(join(tmpdir(), 'flowbot-studio-audit-src-'));
  conversations = await recordConversations({ dataDir: join(pristine, 'data'), crmDataDir: join(pristine, 'crm'), bot: BOT });
}, 60_000);
afterAll(() => rmSync(pristine, { recursive: true, force: true }));

// Each test gets its own copy of the log (the writer closed the file, so it is one file, no WAL).
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'flowbot-studio-audit-'));
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(pristine, 'data', DB_FILE_NAME), join(dataDir, DB_FILE_NAME));
  studio = createStudio({ dataDir, templatesDir: resolve('flows'), watchFiles: false, log: () => undefined });
});
afterEach(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Result = { ok: boolean; output?: any; error?: { code: string; message: string } };
const call = (method: string, input: unknown = {}) => studio.dispatcher.dispatch(method, input) as Promise<Result>;
const output = async (method: string, input: unknown = {}) => {
  const result = await call(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.code} ${result.error?.message}`);
  return result.output;
};
const list = async (input: Record<string, unknown> = {}) => (await output('audit.list', input)) as { records: any[]; total: number; nextBefore: number | null };
const statuses = async (input: Record<string, unknown> = {}) => (await list(input)).records.map((r) => `${r.tool}:${r.status}`);

describe('audit.list', () => {
  it('lists every call the conversations made, newest first, with the bot', async () => {
    const page = await list();
    expect(page.total).toBe(5);
    expect(page.nextBefore).toBeNull();
    expect(page.records.map((r) => [r.conversationId, r.flowId, r.nodeId, `${r.server}.${r.tool}`, r.status])).toEqual([
      [conversations.lookup, 'order-status', 'lookup', 'crm.get_order_status', 'executed'],
      [conversations.blocked, 'support-ticket-edited', 'create', 'crm.create_ticket', 'blocked'],
      [conversations.unknownCustomer, 'support-ticket', 'create', 'crm.create_ticket', 'error'],
      [conversations.declined, 'support-ticket', 'create', 'crm.create_ticket', 'declined'],
      [conversations.ticket, 'support-ticket', 'create', 'crm.create_ticket', 'executed'],
    ]);
    expect(new Set(page.records.map((r) => r.bot))).toEqual(new Set([BOT]));
    expect(page.records.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    // A confirmed write says so; the read tool needed no confirmation.
    expect(page.records.map((r) => r.confirmed)).toEqual([false, false, true, false, true]);
    expect(page.records[1].reason).toMatch(/confirm/);
    expect(page.records[2].reason).toContain('No customer with id "c999" was found.');
    expect(page.records[3].reason).toBe('the customer said no');
  });

  it('filters by status, server and tool, flow, conversation, bot, text and time', async () => {
    expect(await statuses({ status: 'blocked' })).toEqual(['create_ticket:blocked']);
    expect(await statuses({ tool: 'get_order_status' })).toEqual(['get_order_status:executed']);
    expect(await statuses({ server: 'crm', status: 'executed' })).toEqual(['get_order_status:executed', 'create_ticket:executed']);
    expect(await statuses({ flowId: 'support-ticket' })).toEqual(['create_ticket:error', 'create_ticket:declined', 'create_ticket:executed']);
    expect(await statuses({ conversationId: conversations.declined })).toEqual(['create_ticket:declined']);
    expect(await statuses({ bot: BOT, status: 'error' })).toEqual(['create_ticket:error']);
    expect(await statuses({ bot: 'another-bot' })).toEqual([]);
    expect(await statuses({ text: 'refund 5000' })).toEqual(['create_ticket:blocked']); // the rewritten argument
    expect(await statuses({ text: 'shipped' })).toEqual(['get_order_status:executed']); // in the result

    const all = (await list()).records;
    const [ticket, declined] = [all[4], all[3]];
    const since = (await list({ from: declined.time })).records;
    expect(since.map((r) => r.seq)).toContain(2);
    expect(since.every((r) => r.time >= declined.time)).toBe(true);
    const before = (await list({ to: declined.time })).records;
    expect(before.map((r) => r.seq)).not.toContain(2);
    expect(before.every((r) => r.time < declined.time)).toBe(true);
    expect((await list({ from: ticket.time, to: ticket.time + 1 })).records.map((r) => r.seq)).toContain(1);
    expect(await list({ from: all[0].time + 1 })).toMatchObject({ total: 0, records: [] });
  });

  it('pages with limit and before', async () => {
    const first = await list({ limit: 2 });
    expect(first.records.map((r) => r.seq)).toEqual([5, 4]);
    expect(first).toMatchObject({ total: 5, nextBefore: 4 });
    const second = await list({ limit: 2, before: first.nextBefore });
    expect(second.records.map((r) => r.seq)).toEqual([3, 2]);
    const last = await list({ limit: 2, before: second.nextBefore });
    expect(last.records.map((r) => r.seq)).toEqual([1]);
    expect(last.nextBefore).toBeNull();
  });

  it('refuses bad filters, saying which and why', async () => {
    expect(await call('audit.list', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'audit.list: input.limit: must be at least 1' } });
    expect(await call('audit.list', { status: 'approved' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'audit.list: input.status: must be one of: executed, blocked, declined, error, dry_run' },
    });
    expect(await call('audit.list', { from: 10, to: 5 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.to: must not be before "from"') } });
    expect(await call('audit.list', { seq: 3 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('unknown field "seq"') } });
  });
});

describe('audit.get', () => {
  it('returns the full record and its arguments and result escaped for showing', async () => {
    const details = await output('audit.get', { seq: 1 });
    const record = AuditRecordSchema.parse(details.record);
    expect(record).toMatchObject({
      seq: 1,
      bot: BOT,
      conversationId: conversations.ticket,
      status: 'executed',
      args: { customerId: 'c1', subject: 'WhatsApp support request', description: TRICKY_PROBLEM, priority: 'high' },
      result: { ticketId: expect.stringMatching(/^T-/) },
      confirmationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Indented JSON; the quote, the newline and the zero-width space are visible as escapes.
    expect(details.shown.args).toContain('"description": "My lamp flickers, \\"badly\\"\\nsince Monday\\u200b"');
    expect(details.shown.args).not.toContain('\u200b');
    expect(details.shown.args.split('\n').length).toBe(6);
    expect(JSON.parse(details.shown.result)).toEqual(record.result);
  });

  it('keeps what the customer answered to the confirmation (declined and confirmed), escaped for showing', async () => {
    const declined = await output('audit.get', { seq: 2 });
    expect(declined.record).toMatchObject({ status: 'declined', customerReply: 'no' });
    expect(declined.shown.customerReply).toBe('"no"');
    expect((await output('audit.get', { seq: 1 })).record.customerReply).toBe('yes');
    // A read tool nobody was asked about keeps no answer.
    expect((await output('audit.get', { seq: 5 })).record.customerReply).toBeUndefined();
  });

  it('shows the reason of a blocked call, and no result for it', async () => {
    const details = await output('audit.get', { seq: 4 });
    expect(details.record).toMatchObject({ status: 'blocked', reason: expect.stringMatching(/confirm/), args: { description: 'Refund 5000 EUR' }, confirmationId: null });
    expect(details.shown.result).toBeUndefined();
  });

  it('NOT_FOUND for a record that does not exist', async () => {
    expect(await call('audit.get', { seq: 99 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no audit record 99.' } });
  });
});

describe('audit.facets', () => {
  it('lists the values the filters can take', async () => {
    expect(await output('audit.facets')).toEqual({
      bots: [BOT],
      flows: ['order-status', 'support-ticket', 'support-ticket-edited'],
      servers: ['crm'],
      tools: ['create_ticket', 'get_order_status'],
      names: { bots: {}, flows: {} },
    });
  });
});

describe('names beside the ids', () => {
  beforeEach(() => {
    copyFileSync(resolve('test/fixtures/audit/support-ticket.flow.json'), join(dataDir, 'flows', 'support-ticket.flow.json'));
    copyFileSync(resolve('flows/order-status.flow.json'), join(dataDir, 'flows', 'order-status.flow.json'));
    expect(createSettingsStore({ dataDir }).createBot('Shop').id).toBe(BOT);
  });

  it('list, get and facets name the bot, the flow and the step the studio knows; unknown ids keep none', async () => {
    const names = (await list()).records.map((r) => [r.flowId, r.nodeId, r.names]);
    expect(names).toEqual([
      ['order-status', 'lookup', { bot: 'Shop', flow: 'Order status', step: 'Look up order', stepType: 'tool' }],
      // A flow the studio does not have (it ran from a file elsewhere): the ids stay, no names are made up.
      ['support-ticket-edited', 'create', { bot: 'Shop' }],
      ['support-ticket', 'create', { bot: 'Shop', flow: 'Support ticket', step: 'Create ticket', stepType: 'tool' }],
      ['support-ticket', 'create', { bot: 'Shop', flow: 'Support ticket', step: 'Create ticket', stepType: 'tool' }],
      ['support-ticket', 'create', { bot: 'Shop', flow: 'Support ticket', step: 'Create ticket', stepType: 'tool' }],
    ]);
    expect((await output('audit.get', { seq: 5 })).names).toEqual({ bot: 'Shop', flow: 'Order status', step: 'Look up order', stepType: 'tool' });
    expect((await output('audit.facets')).names).toEqual({ bots: { shop: 'Shop' }, flows: { 'order-status': 'Order status', 'support-ticket': 'Support ticket' } });
  });
});

describe('audit.export', () => {
  it('JSONL: one full record per line, oldest first, the same as audit.get', async () => {
    const exported = await output('audit.export', { format: 'jsonl' });
    expect(exported.fileName).toMatch(/^flowbot-audit-\d{8}-\d{6}\.jsonl$/);
    expect(exported.count).toBe(5);
    expect(exported.text.endsWith('\n')).toBe(true);
    const lines = exported.text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const records = lines.map((line: string) => AuditRecordSchema.parse(JSON.parse(line)));
    expect(records.map((r: AuditRecord) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const r of records) expect(r).toEqual((await output('audit.get', { seq: r.seq })).record);
    // The chain is in the file: each record points to the one before.
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
  });

  it('JSONL with filters exports only the matching records', async () => {
    const exported = await output('audit.export', { format: 'jsonl', status: 'executed' });
    expect(exported.count).toBe(2);
    expect(exported.text.trimEnd().split('\n').map((l: string) => JSON.parse(l).tool)).toEqual(['create_ticket', 'get_order_status']);
  });

  it('CSV: a header, one row per record, commas, quotes and newlines quoted (RFC 4180)', async () => {
    const exported = await output('audit.export', { format: 'csv' });
    expect(exported.fileName).toMatch(/^flowbot-audit-\d{8}-\d{6}\.csv$/);
    expect(exported.count).toBe(5);
    // The args cell of record 1 as written: quoted, inner quotes doubled, the JSON's own \n escape kept.
    expect(exported.text).toContain('"{""customerId"":""c1"",""description"":""My lamp flickers, \\""badly\\""\\nsince Monday\u200b"",');
    const rows = parseCsv(exported.text);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(6);
    const byColumn = rows.slice(1).map((row) => Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, row[i]])));
    expect(byColumn.map((r) => [r.seq, r.bot, r.status, r.tool])).toEqual([
      ['1', BOT, 'executed', 'create_ticket'],
      ['2', BOT, 'declined', 'create_ticket'],
      ['3', BOT, 'error', 'create_ticket'],
      ['4', BOT, 'blocked', 'create_ticket'],
      ['5', BOT, 'executed', 'get_order_status'],
    ]);
    expect(JSON.parse(byColumn[0]!.args!)).toMatchObject({ description: TRICKY_PROBLEM });
    expect(byColumn[2]!.reason).toBe('No customer with id "c999" was found.'); // a quoted field with quotes inside
    const jsonl = (await output('audit.export', { format: 'jsonl' })).text.trimEnd().split('\n').map((l: string) => JSON.parse(l));
    expect(byColumn.map((r) => r.hash)).toEqual(jsonl.map((r: AuditRecord) => r.hash));
    expect(byColumn[0]!.time).toBe(new Date(jsonl[0].time).toISOString());
  });

  it('CSV: a cell that a spreadsheet would run as a formula is defused', async () => {
    rawUpdate("UPDATE audit SET reason = '=HYPERLINK(\"http://x\",\"y\")' WHERE seq = 2");
    const rows = parseCsv((await output('audit.export', { format: 'csv', status: 'declined' })).text);
    expect(rows[1]![AUDIT_CSV_COLUMNS.indexOf('reason')]).toBe('\'=HYPERLINK("http://x","y")');
  });

  it('an empty selection is an empty file (CSV: the header only)', async () => {
    expect(await output('audit.export', { format: 'jsonl', bot: 'nobody' })).toMatchObject({ text: '', count: 0 });
    expect((await output('audit.export', { format: 'csv', bot: 'nobody' })).text).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('audit.verify', () => {
  it('reports an intact chain with its count, keyed with the keychain key from the first record', async () => {
    expect(await output('audit.verify')).toEqual({ ok: true, count: 5, keyedFrom: 1 });
  });

  it('names the record someone edited in the database file, and why', async () => {
    rawUpdate(`UPDATE audit SET args_json = replace(args_json, 'Refund 5000 EUR', 'Lamp broken') WHERE seq = 4`);
    expect(await output('audit.verify')).toEqual({
      ok: false,
      count: 5,
      seq: 4,
      reason: 'record 4 was changed after it was written (its hash does not match its contents)',
    });
    // The edited record still reads (it is valid JSON), so the owner can look at it.
    expect((await output('audit.get', { seq: 4 })).record.args.description).toBe('Lamp broken');
  });

  it('names a record deleted from the middle', async () => {
    rawUpdate('DELETE FROM audit WHERE seq = 2');
    expect(await output('audit.verify')).toMatchObject({ ok: false, seq: 2, reason: 'record 2 is missing (record 3 points to a record that is not there)' });
  });

  it('a damaged row makes the list say which record and to run Verify (CONFLICT), verify names it', async () => {
    rawUpdate("UPDATE audit SET status = 'fine' WHERE seq = 3");
    expect(await call('audit.list')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^audit record 3 is damaged: status: must be one of: .*Run Verify/) },
    });
    expect(await output('audit.verify')).toMatchObject({ ok: false, seq: 3 });
  });
});

function rawUpdate(sql: string): void {
  const db = new Database(join(dataDir, DB_FILE_NAME));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** RFC 4180, written out here so the test does not trust the code under test: fields, quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r' || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}: not RFC 4180`);
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the last row does not end with CRLF');
  return rows;
}
