// `flowbot audit list|export|verify` as child processes, on a log written by `flowbot chat`
// itself (the support-ticket flow, the fixture copy without the customer lookup, against the example CRM server): the bot given to chat is in
// every record, the filters select, export writes JSONL/CSV and never overwrites a file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS } from '../../src-main/core/audit-export';
import { crmServer } from '../support/crm-workspace';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let tmp: string;
let dataDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function flowbot(args: string[], stdin = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/flowbot.js', ...args], { cwd: ROOT, env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {});
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const records = (run: Run) => (JSON.parse(run.stdout) as { records: { seq: number; bot?: string; status: string; tool: string }[] }).records;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flowbot-cli-audit-'));
  dataDir = join(tmp, 'data');
  const config = join(tmp, 'workspace.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { crm: crmServer(tmp, { get_order_status: 'read', create_ticket: 'write' }) } }));
  const chat = (bot: string, lines: string) =>
    flowbot(['chat', 'test/fixtures/audit/support-ticket.flow.json', '--config', config, '--data-dir', dataDir, '--bot', bot, '--json'], lines);
  expect((await chat('shop', 'c1\nLamp, "flickers"\nhigh\nyes\n')).code).toBe(0);
  expect((await chat('shop', 'c1\nBroken mug\nlow\nNo, not now\n')).code).toBe(0);
  expect((await chat('clinic', 'c2\nWrong invoice\nnormal\nyes\n')).code).toBe(0);
}, 60_000);

describe('flowbot audit', () => {
  it('list: every record names the bot chat ran as; filters select', async () => {
    const all = records(await flowbot(['audit', 'list', '--json', '--data-dir', dataDir]));
    expect(all.map((r) => [r.seq, r.bot, r.status])).toEqual([
      [1, 'shop', 'executed'],
      [2, 'shop', 'declined'],
      [3, 'clinic', 'executed'],
    ]);
    const shopExecuted = records(await flowbot(['audit', 'list', '--json', '--data-dir', dataDir, '--bot', 'shop', '--status', 'executed']));
    expect(shopExecuted.map((r) => r.seq)).toEqual([1]);
    expect(records(await flowbot(['audit', 'list', '--json', '--data-dir', dataDir, '--limit', '2'])).map((r) => r.seq)).toEqual([2, 3]);

    const text = await flowbot(['audit', 'list', '--data-dir', dataDir, '--text', 'broken mug']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('#2 ');
    expect(text.stdout).toContain('DECLINED crm.create_ticket');
    expect(text.stdout).toContain('bot shop, conversation ');
    expect(text.stdout).not.toContain('#1 ');
    expect((await flowbot(['audit', 'list', '--data-dir', dataDir, '--bot', 'nobody'])).stdout).toBe('No audit records match.\n');
  }, 30_000);

  it('list and export keep what the customer answered to the confirmation, in their words', async () => {
    const all = (JSON.parse((await flowbot(['audit', 'list', '--json', '--data-dir', dataDir])).stdout) as { records: { seq: number; status: string; customerReply?: string }[] }).records;
    expect(all.map((r) => [r.seq, r.status, r.customerReply])).toEqual([
      [1, 'executed', 'yes'],
      [2, 'declined', 'No, not now'],
      [3, 'executed', 'yes'],
    ]);
    const text = await flowbot(['audit', 'list', '--data-dir', dataDir, '--status', 'declined']);
    expect(text.stdout).toContain('the customer answered: "No, not now"');
    const jsonl = await flowbot(['audit', 'export', '--format', 'jsonl', '--data-dir', dataDir, '--status', 'declined']);
    expect(JSON.parse(jsonl.stdout.trim())).toMatchObject({ seq: 2, reason: 'the customer said no', customerReply: 'No, not now' });
    expect((await flowbot(['audit', 'verify', '--data-dir', dataDir])).code).toBe(0);
  }, 30_000);

  it('list: bad filters are usage errors naming the option', async () => {
    const status = await flowbot(['audit', 'list', '--data-dir', dataDir, '--status', 'ok']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status: must be one of: executed, blocked, declined, error');
    const from = await flowbot(['audit', 'list', '--data-dir', dataDir, '--from', 'last tuesday']);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from: "last tuesday" is not a date or time');
  }, 30_000);

  it('export: JSONL to stdout, CSV to a file that is never overwritten', async () => {
    const jsonl = await flowbot(['audit', 'export', '--format', 'jsonl', '--data-dir', dataDir, '--bot', 'shop']);
    expect(jsonl.code).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; args: { description: string }; hash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(lines[0]!.args.description).toBe('Lamp, "flickers"');

    const out = join(tmp, 'audit.csv');
    const csv = await flowbot(['audit', 'export', '--format', 'csv', '--out', out, '--data-dir', dataDir]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain(`Exported 3 audit records to ${out}.`);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith(`${AUDIT_CSV_COLUMNS.join(',')}\r\n1,`)).toBe(true);
    expect(text).toContain('""description"":""Lamp, \\""flickers\\""""');

    const again = await flowbot(['audit', 'export', '--format', 'csv', '--out', out, '--data-dir', dataDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('the file already exists');
    expect(readFileSync(out, 'utf8')).toBe(text);

    const noFormat = await flowbot(['audit', 'export', '--data-dir', dataDir]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain('audit export needs --format jsonl or --format csv');
  }, 30_000);

  it('verify: intact', async () => {
    const run = await flowbot(['audit', 'verify', '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Audit log intact: 3 records, hash chain verified. All records are keyed with this computer's audit key.\n");
  }, 30_000);
});
