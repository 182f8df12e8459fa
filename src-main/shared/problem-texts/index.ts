// A problem's message in a language: the validator gives each problem a key and parameters
// (ProblemText); this puts them into words from the language's catalogue. The CLI and the
// problem's own `message` use English; the studio uses the language of its interface.
import { en, type ProblemKey, type ProblemTexts } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';
import type { ProblemParam, ProblemText } from '../problem';

export { en, type ProblemKey, type ProblemTexts } from './en';

const CATALOGUES: Readonly<Record<string, ProblemTexts>> = { en, 'pt-BR': ptBR, pt: ptBR, es };

/** The catalogue for a BCP 47 tag: exact, then its base language (pt-PT -> pt), else English. */
export function problemTexts(language: string): ProblemTexts {
  const base = language.split('-')[0]!;
  return CATALOGUES[language] ?? CATALOGUES[base] ?? en;
}

/** A problem text in a language; a key this catalogue lacks falls back to English. */
export function formatProblemText(text: ProblemText, language = 'en'): string {
  const words = problemTexts(language);
  const phrase = (key: string) => (Object.hasOwn(words, key) ? words[key as ProblemKey] : Object.hasOwn(en, key) ? en[key as ProblemKey] : key);
  const param = (value: ProblemParam): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value)) return joinList(value.map((v) => param(v)), phrase);
    return format(value);
  };
  const format = ({ key, params = {} }: ProblemText): string =>
    // One pass: a value that itself contains %{...} (a step called "%{step}") is left as it is.
    phrase(key).replace(/%\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? param(params[name]!) : whole));
  return format(text);
}

/** "A", "A and B", "A, B and C" in the catalogue's words. */
function joinList(items: string[], phrase: (key: string) => string): string {
  if (items.length <= 1) return items.join('');
  const head = items.slice(0, -1).join(phrase('list.separator'));
  return phrase('list.last').replace('%{head}', () => head).replace('%{last}', () => items[items.length - 1]!);
}

/** A problem's key and parameters, typed against the catalogue (for the validator). */
export const problemText = (key: ProblemKey, params?: Record<string, ProblemParam>): ProblemText => (params ? { key, params } : { key });
