// The engine's "start from this step with preset variables" (the simulator), pure: no ports.
import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src-main/shared/conversation';
import type { Flow } from '../../src-main/shared/flow';
import { initialState, startAtProblem, step, type Effect, type EngineEvent } from '../../src-main/core/engine';
import { en } from '../../src-main/shared/customer-texts/en';
import { edge, flow, line, n } from './flow-builders';

function run(f: Flow, start: EngineEvent, events: EngineEvent[], vars?: Record<string, unknown>) {
  let state: ConversationState = initialState(f, 'conv-1', { id: 'c1', name: 'Ana' }, vars ? { vars } : {});
  const effects: Effect[] = [];
  for (const event of [start, ...events]) {
    const result = step({ flow: f }, state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects, sent: effects.flatMap((e) => (e.type === 'send' ? [e.text] : [])) };
}
const say = (text: string): EngineEvent => ({ type: 'user_message', text });

const ticketFlow = () =>
  flow(
    [
      n.start(),
      n.ask('who', { question: 'Your customer number?', saveAs: 'customerId' }),
      n.ask('problem', { question: 'Thanks {{name}}, what is wrong?', saveAs: 'problem' }),
      n.confirm('sure', 'Open a ticket?'),
      n.tool('create', { server: 'crm', tool: 'create_ticket', args: { customerId: '{{customerId}}', description: '{{problem}}' }, saveAs: 'ticket' }),
      n.end('done', 'Ticket {{ticket.id}} for {{customerId}}.'),
      n.end('no', 'Nothing done.'),
    ],
    [...line('start', 'who', 'problem', 'sure'), edge('sure', 'yes', 'create'), edge('sure', 'no', 'no'), edge('create', 'next', 'done')],
  );

describe('starting at a chosen step', () => {
  it('begins at the step with the preset variables and carries on from there', () => {
    const f = ticketFlow();
    const { state, sent, effects } = run(f, { type: 'start', at: 'problem' }, [say('Lamp flickers')], { customerId: 'c1', name: 'Ana Souza' });
    // The steps before it never ran: no customer-number question.
    expect(sent[0]).toBe('Thanks Ana Souza, what is wrong?');
    expect(state.vars).toEqual({ customerId: 'c1', name: 'Ana Souza', problem: 'Lamp flickers' });
    // The confirmation shows the call built from the preset and the new variables.
    const asked = effects.find((e) => e.type === 'confirmation_requested');
    expect(asked).toEqual({
      type: 'confirmation_requested',
      askNodeId: 'sure',
      calls: [{ nodeId: 'create', server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', description: 'Lamp flickers' } }],
    });
    expect(state.awaiting).toEqual({ kind: 'input', nodeId: 'sure' });
    expect(state.at).toBe('sure');
  });

  it('the preset variables are a copy: changing the caller’s object later changes nothing', () => {
    const vars = { order: { id: 'A100' } };
    const state = initialState(ticketFlow(), 'c', { id: 'x' }, { vars });
    vars.order.id = 'changed';
    expect(state.vars).toEqual({ order: { id: 'A100' } });
  });

  it('a start at an unknown step fails the conversation, naming the step', () => {
    const f = ticketFlow();
    expect(startAtProblem(f, 'nope')).toBe('there is no step "nope" in the flow "test-flow" to start from');
    expect(startAtProblem(f, 'problem')).toBeUndefined();
    const { state, sent, effects } = run(f, { type: 'start', at: 'nope' }, []);
    expect(state.status).toBe('failed');
    expect(state.error).toBe('there is no step "nope" in the flow "test-flow" to start from');
    expect(sent).toEqual([en.failure]);
    expect(effects.at(-1)).toEqual({ type: 'finished', status: 'failed', reason: 'there is no step "nope" in the flow "test-flow" to start from' });
  });

  it('starting at a write tool step asks for the call straight away, with no confirmation on record', () => {
    // The engine only describes the call: the runtime's gate blocks it (test/integration/simulator.test.ts).
    const { state, effects } = run(ticketFlow(), { type: 'start', at: 'create' }, [], { customerId: 'c1', problem: 'x' });
    expect(effects.filter((e) => e.type === 'record_confirmation')).toEqual([]);
    expect(effects.at(-1)).toEqual({ type: 'call_tool', call: { nodeId: 'create', server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', description: 'x' } } });
    expect(state.awaiting).toEqual({ kind: 'tool', nodeId: 'create' });
  });

  it('starting at the start step is the same as a plain start', () => {
    const f = ticketFlow();
    expect(run(f, { type: 'start', at: 'start' }, []).sent).toEqual(run(f, { type: 'start' }, []).sent);
  });

  it('a second start event changes nothing', () => {
    const f = ticketFlow();
    const first = step({ flow: f }, initialState(f, 'c', { id: 'x' }), { type: 'start', at: 'problem' });
    const again = step({ flow: f }, first.state, { type: 'start', at: 'who' });
    expect(again.effects).toEqual([]);
    expect(again.state.awaiting).toEqual({ kind: 'input', nodeId: 'problem' });
  });

  it('records the step the conversation last entered, also when it ends', () => {
    const f = ticketFlow();
    const { state } = run(f, { type: 'start' }, [say('c1'), say('Broken'), say('no')]);
    expect(state.status).toBe('ended');
    expect(state.at).toBe('no');
  });
});
