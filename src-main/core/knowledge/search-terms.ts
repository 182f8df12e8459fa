// The words a passage is indexed under and a question is searched with: lowercase words,
// stemmed for the collection's language (so "pães" finds "pão"), each also stemmed without its
// accents (customers often type "paes"). Scripts written without spaces (Chinese, Japanese,
// Thai, Korean runs) are indexed as overlapping character pairs, so a word inside a sentence is found.
// SQLite's unicode61 tokenizer (remove_diacritics 2) folds what is left.

import { isStopWord } from './stop-words';

export type Stemmer = (word: string) => string;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

const stripAccents = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '');

/** Each word's search terms, in order (duplicates kept: they count for BM25). */
export function searchTerms(text: string, stem: Stemmer): string[] {
  const terms: string[] = [];
  for (const match of text.normalize('NFC').toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (UNSPACED.test(word)) {
      terms.push(...bigrams(word));
      continue;
    }
    const stemmed = stripAccents(safeStem(stem, word));
    terms.push(stemmed);
    const plain = stripAccents(safeStem(stem, stripAccents(word)));
    if (plain !== stemmed) terms.push(plain);
  }
  return terms.filter(Boolean);
}

/** An FTS5 MATCH expression: any of the question's terms but its stop words (BM25 ranks passages with more and rarer ones first). */
export function matchExpression(question: string, stem: Stemmer, language?: string): string | undefined {
  const meaningful = (question.toLowerCase().match(WORD) ?? []).filter((word) => !isStopWord(stripAccents(word), language)).join(' ');
  const unique = [...new Set(searchTerms(meaningful, stem))];
  if (unique.length === 0) return undefined;
  return unique.map((term) => `"${term.replace(/"/g, '""')}"`).join(' OR ');
}

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function safeStem(stem: Stemmer, word: string): string {
  try {
    return stem(word) || word;
  } catch {
    return word;
  }
}
