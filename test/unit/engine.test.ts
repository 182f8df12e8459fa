// The pure engine: every node type's semantics, without ports or mocks.
import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src-main/shared/conversation';
import type { Flow } from '../../src-main/shared/flow';
import { initialState, step, type Effect, type EngineEvent } from '../../src-main/core/engine';
import { en } from '../../src-main/shared/customer-texts/en';
import { edge, flow, line, n, rule } from './flow-builders';

/** Runs events through the engine, collecting every effect. */
function run(f: Flow, events: EngineEvent[], confirmWords?: string[]) {
  let state: ConversationState = initialState(f, 'conv-1', { id: 'c1', name: 'Ana' });
  const effects: Effect[] = [];
  for (const event of [{ type: 'start' } as EngineEvent, ...events]) {
    const result = step({ flow: f, ...(confirmWords ? { confirmWords } : {}) }, state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects, sent: effects.flatMap((e) => (e.type === 'send' ? [e.text] : [])) };
}
const say = (text: string): EngineEvent => ({ type: 'user_message', text });

describe('message, set, end, handoff', () => {
  it('renders templates with variables, contact and last message, then ends', () => {
    const f = flow(
      [n.start(), n.ask('q', { saveAs: 'city' }), n.set('s', { greeting: 'Hi {{contact.name}} from {{city}}' }),
        n.message('m', '{{greeting}} (you said "{{last_message}}")'), n.end('end', 'Bye {{contact.name}}')],
      line('start', 'q', 's', 'm', 'end'),
    );
    const { state, sent, effects } = run(f, [say('Lisbon')]);
    expect(sent).toEqual(['Question q?', 'Hi Ana from Lisbon (you said "Lisbon")', 'Bye Ana']);
    expect(state.status).toBe('ended');
    expect(state.vars).toEqual({ city: 'Lisbon', greeting: 'Hi Ana from Lisbon' });
    expect(effects.at(-1)).toEqual({ type: 'finished', status: 'ended' });
  });

  it('set keeps the type of a single placeholder', () => {
    const f = flow([n.start(), n.set('s', { copy: '{{contact}}' }), n.end()], line('start', 's', 'end'));
    expect(run(f, []).state.vars.copy).toEqual({ id: 'c1', name: 'Ana' });
  });

  it('handoff stops the bot: later messages get no reply', () => {
    const f = flow([n.start(), n.handoff('h', 'A colleague will take over.')], line('start', 'h'));
    const { state, sent } = run(f, [say('hello?'), say('anyone?')]);
    expect(state.status).toBe('handoff');
    expect(sent).toEqual(['A colleague will take over.']);
  });

  it('an unconnected exit ends the conversation quietly, saying where', () => {
    const f = flow([n.start(), n.message('m', 'Only this')], line('start', 'm'));
    const { state, effects } = run(f, []);
    expect(state.status).toBe('ended');
    expect(effects.at(-1)).toMatchObject({ type: 'finished', status: 'ended', reason: expect.stringContaining('"m"') });
  });

  it('a loop that never waits fails with the step, instead of hanging', () => {
    const f = flow([n.start(), n.set('a', { x: '1' }), n.set('b', { y: '2' })], [...line('start', 'a', 'b'), edge('b', 'next', 'a')]);
    const { state, sent } = run(f, []);
    expect(state.status).toBe('failed');
    expect(state.error).toMatch(/loop/);
    expect(sent).toEqual([en.failure]);
  });
});

describe('ask', () => {
  it('text: saves the trimmed answer and goes on', () => {
    const f = flow([n.start(), n.ask('q', { saveAs: 'name' }), n.end()], line('start', 'q', 'end'));
    expect(run(f, [say('  Ana  ')]).state.vars.name).toBe('Ana');
  });

  it('number: retries with retryText, then accepts a number', () => {
    const f = flow(
      [n.start(), n.ask('q', { saveAs: 'qty', answer: { kind: 'number' }, retryText: 'A number please, {{contact.name}}.' }), n.end()],
      line('start', 'q', 'end'),
    );
    const { state, sent } = run(f, [say('many'), say('3,5')]);
    expect(sent).toEqual(['Question q?', 'A number please, Ana.']);
    expect(state.vars.qty).toBe(3.5);
    expect(state.status).toBe('ended');
  });

  it('after maxRetries invalid answers it takes the invalid exit', () => {
    const f = flow(
      [n.start(), n.ask('q', { answer: { kind: 'number' }, maxRetries: 1 }), n.end('ok'), n.end('bad', 'Let us stop here.')],
      [...line('start', 'q', 'ok'), edge('q', 'invalid', 'bad')],
    );
    const { sent, state } = run(f, [say('x'), say('y')]);
    expect(sent).toEqual(['Question q?', "Sorry, I didn't get that. Question q?", 'Let us stop here.']);
    expect(state.status).toBe('ended');
  });

  it('without an invalid exit the question stays open', () => {
    const f = flow([n.start(), n.ask('q', { answer: { kind: 'number' }, maxRetries: 0 }), n.end()], line('start', 'q', 'end'));
    const { state } = run(f, [say('a'), say('b'), say('c')]);
    expect(state.awaiting).toEqual({ kind: 'input', nodeId: 'q' });
    expect(state.retries).toBe(3);
  });

  it('choice: lists the options, accepts text or number, and follows an option exit', () => {
    const f = flow(
      [n.start(), n.choice('q', ['Track order', 'Talk to a human'], { saveAs: 'pick' }), n.end('track'), n.handoff('human')],
      [edge('start', 'next', 'q'), edge('q', 'Track order', 'track'), edge('q', 'Talk to a human', 'human')],
    );
    expect(run(f, []).sent[0]).toBe('Pick one (q)\n1. Track order\n2. Talk to a human');
    expect(run(f, [say('2')]).state).toMatchObject({ status: 'handoff', vars: { pick: 'Talk to a human' } });
    expect(run(f, [say('track ORDER')]).state).toMatchObject({ status: 'ended', vars: { pick: 'Track order' } });
  });

  it('choice without option exits uses next', () => {
    const f = flow([n.start(), n.choice('q', ['a', 'b'], { saveAs: 'p' }), n.end()], line('start', 'q', 'end'));
    expect(run(f, [say('b')]).state).toMatchObject({ status: 'ended', vars: { p: 'b' } });
  });

  it('confirm: only a plain affirmative is yes', () => {
    const f = flow(
      [n.start(), n.confirm('c'), n.end('yes-end', 'yes'), n.end('no-end', 'no')],
      [edge('start', 'next', 'c'), edge('c', 'yes', 'yes-end'), edge('c', 'no', 'no-end')],
    );
    for (const yes of ['yes', 'Y', ' OK ', 'confirm', 'Yes!']) expect(run(f, [say(yes)]).sent.at(-1)).toBe('yes');
    for (const no of ['no', 'yes, but change the date', 'yess', 'sure', '']) expect(run(f, [say(no)]).sent.at(-1)).toBe('no');
    expect(run(f, [say('sim')], ['sim']).sent.at(-1)).toBe('yes');
  });
});

describe('condition', () => {
  const f = flow(
    [n.start(), n.ask('q', { saveAs: 'v' }),
      n.condition('c', [rule('v', 'equals', 'vip', 'vip'), rule('v', 'gt', 100, 'big'), rule('v', 'contains', 'refund', 'refund'),
        rule('v', 'matches', '^A\\d{3}$', 'order'), rule('missing', 'exists', undefined, 'never')]),
      n.end('vip', 'vip'), n.end('big', 'big'), n.end('refund', 'refund'), n.end('order', 'order'), n.end('never', 'never'), n.end('else', 'else')],
    [...line('start', 'q', 'c'), ...['vip', 'big', 'refund', 'order', 'never', 'else'].map((h) => edge('c', h, h))],
  );
  it.each([
    ['VIP', 'vip'],
    ['250', 'big'],
    ['99', 'else'],
    ['I want a REFUND', 'refund'],
    ['a123', 'order'],
    ['hello', 'else'],
  ])('%s -> %s', (answer, expected) => {
    expect(run(f, [say(answer)]).sent.at(-1)).toBe(expected);
  });
});

describe('tool', () => {
  const f = flow(
    [n.start(), n.ask('q', { saveAs: 'orderId' }),
      n.tool('t', { server: 'crm', tool: 'get_order_status', args: { orderId: '{{orderId}}', note: 'for {{contact.name}}' }, saveAs: 'order' }),
      n.message('ok', 'Status: {{order.status}}'), n.message('err', 'Could not look it up'), n.end()],
    [...line('start', 'q', 't', 'ok', 'end'), edge('t', 'error', 'err'), edge('err', 'next', 'end')],
  );

  it('asks for the call with resolved arguments and waits for its result', () => {
    const { state, effects } = run(f, [say('A100')]);
    expect(effects).toContainEqual({ type: 'call_tool', call: { nodeId: 't', server: 'crm', tool: 'get_order_status', args: { orderId: 'A100', note: 'for Ana' } } });
    expect(state.awaiting).toEqual({ kind: 'tool', nodeId: 't' });
  });

  it('saves the result and follows next', () => {
    const { state, sent } = run(f, [say('A100'), { type: 'tool_result', nodeId: 't', outcome: 'ok', value: { status: 'shipped' } }]);
    expect(sent.at(-1)).toBe('Status: shipped');
    expect(state.vars.order).toEqual({ status: 'shipped' });
  });

  it('follows error on failure or block, and fails without an error exit', () => {
    expect(run(f, [say('A1'), { type: 'tool_result', nodeId: 't', outcome: 'error', error: 'timeout' }]).sent.at(-1)).toBe('Could not look it up');
    expect(run(f, [say('A1'), { type: 'tool_result', nodeId: 't', outcome: 'blocked', error: 'no confirmation' }]).sent.at(-1)).toBe('Could not look it up');
    const bare = flow([n.start(), n.tool('t', { server: 'crm', tool: 'x' }), n.end()], line('start', 't', 'end'));
    const { state } = run(bare, [{ type: 'tool_result', nodeId: 't', outcome: 'error', error: 'boom' }]);
    expect(state).toMatchObject({ status: 'failed', error: expect.stringContaining('boom') });
  });

  it('ignores results for a step it is not waiting at', () => {
    const { state } = run(f, [say('A100'), { type: 'tool_result', nodeId: 'other', outcome: 'ok', value: 1 }]);
    expect(state.awaiting).toEqual({ kind: 'tool', nodeId: 't' });
  });

  it('resume re-issues the pending call', () => {
    const { state } = run(f, [say('A100')]);
    const resumed = step({ flow: f }, state, { type: 'resume' });
    expect(resumed.effects).toEqual([{ type: 'call_tool', call: expect.objectContaining({ nodeId: 't', args: expect.objectContaining({ orderId: 'A100' }) }) }]);
  });
});

describe('confirm in front of a tool', () => {
  const f = flow(
    [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c', 'Open this ticket?'),
      n.tool('t', { server: 'crm', tool: 'create_ticket', args: { description: '{{desc}}' } }), n.end('done'), n.end('no', 'Cancelled')],
    [...line('start', 'd', 'c'), edge('c', 'yes', 't'), edge('c', 'no', 'no'), edge('t', 'next', 'done')],
  );

  it('shows the exact arguments, escaped, and binds them at question time', () => {
    const { sent, state, effects } = run(f, [say('Broken "lamp"\u202e\u200b')]);
    expect(sent.at(-1)).toBe(
      'Open this ticket?\n\nAction: create_ticket (crm)\n• description: "Broken \\"lamp\\"\\u202e\\u200b"\n\nReply YES to confirm or NO to cancel.',
    );
    expect(state.shownCalls).toEqual([{ nodeId: 't', server: 'crm', tool: 'create_ticket', args: { description: 'Broken "lamp"\u202e\u200b' } }]);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'confirmation_requested', askNodeId: 'c' }));
  });

  it('yes records a confirmation for the shown call, then calls it', () => {
    const { effects } = run(f, [say('Broken lamp'), say('yes')]);
    const call = { nodeId: 't', server: 'crm', tool: 'create_ticket', args: { description: 'Broken lamp' } };
    const kinds = effects.map((e) => e.type);
    expect(kinds.indexOf('expire_confirmations')).toBeLessThan(kinds.lastIndexOf('record_confirmation'));
    expect(effects).toContainEqual({ type: 'record_confirmation', askNodeId: 'c', call });
    expect(effects.at(-1)).toEqual({ type: 'call_tool', call });
  });

  it('no declines the shown call and never calls it', () => {
    const { effects, sent } = run(f, [say('Broken lamp'), say('no')]);
    expect(effects).toContainEqual({ type: 'declined', askNodeId: 'c', call: expect.objectContaining({ tool: 'create_ticket' }) });
    expect(effects.some((e) => e.type === 'call_tool' || e.type === 'record_confirmation')).toBe(false);
    expect(sent.at(-1)).toBe('Cancelled');
  });
});

