// Export formats and the escaped JSON of the audit details, as pure functions.
import { describe, expect, it } from 'vitest';
import { auditExportText, csvField, spreadsheetSafe } from '../../src-main/core/audit-export';
import { showJson } from '../../src-main/core/show-args';
import type { AuditRecord } from '../../src-main/shared/conversation';

const record = (seq: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  seq,
  time: Date.UTC(2025, 5, 3, 14, 15, 2),
  bot: 'shop',
  conversationId: 'c-1',
  flowId: 'support-ticket',
  nodeId: 'create',
  server: 'crm',
  tool: 'create_ticket',
  args: { subject: 'a' },
  status: 'executed',
  durationMs: 3.5,
  confirmationId: null,
  prevHash: 'p'.repeat(64),
  hash: 'h'.repeat(64),
  ...overrides,
});

describe('csvField', () => {
  it('quotes only what needs it, doubling quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });
});

describe('spreadsheetSafe', () => {
  it('defuses formulas and leaves other text alone', () => {
    for (const f of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=x', '\r=x']) expect(spreadsheetSafe(f)).toBe(`'${f}`);
    expect(spreadsheetSafe('a = b')).toBe('a = b');
    expect(spreadsheetSafe('')).toBe('');
  });
});

describe('auditExportText', () => {
  it('CSV rows end with CRLF; a missing bot or result is an empty cell', () => {
    const { text, count } = auditExportText('csv', [record(1, { bot: undefined, reason: 'x, "y"' })]);
    expect(count).toBe(1);
    const [, row, end] = text.split('\r\n');
    expect(end).toBe('');
    expect(row).toBe(`1,2025-06-03T14:15:02.000Z,,c-1,support-ticket,create,crm,create_ticket,executed,3.5,,"x, ""y""",,"{""subject"":""a""}",,${'p'.repeat(64)},${'h'.repeat(64)}`);
  });

  it('CSV keeps what the customer answered, defused like every free-text cell', () => {
    const { text } = auditExportText('csv', [record(1, { status: 'declined', customerReply: '=HYPERLINK("x"), no' })]);
    const [header, row] = text.split('\r\n');
    expect(header).toContain(',reason,customer_reply,args,');
    expect(row).toContain(`,"'=HYPERLINK(""x""), no",`);
  });

  it('JSONL: one line per record, newlines inside values escaped', () => {
    const { text, count } = auditExportText('jsonl', [record(1, { args: { s: 'a\nb\u2028c' } }), record(2)]);
    expect(count).toBe(2);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!).args.s).toBe('a\nb\u2028c');
  });
});

describe('showJson', () => {
  it('indents and makes hidden characters visible', () => {
    const shown = showJson({ note: 'a\u200bb\u202ec\u2028d\u0085e\tf' });
    expect(shown).toBe('{\n  "note": "a\\u200bb\\u202ec\\u2028d\\u0085e\\tf"\n}');
    expect(showJson(undefined)).toBe('null');
  });
});
