// A sentence as a catalogue key and its parameters, put into words in any language: the model
// shared by the validator's problems (problem-texts) and a server's consent line (consent-texts).
// A phrase names its parameters as `%{name}`; a parameter is plain text (taken verbatim, never
// translated), a number, a nested phrase of the same catalogue, or a list joined with the
// catalogue's own `list.separator` and `list.last` ("A, B and C").
import { z } from 'zod';

/** A value inside a phrase: plain text, a number, a nested phrase, or a list. */
export type CatalogueParam = string | number | CatalogueText | (string | CatalogueText)[];
/** A phrase as a catalogue key and its parameters, to be put in any language. */
export interface CatalogueText {
  key: string;
  params?: Record<string, CatalogueParam>;
}

const CatalogueParamSchema: z.ZodType<CatalogueParam> = z.lazy(() =>
  z.union([z.string(), z.number(), CatalogueTextSchema, z.array(z.union([z.string(), CatalogueTextSchema]))]),
);
export const CatalogueTextSchema: z.ZodType<CatalogueText> = z.lazy(() =>
  z.object({ key: z.string(), params: z.record(z.string(), CatalogueParamSchema).optional() }),
);

/** A language's phrases by key. */
export type Phrases = Readonly<Record<string, string>>;

/** The catalogue for a BCP 47 tag: exact, then its base language (pt-PT -> pt), else the fallback. */
export function catalogueFor<T>(catalogues: Readonly<Record<string, T>>, language: string, fallback: T): T {
  const base = language.split('-')[0]!;
  return (Object.hasOwn(catalogues, language) ? catalogues[language] : Object.hasOwn(catalogues, base) ? catalogues[base] : undefined) ?? fallback;
}

/** The text in `words`; a key they lack comes from `fallback` (English), else is shown as the key. */
export function formatCatalogueText(text: CatalogueText, words: Phrases, fallback: Phrases): string {
  const phrase = (key: string) => (Object.hasOwn(words, key) ? words[key]! : Object.hasOwn(fallback, key) ? fallback[key]! : key);
  const param = (value: CatalogueParam): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value)) return joinList(value.map((v) => param(v)), phrase);
    return format(value);
  };
  const format = ({ key, params = {} }: CatalogueText): string =>
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