describe('llm', () => {
  const f = flow(
    [n.start(), n.ask('q', { saveAs: 'question' }), n.llm('a', { input: 'Q: {{question}}' }),
      n.llm('s', { output: { mode: 'save', var: 'summary' } }), n.message('m', 'Summary: {{summary}}'), n.end()],
    line('start', 'q', 'a', 's', 'm', 'end'),
  );

  it('replies with the model text, saves in save mode', () => {
    const { sent, state, effects } = run(f, [
      say('When do you open?'),
      { type: 'llm_result', nodeId: 'a', ok: true, text: 'At nine.' },
      { type: 'llm_result', nodeId: 's', ok: true, text: 'Opening hours' },
    ]);
    expect(effects).toContainEqual({ type: 'call_llm', nodeId: 'a', instructions: 'Help the customer.', input: 'Q: When do you open?', language: 'en' });
    expect(sent.slice(1)).toEqual(['At nine.', 'Summary: Opening hours']);
    expect(state.status).toBe('ended');
  });

  it('a failed model call fails the conversation politely', () => {
    const { state, sent } = run(f, [say('hi'), { type: 'llm_result', nodeId: 'a', ok: false, error: 'model not found' }]);
    expect(state).toMatchObject({ status: 'failed', error: expect.stringContaining('model not found') });
    expect(sent.at(-1)).toBe(en.failure);
  });
});
