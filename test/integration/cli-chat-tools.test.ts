// `flowbot chat --json` with a tool-calling AI step, end to end: the real CLI process, the
// governed MCP (config approves), the example CRM over stdio, the real `ollama` client against
// the scripted server. The write runs only after the customer's yes, checked in crm.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { runCli } from '../support/cli-process';
import { flow, flowText, line, n } from '../unit/flow-builders';
import { writeCrmWorkspace } from '../support/crm-workspace';

let llm: ScriptedLlmServer;
let dir: string;
let configPath: string;
let flowFile: string;

beforeAll(async () => {
  llm = await startScriptedLlmServer({ models: ['qwen3:4b'] });
  dir = mkdtempSync(join(tmpdir(), 'flowbot-chat-tools-'));
  configPath = writeCrmWorkspace(dir, llm.url, { get_order_status: 'read', create_ticket: 'write' });
  flowFile = join(dir, 'assistant.flow.json');
  writeFileSync(flowFile, flowText(flow(
    [n.start(), n.ask('q', { question: 'How can I help?' }),
      n.llm('bot', { instructions: 'You are the Acme assistant.', tools: [{ server: 'crm', tool: 'get_order_status' }, { server: 'crm', tool: 'create_ticket' }] }),
      n.end('end', 'Bye!')],
    line('start', 'q', 'bot', 'end'),
    { id: 'assistant' },
  )));
});
afterAll(() => llm.close());

const tickets = () => JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')).tickets;

describe('flowbot chat --json with a tool-calling AI step', () => {
  it('reads, asks about the write with its exact arguments, and writes on yes', async () => {
    llm.script(
      { toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A103' } }] },
      { toolCalls: [{ name: 'crm__create_ticket', arguments: { customerId: 'c3', subject: 'Cancelled order', description: 'A103 was cancelled' } }] },
      { content: 'Ticket T-1 is open.' },
    );
    const { code, events, messages } = await runCli(['chat', flowFile, '--config', configPath, '--data-dir', join(dir, 'data'), '--json'], ['Why was A103 cancelled? Open a ticket.', 'yes']);
    expect(code).toBe(0);
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['llm_request', 'llm_response', 'tool_call_proposed', 'confirmation_requested', 'tool_call']));
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_call_proposed', name: 'crm__create_ticket', disposition: 'write' }));
    expect(messages).toContain('Before I do this, please confirm:\n\nAction: create_ticket (crm)\n• customerId: "c3"\n• description: "A103 was cancelled"\n• subject: "Cancelled order"\n\nReply YES to confirm or NO to cancel.');
    expect(events.filter((e) => e.type === 'tool_call').map((e) => `${e.tool}:${e.status}`)).toEqual(['get_order_status:executed', 'create_ticket:executed']);
    expect(tickets()).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c3', subject: 'Cancelled order' })]);
    expect(messages.slice(-2)).toEqual(['Ticket T-1 is open.', 'Bye!']);
  });
});
