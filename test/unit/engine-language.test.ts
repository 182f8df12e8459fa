// The engine speaks the conversation's language: the flow's, else the bot's, else English; a
// language chosen for the conversation (state.language) wins. The owner's overrides apply.
import { describe, expect, it } from 'vitest';
import { conversationLanguage, initialState, step, type EngineContext, type EngineEvent } from '../../src-main/core/engine';
import type { ConversationState } from '../../src-main/shared/conversation';
import type { Flow } from '../../src-main/shared/flow';
import { CATALOGUES } from '../../src-main/shared/customer-texts';
import { edge, flow, n } from './flow-builders';

function run(ctx: EngineContext, events: EngineEvent[], state: ConversationState = initialState(ctx.flow, 'c1', { id: 'u1' })) {
  const sent: string[] = [];
  const effects = [];
  for (const event of [{ type: 'start' } as EngineEvent, ...events]) {
    const result = step(ctx, state, event);
    state = result.state;
    effects.push(...result.effects);
    for (const e of result.effects) if (e.type === 'send') sent.push(e.text);
  }
  return { state, sent, effects };
}
const say = (text: string): EngineEvent => ({ type: 'user_message', text });
const inLanguage = (f: Flow, language?: string): Flow => (language === undefined ? f : { ...f, language });

const order = flow(
  [
    n.start(),
    n.choice('flavour', ['Chocolate', 'Cenoura'], { question: 'Qual sabor?' }),
    n.confirm('ok', 'Posso fazer o pedido?'),
    n.tool('save', { server: 'crm', tool: 'create_ticket', args: { subject: 'Bolo' } }),
    n.end('done', 'Pedido feito!'),
    n.end('no', 'Tudo bem.'),
  ],
  [edge('start', 'next', 'flavour'), edge('flavour', 'next', 'ok'), edge('ok', 'yes', 'save'), edge('ok', 'no', 'no'), edge('save', 'next', 'done')],
);

describe('the language a conversation speaks', () => {
  it('the conversation\'s own, else the flow\'s, else the bot\'s, else English', () => {
    const f = inLanguage(order, 'pt-BR');
    expect(conversationLanguage({ flow: order }, {})).toBe('en');
    expect(conversationLanguage({ flow: order, language: 'de' }, {})).toBe('de');
    expect(conversationLanguage({ flow: f, language: 'de' }, {})).toBe('pt-BR');
    expect(conversationLanguage({ flow: f, language: 'de' }, { language: 'es' })).toBe('es');
  });

  it('a pt-BR flow: choice list, retry, confirmation and its yes in Portuguese', () => {
    const pt = CATALOGUES['pt-BR']!;
    const { sent, effects, state } = run({ flow: inLanguage(order, 'pt-BR') }, [say('morango'), say('1'), say('sim')]);
    expect(sent[0]).toBe('Qual sabor?\n1. Chocolate\n2. Cenoura');
    expect(sent[1]).toBe('Desculpe, não entendi. Qual sabor?\n1. Chocolate\n2. Cenoura');
    expect(sent[2]).toBe(`Posso fazer o pedido?\n\nAção: create_ticket (crm)\n• subject: "Bolo"\n\n${pt.confirmHint}`);
    expect(effects).toContainEqual({ type: 'record_confirmation', askNodeId: 'ok', call: { nodeId: 'save', server: 'crm', tool: 'create_ticket', args: { subject: 'Bolo' } } });
    expect(state.awaiting).toEqual({ kind: 'tool', nodeId: 'save' });
  });

  it('the bot\'s language speaks for a flow that names none; "sim, mas amanhã" declines', () => {
    const { sent, effects } = run({ flow: order, language: 'pt-BR' }, [say('2'), say('sim, mas amanhã')]);
    expect(sent.at(-1)).toBe('Tudo bem.');
    expect(effects.some((e) => e.type === 'declined')).toBe(true);
  });

  it('a language chosen for the conversation wins over the flow\'s (set by language detection)', () => {
    const ctx = { flow: inLanguage(order, 'pt-BR') };
    const state = { ...initialState(ctx.flow, 'c1', { id: 'u1' }), language: 'es' };
    const { sent, effects } = run(ctx, [say('x'), say('1'), say('sí')], state);
    expect(sent[1]).toBe('Lo siento, no te entendí. Qual sabor?\n1. Chocolate\n2. Cenoura');
    expect(sent[2]).toContain(CATALOGUES.es!.confirmHint);
    expect(effects.some((e) => e.type === 'record_confirmation')).toBe(true);
  });

  it("the owner's overrides for the language replace the catalogue's texts", () => {
    const ctx: EngineContext = {
      flow: inLanguage(order, 'pt-BR'),
      textOverrides: { 'pt-BR': { retry: 'Hmm, não captei. {question}', confirmHint: 'Manda SIM ou NÃO.' }, en: { retry: 'never' } },
    };
    const { sent } = run(ctx, [say('x'), say('1')]);
    expect(sent[1]).toBe('Hmm, não captei. Qual sabor?\n1. Chocolate\n2. Cenoura');
    expect(sent[2]!.endsWith('\n\nManda SIM ou NÃO.')).toBe(true);
  });

  it('a failure is told in the conversation\'s language; an AI step is given the language', () => {
    const broken = flow([n.start(), n.ask('q')], [edge('start', 'next', 'nowhere')]);
    expect(run({ flow: inLanguage(broken, 'tr') }, []).sent).toEqual([CATALOGUES.tr!.failure]);
    const ai = flow([n.start(), n.llm('a')], [edge('start', 'next', 'a')]);
    expect(run({ flow: inLanguage(ai, 'id') }, []).effects).toContainEqual({ type: 'call_llm', nodeId: 'a', instructions: 'Help the customer.', language: 'id' });
  });
});
