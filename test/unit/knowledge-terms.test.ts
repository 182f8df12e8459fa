// The pure parts of knowledge search: search terms (stemming, accents, unspaced scripts),
// the MATCH expression without stop words, and passages keeping their headings.
import { describe, expect, it } from 'vitest';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { matchExpression, searchTerms } from '../../src-main/core/knowledge/search-terms';
import { splitPassages } from '../../src-main/core/knowledge/passages';
import { markdownBlocks } from '../../src-main/core/knowledge/markdown-blocks';
import { rowLine } from '../../src-main/core/knowledge/blocks';

describe('knowledge search terms', () => {
  it('stems Portuguese so "pães" meets "pão", and "paes" typed without accents meets "pães"', () => {
    const terms = (w: string) => searchTerms(w, portuguese);
    expect(terms('pães')).toContain(terms('pão')[0]);
    expect(terms('pães')).toContain(terms('paes')[0]);
  });

  it('indexes Japanese as character pairs, so a word inside a sentence is found', () => {
    expect(searchTerms('配達は毎日', (w) => w)).toEqual(['配達', '達は', 'は毎', '毎日']);
    expect(matchExpression('配達', (w) => w, 'ja')).toBe('"配達"');
  });

  it('leaves stop words out of the question; only stop words: nothing to search', () => {
    expect(matchExpression('Vocês vendem sorvete de pistache?', portuguese, 'pt-BR')).not.toMatch(/"de"|"voc/);
    expect(matchExpression('o que é isso?', portuguese, 'pt-BR')).toBeUndefined();
  });

  it('quotes terms so FTS5 syntax in a question is only text', () => {
    expect(matchExpression('NEAR(a b) OR "x', (w) => w, 'xx')).toBe('"near" OR "a" OR "b" OR "or" OR "x"');
  });
});

describe('passages', () => {
  it('keep their heading path and never join two sections', () => {
    const passages = splitPassages(markdownBlocks('# A\n\none\n\n## B\n\ntwo\n\n# C\n\nthree'));
    expect(passages).toEqual([
      { headings: ['A'], text: 'one' },
      { headings: ['A', 'B'], text: 'two' },
      { headings: ['C'], text: 'three' },
    ]);
  });

  it('name a row\'s columns and leave out empty cells', () => {
    expect(rowLine(['Item', 'Price', 'Notes'], ['Bolo', 'R$ 40', ' '])).toBe('Item: Bolo · Price: R$ 40');
  });
});
