// "Draft missing translations", end to end but for the screen: the studio's API (translations.draft,
// payloads checked by the contract) asks the bot's model (the real `ollama` client against the
// scripted LLM server) and the editor's review (editor/translation-review.ts) turns only the
// drafts the owner accepts into the flow's translations, saved with flows.save.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flowToGraph } from '../../src-renderer/editor/flow-conversion';
import { acceptDraft, rejectDraft, requestDrafts } from '../../src-renderer/editor/translation-review';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { openTestStudio, type TestStudio } from '../support/studio-api';
import { edge, flow, line, n } from '../unit/flow-builders';

let llm: ScriptedLlmServer;
let t: TestStudio;
beforeAll(async () => {
  llm = await startScriptedLlmServer({ models: ['qwen3:4b'] });
});
afterAll(() => llm.close());
beforeEach(() => {
  t = openTestStudio();
});
afterEach(() => t.close());

const useModel = () => t.ok('llm.save', { llm: { provider: 'ollama', host: llm.url, model: 'qwen3:4b' } });
const api = { call: (method: string, input: unknown) => t.ok(method, input) } as Parameters<typeof requestDrafts>[0];

const cake = (id: string) =>
  flow(
    [
      n.start(),
      n.message('hello', 'Olá, {{contact.name}}! Bem-vindo à confeitaria.'),
      n.choice('size', ['Pequeno', 'Grande'], { question: 'Qual tamanho?' }),
      n.end('bye', 'Até logo!'),
    ],
    [...line('start', 'hello', 'size'), edge('size', 'Pequeno', 'bye'), edge('size', 'Grande', 'bye')],
    { id, language: 'pt-BR', translations: { en: {} } },
  );

describe('translations.draft', () => {
  it('asks the bot\'s model for every missing text; the owner accepts, edits or rejects each; only accepted ones are saved', async () => {
    await useModel();
    const created = await t.ok('flows.create', { name: 'Cake' });
    const f = { ...cake(created.id) };
    const { updatedAt } = await t.ok('flows.save', { flow: f });
    llm.script({
      content:
        '```json\n{"translations": [{"id": 1, "text": "Hello, {{contact.name}}! Welcome to the bakery."}, {"id": 2, "text": "Which size?"}, {"id": 3, "text": ["Small", "Large"]}, {"id": 4, "text": "See you!"}]}\n```',
    });
    const g = flowToGraph(f);
    let review = await requestDrafts(api, g.meta, g.nodes, 'en');

    // The model was asked, with both languages named and the texts as data.
    const request = llm.requests.at(-1)!.body.messages!;
    expect(request[0]!.content).toContain('from Brazilian Portuguese (pt-BR) into English (en)');
    expect(JSON.parse(request[1]!.content!).items).toEqual([
      { id: 1, text: 'Olá, {{contact.name}}! Bem-vindo à confeitaria.' },
      { id: 2, text: 'Qual tamanho?' },
      { id: 3, text: ['Pequeno', 'Grande'] },
      { id: 4, text: 'Até logo!' },
    ]);
    expect(review.items.map((i) => [i.nodeId, i.field, i.draft, i.state])).toEqual([
      ['hello', 'text', 'Hello, {{contact.name}}! Welcome to the bakery.', 'pending'],
      ['size', 'question', 'Which size?', 'pending'],
      ['size', 'options', ['Small', 'Large'], 'pending'],
      ['bye', 'text', 'See you!', 'pending'],
    ]);

    // Nothing is saved by drafting.
    expect((await t.ok('flows.get', { id: f.id })).flow.translations).toEqual({ en: {} });

    let translations = f.translations;
    for (const [index, edited] of [[0, undefined], [2, ['Small', 'Big']]] as const) {
      const out = acceptDraft(translations, review, index, edited ? [...edited] : undefined);
      if ('error' in out) throw new Error(out.error);
      ({ translations, review } = out);
    }
    review = rejectDraft(review, 1);
    await t.ok('flows.save', { flow: { ...f, translations }, expectedUpdatedAt: updatedAt });
    const saved = await t.ok('flows.get', { id: f.id });
    expect(saved.flow.translations).toEqual({ en: { hello: { text: 'Hello, {{contact.name}}! Welcome to the bakery.' }, size: { options: ['Small', 'Big'] } } });
    expect(review.items.map((i) => i.state)).toEqual(['accepted', 'rejected', 'accepted', 'pending']);
  });

  it('a draft that loses a {{variable}} or does not line up with the options is not offered, and says why', async () => {
    await useModel();
    llm.script({ content: '{"translations": [{"id": 1, "text": "Hello! Welcome."}, {"id": 2, "text": ["Small"]}]}' });
    const out = await t.ok('translations.draft', {
      from: 'pt-BR',
      to: 'en',
      texts: [
        { nodeId: 'hello', field: 'text', source: 'Olá, {{contact.name}}!' },
        { nodeId: 'size', field: 'options', source: ['Pequeno', 'Grande'] },
        { nodeId: 'bye', field: 'text', source: 'Até logo!' },
      ],
    });
    expect(out.drafts).toEqual([]);
    expect(out.undrafted).toEqual([
      { nodeId: 'hello', field: 'text', reason: 'the draft does not keep the {{variables}} of the original' },
      { nodeId: 'size', field: 'options', reason: 'the model gave 1 options for 2' },
      { nodeId: 'bye', field: 'text', reason: 'the model gave no translation for it' },
    ]);
  });

  it('bad payloads are refused by the contract; without a model it says how to set one up', async () => {
    const bad = await t.call('translations.draft', { from: 'pt-BR', to: 'english', texts: [{ nodeId: 'a', field: 'label', source: 'x' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(bad.error!.message).toContain('input.to');
    expect(bad.error!.message).toContain('input.texts[0].field');
    const none = await t.call('translations.draft', { from: 'pt-BR', to: 'en', texts: [{ nodeId: 'a', field: 'text', source: 'Oi' }] });
    expect(none).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('no model') } });
  });
});
