// Which customer message answers a confirmation question (engine, pure): only one the customer
// sent after the question reached them (sentAt vs. the delivery the channel reported), and in a
// group only one from the participant who was asked. Anything else is no answer: asked again.
import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src-main/shared/conversation';
import type { Flow } from '../../src-main/shared/flow';
import { initialState, step, type Effect, type EngineEvent } from '../../src-main/core/engine';
import { edge, flow, line, n } from './flow-builders';

const T = 1_800_000_000_000;
const f: Flow = flow(
  [n.start(), n.ask('d', { saveAs: 'order' }), n.confirm('c', 'Cancel this order?'),
    n.tool('t', { server: 'crm', tool: 'cancel_order', args: { order: '{{order}}' } }), n.end('done', 'Cancelled.'), n.end('no', 'Kept.')],
  [...line('start', 'd', 'c'), edge('c', 'yes', 't'), edge('c', 'no', 'no'), edge('t', 'next', 'done')],
);
const llmFlow: Flow = flow([n.start(), n.llm('bot', { tools: [{ server: 'crm', tool: 'cancel_order' }] }), n.end('end')], line('start', 'bot', 'end'));
const shown = { nodeId: 't', server: 'crm', tool: 'cancel_order', args: { order: 'A100' } };

function conversation(fl: Flow, start: EngineEvent = { type: 'start' }) {
  let state: ConversationState = initialState(fl, 'conv-1', { id: 'c1' });
  let last: Effect[] = [];
  const feed = (event: EngineEvent) => {
    const result = step({ flow: fl }, state, event);
    state = result.state;
    last = result.effects;
    return last;
  };
  feed(start);
  return { feed, state: () => state, last: () => last };
}
const say = (text: string, sentAt?: number, from?: string): EngineEvent => ({
  type: 'user_message',
  text,
  ...(sentAt !== undefined ? { sentAt } : {}),
  ...(from !== undefined ? { from } : {}),
});
const delivered = (question: number, at: number): EngineEvent => ({ type: 'question_delivered', question, at });
const confirmed = (effects: Effect[]) => effects.filter((e) => e.type === 'record_confirmation');
const sends = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'send' ? [e.text] : []));

describe('a dated answer counts only when sent after the question was delivered', () => {
  it('"ok" sent before the question arrived is asked again; a later "ok" confirms exactly the shown call', () => {
    const c = conversation(f);
    c.feed(say('A100', T));
    expect(c.state().confirmation).toEqual({ question: 1 });
    c.feed(delivered(1, T + 2_000));

    const early = c.feed(say('ok', T + 1_000));
    expect(confirmed(early)).toEqual([]);
    expect(early.some((e) => e.type === 'declined' || e.type === 'call_tool')).toBe(false);
    expect(sends(early)).toEqual(['Cancel this order?\n\nAction: cancel_order (crm)\n• order: "A100"\n\nReply YES to confirm or NO to cancel.']);
    expect(early).toContainEqual({ type: 'confirmation_requested', askNodeId: 'c', calls: [shown] });
    expect(c.state()).toMatchObject({ awaiting: { kind: 'input', nodeId: 'c' }, shownCalls: [shown], confirmation: { question: 2 }, retries: 0 });

    // The first question's delivery says nothing about the second.
    c.feed(delivered(1, T + 3_000));
    expect(c.state().confirmation).toEqual({ question: 2 });
    expect(confirmed(c.feed(say('yes', T + 4_000)))).toEqual([]);
    c.feed(delivered(3, T + 5_000));
    const yes = c.feed(say('yes', T + 6_000));
    expect(confirmed(yes)).toEqual([{ type: 'record_confirmation', askNodeId: 'c', call: shown }]);
    expect(yes).toContainEqual({ type: 'call_tool', call: shown });
  });

  it('a "no" sent before the question arrived declines nothing either', () => {
    const c = conversation(f);
    c.feed(say('A100', T));
    const early = c.feed(say('no', T + 500));
    expect(early.some((e) => e.type === 'declined')).toBe(false);
    expect(c.state().awaiting).toEqual({ kind: 'input', nodeId: 'c' });
  });

  it('a message sent at the very moment of delivery counts (the channel rounds its delivery up)', () => {
    const c = conversation(f);
    c.feed(say('A100', T));
    c.feed(delivered(1, T + 999));
    expect(confirmed(c.feed(say('yes', T + 999)))).toHaveLength(1);
  });

  it('an undated message (a channel that delivers synchronously) answers as before', () => {
    const c = conversation(f);
    c.feed(say('A100'));
    expect(confirmed(c.feed(say('yes')))).toHaveLength(1);
  });

  it('a "no" sent after the delivery declines the shown call', () => {
    const c = conversation(f);
    c.feed(say('A100', T));
    c.feed(delivered(1, T + 1_000));
    expect(c.feed(say('no', T + 2_000))).toContainEqual({ type: 'declined', askNodeId: 'c', call: shown });
    expect(sends(c.last())).toEqual(['Kept.']);
  });

  it('an AI step: an early "ok" neither confirms nor declines nor resumes the model', () => {
    const c = conversation(llmFlow);
    c.feed(say('cancel A100', T));
    c.feed({
      type: 'llm_result',
      nodeId: 'bot',
      ok: true,
      needsConfirmation: { calls: [{ nodeId: 'bot', server: 'crm', tool: 'cancel_order', args: { order: 'A100' }, toolCallId: 'call_1' }], transcript: [], rounds: 1 },
    });
    const early = c.feed(say('ok', T + 100));
    expect(early.some((e) => e.type === 'call_llm' || e.type === 'record_confirmation' || e.type === 'declined')).toBe(false);
    expect(sends(early)[0]).toMatch(/^Before I do this, please confirm:\n\nAction: cancel_order \(crm\)/);
    expect(c.state().llmPending).toBeDefined();
    c.feed(delivered(2, T + 1_000));
    const ok = c.feed(say('ok', T + 2_000));
    expect(ok).toContainEqual(expect.objectContaining({ type: 'call_llm', resume: expect.objectContaining({ decisions: [expect.objectContaining({ confirmed: true })] }) }));
  });
});

describe('groups: only the participant who was asked can answer', () => {
  const ANA = '31611111111@s.whatsapp.net';
  const BEN = '44201111111@s.whatsapp.net';

  it("another participant's yes is no answer; the asked participant's yes confirms", () => {
    const c = conversation(f, { type: 'start', from: ANA });
    c.feed(say('A100', undefined, ANA));
    expect(c.state().confirmation).toEqual({ question: 1, askedOf: ANA });
    const ben = c.feed(say('yes', undefined, BEN));
    expect(confirmed(ben)).toEqual([]);
    // Left alone: not asked again (a chatty group would reset the question endlessly).
    expect(sends(ben)).toEqual([]);
    expect(c.state().confirmation).toEqual({ question: 1, askedOf: ANA });
    expect(confirmed(c.feed(say('yes', undefined, ANA)))).toEqual([{ type: 'record_confirmation', askNodeId: 'c', call: shown }]);
  });

  it('the question is bound to whoever wrote the message that led to it', () => {
    const c = conversation(f, { type: 'start', from: ANA });
    c.feed(say('A100', undefined, BEN));
    expect(c.state().confirmation?.askedOf).toBe(BEN);
    expect(confirmed(c.feed(say('yes', undefined, ANA)))).toEqual([]);
  });
});
