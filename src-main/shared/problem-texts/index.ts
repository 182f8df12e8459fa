// A problem's message in a language: the validator gives each problem a key and parameters
// (ProblemText); this puts them into words from the language's catalogue. The CLI and the
// problem's own `message` use English; the studio uses the language of its interface.
import { catalogueFor, formatCatalogueText } from '../catalogue-text';
import { en, type ProblemKey, type ProblemTexts } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';
import type { ProblemParam, ProblemText } from '../problem';

export { en, type ProblemKey, type ProblemTexts } from './en';

const CATALOGUES: Readonly<Record<string, ProblemTexts>> = { en, 'pt-BR': ptBR, pt: ptBR, es };

/** The catalogue for a BCP 47 tag: exact, then its base language (pt-PT -> pt), else English. */
export function problemTexts(language: string): ProblemTexts {
  return catalogueFor(CATALOGUES, language, en);
}

/** A problem text in a language; a key this catalogue lacks falls back to English. */
export function formatProblemText(text: ProblemText, language = 'en'): string {
  return formatCatalogueText(text, problemTexts(language), en);
}

/** A problem's key and parameters, typed against the catalogue (for the validator). */
export const problemText = (key: ProblemKey, params?: Record<string, ProblemParam>): ProblemText => (params ? { key, params } : { key });
