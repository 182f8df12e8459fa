// The engine in a multilingual flow (core/engine.ts with shared/flow-translations.ts): the conversation's
// language is chosen once, from what the runner detected, only among the flow's languages and only
// when the flow says so; each text is said in it; a choice is read in the options shown and saved
// as the original; AI steps are told the language (core/llm-prompt.ts).
import { describe, expect, it } from 'vitest';
import { initialState, step, type EngineContext, type EngineEvent } from '../../src-main/core/engine';
import { buildLlmMessages } from '../../src-main/core/llm-prompt';
import type { ConversationState } from '../../src-main/shared/conversation';
import { edge, flow, line, n } from './flow-builders';

const nodes = [
  n.start(),
  n.message('hello', 'Olá!'),
  n.choice('size', ['Pequeno', 'Grande'], { question: 'Qual tamanho?', saveAs: 'size' }),
  n.end('bye', 'Tamanho {{size}}. Até logo!'),
  n.llm('ai'),
];
const edges = [...line('start', 'hello', 'size'), edge('size', 'Pequeno', 'bye'), edge('size', 'Grande', 'bye')];
const translations = { en: { hello: { text: 'Hello!' }, size: { question: 'Which size?', options: ['Small', 'Large'] }, bye: { text: 'Size {{size}}. Bye!' } } };
const multilingual = flow(nodes, edges, { language: 'pt-BR', detectLanguage: true, translations });

function run(ctx: EngineContext, events: EngineEvent[]): { state: ConversationState; said: string[] } {
  let state = initialState(ctx.flow, 'c1', { id: 'x' });
  const said: string[] = [];
  for (const event of events) {
    const out = step(ctx, state, event);
    state = out.state;
    said.push(...out.effects.flatMap((e) => (e.type === 'send' ? [e.text] : [])));
  }
  return { state, said };
}

describe('the conversation\'s language in a multilingual flow', () => {
  it('detected English: the English texts, the options shown in English, the original saved and followed', () => {
    const { state, said } = run({ flow: multilingual }, [{ type: 'start', language: 'en' }, { type: 'user_message', text: 'large' }]);
    expect(said).toEqual(['Hello!', 'Which size?\n1. Small\n2. Large', 'Size Grande. Bye!']);
    expect(state.language).toBe('en');
    expect(state.vars.size).toBe('Grande');
  });

  it('the original options are understood too, and numbers', () => {
    expect(run({ flow: multilingual }, [{ type: 'start', language: 'en' }, { type: 'user_message', text: 'pequeno' }]).state.vars.size).toBe('Pequeno');
    expect(run({ flow: multilingual }, [{ type: 'start', language: 'en' }, { type: 'user_message', text: '2' }]).state.vars.size).toBe('Grande');
  });

  it('chosen once: a later detection does not switch the conversation', () => {
    const { state, said } = run({ flow: multilingual }, [{ type: 'start', language: 'pt' }, { type: 'user_message', text: 'Grande', language: 'en' }]);
    expect(state.language).toBe('pt-BR');
    expect(said.at(-1)).toBe('Tamanho Grande. Até logo!');
  });

  it('undecided at the start (no detection): the flow\'s language, then the first detection counts', () => {
    const { state, said } = run({ flow: multilingual }, [{ type: 'start' }, { type: 'user_message', text: 'large', language: 'en' }]);
    expect(said).toEqual(['Olá!', 'Qual tamanho?\n1. Pequeno\n2. Grande', 'Size Grande. Bye!']);
    expect(state.language).toBe('en');
  });

  it('a language the flow does not speak, or a flow that does not detect, keeps the flow\'s language', () => {
    expect(run({ flow: multilingual }, [{ type: 'start', language: 'es' }]).said[0]).toBe('Olá!');
    const fixed = flow(nodes, edges, { language: 'pt-BR', translations });
    const { state, said } = run({ flow: fixed }, [{ type: 'start', language: 'en' }]);
    expect(said[0]).toBe('Olá!');
    expect(state.language).toBeUndefined();
  });

  it('an AI step is told to answer in the conversation\'s language', () => {
    const ai = flow([n.start(), n.llm('ai')], line('start', 'ai'), { language: 'pt-BR', detectLanguage: true, translations: { en: {} } });
    const out = step({ flow: ai }, initialState(ai, 'c1', { id: 'x' }), { type: 'start', language: 'en' });
    const call = out.effects.find((e) => e.type === 'call_llm');
    expect(call).toMatchObject({ type: 'call_llm', language: 'en' });
    const [system] = buildLlmMessages('Help the customer.', [], undefined, { language: 'pt-BR' });
    expect(system!.content).toContain('This conversation is in Brazilian Portuguese (pt-BR): always answer the customer in that language.');
  });
});
