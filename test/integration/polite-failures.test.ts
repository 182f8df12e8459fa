// Internal errors never reach a customer: a tool that fails, an MCP server that crashes mid-call
// and a model that errors (HTTP 500, or bytes that are no answer) each leave the customer with
// the polite failure text only; the detail is in the run events (the trace, the CLI's --json)
// and, for tool calls, in the audit log. Real parts: the composition root (openWorkspace), the
// example CRM and a crashing server over stdio, SQLite, the scripted LLM server over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src-main/app/workspace';
import type { Flow } from '../../src-main/shared/flow';
import type { RunEvent } from '../../src-main/shared/run-event';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';
import { en } from '../../src-main/shared/customer-texts/en';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { crmServer } from '../support/crm-workspace';
import { edge, flow, line, n } from '../unit/flow-builders';

let dir: string;
let llm: ScriptedLlmServer;
let workspace: Workspace;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-polite-'));
  llm = await startScriptedLlmServer();
  const config = WorkspaceConfigSchema.parse({
    llm: { provider: 'ollama', host: llm.url, model: 'qwen3:4b' },
    mcpServers: {
      crm: crmServer(dir, { search_customers: 'read', create_ticket: 'write' }),
      crashy: { command: process.execPath, args: [resolve('test/fixtures/mcp-servers/crash-on-demand.js')], tools: { crash: 'read', work: 'read' } },
    },
  });
  workspace = await openWorkspace({ bot: 'shop', config, dataDir: join(dir, 'data'), consent: 'config-approves' });
});
afterAll(async () => {
  await workspace?.close();
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One conversation: what the customer received (the channel) and every run event. */
async function converse(f: Flow, messages: string[] = []) {
  const sent: string[] = [];
  const events: RunEvent[] = [];
  const runner = workspace.runner(f, `${f.id}.flow.json`, { channel: { send: async (_id, text) => void sent.push(text) }, onEvent: (e) => events.push(e) });
  let state = await runner.start({ id: '+15550001', name: 'Ana' });
  for (const text of messages) state = await runner.receive(state.conversationId, text);
  const audit = await workspace.store.listAudit({ conversationId: state.conversationId });
  return { state, sent, events, audit, error: events.find((e) => e.type === 'error') };
}

const ticketFlow = flow(
  [n.start(), n.message('hi', 'Hello! I will open a ticket.'), n.confirm('ok', 'Open a ticket for customer c999?'),
    n.tool('create', { server: 'crm', tool: 'create_ticket', args: { customerId: 'c999', subject: 'Help', description: 'Broken lamp' } }, { label: 'Create ticket' }),
    n.end('done', 'Done!')],
  [...line('start', 'hi', 'ok'), edge('ok', 'yes', 'create'), edge('create', 'next', 'done')],
  { id: 'ticket' },
);

describe('the customer sees only the polite text', () => {
  it('a tool that fails: the CRM refuses (no "If it fails" path)', async () => {
    const { state, sent, error, audit } = await converse(ticketFlow, ['yes']);
    expect(state.status).toBe('failed');
    expect(sent).toEqual(['Hello! I will open a ticket.', expect.stringContaining('Open a ticket for customer c999?'), en.failure]);
    expect(error).toMatchObject({ message: 'the action at step "create" failed: No customer with id "c999" was found.' });
    expect(audit).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'error', reason: 'No customer with id "c999" was found.' })]);
  });

  it('a server that crashes in the middle of the call', async () => {
    const f = flow([n.start(), n.tool('boom', { server: 'crashy', tool: 'crash' }), n.end('done', 'Done!')], line('start', 'boom', 'done'), { id: 'crash' });
    const { state, sent, error, audit } = await converse(f);
    expect(state.status).toBe('failed');
    expect(sent).toEqual([en.failure]);
    expect(error?.type === 'error' && error.message).toMatch(/^the action at step "boom" failed: .+/);
    expect(audit).toEqual([expect.objectContaining({ tool: 'crash', status: 'error', reason: expect.stringMatching(/.+/) })]);
    expect(sent.join('\n')).not.toContain(audit[0]!.reason!);
  });

  it('a model that answers HTTP 500, and one that sends bytes that are no answer', async () => {
    const f = flow([n.start(), n.ask('q', { question: 'How can I help?' }), n.llm('ai', {}, { label: 'Answer' }), n.end('done', 'Bye!')], line('start', 'q', 'ai', 'done'), { id: 'ai' });
    llm.script({ status: 500, error: 'CUDA out of memory' });
    const crashed = await converse(f, ['Hello?']);
    expect(crashed.sent).toEqual(['How can I help?', en.failure]);
    expect(crashed.error?.type === 'error' && crashed.error.message).toContain('CUDA out of memory');

    llm.script({ raw: '{"message": {"role": "assistant", "content": ' });
    const garbled = await converse(f, ['Hello?']);
    expect(garbled.sent).toEqual(['How can I help?', en.failure]);
    expect(garbled.error?.type === 'error' && garbled.error.message).toMatch(/^the AI step "ai" failed: .+/);
  });
});
