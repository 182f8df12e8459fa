// Crash safety: SIGKILL the CLI mid-conversation, resume with --conversation, and check the
// audit chain; then tamper with the audit table and watch `audit verify` name the record.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { CliProcess, runCli } from '../support/cli-process';
import { writeCrmWorkspace } from '../support/crm-workspace';

let llm: ScriptedLlmServer;
let dir: string;
let configPath: string;
let dataDir: string;

beforeAll(async () => {
  llm = await startScriptedLlmServer();
  dir = mkdtempSync(join(tmpdir(), 'flowbot-crash-'));
  dataDir = join(dir, 'data');
  configPath = writeCrmWorkspace(dir, llm.url, { search_customers: 'read', create_ticket: 'write' });
});
afterAll(() => llm.close());

const chatArgs = (flowFile: string, ...extra: string[]) =>
  ['chat', resolve(flowFile), '--config', configPath, '--data-dir', dataDir, '--json', ...extra];
const botSaid = (text: string) => (e: { type: string; text?: unknown }) => e.type === 'bot_message' && String(e.text).startsWith(text);
const tickets = () => JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')).tickets as Record<string, unknown>[];

describe('crash safety', () => {
  let conversationId: string;

  it('a SIGKILLed conversation resumes with its variables intact', async () => {
    const first = new CliProcess(chatArgs('flows/support-ticket.flow.json'));
    const started = await first.waitFor((e) => e.type === 'conversation_started');
    conversationId = String(started.conversationId);
    await first.waitFor(botSaid('Hi! What is your customer number?'));
    first.send('c3');
    await first.waitFor(botSaid('Thanks, Chidi Okafor! Please describe the problem'));
    first.send('The desk lamp arrived broken');
    await first.waitFor(botSaid('How urgent is it?'));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const resumed = await runCli(chatArgs('flows/support-ticket.flow.json', '--conversation', conversationId), ['high', 'yes']);
    expect(resumed.code).toBe(0);
    expect(resumed.events).toContainEqual(expect.objectContaining({
      type: 'confirmation_requested',
      conversationId,
      args: { customerId: 'c3', subject: 'WhatsApp support request', description: 'The desk lamp arrived broken', priority: 'high' },
    }));
    expect(resumed.messages.at(-1)).toBe('Done! Your ticket number is T-1. We will get back to you soon.');
    expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c3', description: 'The desk lamp arrived broken', priority: 'high' })]);
  });

  it('a conversation killed while waiting for the model re-asks the model on resume', async () => {
    llm.script({ hang: true });
    const first = new CliProcess(chatArgs('flows/faq.flow.json'));
    const started = await first.waitFor((e) => e.type === 'conversation_started');
    await first.waitFor(botSaid('Hi! What would you like'));
    const before = llm.requests.length;
    first.send('Do you ship to Portugal?');
    await waitUntil(() => llm.requests.length > before);
    first.kill('SIGKILL');
    await first.exited;

    llm.script({ content: 'Yes, we deliver to Portugal in 2-4 working days.' });
    const resumed = await runCli(chatArgs('flows/faq.flow.json', '--conversation', String(started.conversationId)), ['no']);
    expect(resumed.code).toBe(0);
    expect(resumed.messages).toEqual([
      'Yes, we deliver to Portugal in 2-4 working days.',
      'Can I help with anything else? (yes/no)',
      'Thanks for writing to Acme Home. Have a nice day!',
    ]);
  });

  it('resuming an unknown conversation fails clearly', async () => {
    const { code, events } = await runCli(chatArgs('flows/faq.flow.json', '--conversation', 'no-such-id'));
    expect(code).toBe(1);
    expect(events).toContainEqual({ type: 'error', message: 'There is no conversation with id "no-such-id" in this data folder.' });
  });

  it('audit verify passes, then fails naming a record that was edited or deleted', async () => {
    const verify = () => runCli(['audit', 'verify', '--data-dir', dataDir, '--json']);
    // The customer lookup (a read) and the ticket (a confirmed write).
    expect(await verify()).toMatchObject({ code: 0, events: [{ ok: true, count: 2 }] });

    // Two more conversations (a lookup and a declined ticket each), so there are records in the middle to change and delete.
    await runCli(chatArgs('flows/support-ticket.flow.json'), ['c1', 'Wrong colour', 'low', 'no']);
    await runCli(chatArgs('flows/support-ticket.flow.json'), ['c2', 'Late delivery', 'normal', 'no']);
    expect(await verify()).toMatchObject({ code: 0, events: [{ ok: true, count: 6 }] });

    const db = new Database(join(dataDir, 'flowbot.db'));
    const original = db.prepare('SELECT args_json FROM audit WHERE seq = 4').get() as { args_json: string };
    expect(original.args_json).toContain('Wrong colour');
    db.prepare('UPDATE audit SET args_json = ? WHERE seq = 4').run(original.args_json.replace('Wrong colour', 'Refund 500 EUR'));
    let result = await verify();
    expect(result.code).toBe(1);
    expect(result.events[0]).toMatchObject({ ok: false, seq: 4, reason: expect.stringContaining('record 4') });
    const text = await runCli(['audit', 'verify', '--data-dir', dataDir]);
    expect(text.stderr).toContain('Audit log BROKEN at record 4');

    db.prepare('UPDATE audit SET args_json = ? WHERE seq = 4').run(original.args_json);
    expect((await verify()).code).toBe(0);
    db.prepare('DELETE FROM audit WHERE seq = 4').run();
    db.close();
    result = await verify();
    expect(result.code).toBe(1);
    expect(result.events[0]).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/record 4 is missing/) });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
