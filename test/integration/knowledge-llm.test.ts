// An AI step answering from the bot's documents: the real runner, SQLite (conversations and
// knowledge in one flowbot.db), and the real `ollama` client against the scripted LLM server.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src-main/shared/flow';
import { REFERENCE_NOTE, UNKNOWN_ANSWER_NOTE } from '../../src-main/core/llm-prompt';
import { ptBR } from '../../src-main/shared/customer-texts/pt-BR';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { createHarness, type Harness } from '../support/llm-harness';
import { flow, line, n } from '../unit/flow-builders';

const DELIVERY = '# Entrega\n\nEntregamos em até 5 km da loja, todos os dias até as 20h. A taxa de entrega é R$ 7,00.';
const HOURS = '# Horário\n\nAbrimos de segunda a sábado das 6h às 20h e aos domingos das 7h às 12h.';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());

function botFlow(knowledge: { unknownAnswer?: boolean } = {}): Flow {
  return {
    ...flow(
      [
        n.start(),
        n.ask('q', { question: 'Como posso ajudar?' }),
        n.llm('bot', { instructions: 'Você é a atendente da Padaria Aurora.', tools: [], knowledge: { collections: ['padaria'], limit: 2, ...knowledge } }),
        n.end('end', 'Até logo!'),
      ],
      line('start', 'q', 'bot', 'end'),
    ),
    language: 'pt-BR',
  };
}

describe('an AI step answering from documents', () => {
  let h: Harness;
  beforeEach(async () => {
    server.requests.length = 0;
    h = createHarness({ provider: 'ollama', server });
    await h.knowledge.addFile('default', { collection: 'padaria', name: 'entrega.md', language: 'pt-BR', bytes: new TextEncoder().encode(DELIVERY) });
    await h.knowledge.addFile('default', { collection: 'padaria', name: 'horario.md', language: 'pt-BR', bytes: new TextEncoder().encode(HOURS) });
  });
  afterEach(async () => {
    expect(server.pending()).toBe(0);
    await h.close();
  });
  const chats = () => server.requests.filter((r) => r.path === '/api/chat');
  const botMessages = () => h.events.flatMap((e) => (e.type === 'bot_message' ? [e.text] : []));

  it('gives the model the passage found, delimited with its source, and the trace lists it', async () => {
    server.script({ content: 'Entregamos até as 20h, em até 5 km (fonte: entrega.md).' });
    await h.chat(botFlow(), 'Vocês fazem entrega? Até que horas?');

    expect(botMessages()).toEqual(['Como posso ajudar?', 'Entregamos até as 20h, em até 5 km (fonte: entrega.md).', 'Até logo!']);
    const messages = chats()[0]!.body.messages!;
    expect(messages[0]!.content).toContain(REFERENCE_NOTE);
    expect(messages[0]!.content).not.toContain(UNKNOWN_ANSWER_NOTE);
    // The passages just before the customer's words, which stay the last message.
    const reference = messages.at(-2)!;
    expect(reference).toMatchObject({ role: 'user' });
    expect(reference.content).toMatch(/^<reference_data>\n<passage n="1" source="entrega\.md" section="Entrega">\nEntregamos em até 5 km da loja, todos os dias até as 20h\. A taxa de entrega é R\$ 7,00\.\n<\/passage>/);
    expect(messages.at(-1)!.content).toBe('<customer_message>\nVocês fazem entrega? Até que horas?\n</customer_message>');

    const used = h.events.find((e) => e.type === 'knowledge_used');
    expect(used).toMatchObject({ nodeId: 'bot', query: 'Vocês fazem entrega? Até que horas?' });
    expect(used?.type === 'knowledge_used' && used.passages[0]).toMatchObject({ source: 'entrega.md', heading: 'Entrega', collection: 'padaria', score: expect.any(Number) });
  });

  it('with unknownAnswer, tells the model to say it does not know', async () => {
    server.script({ content: 'A entrega vai até as 20h.' });
    await h.chat(botFlow({ unknownAnswer: true }), 'qual a taxa de entrega?');
    expect(chats()[0]!.body.messages![0]!.content).toContain(UNKNOWN_ANSWER_NOTE);
  });

  it('with unknownAnswer and nothing found, answers the catalogue\'s "I don\'t know" without asking the model', async () => {
    await h.chat(botFlow({ unknownAnswer: true }), 'Vocês vendem sorvete de pistache?');
    expect(chats()).toEqual([]);
    expect(botMessages()).toEqual(['Como posso ajudar?', ptBR.knowledgeUnknown, 'Até logo!']);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'knowledge_used', passages: [] }));
  });

  it('without unknownAnswer and nothing found, the model is told so and answers', async () => {
    server.script({ content: 'Não temos sorvete.' });
    await h.chat(botFlow(), 'Vocês vendem sorvete de pistache?');
    expect(chats()[0]!.body.messages!.at(-2)!.content).toBe('<reference_data>\n(nothing relevant was found)\n</reference_data>');
  });
});
