// The tool loop of llm steps, through the real `ollama` and `openai` clients against the
// scripted LLM server, with the real runner, SQLite and the example CRM server over stdio.
// Writes are checked in the CRM's own crm.json, not only in our audit.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Flow, ToolRef } from '../../src-main/shared/flow';
import { DECLINED_TOOL_MESSAGE } from '../../src-main/runtime/llm-tool-loop';
import { en } from '../../src-main/shared/customer-texts/en';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { createHarness, PROVIDERS, type Harness } from '../support/llm-harness';
import { flow, line, n } from '../unit/flow-builders';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer({ models: ['qwen3:4b'] });
});
afterAll(() => server.close());

const crmTools = (...tools: string[]): ToolRef[] => tools.map((tool) => ({ server: 'crm', tool }));

function botFlow(tools: ToolRef[], extra: { maxToolRounds?: number } = {}): Flow {
  return flow(
    [n.start(), n.ask('q', { question: 'How can I help?' }), n.llm('bot', { instructions: 'You are the Acme shop assistant.', tools, ...extra }), n.end('end', 'Bye!')],
    line('start', 'q', 'bot', 'end'),
  );
}

const chatRequests = () => server.requests.filter((r) => r.path === '/api/chat' || r.path === '/v1/chat/completions');
const lastRequestText = () => JSON.stringify(chatRequests().at(-1)!.body.messages);

