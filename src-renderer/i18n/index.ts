/// <reference types="vite/client" />
// The studio's own words in English, Portuguese (Brazil) and Spanish (i18next + react-i18next).
// Catalogues: ./locales/<language>/<namespace>.json, found at build time by import.meta.glob, so
// a new namespace file needs no code. Every namespace has its owner (see the README's
// "Languages of the studio"); `common` holds the words shared by every screen.
//
// The language follows the system (navigator.languages: pt-* → pt-BR, es-* → es, else en)
// unless the owner picked one in Settings; that choice is kept in this browser profile's
// localStorage, so it is known synchronously before the first paint (no English flash) in the
// desktop app and in the web host alike.
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { SIGN_IN_CATALOGUES } from '../../src-main/shared/sign-in-texts';

export const UI_LANGUAGES = ['en', 'pt-BR', 'es'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: UiLanguage = 'en';
export const DEFAULT_NAMESPACE = 'common';

/** Where the owner's pick is kept; absent means "follow the system". */
export const LANGUAGE_STORAGE_KEY = 'flowbot.uiLanguage';

type Catalogue = { [key: string]: string | Catalogue };
const files = import.meta.glob<{ default: Catalogue }>('./locales/*/*.json', { eager: true });

/** Every catalogue, by language and namespace (also read by the key-parity test). */
export const resources: Resource = {};
for (const [path, mod] of Object.entries(files)) {
  const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const [, language, namespace] = match as unknown as [string, string, string];
  (resources[language] ??= {})[namespace] = mod.default;
}
// The MCP sign-in's sentences come from the main process's catalogues (one source for the studio,
// the CLI and the sign-in's browser page), under common:ownerTexts.signIn beside the studio's own.
for (const [language, catalogue] of Object.entries(SIGN_IN_CATALOGUES)) {
  const common = ((resources[language] ??= {}).common ??= {}) as Catalogue;
  const ownerTexts = (common.ownerTexts ??= {}) as Catalogue;
  ownerTexts.signIn = { ...catalogue, ...((ownerTexts.signIn as Catalogue | undefined) ?? {}) };
}
export const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))].sort();

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** The first of the system's preferred languages the studio speaks, else English. */
export function systemLanguage(preferred: readonly string[] = systemPreferences()): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'pt') return 'pt-BR';
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return FALLBACK_LANGUAGE;
}

function systemPreferences(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

function storage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // blocked storage (some privacy settings) throws on access
  }
}

/** The owner's pick from Settings, or null when the studio follows the system. */
export function pickedLanguage(): UiLanguage | null {
  const value = storage()?.getItem(LANGUAGE_STORAGE_KEY);
  return isUiLanguage(value) ? value : null;
}

/** The language the studio starts in. */
export function startLanguage(): UiLanguage {
  return pickedLanguage() ?? systemLanguage();
}

/** Settings' picker: a language, or null to follow the system again. Applies at once. */
export async function pickLanguage(language: UiLanguage | null): Promise<void> {
  const store = storage();
  if (language === null) store?.removeItem(LANGUAGE_STORAGE_KEY);
  else store?.setItem(LANGUAGE_STORAGE_KEY, language);
  await i18n.changeLanguage(language ?? systemLanguage());
}

/** The language the studio shows now (what Intl formats with). */
export function uiLanguage(): UiLanguage {
  return isUiLanguage(i18n.language) ? i18n.language : FALLBACK_LANGUAGE;
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: startLanguage(),
  fallbackLng: FALLBACK_LANGUAGE,
  supportedLngs: [...UI_LANGUAGES],
  ns: namespaces,
  defaultNS: DEFAULT_NAMESPACE,
  initAsync: false, // the catalogues are bundled: ready before the first render
  interpolation: { escapeValue: false }, // React escapes
});
i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;
