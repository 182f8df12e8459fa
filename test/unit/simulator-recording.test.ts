// The renderer's record of a simulated conversation (what a "Save as test case" button reads),
// the trace built from its events, and the preset-variables parser. Pure: no browser.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import { newRecording, traceOf, withCustomerMessage, withEvent, type SimulatorRecording } from '../../src-renderer/ui/simulator/sim-recording';
import { parseVarsText, varsTemplate } from '../../src-renderer/ui/simulator/sim-vars';
import { showValue } from '../../src-renderer/ui/simulator/show-value';

const c = 'conv-1';
const call = { conversationId: c, nodeId: 'create', server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', description: 'Lamp' } };
const conversation: RunEvent[] = [
  { type: 'conversation_started', conversationId: c, flowId: 'support' },
  { type: 'bot_message', conversationId: c, text: 'Your number?' },
  { type: 'step', conversationId: c, nodeId: 'ask', status: 'active', awaiting: 'input', vars: {} },
  { type: 'step', conversationId: c, nodeId: 'lookup', status: 'active', awaiting: 'tool', vars: { customerId: 'c1' } },
  { type: 'tool_call', conversationId: c, nodeId: 'lookup', server: 'crm', tool: 'search_customers', args: { query: 'c1' }, status: 'executed', result: { customers: [] }, durationMs: 4 },
  { type: 'bot_message', conversationId: c, text: 'Open the ticket?' },
  { type: 'confirmation_requested', ...call },
  { type: 'step', conversationId: c, nodeId: 'sure', status: 'active', awaiting: 'input', vars: { customerId: 'c1' } },
  { type: 'step', conversationId: c, nodeId: 'sure', status: 'active', awaiting: 'input', vars: { customerId: 'c1' } },
  { type: 'tool_call', ...call, status: 'executed', result: { ticketId: 'T-1' }, durationMs: 9 },
  { type: 'bot_message', conversationId: c, text: 'Done: T-1' },
  { type: 'end', conversationId: c, status: 'ended' },
  { type: 'step', conversationId: c, nodeId: 'done', status: 'ended', awaiting: null, vars: { customerId: 'c1', ticket: { ticketId: 'T-1' } } },
];

function record(events: RunEvent[], customer: Record<number, string> = {}): SimulatorRecording {
  let rec = newRecording({ flowId: 'support', sessionId: 's1', conversationId: c, dryRun: false });
  events.forEach((event, i) => {
    if (customer[i] !== undefined) rec = withCustomerMessage(rec, customer[i]!);
    rec = withEvent(rec, event);
  });
  return rec;
}

describe('the recording', () => {
  it('keeps the customer messages, every event, and the latest status, step and variables', () => {
    const rec = record(conversation, { 3: 'c1', 8: 'yes' });
    expect(rec.customerMessages).toEqual(['c1', 'yes']);
    expect(rec.events).toEqual(conversation);
    expect(rec).toMatchObject({ flowId: 'support', status: 'ended', finished: true, activeNodeId: 'done', awaiting: null, vars: { ticket: { ticketId: 'T-1' } } });
    expect(rec.chat.map((l) => `${l.role}: ${l.text}`)).toEqual(['bot: Your number?', 'customer: c1', 'bot: Open the ticket?', 'customer: yes', 'bot: Done: T-1']);
  });

  it('is immutable: an older recording does not change', () => {
    const before = record(conversation.slice(0, 3));
    const after = withEvent(before, conversation[3]!);
    expect(before.events).toHaveLength(3);
    expect(before.activeNodeId).toBe('ask');
    expect(after.activeNodeId).toBe('lookup');
  });

  it('starts at the chosen step with the preset variables until the first step reports', () => {
    const rec = newRecording({ flowId: 'f', sessionId: 's', conversationId: c, startAt: 'ask-problem', presetVars: { customerId: 'c2' }, dryRun: true });
    expect(rec).toMatchObject({ activeNodeId: 'ask-problem', vars: { customerId: 'c2' }, status: 'new', finished: false });
  });

  it('notes a write the dry run did not execute in the chat', () => {
    const rec = record([{ type: 'tool_call', ...call, status: 'dry_run', result: { dryRun: true }, reason: 'dry run', durationMs: 0 }]);
    expect(rec.chat).toEqual([{ role: 'note', seq: 0, text: expect.stringContaining('Dry run: crm · create_ticket was not executed') }]);
  });
});

describe('the trace', () => {
  it('one entry per step, tool call, confirmation (with its answer) and the end', () => {
    const trace = traceOf(record(conversation));
    expect(trace.map((e) => e.kind)).toEqual(['started', 'step', 'step', 'tool', 'confirmation', 'step', 'tool', 'end', 'step']);
    expect(trace.find((e) => e.kind === 'confirmation')).toMatchObject({ tool: 'create_ticket', args: call.args, answer: 'yes' });
  });

  it('a declined call answers the confirmation with no; an open one has no answer yet', () => {
    const asked = traceOf(record(conversation.slice(0, 7)));
    expect(asked.find((e) => e.kind === 'confirmation')).not.toHaveProperty('answer');
    const declined = traceOf(record([...conversation.slice(0, 7), { type: 'tool_call', ...call, status: 'declined', reason: 'the customer said no', durationMs: 0 }]));
    expect(declined.find((e) => e.kind === 'confirmation')).toMatchObject({ answer: 'no' });
  });

  it('groups a model request with its streamed text and its response', () => {
    const trace = traceOf({
      dryRun: false,
      events: [
        { type: 'llm_request', conversationId: c, nodeId: 'ai', round: 0, messages: 3, tools: ['crm__search_customers'] },
        { type: 'llm_text', conversationId: c, nodeId: 'ai', delta: 'We del' },
        { type: 'llm_text', conversationId: c, nodeId: 'ai', delta: 'iver.' },
      ],
    });
    expect(trace).toEqual([{ kind: 'llm', key: 0, nodeId: 'ai', round: 0, messages: 3, tools: ['crm__search_customers'], streamed: 'We deliver.' }]);
    const done = traceOf({
      dryRun: false,
      events: [
        { type: 'llm_request', conversationId: c, nodeId: 'ai', round: 0, messages: 3, tools: [] },
        { type: 'llm_text', conversationId: c, nodeId: 'ai', delta: 'Hi' },
        { type: 'llm_response', conversationId: c, nodeId: 'ai', text: 'Hi', toolCalls: [] },
        { type: 'llm_text', conversationId: c, nodeId: 'ai', delta: 'ignored after the response' },
      ],
    });
    expect(done[0]).toMatchObject({ streamed: 'Hi', response: { text: 'Hi', toolCalls: [] } });
  });

  it('says where a conversation started and whether it was a dry run', () => {
    expect(traceOf({ events: conversation.slice(0, 1), startAt: 'ask-problem', dryRun: true })[0]).toEqual({ kind: 'started', key: 0, startAt: 'ask-problem', dryRun: true });
  });
});

describe('preset variables', () => {
  it('parses a JSON object of names and values', () => {
    expect(parseVarsText('{"customerId": "c1", "lookup": {"customers": [{"name": "Ana"}]}}')).toEqual({ ok: true, vars: { customerId: 'c1', lookup: { customers: [{ name: 'Ana' }] } } });
    expect(parseVarsText('   ')).toEqual({ ok: true, vars: {} });
  });

  it('says what is wrong, in words', () => {
    expect(parseVarsText('{"a": ')).toMatchObject({ ok: false, error: expect.stringMatching(/^This is not valid JSON: .+\. Write it like \{"customerId": "c1"\}\.$/) });
    expect(parseVarsText('[1, 2]')).toEqual({ ok: false, error: 'The variables must be one JSON object of names and values, like {"customerId": "c1"}.' });
    expect(parseVarsText('"c1"')).toMatchObject({ ok: false });
    expect(parseVarsText('{"first name": 1}')).toEqual({ ok: false, error: '"first name": a variable name uses letters, digits and _ and does not start with a digit.' });
    expect(parseVarsText('{"last_message": "hi"}')).toEqual({ ok: false, error: '"last_message": this name is set by the conversation itself; use another name.' });
  });

  it('prefills the variables saved before a step', () => {
    expect(JSON.parse(varsTemplate(['customerId', 'lookup']))).toEqual({ customerId: '', lookup: '' });
    expect(varsTemplate([])).toBe('{}');
  });
});

describe('values shown in the trace', () => {
  it('writes out characters a person cannot see', () => {
    expect(showValue({ d: 'Refund\u202e\u200b' }, 0)).toBe('{"d":"Refund\\u202e\\u200b"}');
  });
});
