// The customer texts per language, and the one way to get them: `customerTexts(language,
// overrides)`. A language without a catalogue falls back along its BCP 47 tag (pt-PT -> pt ->
// en), so a flow always speaks something whole, never a mix of half-translated texts.
import type { CustomerTextOverrides, CustomerTexts } from './catalogue';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { id } from './id';
import { it } from './it';
import { ptBR } from './pt-BR';
import { tr } from './tr';

export * from './catalogue';

export const DEFAULT_LANGUAGE = 'en';

/** The languages with a complete catalogue, by their BCP 47 tag. */
export const CATALOGUES: Readonly<Record<string, CustomerTexts>> = { en, 'pt-BR': ptBR, es, fr, de, it, id, tr };

/** Languages without a catalogue of their own that read well in another one. */
const ALIASES: Readonly<Record<string, string>> = { pt: 'pt-BR', in: 'id' };

export const SUPPORTED_LANGUAGES: readonly string[] = Object.keys(CATALOGUES);

/** The tag in its canonical case ("pt-br" -> "pt-BR"), or undefined when it is no BCP 47 tag. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    return undefined;
  }
}

/** The catalogue a language is spoken with: itself, then shorter forms of its tag, then English. */
export function catalogueLanguage(language: string | undefined): string {
  let tag = language === undefined ? undefined : canonicalLanguage(language);
  while (tag) {
    if (Object.hasOwn(CATALOGUES, tag)) return tag;
    if (Object.hasOwn(ALIASES, tag)) return ALIASES[tag]!;
    tag = tag.includes('-') ? tag.slice(0, tag.lastIndexOf('-')) : undefined;
  }
  return DEFAULT_LANGUAGE;
}

/** The texts in `language`, with the owner's overrides (empty ones are ignored) on top. */
export function customerTexts(language: string | undefined, overrides: CustomerTextOverrides = {}): CustomerTexts {
  const texts = { ...CATALOGUES[catalogueLanguage(language)]! };
  for (const [key, text] of Object.entries(overrides) as [keyof CustomerTextOverrides, string | undefined][]) {
    if (text !== undefined && text.trim() !== '') texts[key] = text;
  }
  return texts;
}

/**
 * An owner's overrides per language ("pt-BR": {...}): those written for the conversation's own
 * tag, else for another variant of its language ("pt-BR" serves "pt-PT"); none: {}.
 */
export function overridesFor(
  byLanguage: Readonly<Record<string, CustomerTextOverrides>> | undefined,
  language: string | undefined,
): CustomerTextOverrides {
  if (!byLanguage) return {};
  const wanted = canonicalLanguage(language ?? DEFAULT_LANGUAGE);
  if (wanted === undefined) return {};
  const base = (tag: string) => tag.split('-')[0]!.toLowerCase();
  const keys = Object.keys(byLanguage);
  const key = keys.find((k) => canonicalLanguage(k) === wanted) ?? keys.find((k) => base(k) === base(wanted));
  return key === undefined ? {} : byLanguage[key]!;
}
