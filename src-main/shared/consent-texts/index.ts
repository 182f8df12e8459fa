// An MCP server's consent line in a language: core/mcp-catalog builds it as catalogue keys and
// parameters (ConsentText); this puts it into words. English is the canonical form (what
// approval compares, what the CLI prints); the studio shows it in the language of its interface.
import { CatalogueTextSchema, catalogueFor, formatCatalogueText, type CatalogueParam, type CatalogueText } from '../catalogue-text';
import { en, type ConsentKey, type ConsentTexts } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';

export { en, type ConsentKey, type ConsentTexts } from './en';

/** A consent line, or a part of it (a sandbox's reason), as catalogue keys and parameters. */
export type ConsentText = CatalogueText;
export const ConsentTextSchema = CatalogueTextSchema;

const CATALOGUES: Readonly<Record<string, ConsentTexts>> = { en, 'pt-BR': ptBR, pt: ptBR, es };

/** The catalogue for a BCP 47 tag: exact, then its base language, else English. */
export function consentTexts(language: string): ConsentTexts {
  return catalogueFor(CATALOGUES, language, en);
}

/** A consent text in a language; a key this catalogue lacks falls back to English. */
export function formatConsentText(text: ConsentText, language = 'en'): string {
  return formatCatalogueText(text, consentTexts(language), en);
}

/** A key and its parameters, typed against the catalogue. */
export const consentText = (key: ConsentKey, params?: Record<string, CatalogueParam>): ConsentText => (params ? { key, params } : { key });
