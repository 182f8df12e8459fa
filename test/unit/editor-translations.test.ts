// The editor's side of multilingual flows (editor/translation-review.ts): what each language
// lacks, per step; a draft reaches the flow only when the owner accepts it; and the flow's
// language fields survive the editor's round trip (flow-conversion: metaOf).
import { describe, expect, it } from 'vitest';
import { flowToGraph, graphToFlow } from '../../src-renderer/editor/flow-conversion';
import { acceptDraft, gapsByLanguage, optionsFromLines, rejectDraft, type Review } from '../../src-renderer/editor/translation-review';
import { edge, flow, line, n } from './flow-builders';

const f = flow(
  [n.start(), n.message('hello', 'Olá!'), n.choice('size', ['Pequeno', 'Grande'], { question: 'Qual tamanho?' }), n.end('bye', 'Tchau!', { label: 'Goodbye' })],
  [...line('start', 'hello', 'size'), edge('size', 'Pequeno', 'bye'), edge('size', 'Grande', 'bye')],
  { language: 'pt-BR', detectLanguage: true, translations: { en: { hello: { text: 'Hello!' } }, es: {} } },
);

describe('the flow\'s language fields in the editor', () => {
  it('survive loading and saving (a field listed by hand would be dropped on the first autosave)', () => {
    const g = flowToGraph(f);
    expect(graphToFlow(g.meta, g.nodes, g.edges)).toEqual(f);
  });
});

describe('missing translations per language and step', () => {
  it('counts and groups what each language lacks; a language being added counts too', () => {
    const g = flowToGraph(f);
    const gaps = gapsByLanguage(g.meta, g.nodes, ['fr']);
    expect(gaps.map((x) => [x.language, x.missing])).toEqual([['en', 3], ['es', 4], ['fr', 4]]);
    expect(gaps[0]!.steps).toEqual([
      { nodeId: 'size', fields: [{ field: 'question', source: 'Qual tamanho?' }, { field: 'options', source: ['Pequeno', 'Grande'] }] },
      { nodeId: 'bye', fields: [{ field: 'text', source: 'Tchau!' }] },
    ]);
  });
});

describe('reviewing drafts', () => {
  const review: Review = {
    language: 'en',
    items: [
      { nodeId: 'size', field: 'question', source: 'Qual tamanho?', draft: 'Which size?', state: 'pending' },
      { nodeId: 'size', field: 'options', source: ['Pequeno', 'Grande'], draft: ['Small', 'Big'], state: 'pending' },
      { nodeId: 'bye', field: 'text', source: 'Tchau!', draft: 'Ciao!', state: 'pending' },
    ],
    undrafted: [],
  };

  it('accepting writes that one text; editing first writes the edit; rejecting writes nothing', () => {
    const one = acceptDraft(f.translations, review, 0);
    if ('error' in one) throw new Error(one.error);
    expect(one.translations.en).toEqual({ hello: { text: 'Hello!' }, size: { question: 'Which size?' } });
    const two = acceptDraft(one.translations, one.review, 1, optionsFromLines('Small\n Large \n'));
    if ('error' in two) throw new Error(two.error);
    expect(two.translations.en!.size).toEqual({ question: 'Which size?', options: ['Small', 'Large'] });
    const three = rejectDraft(two.review, 2);
    expect(three.items.map((i) => i.state)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(two.translations.en!.bye).toBeUndefined();
    expect(f.translations!.en).toEqual({ hello: { text: 'Hello!' } });
  });

  it('an edit that empties a text or changes the number of options is refused', () => {
    expect(acceptDraft(f.translations, review, 0, '  ')).toEqual({ error: 'empty' });
    expect(acceptDraft(f.translations, review, 1, ['Small'])).toEqual({ error: 'options' });
  });
});