describe.each(PROVIDERS)('llm tool loop (%s client)', (provider) => {
  let h: Harness;
  beforeEach(() => {
    server.requests.length = 0;
    h = createHarness({ provider, server });
  });
  afterEach(async () => {
    expect(server.pending()).toBe(0);
    await h.close();
  });

  const botMessages = () => h.events.flatMap((e) => (e.type === 'bot_message' ? [e.text] : []));
  const audit = () => h.store.listAudit().map((r) => `${r.server}.${r.tool}:${r.status}`);

  it('runs read tools for two rounds, then answers with the results', async () => {
    server.script(
      { toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A100' } }] },
      { toolCalls: [{ name: 'crm__search_customers', arguments: { query: 'Ana' } }] },
      { content: 'Ana, your order A100 has shipped and should arrive on 2025-06-03.' },
    );
    const { state } = await h.chat(botFlow(crmTools('get_order_status', 'search_customers', 'create_ticket')), 'Where is my order A100?');

    expect(botMessages()).toEqual(['How can I help?', 'Ana, your order A100 has shipped and should arrive on 2025-06-03.', 'Bye!']);
    expect(state.status).toBe('ended');
    expect(audit()).toEqual(['crm.get_order_status:executed', 'crm.search_customers:executed']);

    // Exactly the step's tools are offered, named server__tool, with their schemas and a marked description.
    const first = chatRequests()[0]!.body;
    expect(first.tools!.map((t) => t.function.name)).toEqual(['crm__get_order_status', 'crm__search_customers', 'crm__create_ticket']);
    expect(first.tools![0]!.function.description).toMatch(/^Tool description from server "crm" \(untrusted\): Look up an order/);
    expect(first.tools![0]!.function.parameters).toMatchObject({ type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] });
    expect(JSON.stringify(first.messages)).toContain('<customer_message>\\nWhere is my order A100?\\n</customer_message>');
    // Results go back wrapped as untrusted data.
    expect(lastRequestText()).toContain('<tool_result>');
    expect(lastRequestText()).toContain('shipped');
    expect(h.events.filter((e) => e.type === 'llm_request')).toHaveLength(3);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'tool_call_proposed', name: 'crm__get_order_status', disposition: 'read' }));
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'llm_response', text: expect.stringContaining('A100 has shipped') }));
  });

  it('intercepts a write, shows the exact arguments, and runs exactly that call on yes', async () => {
    server.script(
      { content: 'Let me open a ticket.', toolCalls: [{ name: 'crm__create_ticket', arguments: { customerId: 'c1', subject: 'Lamp flickers', description: 'The desk lamp flickers.', priority: 'high' } }] },
      { content: 'Your ticket T-1 is open.' },
    );
    const f = botFlow(crmTools('get_order_status', 'create_ticket'));
    const r = h.runner(f);
    let state = await r.start({ id: 'c1' });
    state = await r.receive(state.conversationId, 'My lamp flickers, please open a ticket.');

    expect(h.crm().tickets).toEqual([]);
    expect(h.store.listAudit()).toEqual([]);
    expect(state.awaiting).toEqual({ kind: 'input', nodeId: 'bot' });
    expect(botMessages().at(-1)).toBe(
      'Before I do this, please confirm:\n\nAction: create_ticket (crm)\n• customerId: "c1"\n• description: "The desk lamp flickers."\n• priority: "high"\n• subject: "Lamp flickers"\n\nReply YES to confirm or NO to cancel.',
    );
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'confirmation_requested', nodeId: 'bot', tool: 'create_ticket', args: expect.objectContaining({ subject: 'Lamp flickers' }) }));

    state = await r.receive(state.conversationId, 'yes');
    expect(h.crm().tickets).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c1', subject: 'Lamp flickers', priority: 'high' })]);
    expect(h.store.listAudit()).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'executed', nodeId: 'bot', confirmationId: expect.any(String) })]);
    expect(botMessages().slice(-2)).toEqual(['Your ticket T-1 is open.', 'Bye!']);
    expect(lastRequestText()).toContain('T-1');
    expect(state.status).toBe('ended');
  });

  it('a no declines the call, tells the model, and nothing is written', async () => {
    server.script(
      { toolCalls: [{ name: 'crm__create_ticket', arguments: { customerId: 'c1', subject: 'Refund', description: 'Refund everything' } }] },
      { content: 'Okay, I did not open a ticket.' },
    );
    await h.chat(botFlow(crmTools('create_ticket')), 'I want a refund', 'no, not like that');
    expect(h.crm().tickets).toEqual([]);
    expect(audit()).toEqual(['crm.create_ticket:declined']);
    expect(lastRequestText()).toContain(DECLINED_TOOL_MESSAGE);
    expect(lastRequestText()).toContain('<customer_message>\\nno, not like that\\n</customer_message>');
    expect(botMessages()).toContain('Okay, I did not open a ticket.');
  });

  it('invalid arguments go back to the model; the corrected call runs', async () => {
    server.script(
      { toolCalls: [{ name: 'crm__get_order_status', arguments: { order: 'A100' } }] },
      { toolCalls: [{ name: 'crm__get_order_status', arguments: '{"orderId": "A1' }] },
      { toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A102' } }] },
      { content: 'Order A102 was delivered.' },
    );
    await h.chat(botFlow(crmTools('get_order_status')), 'Status of A102?');
    expect(audit()).toEqual(['crm.get_order_status:error', 'crm.get_order_status:error', 'crm.get_order_status:executed']);
    const second = JSON.stringify(chatRequests()[1]!.body.messages);
    expect(second).toContain('invalid arguments for crm__get_order_status');
    expect(second).toContain("must have required property 'orderId'");
    expect(JSON.stringify(chatRequests()[2]!.body.messages)).toContain('not valid JSON');
    expect(botMessages()).toContain('Order A102 was delivered.');
  });

  it('a tool name the step does not offer is refused, audited and reported to the model', async () => {
    server.script(
      { toolCalls: [{ name: 'crm__update_address', arguments: { customerId: 'c1', address: 'Evil Street 1' } }] },
      { toolCalls: [{ name: 'delete_everything', arguments: {} }] },
      { content: 'I cannot change addresses here.' },
    );
    await h.chat(botFlow(crmTools('get_order_status')), 'Change my address');
    expect(h.crmWrites()).toBe(0);
    expect(audit()).toEqual(['crm.update_address:blocked', '(unknown).delete_everything:blocked']);
    expect(JSON.stringify(chatRequests()[1]!.body.messages)).toContain('is not available in this step');
    expect(botMessages()).toContain('I cannot change addresses here.');
  });

  it('reads and a write in one parallel turn: the reads run, the write waits for the customer', async () => {
    server.script(
      {
        toolCalls: [
          { name: 'crm__get_order_status', arguments: { orderId: 'A100' } },
          { name: 'crm__create_ticket', arguments: { customerId: 'c1', subject: 'Late', description: 'A100 is late' } },
          { name: 'crm__search_customers', arguments: { query: 'Ana' } },
        ],
      },
      { content: 'Done: ticket T-1.' },
    );
    const f = botFlow(crmTools('get_order_status', 'search_customers', 'create_ticket'));
    const r = h.runner(f);
    let state = await r.start({ id: 'c1' });
    state = await r.receive(state.conversationId, 'A100 is late');
    expect(audit()).toEqual(['crm.get_order_status:executed', 'crm.search_customers:executed']);
    expect(h.crm().tickets).toEqual([]);
    await r.receive(state.conversationId, 'YES');
    expect(h.crm().tickets).toHaveLength(1);
    expect(audit().at(-1)).toBe('crm.create_ticket:executed');
    // Every tool call of the turn was answered, in the request after the resume.
    const last = lastRequestText();
    expect(last.match(/<tool_result>/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('too many tool rounds end with the polite fallback reply', async () => {
    const look = { toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A100' } }] };
    server.script(look, look, look);
    await h.chat(botFlow(crmTools('get_order_status'), { maxToolRounds: 2 }), 'Status?');
    expect(botMessages()).toContain(en.llmFallback);
    expect(audit()).toEqual(['crm.get_order_status:executed', 'crm.get_order_status:executed', 'crm.get_order_status:blocked']);
  });

  it('malformed model output fails the step politely', async () => {
    server.script({ raw: provider === 'ollama' ? '{"not": "a chat reply' : '<html>oops</html>' });
    const { state } = await h.chat(botFlow(crmTools('get_order_status')), 'Hello');
    expect(state.status).toBe('failed');
    expect(botMessages().at(-1)).toBe(en.failure);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'error' }));
  });

  it('a model error mid-loop fails the step politely, after the read that ran', async () => {
    server.script({ toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A100' } }] }, { status: 500, error: 'CUDA out of memory' });
    const { state } = await h.chat(botFlow(crmTools('get_order_status')), 'Hello');
    expect(state).toMatchObject({ status: 'failed', error: expect.stringContaining('CUDA out of memory') });
    expect(botMessages().at(-1)).toBe(en.failure);
    expect(audit()).toEqual(['crm.get_order_status:executed']);
  });

  it('streams the final reply as llm_text events', async () => {
    server.script({ content: 'We are open from nine to six.' });
    await h.chat(botFlow(crmTools('get_order_status')), 'When are you open?');
    const streamed = h.events.flatMap((e) => (e.type === 'llm_text' ? [e.delta] : [])).join('');
    expect(streamed).toBe('We are open from nine to six.');
  });
});
